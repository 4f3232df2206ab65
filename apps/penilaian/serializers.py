"""Shapes of the appraisal API. Output serializers say what a reader gets (the SKP with its
rows, the parties as they were, the result with SIASN ids); input serializers parse what a
step needs; the services in ``services.py`` decide role and state and write."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api import MAX_ID, ModelSerializer, ScopedPrimaryKeyRelatedField, StrictInputMixin
from apps.pegawai.models import RiwayatJabatan, UnitKerja
from apps.pegawai.serializers import PegawaiNipField

from .models import (
    PANDUAN_BERAKHLAK,
    BerAKHLAK,
    CapaianOrganisasi,
    CapaianUnit,
    EvaluasiPeriodik,
    Penilaian,
    PeriodePenilaian,
    Predikat,
    Rating,
    Realisasi,
    RencanaHasilKerja,
)
from .services import RENCANA_FIELDS
from .workflow import STEPS

MAX_VERSION = 2**31 - 1
TEXT_MAX = 5000

# The API action (URL path) of each workflow step, so a client can offer the right buttons.
STEP_ACTIONS = {
    "ajukan": "ajukan",
    "kembalikan": "kembalikan",
    "setujui": "setujui",
    "nilai": "nilai",
    "terima": "terima",
    "ajukan_keberatan": "keberatan",
    "putuskan_keberatan": "putuskan-keberatan",
    "finalkan": "finalkan",
    "buka_kembali": "buka-kembali",
    "rencana": "rencana",
    "ekspektasi": "ekspektasi",
    "realisasi": "realisasi",
    "umpan_balik": "umpan-balik",
    "evaluasi_periodik": "evaluasi-periodik",
    "penilai": "penilai",
}


# ---------------------------------------------------------------------------------------------
# Small shapes


class ReferensiSerializer(serializers.Serializer):
    """A coded value with its SIASN id and label."""

    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)


def referensi(choices, value):
    return None if value is None else {"id": int(value), "label": choices(value).label}


@extend_schema_field(ReferensiSerializer(allow_null=True))
class ReferensiField(serializers.Field):
    """A rating or predikat as ``{id, label}`` (the SIASN id), or null while not set."""

    def __init__(self, choices, **kwargs):
        self.choices_class = choices
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return referensi(self.choices_class, value)


class UnitRingkasSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    nama = serializers.CharField(read_only=True)


class PihakSerializer(serializers.Serializer):
    """One party of the SKP as it was when recorded (SIASN: NIP, name, golongan, jabatan, unit)."""

    nip = serializers.CharField(read_only=True)
    nama = serializers.CharField(read_only=True)
    golongan = serializers.CharField(read_only=True)
    jabatan = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)


class PenilaiSerializer(PihakSerializer):
    penugasan = serializers.CharField(read_only=True, help_text="definitif, plt, plh, pj atau tugas_tambahan.")


def pihak(obj, prefix):
    if not getattr(obj, f"{prefix}_nip"):
        return None
    return {name: getattr(obj, f"{prefix}_{name}") for name in ("nip", "nama", "golongan", "jabatan", "unit")}


class HasilSerializer(serializers.Serializer):
    """The annual result as SIASN's SKP record carries it: the two ratings and the predikat."""

    rating_hasil_kerja = ReferensiField(Rating)
    rating_perilaku = ReferensiField(Rating)
    predikat = ReferensiField(Predikat)


