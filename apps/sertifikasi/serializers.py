"""Shapes of the sertifikasi API: one output serializer, input serializers per write."""

from rest_framework import serializers

from apps.core.api import ModelSerializer, ScopedSlugRelatedField, StrictInputMixin
from apps.pegawai.models import Pegawai

from .models import Sertifikasi, StatusBerlaku
from .services import FIELDS

MAX_VERSION = 2**31 - 1


def version_field(**kwargs):
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text="Versi sertifikat yang dibaca; bila sudah berubah, permintaan ditolak dengan 409.",
        **kwargs,
    )


class SertifikasiSerializer(ModelSerializer):
    pegawai = serializers.CharField(source="pegawai.nip", read_only=True, help_text="NIP pegawai.")
    pegawai_nama = serializers.CharField(source="pegawai.nama_lengkap", read_only=True)
    unit_kerja = serializers.IntegerField(source="pegawai.unit_kerja_id", read_only=True)
    status_berlaku = serializers.ChoiceField(
        choices=StatusBerlaku.choices,
        read_only=True,
        help_text="Diturunkan dari tanggal berlaku: akan_kedaluwarsa bila berakhir dalam jendela hari.",
    )
    ada_bukti = serializers.SerializerMethodField(help_text="Ada berkas sertifikat (diunduh lewat halaman web).")

    class Meta:
        model = Sertifikasi
        fields = [
            "id",
            "pegawai",
            "pegawai_nama",
            "unit_kerja",
            *FIELDS,
            "status_berlaku",
            "verifikasi",
            "alasan_penolakan",
            "diverifikasi_pada",
            "ada_bukti",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_ada_bukti(self, obj) -> bool:
        return bool(obj.bukti)


class _FieldsSerializer(StrictInputMixin, ModelSerializer):
    class Meta:
        model = Sertifikasi
        fields = list(FIELDS)
        # The service runs the model's validation, including the constraints across fields.
        validators = []


class SertifikasiCreateSerializer(_FieldsSerializer):
    pegawai = ScopedSlugRelatedField(
        queryset=Pegawai.objects.all(),
        slug_field="nip",
        required=False,
        help_text="NIP pegawai (staf BKPSDM, untuk pegawai kelolaannya); kosong berarti diri sendiri.",
    )

    class Meta(_FieldsSerializer.Meta):
        fields = ["pegawai", *FIELDS]


class SertifikasiUpdateSerializer(_FieldsSerializer):
    version = version_field()

    class Meta(_FieldsSerializer.Meta):
        fields = [*FIELDS, "version"]


class SertifikasiVersionSerializer(StrictInputMixin, serializers.Serializer):
    version = version_field()


class SertifikasiDeleteSerializer(serializers.Serializer):
    version = version_field(required=False)


class SertifikasiTolakSerializer(SertifikasiVersionSerializer):
    alasan = serializers.CharField(max_length=2000, help_text="Alasan penolakan, dibaca pegawai.")
