"""REST API of the karier app: eligibility lists, talent matrix (and the dashboard figures,
registered from api_dashboard.py).

The lists are BKPSDM reports over the pegawai the caller manages: anyone else gets 403. They
read through the same ``selectors`` as the pages, with a fixed number of queries per page.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.response import Response

from apps.core.api import ApiViewSetMixin
from apps.core.drf import SearchFilter
from apps.pegawai.models import MANAJERIAL, Jabatan, Pegawai

from . import selectors, talent
from .serializers import (
    KenaikanPangkatQuerySerializer,
    KenaikanPangkatSerializer,
    KgbQuerySerializer,
    KgbSerializer,
    PensiunQuerySerializer,
    PensiunSerializer,
    SuksesiQuerySerializer,
    SuksesiSerializer,
    TalentaPegawaiQuerySerializer,
    TalentaPegawaiSerializer,
    TalentaQuerySerializer,
    TalentaSerializer,
)

BAD_INPUT = OpenApiResponse(description="Parameter tidak sah; nama parameter yang salah disebut.")
NOT_ALLOWED = OpenApiResponse(description="Hanya untuk staf BKPSDM.")


class IsPengelola(permissions.BasePermission):
    """BKPSDM staff and superusers: the reports over the pegawai they manage."""

    message = "Hanya staf BKPSDM yang dapat melihat laporan ini."

    def has_permission(self, request, view):
        return request.user.scope.can_manage


class _KarierViewSet(ApiViewSetMixin, viewsets.GenericViewSet):
    """A list over the managed pegawai: the query parameters checked by ``query_serializer``."""

    queryset = Pegawai.objects.none()
    query_serializer = None
    filter_backends = []

    def get_permissions(self):
        return [*super().get_permissions(), IsPengelola()]

    def query(self):
        serializer = self.query_serializer(data=self.request.query_params, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def pegawai(self, data):
        """The managed pegawai in the unit of ``data`` (and the ``search`` of the request)."""
        pegawai = selectors.in_unit(Pegawai.objects.manageable_by(self.request.user), data.get("unit_kerja"))
        for backend in self.filter_backends:
            pegawai = backend().filter_queryset(self.request, pegawai, self)
        return pegawai

    def page_of(self, queryset, rows_of, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(rows_of(page), many=True).data)


class KenaikanPangkatViewSet(_KarierViewSet):
    """Kandidat kenaikan pangkat reguler PNS pada satu periode, dengan alasan bila belum memenuhi
    syarat (PP 99/2000): masa kerja dalam pangkat, SKP dua tahun terakhir, pangkat atasan,
    hukuman disiplin."""

    query_serializer = KenaikanPangkatQuerySerializer
    serializer_class = KenaikanPangkatSerializer
    filter_backends = [SearchFilter]
    search_method = "search"
    search_description = "Sebagian nama atau NIP."

    @extend_schema(
        summary="Kandidat kenaikan pangkat pada satu periode (staf BKPSDM)",
        parameters=[KenaikanPangkatQuerySerializer],
        responses={200: KenaikanPangkatSerializer(many=True), 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def list(self, request):
        data = self.query()
        periode = data.get("periode") or selectors.kp_periode_pilihan(jumlah=1)[0]
        rows = selectors.kp_filter(self.pegawai(data), periode, data.get("status") or selectors.LAYAK)
        return self.page_of(
            rows.order_by("nama", "nip"), lambda page: selectors.kp_baris(page, periode), KenaikanPangkatSerializer
        )


class KgbViewSet(_KarierViewSet):
    """Pegawai (PNS, PPPK) yang kenaikan gaji berkalanya jatuh tempo dalam sekian bulan ke depan,
    paling awal dahulu; ditunda 1 tahun bila hukuman disiplin penundaan KGB berlaku."""

    query_serializer = KgbQuerySerializer
    serializer_class = KgbSerializer
    filter_backends = [SearchFilter]
    search_method = "search"
    search_description = "Sebagian nama atau NIP."

    @extend_schema(
        summary="KGB jatuh tempo (staf BKPSDM)",
        parameters=[KgbQuerySerializer],
        responses={200: KgbSerializer(many=True), 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def list(self, request):
        data = self.query()
        awal, akhir = selectors.jendela(data.get("dalam_bulan") or 3)
        rows = selectors.kgb_filter(self.pegawai(data), awal, akhir)
        return self.page_of(rows, lambda page: selectors.kgb_baris(page, awal), KgbSerializer)


class PensiunViewSet(_KarierViewSet):
    """Pegawai yang mencapai batas usia pensiun (PNS; pensiun mulai tanggal 1 bulan berikutnya)
    atau berakhir perjanjian kerjanya (PPPK) dalam sekian bulan ke depan, paling awal dahulu."""

    query_serializer = PensiunQuerySerializer
    serializer_class = PensiunSerializer
    filter_backends = [SearchFilter]
    search_method = "search"
    search_description = "Sebagian nama atau NIP."

    @extend_schema(
        summary="Pensiun dan akhir perjanjian kerja (staf BKPSDM)",
        parameters=[PensiunQuerySerializer],
        responses={200: PensiunSerializer(many=True), 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def list(self, request):
        data = self.query()
        awal, akhir = selectors.jendela(data.get("dalam_bulan") or 12)
        rows = selectors.pensiun_filter(self.pegawai(data), awal, akhir)
        return self.page_of(rows, selectors.pensiun_baris, PensiunSerializer)


class _OneObjectSchema(AutoSchema):
    """The ``list`` of this viewset answers one report object, not an array."""

    def _is_list_view(self, serializer=None):
        return False


class TalentaViewSet(_KarierViewSet):
    """Matriks talenta 9 kotak (PermenPANRB 3/2020): jumlah pegawai aktif per kotak, tindak
    lanjutnya, dan yang belum dapat ditempatkan."""

    query_serializer = TalentaQuerySerializer
    serializer_class = TalentaSerializer
    pagination_class = None
    schema = _OneObjectSchema()

    @extend_schema(
        summary="Matriks talenta: jumlah per kotak (staf BKPSDM)",
        parameters=[TalentaQuerySerializer],
        responses={200: TalentaSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def list(self, request):
        data = self.query()
        m = talent.matriks(self.pegawai(data))
        body = {
            "unit_kerja": data.get("unit_kerja"),
            "total": m.total,
            "tanpa_asesmen": m.tanpa_asesmen,
            "tanpa_predikat": m.tanpa_predikat,
            "kotak": selectors.kotak_list(m),
        }
        return Response(TalentaSerializer(body).data)


class TalentaPegawaiViewSet(_KarierViewSet):
    """Pegawai dalam satu kotak matriks talenta, menurut nama, dengan JPM dan predikat terakhir."""

    query_serializer = TalentaPegawaiQuerySerializer
    serializer_class = TalentaPegawaiSerializer
    filter_backends = [SearchFilter]
    search_method = "search"
    search_description = "Sebagian nama atau NIP."

    @extend_schema(
        summary="Pegawai dalam satu kotak matriks talenta (staf BKPSDM)",
        parameters=[TalentaPegawaiQuerySerializer],
        responses={200: TalentaPegawaiSerializer(many=True), 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def list(self, request):
        data = self.query()
        kotak = data["kotak"]
        m = talent.matriks(self.pegawai(data))
        rows = Pegawai.objects.filter(pk__in=m.kotak[kotak]).select_related("jabatan", "unit_kerja")

        def decorate(page):
            for pegawai in page:
                pegawai.kotak = kotak
                pegawai.jpm = m.jpm[pegawai.pk]
                pegawai.predikat = m.predikat[pegawai.pk]
                pegawai.predikat_label = selectors.predikat_label(pegawai.predikat)
            return page

        return self.page_of(rows.order_by("nama", "nip"), decorate, TalentaPegawaiSerializer)


class SuksesiViewSet(_KarierViewSet):
    """Rencana suksesi per jabatan manajerial dalam lingkup Anda: pemangku dan paling banyak lima
    kandidat dari kelompok talenta (kotak 7–9) satu jenjang di bawahnya, di instansi yang sama."""

    query_serializer = SuksesiQuerySerializer
    serializer_class = SuksesiSerializer

    @extend_schema(
        summary="Rencana suksesi per jabatan manajerial (staf BKPSDM)",
        parameters=[SuksesiQuerySerializer],
        responses={200: SuksesiSerializer(many=True), 400: BAD_INPUT, 403: NOT_ALLOWED},
    )
    def list(self, request):
        from apps.pelatihan.models import KEPEMIMPINAN_UNTUK_JABATAN

        data = self.query()
        user = request.user
        jabatan = Jabatan.objects.manageable_by(user).filter(jenis__in=list(MANAJERIAL))
        if data.get("unit_kerja") is not None:
            jabatan = jabatan.filter(unit_kerja__path__startswith=data["unit_kerja"].path)
        pegawai = Pegawai.objects.manageable_by(user)

        def rows_of(page):
            ids = list(page)
            if not ids:
                return []
            rows = talent.suksesi(pegawai, Jabatan.objects.filter(pk__in=ids))
            for row in rows:
                row.kepemimpinan_dibutuhkan = KEPEMIMPINAN_UNTUK_JABATAN.get(row.jabatan.jenis)
            return rows

        return self.page_of(
            jabatan.order_by("unit_kerja__path", "nama", "pk").values_list("pk", flat=True), rows_of, SuksesiSerializer
        )


def register(router):
    from . import api_dashboard

    router.register("kenaikan-pangkat", KenaikanPangkatViewSet, basename="kenaikan-pangkat")
    router.register("kgb", KgbViewSet, basename="kgb")
    router.register("pensiun", PensiunViewSet, basename="pensiun")
    router.register("talenta", TalentaViewSet, basename="talenta")
    router.register("talenta-pegawai", TalentaPegawaiViewSet, basename="talenta-pegawai")
    router.register("suksesi", SuksesiViewSet, basename="suksesi")
    api_dashboard.register(router)
