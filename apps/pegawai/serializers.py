"""Shapes of the pegawai API. Output serializers say what a reader gets; input serializers parse
what a writer sends, limited to the user's scope; the services in ``services.py`` write."""

import re

from rest_framework import serializers

from apps.core.api import (
    MAX_ID,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    StrictInputMixin,
)

from .models import (
    PERSONAL_FIELDS,
    Golongan,
    Jabatan,
    JenisJabatan,
    Pegawai,
    RiwayatHukumanDisiplin,
    RiwayatJabatan,
    RiwayatPangkat,
    RiwayatPendidikan,
    RiwayatPenghargaan,
    TingkatPendidikan,
    UnitKerja,
)
from .services import PEGAWAI_FIELDS

MAX_VERSION = 2**31 - 1


def golongan_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=Golongan.objects.all(), pk_field=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs
    )


def version_field(**kwargs):
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text="Versi data pegawai yang dibaca; bila sudah berubah, permintaan ditolak dengan 409.",
        **kwargs,
    )


class PegawaiNipField(ScopedSlugRelatedField):
    """A pegawai by NIP, among those the user may manage: a malformed NIP is refused before any
    query, and an unknown NIP and one outside scope get the same answer."""

    default_error_messages = {"nip_format": "NIP harus 18 digit angka."}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "nip")
        kwargs.setdefault("queryset", Pegawai.objects.all())
        kwargs.setdefault("scope", "manageable_by")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(r"[0-9]{18}", data):
            self.fail("nip_format")
        return super().to_internal_value(data)


# ---------------------------------------------------------------------------------------------
# Reference and organisation


class GolonganSerializer(ModelSerializer):
    class Meta:
        model = Golongan
        fields = ["id", "jenis_asn", "kode", "pangkat", "tingkat", "siasn_id"]
        read_only_fields = fields


class GolonganRingkasSerializer(ModelSerializer):
    class Meta:
        model = Golongan
        fields = ["id", "kode", "pangkat"]
        read_only_fields = fields


class UnitKerjaSerializer(ModelSerializer):
    class Meta:
        model = UnitKerja
        fields = ["id", "nama", "singkatan", "jenis", "parent", "path", "depth", "updated_at"]
        read_only_fields = fields


class UnitKerjaRingkasSerializer(ModelSerializer):
    class Meta:
        model = UnitKerja
        fields = ["id", "nama"]
        read_only_fields = fields


class UnitKerjaCreateSerializer(StrictInputMixin, ModelSerializer):
    parent = ScopedPrimaryKeyRelatedField(
        queryset=UnitKerja.objects.all(),
        scope="manageable_by",
        allow_null=True,
        required=False,
        help_text="Unit induk, dalam lingkup Anda. Kosong hanya untuk instansi baru (superuser).",
    )

    class Meta:
        model = UnitKerja
        fields = ["nama", "singkatan", "jenis", "parent"]

    def validate(self, attrs):
        parent = attrs.get("parent")
        if parent is None and not self.context["request"].user.scope.is_all:
            raise serializers.ValidationError({"parent": ["Unit induk wajib diisi."]})
        is_instansi = attrs["jenis"] == UnitKerja.Jenis.INSTANSI
        if is_instansi != (parent is None):
            raise serializers.ValidationError({"jenis": ["Hanya instansi yang tidak memiliki unit induk."]})
        return attrs


class JabatanSerializer(ModelSerializer):
    unit_kerja_nama = serializers.CharField(source="unit_kerja.nama", read_only=True)

    class Meta:
        model = Jabatan
        fields = [
            "id",
            "nama",
            "jenis",
            "jenjang",
            "eselon",
            "unit_kerja",
            "unit_kerja_nama",
            "atasan",
            "kelas_jabatan",
            "updated_at",
        ]
        read_only_fields = fields


class JabatanRingkasSerializer(ModelSerializer):
    class Meta:
        model = Jabatan
        fields = ["id", "nama", "jenis"]
        read_only_fields = fields


