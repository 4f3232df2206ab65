"""/api/v1/sertifikasi/: certificates in the caller's scope; writes through the services, which
decide who may change what (403 when the record is visible but not the caller's to change)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import ScopedViewSetMixin

from . import services
from .models import Sertifikasi
from .selectors import SertifikasiFilter
from .serializers import (
    SertifikasiCreateSerializer,
    SertifikasiDeleteSerializer,
    SertifikasiSerializer,
    SertifikasiTolakSerializer,
    SertifikasiUpdateSerializer,
    SertifikasiVersionSerializer,
)

NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar lingkup Anda.")
NOT_ALLOWED = OpenApiResponse(description="Terlihat, tetapi bukan wewenang Anda.")
CONFLICT = OpenApiResponse(description="Versi sudah berubah, atau langkah tidak mungkin dari status sekarang.")


@extend_schema_view(
    list=extend_schema(summary="Daftar sertifikat dalam lingkup Anda"),
    retrieve=extend_schema(summary="Satu sertifikat", responses={200: SertifikasiSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Ajukan sertifikat (pegawai) atau catat untuk pegawai kelolaan (staf BKPSDM)",
        request=SertifikasiCreateSerializer,
        responses={201: SertifikasiSerializer, 403: NOT_ALLOWED},
    ),
    partial_update=extend_schema(
        summary="Ubah sertifikat",
        request=SertifikasiUpdateSerializer,
        responses={200: SertifikasiSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT},
    ),
    destroy=extend_schema(
        summary="Hapus sertifikat",
        parameters=[SertifikasiDeleteSerializer],
        responses={204: None, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT},
    ),
)
class SertifikasiViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Sertifikat pegawai (kompetensi, PBJ, profesi, fungsional) dengan status berlaku turunan
    dan status verifikasi BKPSDM. ``status_berlaku`` memakai jendela ``akan_kedaluwarsa_dalam``
    bila diberikan, selain itu jendela bawaan pengaturan."""

    queryset = Sertifikasi.objects.all()
    serializer_class = SertifikasiSerializer
    filterset_class = SertifikasiFilter
    search_fields = ["pegawai__nama", "pegawai__nip", "nama", "nomor"]
    search_description = "Sebagian nama atau NIP pegawai, nama atau nomor sertifikat."
    ordering_fields = ["tanggal_kedaluwarsa", "tanggal_terbit", "nama", "pegawai__nama", "updated_at"]
    ordering = ["tanggal_kedaluwarsa", "pk"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # Reads and writes start from what the user sees; the services decide who may change what.
    write_actions = frozenset()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # The filter set has already refused a malformed window with a 400.
        raw = self.request.query_params.get("akan_kedaluwarsa_dalam")
        return queryset.with_status_berlaku(dalam=int(float(raw)) if raw else None)

    def get_serializer_class(self):
        if self.action == "create":
            return SertifikasiCreateSerializer
        if self.action == "partial_update":
            return SertifikasiUpdateSerializer
        return SertifikasiSerializer

    def _read(self, row):
        row = self.scoped_queryset().with_status_berlaku().get(pk=row.pk)
        return SertifikasiSerializer(row, context=self.get_serializer_context()).data

    def get_object(self):
        self.lookup_value()
        queryset = self.scoped_queryset().with_status_berlaku()
        row = queryset.filter(pk=self.kwargs[self.lookup_field]).first()
        if row is None:
            raise Http404
        self.check_object_permissions(self.request, row)
        return row

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pegawai = data.pop("pegawai", None) or request.user.scope.pegawai
        if pegawai is None:
            return Response({"pegawai": ["Sebutkan NIP pegawai."]}, status=status.HTTP_400_BAD_REQUEST)
        row = services.sertifikasi_create(actor=request.user, pegawai=pegawai, **data)
        return Response(self._read(row), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            return Response({"version": ["Kolom ini wajib diisi."]}, status=status.HTTP_400_BAD_REQUEST)
        version = data.pop("version")
        row = services.sertifikasi_update(actor=request.user, sertifikasi=row, expected_version=version, **data)
        return Response(self._read(row))

    def destroy(self, request, *args, **kwargs):
        row = self.get_object()
        serializer = SertifikasiDeleteSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        services.sertifikasi_delete(
            actor=request.user, sertifikasi=row, expected_version=serializer.validated_data.get("version")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Verifikasi sertifikat yang diajukan (staf BKPSDM)",
        request=SertifikasiVersionSerializer,
        responses={200: SertifikasiSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def verifikasi(self, request, pk=None):
        row = self.get_object()
        serializer = SertifikasiVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.sertifikasi_verifikasi(
            actor=request.user, sertifikasi=row, expected_version=serializer.validated_data["version"]
        )
        return Response(self._read(row))

    @extend_schema(
        summary="Tolak sertifikat yang diajukan, dengan alasan (staf BKPSDM)",
        request=SertifikasiTolakSerializer,
        responses={200: SertifikasiSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def tolak(self, request, pk=None):
        row = self.get_object()
        serializer = SertifikasiTolakSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.sertifikasi_tolak(
            actor=request.user,
            sertifikasi=row,
            alasan=serializer.validated_data["alasan"],
            expected_version=serializer.validated_data["version"],
        )
        return Response(self._read(row))


def register(router):
    router.register("sertifikasi", SertifikasiViewSet, basename="sertifikasi")
