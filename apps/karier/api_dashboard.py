"""``GET /api/v1/dasbor/``: the figures of the BKPSDM dashboard, the same ``dashboard.py`` numbers
the page shows, each with the links of the list behind it (page and API)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from apps.core.api import MAX_ID, StrictInputMixin
from apps.pelatihan.models import JP_WAJIB_PER_TAHUN

from . import dashboard as figures
from .views_dashboard import chosen_unit

NOT_FOUND = OpenApiResponse(description="Unit kerja tidak ada, atau di luar lingkup Anda.")
BAD_INPUT = OpenApiResponse(description="Parameter tidak sah; nama parameter yang salah disebut.")
NOT_ALLOWED = OpenApiResponse(description="Hanya staf BKPSDM dan superuser.")


class IsPengelola(permissions.BasePermission):
    message = "Hanya staf BKPSDM yang dapat melihat dasbor."

    def has_permission(self, request, view):
        return request.user.scope.can_manage


class DasborQuerySerializer(StrictInputMixin, serializers.Serializer):
    unit_kerja = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Unit kerja (id) yang Anda kelola: angka untuk subpohonnya. Bawaan: satu-satunya unit "
        "teratas lingkup Anda, atau seluruh lingkup bila lebih dari satu.",
    )
    segarkan = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Hitung ulang sekarang; tanpa ini angka boleh berumur beberapa menit (lihat dihitung_pada).",
    )


class DasborAngkaSerializer(serializers.Serializer):
    """One number and the lists behind it."""

    kode = serializers.CharField(read_only=True, help_text="Kunci batang: id unit/golongan, kode jenis, id predikat.")
    label = serializers.CharField(read_only=True)
    jumlah = serializers.IntegerField(read_only=True)
    tautan = serializers.CharField(
        source="url", read_only=True, allow_null=True, help_text="Halaman daftar di balik angka ini."
    )
    tautan_api = serializers.CharField(
        source="api", read_only=True, allow_null=True, help_text="Daftar REST API di balik angka ini."
    )


class DasborUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    nama = serializers.CharField(read_only=True)


class DasborPredikatUnitSerializer(serializers.Serializer):
    unit_kerja_id = serializers.IntegerField(source="unit_id", read_only=True)
    label = serializers.CharField(read_only=True)
    jumlah = serializers.IntegerField(read_only=True, help_text="SKP final unit ini pada tahun itu.")
    predikat = DasborAngkaSerializer(source="segmen", many=True, read_only=True)


class DasborPredikatSerializer(serializers.Serializer):
    tahun = serializers.IntegerField(source="predikat_tahun", read_only=True, allow_null=True)
    per_unit_kerja = DasborPredikatUnitSerializer(source="predikat_per_unit", many=True, read_only=True)


class DasborJpSerializer(serializers.Serializer):
    tahun = serializers.IntegerField(source="jp_tahun", read_only=True)
    wajib = serializers.SerializerMethodField()
    persen_memenuhi = serializers.FloatField(source="jp_persen", read_only=True, allow_null=True)
    memenuhi = DasborAngkaSerializer(source="jp_memenuhi", read_only=True)
    kurang = DasborAngkaSerializer(source="jp_kurang", read_only=True)

    def get_wajib(self, board) -> int:
        return JP_WAJIB_PER_TAHUN


class DasborSerializer(serializers.Serializer):
    unit_kerja = DasborUnitSerializer(source="unit", read_only=True, allow_null=True)
    tanggal = serializers.DateField(source="pada", read_only=True)
    dihitung_pada = serializers.DateTimeField(read_only=True)
    sedang_dihitung_ulang = serializers.BooleanField(
        source="diperbarui",
        read_only=True,
        help_text="Angka ini lebih tua dari masa segarnya dan angka baru sedang dihitung untuk permintaan berikutnya.",
    )
    pegawai_aktif = DasborAngkaSerializer(source="pegawai", read_only=True)
    per_unit_kerja = DasborAngkaSerializer(source="per_unit", many=True, read_only=True)
    per_golongan = DasborAngkaSerializer(many=True, read_only=True)
    per_jenis_jabatan = DasborAngkaSerializer(many=True, read_only=True)
    per_jenis_asn = DasborAngkaSerializer(many=True, read_only=True)
    predikat = DasborPredikatSerializer(source="*", read_only=True)
    jp = DasborJpSerializer(source="*", read_only=True)
    sertifikat_akan_kedaluwarsa = DasborAngkaSerializer(source="sertifikat", read_only=True)
    sertifikat_jendela_hari = serializers.IntegerField(source="sertifikat_window", read_only=True)
    kenaikan_pangkat_periode = serializers.DateField(source="kp_periode", read_only=True)
    kenaikan_pangkat = DasborAngkaSerializer(source="kp", read_only=True)
    kgb_sampai = serializers.DateField(read_only=True)
    kgb = DasborAngkaSerializer(read_only=True)
    pensiun_sampai = serializers.DateField(read_only=True)
    pensiun = DasborAngkaSerializer(read_only=True)


class _OneObjectSchema(AutoSchema):
    """The ``list`` of this viewset answers one report object, not an array."""

    def _is_list_view(self, serializer=None):
        return False


class DasborViewSet(viewsets.ViewSet):
    """Angka dasbor BKPSDM atas pegawai yang Anda kelola: per unit kerja, golongan, jenis jabatan
    dan jenis ASN (pegawai aktif); sebaran predikat SKP final tahun terakhir per unit; 20 JP;
    sertifikat yang akan kedaluwarsa; yang layak naik pangkat pada periode berikut, KGB dalam 3
    bulan dan pensiun dalam 12 bulan. Setiap angka membawa tautan daftar di baliknya."""

    schema = _OneObjectSchema()

    def get_permissions(self):
        return [*super().get_permissions(), IsPengelola()]

    @extend_schema(
        summary="Angka dasbor BKPSDM (staf BKPSDM dan superuser)",
        parameters=[DasborQuerySerializer],
        responses={200: DasborSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def list(self, request):
        query = DasborQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.user
        tops = figures.scope_tops(user)
        unit = chosen_unit(user, query.validated_data.get("unit_kerja"), tops)
        board = figures.dashboard_cached(user, unit, tops=tops, segarkan=query.validated_data["segarkan"])
        return Response(DasborSerializer(board).data)


def register(router):
    router.register("dasbor", DasborViewSet, basename="dasbor")