class JabatanInputSerializer(StrictInputMixin, ModelSerializer):
    unit_kerja = ScopedPrimaryKeyRelatedField(queryset=UnitKerja.objects.all(), scope="manageable_by")
    atasan = ScopedPrimaryKeyRelatedField(
        queryset=Jabatan.objects.all(), scope="visible_to", allow_null=True, required=False
    )

    class Meta:
        model = Jabatan
        fields = ["nama", "jenis", "jenjang", "eselon", "unit_kerja", "atasan", "kelas_jabatan"]

    def validate(self, attrs):
        # The model constraints hold these too; checked here so that the error names the field.
        def current(name):
            return attrs.get(name, getattr(self.instance, name, None) if self.instance else None)

        jenis, jenjang = current("jenis"), current("jenjang") or ""
        if jenis == JenisJabatan.FUNGSIONAL and not jenjang:
            raise serializers.ValidationError({"jenjang": ["Jenjang wajib diisi untuk jabatan fungsional."]})
        if jenis != JenisJabatan.FUNGSIONAL and jenjang:
            raise serializers.ValidationError({"jenjang": ["Jenjang hanya untuk jabatan fungsional."]})
        atasan = attrs.get("atasan")
        if self.instance is not None and atasan is not None and atasan.pk == self.instance.pk:
            raise serializers.ValidationError({"atasan": ["Jabatan tidak boleh menjadi atasan dirinya sendiri."]})
        return attrs


# ---------------------------------------------------------------------------------------------
# Pegawai


class PendidikanTerakhirSerializer(serializers.Serializer):
    tingkat = serializers.ChoiceField(source="pendidikan_tingkat", choices=TingkatPendidikan.choices, read_only=True)
    jurusan = serializers.CharField(source="pendidikan_jurusan", read_only=True)


class PegawaiSerializer(ModelSerializer):
    """A pegawai as read. The personal fields are present only when the queryset marked the row
    ``can_see_personal`` (the reader manages this pegawai, or it is their own record)."""

    nama_lengkap = serializers.CharField(read_only=True)
    kedudukan_hukum_label = serializers.CharField(source="get_kedudukan_hukum_display", read_only=True)
    golongan = GolonganRingkasSerializer(read_only=True, allow_null=True)
    jabatan = JabatanRingkasSerializer(read_only=True, allow_null=True)
    unit_kerja = UnitKerjaRingkasSerializer(read_only=True)
    pendidikan = PendidikanTerakhirSerializer(source="*", read_only=True, allow_null=True)
    # Not read-only on purpose: this serializer is never used for input, and so the schema
    # shows these fields as optional, which they are.
    nik = serializers.CharField(required=False, allow_null=True, help_text="Hanya bagi pengelola dan pemilik data.")
    tanggal_lahir = serializers.DateField(required=False, help_text="Hanya bagi pengelola dan pemilik data.")
    tempat_lahir = serializers.CharField(required=False, help_text="Hanya bagi pengelola dan pemilik data.")
    alamat = serializers.CharField(required=False, help_text="Hanya bagi pengelola dan pemilik data.")
    telepon = serializers.CharField(required=False, help_text="Hanya bagi pengelola dan pemilik data.")
    email = serializers.CharField(required=False, help_text="Hanya bagi pengelola dan pemilik data.")

    class Meta:
        model = Pegawai
        public_fields = [
            "nip",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "nama_lengkap",
            "jenis_kelamin",
            "jenis_asn",
            "kedudukan_hukum",
            "kedudukan_hukum_label",
            "golongan",
            "tmt_golongan",
            "jabatan",
            "tmt_jabatan",
            "unit_kerja",
            "pendidikan",
            "version",
            "updated_at",
        ]
        fields = [*public_fields, *PERSONAL_FIELDS]
        read_only_fields = public_fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not instance.pendidikan_tingkat:
            data["pendidikan"] = None
        if not getattr(instance, "can_see_personal", False):
            for name in PERSONAL_FIELDS:
                data.pop(name, None)
        return data


class PegawaiMasterSerializer(StrictInputMixin, ModelSerializer):
    """The master data of a pegawai; the current jabatan and golongan follow the riwayat."""

    class Meta:
        model = Pegawai
        fields = list(PEGAWAI_FIELDS)

    def validate_nik(self, value):
        # Unique but optional: "no NIK" is NULL, never a second empty string.
        return value or None


class PegawaiUpdateSerializer(PegawaiMasterSerializer):
    version = version_field()

    class Meta(PegawaiMasterSerializer.Meta):
        fields = [*PEGAWAI_FIELDS, "version"]

    def validate(self, attrs):
        # Required in a PATCH too, where DRF makes every field optional.
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [self.fields["version"].error_messages["required"]]})
        return attrs


class PegawaiCreateSerializer(PegawaiMasterSerializer):
    """A new pegawai with the first jabatan (in the user's scope) and, optionally, golongan."""

    jabatan = ScopedPrimaryKeyRelatedField(queryset=Jabatan.objects.all(), scope="manageable_by")
    tmt_jabatan = serializers.DateField()
    golongan = golongan_field(required=False, allow_null=True)
    tmt_golongan = serializers.DateField(required=False, allow_null=True)
    nomor_sk = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta(PegawaiMasterSerializer.Meta):
        fields = [*PEGAWAI_FIELDS, "jabatan", "tmt_jabatan", "golongan", "tmt_golongan", "nomor_sk"]