class PeriodeRingkasSerializer(ModelSerializer):
    class Meta:
        model = PeriodePenilaian
        fields = ["id", "tahun", "periodik", "status"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Periode penilaian


class CapaianUnitSerializer(ModelSerializer):
    unit_kerja = UnitRingkasSerializer(read_only=True)
    capaian_label = serializers.CharField(source="get_capaian_display", read_only=True)

    class Meta:
        model = CapaianUnit
        fields = ["unit_kerja", "capaian", "capaian_label", "updated_at"]
        read_only_fields = fields


class PeriodePenilaianSerializer(ModelSerializer):
    instansi = UnitRingkasSerializer(read_only=True)
    jumlah_periodik = serializers.IntegerField(read_only=True)
    capaian_unit = CapaianUnitSerializer(many=True, read_only=True)

    class Meta:
        model = PeriodePenilaian
        fields = [
            "id",
            "instansi",
            "tahun",
            "periodik",
            "jumlah_periodik",
            "status",
            "capaian_unit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InstansiField(serializers.PrimaryKeyRelatedField):
    """An instansi whose appraisal periods the user runs (``scope.instansi_manage_q``); any other
    id gets the same answer as one that does not exist."""

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return UnitKerja.objects.filter(user.scope.instansi_manage_q())


class PeriodePenilaianCreateSerializer(StrictInputMixin, serializers.Serializer):
    instansi = InstansiField(help_text="Instansi (id unit kerja tingkat teratas) dalam lingkup Anda.")
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)
    periodik = serializers.ChoiceField(choices=PeriodePenilaian.Periodik.choices)


class CapaianInputSerializer(StrictInputMixin, serializers.Serializer):
    unit_kerja = serializers.PrimaryKeyRelatedField(
        queryset=UnitKerja.objects.none(),
        pk_field=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        help_text="Unit kerja (id) pada instansi periode ini.",
    )
    capaian = serializers.ChoiceField(choices=CapaianOrganisasi.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        periode = self.context.get("periode")
        if periode is not None:
            self.fields["unit_kerja"].queryset = UnitKerja.objects.filter(path__startswith=periode.instansi.path)


class PredikatJumlahSerializer(ReferensiSerializer):
    jumlah = serializers.IntegerField(read_only=True)


class DistribusiUnitSerializer(serializers.Serializer):
    """One perangkat daerah in the distribution (a ``selectors.DistribusiUnit``)."""

    unit_kerja = UnitRingkasSerializer(read_only=True)
    capaian = serializers.ChoiceField(
        choices=CapaianOrganisasi.choices, allow_null=True, read_only=True, help_text="Capaian kinerja organisasi."
    )
    total = serializers.IntegerField(read_only=True, help_text="Jumlah SKP.")
    belum = serializers.IntegerField(read_only=True, help_text="SKP yang belum berpredikat.")
    predikat = PredikatJumlahSerializer(many=True, read_only=True)
    peringatan = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Peringatan distribusi (bukan penghalang)."
    )

    def to_representation(self, row):
        return {
            "unit_kerja": {"id": row.unit_id, "nama": row.unit_nama},
            "capaian": row.capaian,
            "total": row.total,
            "belum": row.belum,
            "predikat": [
                {"id": int(p), "label": Predikat(p).label, "jumlah": row.counts.get(p, 0)} for p in Predikat.values
            ],
            "peringatan": list(row.warnings),
        }


class DistribusiSerializer(serializers.Serializer):
    periode = PeriodeRingkasSerializer(read_only=True)
    unit = DistribusiUnitSerializer(many=True, read_only=True)


# ---------------------------------------------------------------------------------------------
# SKP: output


class RealisasiSerializer(ModelSerializer):
    periode_label = serializers.SerializerMethodField()
    bukti_file = serializers.SerializerMethodField(help_text="Nama berkas bukti dukung (diunduh melalui halaman).")

    class Meta:
        model = Realisasi
        fields = [
            "id",
            "periode_ke",
            "periode_label",
            "realisasi",
            "nilai",
            "bukti_link",
            "bukti_file",
            "umpan_balik",
            "updated_at",
        ]
        read_only_fields = fields

    def get_periode_label(self, obj) -> str:
        return self.context["periode"].label_periodik(obj.periode_ke)

    def get_bukti_file(self, obj) -> str | None:
        return obj.bukti_file.name.rsplit("/", 1)[-1] if obj.bukti_file else None


class RencanaSerializer(ModelSerializer):
    realisasi = RealisasiSerializer(many=True, read_only=True)

    class Meta:
        model = RencanaHasilKerja
        fields = ["id", *RENCANA_FIELDS, "indikator_sumber", "realisasi"]
        read_only_fields = fields


class EvaluasiPeriodikSerializer(ModelSerializer):
    periode_label = serializers.SerializerMethodField()
    rating_hasil_kerja = ReferensiField(Rating)
    rating_perilaku = ReferensiField(Rating)
    predikat = ReferensiField(Predikat)
    rating_berakhlak = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="{kode BerAKHLAK: id rating}"
    )

    class Meta:
        model = EvaluasiPeriodik
        fields = [
            "periode_ke",
            "periode_label",
            "rating_hasil_kerja",
            "rating_perilaku",
            "rating_berakhlak",
            "predikat",
            "umpan_balik",
            "updated_at",
        ]
        read_only_fields = fields

    def get_periode_label(self, obj) -> str:
        return self.context["periode"].label_periodik(obj.periode_ke)


