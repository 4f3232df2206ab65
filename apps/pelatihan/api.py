"""The /api/v1/ endpoints of competency development: penyelenggara, the training catalogue with
registration, training records with their workflow and evidence, competency assessments and
gaps, the 20 JP report and training needs.

Reads start from ``visible_to(user)`` (404 outside it). Every change goes through a service,
which decides role (403) and state (409) from the workflow table in ``services.STEPS`` and
checks the ``version`` the client read (409 when someone saved in between).
"""

from collections.abc import Mapping

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.akun.permissions import IsBkpsdm
from apps.core.api import ApiViewSetMixin, ScopedViewSetMixin
from apps.core.uploads import serve_evidence
from apps.pegawai.models import KedudukanHukum, Pegawai, UnitKerja

from . import selectors, services
from .filters import (
    AsesmenKompetensiFilter,
    KebutuhanFilter,
    KurangJpFilter,
    PelatihanFilter,
    PenyelenggaraFilter,
    RiwayatPelatihanFilter,
)
from .models import AsesmenKompetensi, Pelatihan, Penyelenggara, RiwayatPelatihan, Status
from .serializers import (
    AsesmenCreateSerializer,
    AsesmenKompetensiSerializer,
    AsesmenUpdateSerializer,
    DaftarkanResultSerializer,
    DaftarkanSerializer,
    DaftarSerializer,
    HasilPelatihanSerializer,
    KebutuhanSerializer,
    KompetensiGapSerializer,
    KurangJpSerializer,
    PelatihanCreateSerializer,
    PelatihanSerializer,
    PelatihanUpdateSerializer,
    PenyelenggaraCreateSerializer,
    PenyelenggaraSerializer,
    PenyelenggaraUpdateSerializer,
    RekapJpQuerySerializer,
    RekapJpSerializer,
    RiwayatAlasanSerializer,
    RiwayatBatalkanSerializer,
    RiwayatDeleteSerializer,
    RiwayatHasilSerializer,
    RiwayatMandiriCreateSerializer,
    RiwayatMandiriUpdateSerializer,
    RiwayatPelatihanSerializer,
    RiwayatVerifikasiSerializer,
    RiwayatVersionSerializer,
)

NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar lingkup Anda.")
BAD_INPUT = OpenApiResponse(description="Isian tidak sah; nama isian yang salah disebut.")
NOT_ALLOWED = OpenApiResponse(description="Terlihat, tetapi bukan wewenang Anda.")
CONFLICT = OpenApiResponse(
    description="Versi sudah berubah (disimpan orang lain), atau langkah tidak mungkin dari status sekarang."
)
VERSION_QUERY = OpenApiParameter(
    "version", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description="Versi data yang dibaca."
)


class IsPengelola(permissions.BasePermission):
    """BKPSDM staff and superusers: the reports over the pegawai they manage."""

    message = "Hanya staf BKPSDM yang dapat melihat laporan ini."

    def has_permission(self, request, view):
        return request.user.scope.can_manage


def _require_version(data):
    if "version" not in data:
        raise exceptions.ValidationError({"version": ["Kolom ini wajib diisi."]})
    return data.pop("version")


def _instansi(user, data):
    """The instansi given, or the only one the user runs the catalogue of."""
    instansi = data.pop("instansi", None)
    if instansi is not None:
        return instansi
    managed = list(UnitKerja.objects.filter(user.scope.instansi_manage_q()).order_by("pk")[:2])
    if not managed:
        raise exceptions.PermissionDenied("Katalog pelatihan dikelola oleh staf BKPSDM instansi.")
    if len(managed) > 1:
        raise exceptions.ValidationError({"instansi": ["Sebutkan instansi (id)."]})
    return managed[0]


# ---------------------------------------------------------------------------------------------
# Penyelenggara


_PENYELENGGARA_WRITE = {200: PenyelenggaraSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT}


