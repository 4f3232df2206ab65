"""The /api/v1/ endpoints of the standards: ``standar-kinerja`` (one resource per jabatan) and
``kompetensi`` (the catalogue).

Reads start from ``selectors.standar_visible``, writes from ``selectors.standar_manageable``,
like the pages; every change goes through ``services``.
"""

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.akun.permissions import IsBkpsdm
from apps.core.api import ApiViewSetMixin, ScopedViewSetMixin
from apps.core.drf import UpdatedSinceFilterSet
from apps.pegawai.models import Jabatan

from . import selectors, services
from .models import Kompetensi
from .serializers import (
    KompetensiSerializer,
    KompetensiTeknisInputSerializer,
    SalinResultSerializer,
    SalinSerializer,
    StandarInputSerializer,
    StandarKinerjaSerializer,
)

NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar lingkup Anda.")
FORBIDDEN = OpenApiResponse(description="Jabatan terlihat tetapi standarnya tidak boleh Anda ubah.")
BAD_INPUT = OpenApiResponse(description="Isian tidak valid; nama field yang salah disebutkan (mis. `bobot`).")


@extend_schema_view(
    list=extend_schema(summary="Daftar standar kinerja jabatan dalam lingkup Anda"),
    retrieve=extend_schema(
        summary="Standar kinerja satu jabatan", responses={200: StandarKinerjaSerializer, 404: NOT_FOUND}
    ),
    update=extend_schema(
        summary="Ganti seluruh standar satu jabatan (staf BKPSDM)",
        description=(
            "Indikator dengan `id` diubah, tanpa `id` ditambahkan, yang tidak disebut dihapus; urutan daftar menjadi "
            "urutan indikator. Kompetensi yang tidak disebut dihapus dari standar. Bobot boleh kosong; bila dipakai, "
            "setiap indikator diberi bobot dan jumlahnya 100."
        ),
        request=StandarInputSerializer,
        responses={
            200: StandarKinerjaSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(description="Standar sudah diubah orang lain sejak dibaca (`versi` berbeda)."),
        },
    ),
    salin=extend_schema(
        summary="Salin standar jabatan ini ke jabatan lain (staf BKPSDM)",
        request=SalinSerializer,
        responses={200: SalinResultSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class StandarKinerjaViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Standar kinerja per jabatan: indikator kinerja dan standar kompetensi. Dibaca oleh siapa pun
    yang dapat melihat jabatannya; diubah oleh staf BKPSDM dalam lingkupnya."""

    queryset = Jabatan.objects.all()
    serializer_class = StandarKinerjaSerializer
    filterset_class = selectors.StandarFilter
    lookup_url_kwarg = "jabatan_id"
    lookup_value_pattern = r"[0-9]{1,18}"
    search_fields = ["nama"]
    search_description = "Sebagian nama jabatan."
    ordering_fields = ["nama", "eselon"]
    ordering = ["unit_kerja__path", "eselon", "nama"]
    write_actions = frozenset({"update", "salin"})

    def scoped_queryset(self, *, for_write=False):
        user = self.request.user
        if for_write:
            return selectors.standar_manageable(user)
        return selectors.with_standar(selectors.standar_visible(user))

    def get_serializer_class(self):
        if self.action == "update":
            return StandarInputSerializer
        if self.action == "salin":
            return SalinSerializer
        return StandarKinerjaSerializer

    def _read(self, jabatan):
        return StandarKinerjaSerializer(self.scoped_queryset().get(pk=jabatan.pk)).data

    def update(self, request, *args, **kwargs):
        jabatan = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.standar_replace(actor=request.user, jabatan=jabatan, **serializer.service_kwargs())
        return Response(self._read(jabatan))

    @action(detail=True, methods=["post"])
    def salin(self, request, *args, **kwargs):
        source = self.get_object()
        serializer = self.get_serializer(data=request.data, context={**self.get_serializer_context(), "source": source})
        serializer.is_valid(raise_exception=True)
        targets, replace = serializer.validated_data["targets"], serializer.validated_data["replace"]
        copied = services.standar_copy(actor=request.user, source=source, targets=targets, replace=replace)
        result = {"jumlah": copied, "targets": [target.pk for target in targets], "replace": replace}
        return Response(SalinResultSerializer(result).data)


class KompetensiFilter(UpdatedSinceFilterSet):
    kelompok = django_filters.ChoiceFilter(choices=Kompetensi.Kelompok.choices, label="Kelompok")

    class Meta:
        model = Kompetensi
        fields = ["kelompok", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="Katalog kompetensi (manajerial, sosial kultural, teknis)"),
    retrieve=extend_schema(summary="Satu kompetensi", responses={200: KompetensiSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Tambah kompetensi teknis ke katalog (staf BKPSDM)",
        request=KompetensiTeknisInputSerializer,
        responses={201: KompetensiSerializer, 400: BAD_INPUT},
    ),
)
class KompetensiViewSet(
    ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Reference data, the same for everyone signed in; BKPSDM staff add teknis competencies."""

    queryset = Kompetensi.objects.all()
    serializer_class = KompetensiSerializer
    filterset_class = KompetensiFilter
    search_fields = ["kode", "nama"]
    search_description = "Sebagian kode atau nama kompetensi."
    ordering_fields = ["kode", "nama", "updated_at"]
    ordering = ["kelompok", "kode"]
    create_permission_classes = [IsBkpsdm]

    def get_serializer_class(self):
        return KompetensiTeknisInputSerializer if self.action == "create" else KompetensiSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kompetensi = services.kompetensi_teknis_create(actor=request.user, **serializer.validated_data)
        return Response(KompetensiSerializer(kompetensi).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("standar-kinerja", StandarKinerjaViewSet, basename="standar-kinerja")
    router.register("kompetensi", KompetensiViewSet, basename="kompetensi")