# ---------------------------------------------------------------------------------------------
# Riwayat


class RiwayatJabatanSerializer(ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)

    class Meta:
        model = RiwayatJabatan
        fields = [
            "id",
            "nip",
            "jabatan",
            "nama_jabatan",
            "nama_unit_kerja",
            "jenis_penugasan",
            "tmt",
            "tanggal_selesai",
            "nomor_sk",
            "tanggal_sk",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RiwayatInputSerializer(StrictInputMixin, ModelSerializer):
    nip = PegawaiNipField(source="pegawai")
    version = version_field(required=False)


class RiwayatJabatanInputSerializer(RiwayatInputSerializer):
    jabatan = ScopedPrimaryKeyRelatedField(queryset=Jabatan.objects.all(), scope="manageable_by")

    class Meta:
        model = RiwayatJabatan
        fields = ["nip", "version", "jabatan", "jenis_penugasan", "tmt", "tanggal_selesai", "nomor_sk", "tanggal_sk"]

    def validate(self, attrs):
        if attrs.get("tanggal_selesai") and attrs["tanggal_selesai"] < attrs["tmt"]:
            raise serializers.ValidationError({"tanggal_selesai": ["Tanggal selesai tidak boleh sebelum TMT."]})
        return attrs


class RiwayatPangkatSerializer(ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)
    golongan = GolonganRingkasSerializer(read_only=True)

    class Meta:
        model = RiwayatPangkat
        fields = [
            "id",
            "nip",
            "golongan",
            "jenis_kp",
            "tmt",
            "masa_kerja_tahun",
            "masa_kerja_bulan",
            "nomor_sk",
            "tanggal_sk",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RiwayatPangkatInputSerializer(RiwayatInputSerializer):
    golongan = golongan_field()

    class Meta:
        model = RiwayatPangkat
        fields = [
            "nip",
            "version",
            "golongan",
            "jenis_kp",
            "tmt",
            "masa_kerja_tahun",
            "masa_kerja_bulan",
            "nomor_sk",
            "tanggal_sk",
        ]
        extra_kwargs = {"masa_kerja_bulan": {"max_value": 11}}
        # The service refuses a duplicate (golongan, TMT) with a message on ``tmt``.
        validators = []


class RiwayatPendidikanSerializer(ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)

    class Meta:
        model = RiwayatPendidikan
        fields = [
            "id",
            "nip",
            "tingkat",
            "jurusan",
            "institusi",
            "tahun_lulus",
            "nomor_ijazah",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RiwayatPendidikanInputSerializer(RiwayatInputSerializer):
    class Meta:
        model = RiwayatPendidikan
        fields = ["nip", "version", "tingkat", "jurusan", "institusi", "tahun_lulus", "nomor_ijazah"]
        extra_kwargs = {"tahun_lulus": {"min_value": 1940, "max_value": 2100}}


class RiwayatPenghargaanSerializer(ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)

    class Meta:
        model = RiwayatPenghargaan
        fields = ["id", "nip", "jenis", "nama", "pemberi", "tanggal", "nomor_sk", "created_at", "updated_at"]
        read_only_fields = fields


class RiwayatPenghargaanInputSerializer(RiwayatInputSerializer):
    class Meta:
        model = RiwayatPenghargaan
        fields = ["nip", "version", "jenis", "nama", "pemberi", "tanggal", "nomor_sk"]


class RiwayatHukumanDisiplinSerializer(ModelSerializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)

    class Meta:
        model = RiwayatHukumanDisiplin
        fields = [
            "id",
            "nip",
            "jenis",
            "tingkat",
            "tanggal_mulai",
            "tanggal_selesai",
            "menunda_kp",
            "menunda_kgb",
            "pelanggaran",
            "nomor_sk",
            "tanggal_sk",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RiwayatHukumanDisiplinInputSerializer(RiwayatInputSerializer):
    menunda_kp = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Kosong: mengikuti jenis hukuman."
    )
    menunda_kgb = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Kosong: mengikuti jenis hukuman."
    )

    class Meta:
        model = RiwayatHukumanDisiplin
        fields = [
            "nip",
            "version",
            "jenis",
            "tanggal_mulai",
            "tanggal_selesai",
            "menunda_kp",
            "menunda_kgb",
            "pelanggaran",
            "nomor_sk",
            "tanggal_sk",
        ]

    def validate(self, attrs):
        if attrs.get("tanggal_selesai") and attrs["tanggal_selesai"] < attrs["tanggal_mulai"]:
            raise serializers.ValidationError(
                {"tanggal_selesai": ["Tanggal berlaku sampai tidak boleh sebelum tanggal mulai."]}
            )
        return attrs