class PerilakuSerializer(serializers.Serializer):
    """One BerAKHLAK value: its guidance, the atasan's specific expectation, the annual rating."""

    kode = serializers.ChoiceField(choices=BerAKHLAK.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    panduan = serializers.ListField(child=serializers.CharField(), read_only=True)
    ekspektasi_khusus = serializers.CharField(read_only=True)
    rating = ReferensiField(Rating)


class LangkahSerializer(serializers.Serializer):
    langkah = serializers.ChoiceField(choices=[(name, step.label) for name, step in STEPS.items()], read_only=True)
    label = serializers.CharField(read_only=True)
    aksi = serializers.CharField(read_only=True, help_text="Path aksi API: POST /api/v1/penilaian/{id}/{aksi}/.")


class PenilaianSerializer(ModelSerializer):
    """An SKP in a list: the row itself, no related rows."""

    periode = PeriodeRingkasSerializer(read_only=True)
    pegawai = serializers.SerializerMethodField()
    penilai = serializers.SerializerMethodField()
    atasan_penilai = serializers.SerializerMethodField()
    hasil = HasilSerializer(source="*", read_only=True)

    class Meta:
        model = Penilaian
        fields = [
            "id",
            "periode",
            "status",
            "pegawai",
            "unit_kerja",
            "organisasi",
            "penilai",
            "atasan_penilai",
            "hasil",
            "dinilai_pada",
            "final_pada",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PihakSerializer)
    def get_pegawai(self, obj):
        return pihak(obj, "pegawai")

    @extend_schema_field(PenilaiSerializer(allow_null=True))
    def get_penilai(self, obj):
        data = pihak(obj, "penilai")
        if data is not None:
            data["penugasan"] = obj.penilai_penugasan
        return data

    @extend_schema_field(PihakSerializer(allow_null=True))
    def get_atasan_penilai(self, obj):
        return pihak(obj, "atasan_penilai")


class PenilaianDetailSerializer(PenilaianSerializer):
    """An SKP with its rows, periodic evaluations, BerAKHLAK expectations, and the steps the
    reader may take now (``context["roles"]``, ``context["langkah"]``)."""

    rencana = serializers.SerializerMethodField()
    evaluasi_periodik = serializers.SerializerMethodField()
    perilaku = serializers.SerializerMethodField()
    peran = serializers.SerializerMethodField(help_text="Peran Anda pada SKP ini.")
    langkah = serializers.SerializerMethodField(help_text="Langkah yang dapat Anda lakukan sekarang.")

    class Meta(PenilaianSerializer.Meta):
        fields = [
            *PenilaianSerializer.Meta.fields,
            "umpan_balik",
            "catatan_pengembalian",
            "keberatan_alasan",
            "keberatan_keputusan",
            "dukungan_sumber_daya",
            "skema_pertanggungjawaban",
            "konsekuensi",
            "perilaku",
            "rencana",
            "evaluasi_periodik",
            "peran",
            "langkah",
            "created_at",
        ]
        read_only_fields = fields

    def _nested_context(self, obj):
        return {**self.context, "periode": obj.periode}

    @extend_schema_field(RencanaSerializer(many=True))
    def get_rencana(self, obj):
        return RencanaSerializer(obj.rencana.all(), many=True, context=self._nested_context(obj)).data

    @extend_schema_field(EvaluasiPeriodikSerializer(many=True))
    def get_evaluasi_periodik(self, obj):
        rows = obj.evaluasi_periodik.all()
        return EvaluasiPeriodikSerializer(rows, many=True, context=self._nested_context(obj)).data

    @extend_schema_field(PerilakuSerializer(many=True))
    def get_perilaku(self, obj):
        ratings = obj.rating_berakhlak or {}
        return [
            {
                "kode": kode,
                "label": label,
                "panduan": PANDUAN_BERAKHLAK[kode],
                "ekspektasi_khusus": (obj.ekspektasi_khusus or {}).get(kode, ""),
                "rating": referensi(Rating, ratings.get(kode)),
            }
            for kode, label in BerAKHLAK.choices
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_peran(self, obj):
        return sorted(self.context.get("roles", ()))

    @extend_schema_field(LangkahSerializer(many=True))
    def get_langkah(self, obj):
        allowed = self.context.get("langkah", ())
        return [
            {"langkah": name, "label": step.label, "aksi": STEP_ACTIONS[name]}
            for name, step in STEPS.items()
            if name in allowed
        ]


# ---------------------------------------------------------------------------------------------
# SKP: input


def version_field(**kwargs):
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text="Versi SKP yang dibaca; bila sudah berubah, permintaan ditolak dengan 409.",
        **kwargs,
    )


def text_field(**kwargs):
    # DRF's CharField refuses NUL characters (400 naming the field).
    kwargs.setdefault("max_length", TEXT_MAX)
    return serializers.CharField(**kwargs)


def rating_field(**kwargs):
    kwargs.setdefault("help_text", "1 di atas ekspektasi, 2 sesuai ekspektasi, 3 di bawah ekspektasi (id SIASN).")
    return serializers.ChoiceField(choices=Rating.choices, **kwargs)


class PenilaianCreateSerializer(StrictInputMixin, serializers.Serializer):
    nip = PegawaiNipField(scope="visible_to", help_text="NIP pegawai yang dinilai.")
    periode = ScopedPrimaryKeyRelatedField(queryset=PeriodePenilaian.objects.all(), help_text="Periode penilaian (id).")


class VersionSerializer(StrictInputMixin, serializers.Serializer):
    version = version_field()


class KembalikanSerializer(VersionSerializer):
    catatan = text_field(help_text="Apa yang perlu diperbaiki pada rencana SKP.")


class AlasanSerializer(VersionSerializer):
    alasan = text_field()


class BerakhlakRatingField(serializers.DictField):
    """``{kode BerAKHLAK: id rating}`` for the seven values; the service names a missing or
    unknown value."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", rating_field())
        kwargs.setdefault("help_text", f"Rating tiap nilai BerAKHLAK; kunci: {', '.join(BerAKHLAK.values)}.")
        super().__init__(**kwargs)


class NilaiSerializer(VersionSerializer):
    rating_hasil_kerja = rating_field(
        required=False,
        allow_null=True,
        help_text="Untuk kepala unit diambil dari capaian kinerja organisasi unitnya.",
    )
    rating_perilaku = rating_field()
    rating_berakhlak = BerakhlakRatingField()
    umpan_balik = text_field(required=False, allow_blank=True)


class EvaluasiPeriodikInputSerializer(NilaiSerializer):
    periode_ke = serializers.IntegerField(min_value=1, max_value=12, help_text="Bulan (1–12) atau triwulan (1–4).")
    rating_hasil_kerja = rating_field()


class PutuskanKeberatanSerializer(VersionSerializer):
    keputusan = text_field()
    rating_hasil_kerja = rating_field(required=False, allow_null=True, help_text="Kosong: tetap seperti semula.")
    rating_perilaku = rating_field(required=False, allow_null=True, help_text="Kosong: tetap seperti semula.")


class SetPenilaiSerializer(VersionSerializer):
    nip = PegawaiNipField(source="penilai", scope="visible_to", help_text="NIP pejabat penilai kinerja.")
    jenis_penugasan = serializers.ChoiceField(
        source="penugasan",
        choices=RiwayatJabatan.JenisPenugasan.choices,
        default=RiwayatJabatan.JenisPenugasan.DEFINITIF,
    )


class EkspektasiSerializer(VersionSerializer):
    ekspektasi_khusus = serializers.DictField(
        child=text_field(allow_blank=True, max_length=2000),
        required=False,
        help_text=f"Ekspektasi khusus pimpinan per nilai BerAKHLAK; kunci: {', '.join(BerAKHLAK.values)}.",
    )
    dukungan_sumber_daya = text_field(required=False, allow_blank=True)
    skema_pertanggungjawaban = text_field(required=False, allow_blank=True)
    konsekuensi = text_field(required=False, allow_blank=True)


class RencanaInputSerializer(StrictInputMixin, ModelSerializer):
    version = version_field()

    class Meta:
        model = RencanaHasilKerja
        fields = ["version", *RENCANA_FIELDS]
        extra_kwargs = {
            # The model constraint holds it too; checked here so the error names the field.
            "target": {"min_value": 0},
            "urutan": {"max_value": 32767},
        }

    def validate(self, attrs):
        # Required in a PATCH too, where DRF makes every field optional.
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [self.fields["version"].error_messages["required"]]})
        return attrs


class RencanaPilihanField(serializers.PrimaryKeyRelatedField):
    """A row of this SKP (``context["penilaian"]``); a row of another SKP is "not found"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        kwargs.setdefault("help_text", "Rencana hasil kerja (id) pada SKP ini.")
        super().__init__(**kwargs)

    def get_queryset(self):
        penilaian = self.context.get("penilaian")
        if penilaian is None:
            return RencanaHasilKerja.objects.none()
        return RencanaHasilKerja.objects.filter(penilaian=penilaian)


class RealisasiInputSerializer(VersionSerializer):
    rencana = RencanaPilihanField()
    periode_ke = serializers.IntegerField(min_value=1, max_value=12, help_text="Bulan (1–12) atau triwulan (1–4).")
    realisasi = text_field()
    nilai = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    bukti_link = serializers.URLField(max_length=500, required=False, allow_blank=True)


class UmpanBalikInputSerializer(VersionSerializer):
    rencana = RencanaPilihanField()
    periode_ke = serializers.IntegerField(min_value=1, max_value=12, help_text="Bulan (1–12) atau triwulan (1–4).")
    umpan_balik = text_field(allow_blank=True)
