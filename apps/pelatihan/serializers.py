"""Shapes of the pelatihan API: an output serializer per resource, input serializers per write.

Input is strict (``StrictInputMixin``): a field an endpoint does not take is a 400 naming it.
The services run the model validation and the rules."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api import MAX_ID, ModelSerializer, ScopedPrimaryKeyRelatedField, StrictInputMixin
from apps.core.uploads import validate_evidence
from apps.pegawai.models import Pegawai, UnitKerja
from apps.pegawai.serializers import PegawaiNipField, UnitKerjaRingkasSerializer
from apps.penilaian.models import Predikat
from apps.penilaian.serializers import ReferensiField
from apps.standar_kinerja.models import Kompetensi

from .models import AsesmenKompetensi, Kepemimpinan, Pelatihan, Penyelenggara, RiwayatPelatihan
from .services import ASESMEN_FIELDS, MANDIRI_FIELDS, PELATIHAN_FIELDS, PENYELENGGARA_FIELDS, STEPS

MAX_VERSION = 2**31 - 1
TEXT_MAX = 2000
NIP_RE = re.compile(r"[0-9]{18}")
KODE_RE = re.compile(r"[A-Za-z0-9._-]{1,20}")

# The API path of each step in STEPS; "ubah" and "hapus" are PATCH/PUT and DELETE on the record.
STEP_ACTIONS = {
    "atasan_setujui": "atasan-setujui",
    "atasan_tolak": "atasan-tolak",
    "konfirmasi": "konfirmasi",
    "tolak": "tolak",
    "batalkan": "batalkan",
    "hasil_catat": "hasil",
    "verifikasi": "verifikasi",
    "ubah": None,
    "hapus": None,
}


def version_field(**kwargs):
    kwargs.setdefault("help_text", "Versi data yang dibaca; bila sudah berubah, permintaan ditolak dengan 409.")
    return serializers.IntegerField(min_value=1, max_value=MAX_VERSION, **kwargs)


def text_field(**kwargs):
    # DRF's CharField refuses NUL characters (400 naming the field).
    kwargs.setdefault("max_length", TEXT_MAX)
    return serializers.CharField(**kwargs)


def instansi_field():
    return ScopedPrimaryKeyRelatedField(
        queryset=UnitKerja.objects.filter(parent__isnull=True),
        required=False,
        help_text="Instansi (id unit kerja akar). Boleh kosong bila Anda mengelola tepat satu instansi.",
    )


class NipField(serializers.CharField):
    default_error_messages = {"nip_format": "NIP harus 18 digit angka."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not NIP_RE.fullmatch(data):
            self.fail("nip_format")
        return data


class KompetensiKodeField(serializers.SlugRelatedField):
    """A kompetensi by its code (M.01, SK.01, ...); a value that cannot be a code is refused
    before any query."""

    default_error_messages = {"kode_format": "Kode kompetensi tidak sah."}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "kode")
        kwargs.setdefault("queryset", Kompetensi.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not KODE_RE.fullmatch(data):
            self.fail("kode_format")
        return super().to_internal_value(data)


class KompetensiListField(serializers.ListField):
    """Kompetensi codes, resolved in one query; unknown codes are named in the error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.RegexField(KODE_RE.pattern, max_length=20))
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        codes = super().to_internal_value(data)
        found = {k.kode: k for k in Kompetensi.objects.filter(kode__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise serializers.ValidationError(f"Kode kompetensi tidak dikenal: {', '.join(unknown[:10])}.")
        return [found[code] for code in codes]

    def to_representation(self, value):
        return [k.kode for k in value.all()]


# ---------------------------------------------------------------------------------------------
# Penyelenggara


class PenyelenggaraSerializer(ModelSerializer):
    """A partner institution that runs training, owned by an instansi."""

    class Meta:
        model = Penyelenggara
        fields = ["id", "instansi", *PENYELENGGARA_FIELDS, "version", "created_at", "updated_at"]
        read_only_fields = fields


class PenyelenggaraCreateSerializer(StrictInputMixin, ModelSerializer):
    instansi = instansi_field()

    class Meta:
        model = Penyelenggara
        fields = ["instansi", *PENYELENGGARA_FIELDS]
        # The service checks the unique name and the model's rules.
        validators = []


class PenyelenggaraUpdateSerializer(StrictInputMixin, ModelSerializer):
    version = version_field()

    class Meta:
        model = Penyelenggara
        fields = [*PENYELENGGARA_FIELDS, "version"]
        validators = []


# ---------------------------------------------------------------------------------------------
# Pelatihan (the catalogue)


class PenyelenggaraRingkasSerializer(ModelSerializer):
    """The penyelenggara of a catalogue training, in short."""

    class Meta:
        model = Penyelenggara
        fields = ["id", "nama", "jenis"]
        read_only_fields = fields


class PelatihanSerializer(ModelSerializer):
    """A training of the catalogue, with its seats taken and whether registration is open today."""

    penyelenggara = PenyelenggaraRingkasSerializer(read_only=True)
    jenis_diklat_label = serializers.CharField(source="get_jenis_diklat_display", read_only=True)
    kompetensi = serializers.SlugRelatedField(
        slug_field="kode", many=True, read_only=True, help_text="Kode kompetensi yang dikembangkan."
    )
    peserta_terdaftar = serializers.IntegerField(
        read_only=True, help_text="Peserta terdaftar atau selesai: kursi yang terpakai dari kuota."
    )
    pendaftar_menunggu = serializers.IntegerField(
        read_only=True, help_text="Pendaftaran yang menunggu persetujuan atasan atau konfirmasi BKPSDM."
    )
    pendaftaran_terbuka = serializers.SerializerMethodField(help_text="Pegawai masih dapat mendaftar sendiri hari ini.")

    class Meta:
        model = Pelatihan
        fields = [
            "id",
            "instansi",
            *PELATIHAN_FIELDS,
            "jenis_diklat_label",
            "kompetensi",
            "peserta_terdaftar",
            "pendaftar_menunggu",
            "pendaftaran_terbuka",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_pendaftaran_terbuka(self, obj) -> bool:
        return obj.pendaftaran_terbuka_pada(timezone.localdate())


class _PelatihanFieldsSerializer(StrictInputMixin, ModelSerializer):
    penyelenggara = ScopedPrimaryKeyRelatedField(
        queryset=Penyelenggara.objects.all(), help_text="Penyelenggara (id), milik instansi yang sama."
    )
    kompetensi = KompetensiListField(required=False, help_text="Kode kompetensi yang dikembangkan.")

    class Meta:
        model = Pelatihan
        fields = [*PELATIHAN_FIELDS, "kompetensi"]
        extra_kwargs = {
            "jalur": {"required": False, "help_text": "Kosong: mengikuti jenis diklat (PerLAN 10/2018)."},
            "jenis_diklat": {"help_text": "Id jenis diklat SIASN (1–25)."},
            "kuota": {"max_value": 100_000},
        }
        validators = []


class PelatihanCreateSerializer(_PelatihanFieldsSerializer):
    instansi = instansi_field()

    class Meta(_PelatihanFieldsSerializer.Meta):
        fields = ["instansi", *_PelatihanFieldsSerializer.Meta.fields]


class PelatihanUpdateSerializer(_PelatihanFieldsSerializer):
    version = version_field()

    class Meta(_PelatihanFieldsSerializer.Meta):
        fields = [*_PelatihanFieldsSerializer.Meta.fields, "version"]


class DaftarSerializer(StrictInputMixin, serializers.Serializer):
    catatan = text_field(required=False, allow_blank=True, help_text="Catatan untuk atasan dan BKPSDM.")


class DaftarkanSerializer(StrictInputMixin, serializers.Serializer):
    pegawai = serializers.ListField(
        child=NipField(),
        min_length=1,
        max_length=500,
        help_text="NIP pegawai yang didaftarkan langsung (terdaftar sebagai peserta).",
    )


class DaftarkanResultSerializer(serializers.Serializer):
    """The NIPs enrolled now and those already registered (left as they were)."""

    didaftarkan = serializers.ListField(child=serializers.CharField(), help_text="NIP yang kini terdaftar.")
    dilewati = serializers.ListField(child=serializers.CharField(), help_text="NIP yang sudah terdaftar sebelumnya.")


def _hasil_fields():
    return {
        "hadir": serializers.BooleanField(help_text="Peserta hadir mengikuti pelatihan."),
        "lulus": serializers.BooleanField(required=False, allow_null=True),
        "jp_diakui": serializers.IntegerField(
            min_value=0,
            max_value=2000,
            required=False,
            allow_null=True,
            help_text="JP yang diakui; kosong berarti seluruh JP pelatihan bila hadir.",
        ),
        "nomor_sertifikat": serializers.CharField(max_length=100, required=False, allow_blank=True),
    }


class HasilPesertaSerializer(StrictInputMixin, serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id riwayat pelatihan peserta.")
    hadir = _hasil_fields()["hadir"]
    lulus = _hasil_fields()["lulus"]
    jp_diakui = _hasil_fields()["jp_diakui"]
    nomor_sertifikat = _hasil_fields()["nomor_sertifikat"]
    version = version_field()


class HasilPelatihanSerializer(StrictInputMixin, serializers.Serializer):
    hasil = HasilPesertaSerializer(many=True, min_length=1, max_length=1000)


# ---------------------------------------------------------------------------------------------
# Riwayat pelatihan


class LangkahPelatihanSerializer(serializers.Serializer):
    langkah = serializers.ChoiceField(choices=[(name, step.label) for name, step in STEPS.items()], read_only=True)
    label = serializers.CharField(read_only=True)
    aksi = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Path aksi: POST /api/v1/riwayat-pelatihan/{id}/{aksi}/; null untuk ubah (PATCH) dan hapus "
        "(DELETE) pada data itu sendiri.",
    )


class RiwayatPelatihanSerializer(ModelSerializer):
    """A training record; ``langkah`` are the steps the reader may take now
    (``context["langkah"]``: ``{id: [step names]}``)."""

    pegawai = serializers.CharField(source="pegawai.nip", read_only=True, help_text="NIP pegawai.")
    pegawai_nama = serializers.CharField(source="pegawai.nama_lengkap", read_only=True)
    unit_kerja = serializers.IntegerField(source="pegawai.unit_kerja_id", read_only=True)
    jenis_diklat_label = serializers.CharField(source="get_jenis_diklat_display", read_only=True)
    diakui = serializers.BooleanField(
        source="is_diakui", read_only=True, help_text="Dikonfirmasi BKPSDM: JP diakuinya dihitung."
    )
    atasan = serializers.SerializerMethodField(help_text="NIP atasan yang menyetujui pendaftaran.")
    ada_bukti = serializers.SerializerMethodField(
        help_text="Ada berkas bukti: GET /api/v1/riwayat-pelatihan/{id}/bukti/."
    )
    langkah = serializers.SerializerMethodField(help_text="Langkah yang dapat Anda lakukan sekarang.")

    class Meta:
        model = RiwayatPelatihan
        fields = [
            "id",
            "pegawai",
            "pegawai_nama",
            "unit_kerja",
            "pelatihan",
            "sumber",
            "status",
            "nama",
            "jenis_diklat",
            "jenis_diklat_label",
            "jalur",
            "kepemimpinan",
            "penyelenggara",
            "tanggal_mulai",
            "tanggal_selesai",
            "jp",
            "hadir",
            "lulus",
            "jp_diakui",
            "diakui",
            "nomor_sertifikat",
            "catatan",
            "alasan_penolakan",
            "atasan",
            "diputuskan_pada",
            "ada_bukti",
            "langkah",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_atasan(self, obj) -> str | None:
        return obj.atasan.nip if obj.atasan_id else None

    def get_ada_bukti(self, obj) -> bool:
        return bool(obj.bukti)

    @extend_schema_field(LangkahPelatihanSerializer(many=True))
    def get_langkah(self, obj):
        allowed = self.context.get("langkah", {}).get(obj.pk, ())
        return [
            {"langkah": name, "label": step.label, "aksi": STEP_ACTIONS[name]}
            for name, step in STEPS.items()
            if name in allowed
        ]


class BuktiMixin:
    def validate_bukti(self, value):
        try:
            return validate_evidence(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


def bukti_field():
    return serializers.FileField(
        required=False,
        help_text="Sertifikat/STTPP: PDF, JPG atau PNG (diperiksa menurut isinya), paling besar 5 MB. "
        "Kirim sebagai multipart/form-data.",
    )


class RiwayatMandiriCreateSerializer(BuktiMixin, StrictInputMixin, ModelSerializer):
    pegawai = PegawaiNipField(
        scope="visible_to",
        required=False,
        help_text="NIP pegawai (staf BKPSDM, untuk pegawai kelolaannya: langsung terverifikasi); "
        "kosong berarti diri sendiri (wajib dengan bukti, menunggu verifikasi).",
    )
    bukti = bukti_field()

    class Meta:
        model = RiwayatPelatihan
        fields = ["pegawai", *MANDIRI_FIELDS, "bukti"]
        extra_kwargs = {
            "jalur": {"required": False, "help_text": "Kosong: mengikuti jenis diklat."},
            "jenis_diklat": {"help_text": "Id jenis diklat SIASN (1–25)."},
        }
        validators = []


class RiwayatMandiriUpdateSerializer(BuktiMixin, StrictInputMixin, ModelSerializer):
    bukti = bukti_field()
    version = version_field()

    class Meta:
        model = RiwayatPelatihan
        fields = [*MANDIRI_FIELDS, "bukti", "version"]
        extra_kwargs = RiwayatMandiriCreateSerializer.Meta.extra_kwargs
        validators = []


class RiwayatVersionSerializer(StrictInputMixin, serializers.Serializer):
    version = version_field()


class RiwayatAlasanSerializer(RiwayatVersionSerializer):
    alasan = text_field(help_text="Alasan, dibaca pegawai.")


class RiwayatBatalkanSerializer(RiwayatVersionSerializer):
    alasan = text_field(required=False, allow_blank=True)


class RiwayatVerifikasiSerializer(RiwayatVersionSerializer):
    jp_diakui = _hasil_fields()["jp_diakui"]


class RiwayatHasilSerializer(RiwayatVersionSerializer):
    hadir = _hasil_fields()["hadir"]
    lulus = _hasil_fields()["lulus"]
    jp_diakui = _hasil_fields()["jp_diakui"]
    nomor_sertifikat = _hasil_fields()["nomor_sertifikat"]


class RiwayatDeleteSerializer(StrictInputMixin, serializers.Serializer):
    version = version_field()


# ---------------------------------------------------------------------------------------------
# Asesmen kompetensi


class AsesmenKompetensiSerializer(ModelSerializer):
    """An assessed level of one competency; ``terbaru`` marks the latest per competency."""

    pegawai = serializers.CharField(source="pegawai.nip", read_only=True, help_text="NIP pegawai.")
    pegawai_nama = serializers.CharField(source="pegawai.nama_lengkap", read_only=True)
    kompetensi = serializers.CharField(source="kompetensi.kode", read_only=True, help_text="Kode kompetensi.")
    kompetensi_nama = serializers.CharField(source="kompetensi.nama", read_only=True)

    class Meta:
        model = AsesmenKompetensi
        fields = [
            "id",
            "pegawai",
            "pegawai_nama",
            "kompetensi",
            "kompetensi_nama",
            *[f for f in ASESMEN_FIELDS if f != "kompetensi"],
            "terbaru",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AsesmenCreateSerializer(StrictInputMixin, ModelSerializer):
    pegawai = PegawaiNipField(scope="visible_to", help_text="NIP pegawai yang diases.")
    kompetensi = KompetensiKodeField(help_text="Kode kompetensi (M.01 ... SK.01, atau teknis).")

    class Meta:
        model = AsesmenKompetensi
        fields = ["pegawai", *ASESMEN_FIELDS]
        validators = []


class AsesmenUpdateSerializer(StrictInputMixin, ModelSerializer):
    kompetensi = KompetensiKodeField(help_text="Kode kompetensi.")
    version = version_field()

    class Meta:
        model = AsesmenKompetensi
        fields = [*ASESMEN_FIELDS, "version"]
        validators = []


# ---------------------------------------------------------------------------------------------
# Competency gap, JP report, training needs (read-only)


class GapBarisSerializer(serializers.Serializer):
    """One required competency: the level required, the latest assessed level and the gap."""

    kode = serializers.CharField(source="kompetensi.kode", read_only=True)
    nama = serializers.CharField(source="kompetensi.nama", read_only=True)
    kelompok = serializers.CharField(source="kompetensi.kelompok", read_only=True)
    dipersyaratkan = serializers.IntegerField(read_only=True, help_text="Level yang dipersyaratkan jabatan.")
    hasil = serializers.IntegerField(read_only=True, allow_null=True, help_text="Level hasil asesmen terbaru.")
    gap = serializers.IntegerField(read_only=True, allow_null=True, help_text="Hasil − dipersyaratkan.")
    tanggal_asesmen = serializers.DateField(source="asesmen.tanggal", read_only=True, allow_null=True)


class KompetensiGapSerializer(serializers.Serializer):
    """Required levels of the jabatan against the latest assessments: gap, JPM and its band."""

    nip = serializers.CharField(read_only=True)
    nama = serializers.CharField(read_only=True)
    jabatan = serializers.CharField(read_only=True, allow_null=True)
    kompetensi = GapBarisSerializer(many=True, read_only=True)
    jpm = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Job-person match (%), setelah semua kompetensi diases."
    )
    band = serializers.CharField(read_only=True, allow_null=True)
    lengkap = serializers.BooleanField(read_only=True, help_text="Semua kompetensi yang dipersyaratkan sudah diases.")


class RekapJpQuerySerializer(serializers.Serializer):
    tahun = serializers.IntegerField(min_value=1900, max_value=2100, required=False, help_text="Bawaan: tahun ini.")
    unit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Unit induk (id) yang dirinci per sub-unit; kosong: per instansi dalam lingkup Anda.",
    )


class RekapJpBarisSerializer(serializers.Serializer):
    """One unit of the 20 JP report."""

    unit = UnitKerjaRingkasSerializer(read_only=True)
    jumlah_pegawai = serializers.IntegerField(read_only=True)
    kurang = serializers.IntegerField(read_only=True, help_text="Pegawai dengan JP di bawah 20.")
    memenuhi = serializers.IntegerField(read_only=True)
    persen_memenuhi = serializers.FloatField(read_only=True, allow_null=True)
    total_jp = serializers.IntegerField(read_only=True)
    rata_jp = serializers.FloatField(read_only=True, allow_null=True)
    total_kekurangan = serializers.IntegerField(read_only=True, help_text="Jumlah kekurangan JP seluruh pegawai.")


class RekapJpSerializer(serializers.Serializer):
    """The 20 JP rule per unit for a year: one row per child unit of ``induk`` (or per instansi)."""

    tahun = serializers.IntegerField(read_only=True)
    induk = UnitKerjaRingkasSerializer(read_only=True, allow_null=True)
    unit = RekapJpBarisSerializer(many=True, read_only=True)


class KurangJpSerializer(ModelSerializer):
    """A pegawai under 20 JP in the year, with the JP that count and the shortfall."""

    nama = serializers.CharField(source="nama_lengkap", read_only=True)
    unit_kerja = UnitKerjaRingkasSerializer(read_only=True)
    jabatan = serializers.CharField(source="jabatan.nama", read_only=True, allow_null=True)
    jp_tahun = serializers.IntegerField(read_only=True, help_text="JP diakui pada tahun itu.")
    kekurangan_jp = serializers.IntegerField(read_only=True, help_text="Kekurangan dari 20 JP.")

    class Meta:
        model = Pegawai
        fields = ["nip", "nama", "unit_kerja", "jabatan", "jp_tahun", "kekurangan_jp"]
        read_only_fields = fields


class KodeLabelSerializer(serializers.Serializer):
    kode = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class RekomendasiSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    nama = serializers.CharField(read_only=True)
    tanggal_mulai = serializers.DateField(read_only=True)


class KebutuhanSerializer(serializers.Serializer):
    """One pegawai of the training-needs list (``selectors.KebutuhanPegawai``)."""

    nip = serializers.CharField(source="pegawai.nip", read_only=True)
    nama = serializers.CharField(source="pegawai.nama_lengkap", read_only=True)
    unit_kerja = UnitKerjaRingkasSerializer(source="pegawai.unit_kerja", read_only=True)
    jabatan = serializers.CharField(source="pegawai.jabatan.nama", read_only=True, allow_null=True)
    gaps = GapBarisSerializer(
        source="gap.negatif", many=True, read_only=True, help_text="Kompetensi dengan gap negatif."
    )
    jpm = serializers.FloatField(source="gap.jpm", read_only=True, allow_null=True)
    band = serializers.CharField(source="gap.band", read_only=True, allow_null=True)
    predikat = ReferensiField(Predikat, help_text="Predikat SKP final terakhir (id SIASN).")
    jp_tahun = serializers.IntegerField(read_only=True)
    kekurangan_jp = serializers.IntegerField(read_only=True)
    kepemimpinan = serializers.SerializerMethodField(help_text="Pelatihan kepemimpinan yang belum diikuti.")
    rekomendasi = RekomendasiSerializer(many=True, read_only=True, help_text="Pelatihan katalog yang sesuai.")

    @extend_schema_field(KodeLabelSerializer(allow_null=True))
    def get_kepemimpinan(self, obj):
        if not obj.kepemimpinan:
            return None
        return {"kode": str(obj.kepemimpinan), "label": Kepemimpinan(obj.kepemimpinan).label}