@extend_schema_view(
    list=extend_schema(summary="Daftar penyelenggara pelatihan instansi Anda"),
    retrieve=extend_schema(summary="Satu penyelenggara", responses={200: PenyelenggaraSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Tambah penyelenggara (staf BKPSDM instansi)",
        request=PenyelenggaraCreateSerializer,
        responses={201: PenyelenggaraSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
    ),
    update=extend_schema(
        summary="Ubah penyelenggara (staf BKPSDM instansi)",
        request=PenyelenggaraUpdateSerializer,
        responses=_PENYELENGGARA_WRITE,
    ),
    partial_update=extend_schema(
        summary="Ubah sebagian data penyelenggara (staf BKPSDM instansi)",
        request=PenyelenggaraUpdateSerializer,
        responses=_PENYELENGGARA_WRITE,
    ),
)
class PenyelenggaraViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Lembaga mitra penyelenggara pelatihan (LAN, BPSDM, perguruan tinggi, organisasi profesi,
    instansi sendiri). Terlihat oleh semua pegawai instansi; dikelola staf BKPSDM instansi."""

    queryset = Penyelenggara.objects.all()
    serializer_class = PenyelenggaraSerializer
    filterset_class = PenyelenggaraFilter
    search_fields = ["nama"]
    search_description = "Sebagian nama penyelenggara."
    ordering_fields = ["nama", "jenis", "updated_at"]
    ordering = ["nama"]
    create_permission_classes = [IsBkpsdm]
    write_denied_message = "Penyelenggara dikelola oleh staf BKPSDM instansinya."
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "create":
            return PenyelenggaraCreateSerializer
        if self.action in ("update", "partial_update"):
            return PenyelenggaraUpdateSerializer
        return PenyelenggaraSerializer

    def _read(self, row):
        return PenyelenggaraSerializer(self.scoped_queryset().get(pk=row.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        instansi = _instansi(request.user, data)
        row = services.penyelenggara_create(actor=request.user, instansi=instansi, **data)
        return Response(self._read(row), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        row = services.penyelenggara_update(actor=request.user, penyelenggara=row, expected_version=version, **data)
        return Response(self._read(row))


# ---------------------------------------------------------------------------------------------
# Training records: shared reading


def _langkah(user, rows):
    """``{id: [step names]}``: the steps ``user`` may take on each row (one query for the list)."""
    return services.allowed_steps_bulk(user, rows)


def _riwayat_queryset(user):
    return RiwayatPelatihan.objects.visible_to(user).select_related("pegawai", "atasan")


def _riwayat_data(request, rows, context=None):
    rows = list(rows)
    context = {**(context or {}), "request": request, "langkah": _langkah(request.user, rows)}
    return RiwayatPelatihanSerializer(rows, many=True, context=context).data


def _riwayat_read(request, *pks):
    rows = _riwayat_queryset(request.user).filter(pk__in=pks).order_by("pk")
    return _riwayat_data(request, rows)


# ---------------------------------------------------------------------------------------------
# The training catalogue


def _count_peserta(statuses):
    rows = (
        RiwayatPelatihan.objects.filter(pelatihan=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("pelatihan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


_PELATIHAN_WRITE = {200: PelatihanSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT}


@extend_schema_view(
    list=extend_schema(summary="Katalog pelatihan instansi Anda"),
    retrieve=extend_schema(summary="Satu pelatihan katalog", responses={200: PelatihanSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Tambah pelatihan ke katalog (staf BKPSDM instansi)",
        request=PelatihanCreateSerializer,
        responses={201: PelatihanSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
    ),
    update=extend_schema(
        summary="Ubah pelatihan katalog (staf BKPSDM instansi)",
        request=PelatihanUpdateSerializer,
        responses=_PELATIHAN_WRITE,
    ),
    partial_update=extend_schema(
        summary="Ubah sebagian data pelatihan katalog (staf BKPSDM instansi)",
        request=PelatihanUpdateSerializer,
        responses=_PELATIHAN_WRITE,
    ),
)
class PelatihanViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Katalog pelatihan instansi: jenis diklat (id SIASN), jalur, JP, jadwal, kuota dan
    kompetensi yang dikembangkan. Pegawai mendaftar (``daftar``), atasan menyetujui dan BKPSDM
    mengonfirmasi lewat ``/riwayat-pelatihan/``; BKPSDM juga dapat mendaftarkan langsung
    (``daftarkan``) dan mencatat hasil seluruh peserta (``hasil``)."""

    queryset = Pelatihan.objects.all()
    serializer_class = PelatihanSerializer
    filterset_class = PelatihanFilter
    search_fields = ["nama", "penyelenggara__nama"]
    search_description = "Sebagian nama pelatihan atau nama penyelenggara."
    ordering_fields = ["tanggal_mulai", "tanggal_selesai", "nama", "jp", "updated_at"]
    ordering = ["-tanggal_mulai"]
    create_permission_classes = [IsBkpsdm]
    write_denied_message = "Katalog pelatihan dikelola oleh staf BKPSDM instansinya."
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scoped_queryset(self, *, for_write=False):
        return (
            super()
            .scoped_queryset(for_write=for_write)
            .select_related("penyelenggara")
            .prefetch_related("kompetensi")
            .annotate(
                peserta_terdaftar=_count_peserta([Status.TERDAFTAR, Status.SELESAI]),
                pendaftar_menunggu=_count_peserta([Status.DIAJUKAN, Status.DISETUJUI_ATASAN]),
            )
        )

    def get_serializer_class(self):
        if self.action == "create":
            return PelatihanCreateSerializer
        if self.action in ("update", "partial_update"):
            return PelatihanUpdateSerializer
        return PelatihanSerializer

    def _read(self, row):
        return PelatihanSerializer(self.scoped_queryset().get(pk=row.pk), context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        instansi = _instansi(request.user, data)
        row = services.pelatihan_create(actor=request.user, instansi=instansi, **data)
        return Response(self._read(row), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        row = services.pelatihan_update(actor=request.user, pelatihan=row, expected_version=version, **data)
        return Response(self._read(row))

    @extend_schema(
        summary="Daftar pelatihan ini (pegawai, untuk diri sendiri)",
        description="Pendaftaran menunggu persetujuan atasan (pejabat penilai), lalu konfirmasi BKPSDM.",
        request=DaftarSerializer,
        responses={201: RiwayatPelatihanSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def daftar(self, request, pk=None):
        pelatihan = self.get_object()
        serializer = DaftarSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.daftar(actor=request.user, pelatihan=pelatihan, **serializer.validated_data)
        return Response(_riwayat_read(request, row.pk)[0], status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Daftarkan pegawai langsung sebagai peserta (staf BKPSDM instansi)",
        description="Semua atau tidak sama sekali: NIP yang tidak dikenal atau di luar kewenangan Anda disebut "
        "dan tidak ada yang disimpan. Pegawai yang sudah terdaftar dilewati.",
        request=DaftarkanSerializer,
        responses={200: DaftarkanResultSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def daftarkan(self, request, pk=None):
        pelatihan = self.get_object()
        # Refuse other roles before any NIP is looked up.
        if not Pelatihan.objects.manageable_by(request.user).filter(pk=pelatihan.pk).exists():
            raise exceptions.PermissionDenied("Peserta didaftarkan oleh staf BKPSDM instansi penyelenggara katalog.")
        serializer = DaftarkanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nips = list(dict.fromkeys(serializer.validated_data["pegawai"]))
        found = {p.nip: p for p in Pegawai.objects.manageable_by(request.user).filter(nip__in=nips)}
        unknown = [nip for nip in nips if nip not in found]
        if unknown:
            shown = ", ".join(unknown[:20]) + (" ..." if len(unknown) > 20 else "")
            raise exceptions.ValidationError({"pegawai": [f"NIP tidak dikenal atau di luar kewenangan Anda: {shown}."]})
        created, skipped = services.daftarkan(
            actor=request.user, pelatihan=pelatihan, pegawai_list=[found[nip] for nip in nips]
        )
        return Response({"didaftarkan": [row.pegawai.nip for row in created], "dilewati": [p.nip for p in skipped]})

    @extend_schema(
        summary="Catat hasil seluruh peserta sekaligus (staf BKPSDM)",
        description="Semua atau tidak sama sekali; kesalahan disebut per baris (`baris 2`).",
        request=HasilPelatihanSerializer,
        responses={
            200: RiwayatPelatihanSerializer(many=True),
            400: BAD_INPUT,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def hasil(self, request, pk=None):
        pelatihan = self.get_object()
        if not request.user.scope.can_manage:
            raise exceptions.PermissionDenied("Hasil pelatihan dicatat oleh staf BKPSDM.")
        serializer = HasilPelatihanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data["hasil"]
        ids = [item["id"] for item in items]
        found = _riwayat_queryset(request.user).filter(pelatihan=pelatihan).in_bulk(ids)
        errors, seen, rows = {}, {}, []
        for index, item in enumerate(items, start=1):
            if item["id"] not in found:
                errors[f"baris {index}"] = ["Peserta tidak ditemukan pada pelatihan ini."]
            elif item["id"] in seen:
                errors[f"baris {index}"] = [f"Peserta ini sudah ada di baris {seen[item['id']]}."]
            else:
                seen[item["id"]] = index
                rows.append(
                    {
                        "riwayat": found[item["id"]],
                        "hadir": item["hadir"],
                        "lulus": item.get("lulus"),
                        "jp_diakui": item.get("jp_diakui"),
                        "nomor_sertifikat": item.get("nomor_sertifikat", ""),
                        "expected_version": item["version"],
                    }
                )
        if errors:
            raise exceptions.ValidationError(errors)
        saved = services.hasil_catat_semua(actor=request.user, pelatihan=pelatihan, rows=rows)
        return Response(_riwayat_read(request, *[row.pk for row in saved]))


# ---------------------------------------------------------------------------------------------
# Training records


def _step_schema(summary, request, description=None):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={
            200: RiwayatPelatihanSerializer,
            400: BAD_INPUT,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )


_RIWAYAT_WRITE = {200: RiwayatPelatihanSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT}


@extend_schema_view(
    list=extend_schema(summary="Riwayat pelatihan dalam lingkup Anda"),
    retrieve=extend_schema(
        summary="Satu riwayat pelatihan, dengan langkah yang dapat Anda lakukan",
        responses={200: RiwayatPelatihanSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Ajukan pelatihan di luar katalog (pegawai, dengan bukti) atau catat untuk pegawai kelolaan "
        "(staf BKPSDM)",
        description="Pegawai mengirim multipart/form-data dengan berkas `bukti`; pengajuannya menunggu verifikasi "
        "BKPSDM. Staf BKPSDM dapat mencatat untuk pegawai kelolaannya (JSON, bukti tidak wajib); catatannya "
        "langsung terverifikasi.",
        request={
            "multipart/form-data": RiwayatMandiriCreateSerializer,
            "application/json": RiwayatMandiriCreateSerializer,
        },
        responses={201: RiwayatPelatihanSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
    ),
    update=extend_schema(
        summary="Ubah pelatihan di luar katalog",
        description="Pegawai selama belum diverifikasi (yang ditolak diajukan kembali); staf BKPSDM kapan saja.",
        request={
            "multipart/form-data": RiwayatMandiriUpdateSerializer,
            "application/json": RiwayatMandiriUpdateSerializer,
        },
        responses=_RIWAYAT_WRITE,
    ),
    partial_update=extend_schema(
        summary="Ubah sebagian data pelatihan di luar katalog",
        request={
            "multipart/form-data": RiwayatMandiriUpdateSerializer,
            "application/json": RiwayatMandiriUpdateSerializer,
        },
        responses=_RIWAYAT_WRITE,
    ),
    destroy=extend_schema(
        summary="Hapus pelatihan di luar katalog yang salah masuk",
        parameters=[VERSION_QUERY],
        responses={204: None, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT},
    ),
)
class RiwayatPelatihanViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Riwayat pelatihan pegawai dengan JP: pendaftaran katalog (diajukan → disetujui atasan →
    terdaftar → selesai) dan pelatihan di luar katalog (menunggu verifikasi → terverifikasi).
    Hanya JP diakui dari data yang dikonfirmasi BKPSDM (``diakui``) yang dihitung, pada tahun
    tanggal selesainya. Setiap langkah adalah aksi POST yang menerima ``version`` yang dibaca."""

    queryset = RiwayatPelatihan.objects.all()
    serializer_class = RiwayatPelatihanSerializer
    filterset_class = RiwayatPelatihanFilter
    search_fields = ["pegawai__nama", "pegawai__nip", "nama", "penyelenggara"]
    search_description = "Sebagian nama atau NIP pegawai, nama pelatihan atau penyelenggara."
    ordering_fields = ["tanggal_mulai", "tanggal_selesai", "nama", "pegawai__nama", "status", "jp", "updated_at"]
    ordering = ["-tanggal_mulai", "-id"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # Reads and writes start from what the user sees; the services decide who may change what.
    write_actions = frozenset()

    def scoped_queryset(self, *, for_write=False):
        return super().scoped_queryset(for_write=for_write).select_related("pegawai", "atasan")

    def get_serializer_class(self):
        if self.action == "create":
            return RiwayatMandiriCreateSerializer
        if self.action in ("update", "partial_update"):
            return RiwayatMandiriUpdateSerializer
        return RiwayatPelatihanSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(_riwayat_data(request, page))

    def retrieve(self, request, *args, **kwargs):
        return Response(_riwayat_data(request, [self.get_object()])[0])

    def _read(self, row):
        return _riwayat_read(self.request, row.pk)[0]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pegawai = data.pop("pegawai", None) or request.user.scope.pegawai
        if pegawai is None:
            raise exceptions.ValidationError({"pegawai": ["Sebutkan NIP pegawai."]})
        row = services.mandiri_ajukan(actor=request.user, pegawai=pegawai, **data)
        return Response(self._read(row), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        row = services.mandiri_ubah(actor=request.user, riwayat=row, expected_version=version, **data)
        return Response(self._read(row))

    def destroy(self, request, *args, **kwargs):
        row = self.get_object()
        body = request.data if isinstance(request.data, Mapping) else {}
        source = body if "version" in body else request.query_params
        serializer = RiwayatDeleteSerializer(data={"version": source["version"]} if "version" in source else {})
        serializer.is_valid(raise_exception=True)
        services.hapus(actor=request.user, riwayat=row, expected_version=serializer.validated_data["version"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _step(self, request, serializer_class, service):
        """Parse the body, call the service with the version read, answer the record as it is now."""
        row = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        row = service(actor=request.user, riwayat=row, expected_version=version, **data)
        return Response(self._read(row))

    @_step_schema("Setujui pendaftaran bawahan (atasan)", RiwayatVersionSerializer)
    @action(detail=True, methods=["post"], url_path="atasan-setujui", filter_backends=[])
    def atasan_setujui(self, request, pk=None):
        return self._step(request, RiwayatVersionSerializer, services.atasan_setujui)

    @_step_schema("Tolak pendaftaran bawahan, dengan alasan (atasan)", RiwayatAlasanSerializer)
    @action(detail=True, methods=["post"], url_path="atasan-tolak", filter_backends=[])
    def atasan_tolak(self, request, pk=None):
        return self._step(request, RiwayatAlasanSerializer, services.atasan_tolak)

    @_step_schema("Konfirmasi peserta, dalam batas kuota (staf BKPSDM)", RiwayatVersionSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def konfirmasi(self, request, pk=None):
        return self._step(request, RiwayatVersionSerializer, services.konfirmasi)

    @_step_schema("Tolak pendaftaran atau pengajuan, dengan alasan (staf BKPSDM)", RiwayatAlasanSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def tolak(self, request, pk=None):
        return self._step(request, RiwayatAlasanSerializer, services.tolak)

    @_step_schema(
        "Batalkan pendaftaran sebelum pelatihan dimulai (pegawai itu sendiri atau staf BKPSDM)",
        RiwayatBatalkanSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def batalkan(self, request, pk=None):
        return self._step(request, RiwayatBatalkanSerializer, services.batalkan)

    @_step_schema(
        "Verifikasi pelatihan di luar katalog terhadap buktinya (staf BKPSDM)",
        RiwayatVerifikasiSerializer,
        description="`jp_diakui` kosong berarti seluruh JP diakui.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def verifikasi(self, request, pk=None):
        return self._step(request, RiwayatVerifikasiSerializer, services.verifikasi)

    @_step_schema(
        "Catat hasil satu peserta setelah pelatihan selesai (staf BKPSDM)",
        RiwayatHasilSerializer,
        description="`jp_diakui` kosong berarti seluruh JP pelatihan bila hadir, 0 bila tidak.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def hasil(self, request, pk=None):
        return self._step(request, RiwayatHasilSerializer, services.hasil_catat)

    @extend_schema(
        summary="Unduh berkas bukti (sertifikat/STTPP)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def bukti(self, request, pk=None):
        return serve_evidence(self.get_object().bukti)


# ---------------------------------------------------------------------------------------------
# Competency assessments and gaps


_ASESMEN_WRITE = {
    200: AsesmenKompetensiSerializer,
    400: BAD_INPUT,
    403: NOT_ALLOWED,
    404: NOT_FOUND,
    409: CONFLICT,
}


@extend_schema_view(
    list=extend_schema(summary="Hasil asesmen kompetensi dalam lingkup Anda"),
    retrieve=extend_schema(
        summary="Satu hasil asesmen kompetensi", responses={200: AsesmenKompetensiSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Catat hasil asesmen kompetensi (staf BKPSDM)",
        request=AsesmenCreateSerializer,
        responses={201: AsesmenKompetensiSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
    ),
    update=extend_schema(
        summary="Ubah hasil asesmen kompetensi (staf BKPSDM)", request=AsesmenUpdateSerializer, responses=_ASESMEN_WRITE
    ),
    partial_update=extend_schema(
        summary="Ubah sebagian hasil asesmen kompetensi (staf BKPSDM)",
        request=AsesmenUpdateSerializer,
        responses=_ASESMEN_WRITE,
    ),
    destroy=extend_schema(
        summary="Hapus hasil asesmen kompetensi (staf BKPSDM)",
        parameters=[VERSION_QUERY],
        responses={204: None, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT},
    ),
)
class AsesmenKompetensiViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Level hasil asesmen satu kompetensi pegawai (1–5). Hasil terbaru per kompetensi
    (``terbaru``) adalah level pegawai; yang lebih lama tetap sebagai riwayat."""

    queryset = AsesmenKompetensi.objects.all()
    serializer_class = AsesmenKompetensiSerializer
    filterset_class = AsesmenKompetensiFilter
    search_fields = ["pegawai__nama", "pegawai__nip", "kompetensi__kode", "kompetensi__nama"]
    search_description = "Sebagian nama atau NIP pegawai, kode atau nama kompetensi."
    ordering_fields = ["tanggal", "level", "pegawai__nama", "updated_at"]
    ordering = ["-tanggal", "-id"]
    create_permission_classes = [IsBkpsdm]
    write_denied_message = "Hasil asesmen kompetensi dicatat oleh staf BKPSDM yang mengelola pegawai ini."
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def scoped_queryset(self, *, for_write=False):
        return super().scoped_queryset(for_write=for_write).select_related("pegawai", "kompetensi")

    def get_serializer_class(self):
        if self.action == "create":
            return AsesmenCreateSerializer
        if self.action in ("update", "partial_update"):
            return AsesmenUpdateSerializer
        return AsesmenKompetensiSerializer

    def _read(self, row):
        return AsesmenKompetensiSerializer(self.scoped_queryset().get(pk=row.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pegawai = data.pop("pegawai")
        row = services.asesmen_create(actor=request.user, pegawai=pegawai, **data)
        return Response(self._read(row), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        row = services.asesmen_update(actor=request.user, asesmen=row, expected_version=version, **data)
        return Response(self._read(row))

    def destroy(self, request, *args, **kwargs):
        row = self.get_object()
        body = request.data if isinstance(request.data, Mapping) else {}
        source = body if "version" in body else request.query_params
        serializer = RiwayatDeleteSerializer(data={"version": source["version"]} if "version" in source else {})
        serializer.is_valid(raise_exception=True)
        services.asesmen_delete(actor=request.user, asesmen=row, expected_version=serializer.validated_data["version"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    retrieve=extend_schema(
        summary="Kesenjangan kompetensi dan job-person match seorang pegawai, menurut NIP",
        responses={200: KompetensiGapSerializer, 404: NOT_FOUND},
    ),
)
class KompetensiGapViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Standar kompetensi jabatan pegawai dibandingkan dengan hasil asesmen terbarunya: gap per
    kompetensi, JPM (%) dan kategorinya setelah semua kompetensi diases."""

    queryset = Pegawai.objects.all()
    serializer_class = KompetensiGapSerializer
    lookup_field = "nip"
    lookup_value_pattern = r"[0-9]{18}"
    filter_backends = []
    pagination_class = None
    write_actions = frozenset()

    def retrieve(self, request, *args, **kwargs):
        pegawai = self.get_object()
        gap = selectors.gap_kompetensi(pegawai)
        data = {
            "nip": pegawai.nip,
            "nama": pegawai.nama_lengkap,
            "jabatan": pegawai.jabatan.nama if pegawai.jabatan_id else None,
            "kompetensi": gap.rows,
            "jpm": gap.jpm,
            "band": gap.band,
            "lengkap": gap.lengkap,
        }
        return Response(KompetensiGapSerializer(data).data)


# ---------------------------------------------------------------------------------------------
# The 20 JP rule and training needs


class _OneObjectSchema(AutoSchema):
    """The ``list`` of this viewset answers one report object, not an array."""

    def _is_list_view(self, serializer=None):
        return False


class RekapJpViewSet(viewsets.ViewSet):
    """Rekap 20 JP per unit: jumlah pegawai aktif, yang belum mencapai 20 JP, total JP dan
    total kekurangannya, atas pegawai yang Anda kelola (staf BKPSDM)."""

    schema = _OneObjectSchema()

    def get_permissions(self):
        return [*super().get_permissions(), IsPengelola()]

    @extend_schema(
        summary="Rekap 20 JP per unit kerja (staf BKPSDM)",
        parameters=[RekapJpQuerySerializer],
        responses={200: RekapJpSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def list(self, request):
        query = RekapJpQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        tahun = query.validated_data.get("tahun") or timezone.localdate().year
        pegawai = Pegawai.objects.manageable_by(request.user).filter(kedudukan_hukum=KedudukanHukum.AKTIF)
        induk = None
        if query.validated_data.get("unit"):
            induk = UnitKerja.objects.manageable_by(request.user).filter(pk=query.validated_data["unit"]).first()
            if induk is None:
                raise Http404
            pegawai = pegawai.filter(unit_kerja__in=UnitKerja.objects.subtree_of(induk).values("pk"))
        rows = selectors.rekap_jp_per_unit(pegawai, tahun, induk)
        return Response(RekapJpSerializer({"tahun": tahun, "induk": induk, "unit": rows}).data)


@extend_schema_view(list=extend_schema(summary="Pegawai aktif yang belum mencapai 20 JP (staf BKPSDM)"))
class KurangJpViewSet(ApiViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Pegawai aktif yang Anda kelola dengan JP diakui di bawah 20 pada tahun itu, dengan
    kekurangannya."""

    queryset = Pegawai.objects.all()
    serializer_class = KurangJpSerializer
    filterset_class = KurangJpFilter
    search_method = "search"
    search_description = "Sebagian nama atau NIP."
    ordering_fields = ["nama", "nip", "jp_tahun", "kekurangan_jp"]
    ordering = ["nama", "nip"]

    def get_permissions(self):
        return [*super().get_permissions(), IsPengelola()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return Pegawai.objects.manageable_by(self.request.user).filter(kedudukan_hukum=KedudukanHukum.AKTIF)


@extend_schema_view(
    list=extend_schema(
        summary="Kebutuhan pelatihan: pegawai dengan satu jenis kebutuhan dan pelatihan yang sesuai",
        description="`jenis` wajib: kompetensi (gap negatif), predikat (Butuh Perbaikan atau di bawahnya), "
        "jp (di bawah 20 JP) atau kepemimpinan (belum mengikuti pelatihan kepemimpinan jabatannya). "
        "Mendaftarkan mereka: POST /api/v1/pelatihan/{id}/daftarkan/.",
    )
)
class KebutuhanPelatihanViewSet(ApiViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Siapa butuh pelatihan apa, di antara pegawai aktif dalam lingkup Anda."""

    queryset = Pegawai.objects.all()
    serializer_class = KebutuhanSerializer
    filterset_class = KebutuhanFilter
    search_method = "search"
    search_description = "Sebagian nama atau NIP."
    ordering_fields = ["nama", "nip"]
    ordering = ["nama", "nip"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return Pegawai.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # The filter set has already refused a malformed year with a 400.
        tahun = forms.IntegerField(required=False).clean(request.query_params.get("tahun"))
        items = selectors.kebutuhan_detail(page, tahun=tahun)
        return self.get_paginated_response(KebutuhanSerializer(items, many=True).data)


def register(router):
    router.register("penyelenggara", PenyelenggaraViewSet, basename="penyelenggara")
    router.register("pelatihan", PelatihanViewSet, basename="pelatihan")
    router.register("riwayat-pelatihan", RiwayatPelatihanViewSet, basename="riwayat-pelatihan")
    router.register("asesmen-kompetensi", AsesmenKompetensiViewSet, basename="asesmen-kompetensi")
    router.register("kompetensi-gap", KompetensiGapViewSet, basename="kompetensi-gap")
    router.register("rekap-jp", RekapJpViewSet, basename="rekap-jp")
    router.register("kurang-jp", KurangJpViewSet, basename="kurang-jp")
    router.register("kebutuhan-pelatihan", KebutuhanPelatihanViewSet, basename="kebutuhan-pelatihan")
