"""The /api/v1/ endpoints of the appraisal: periods and SKPs, with the workflow as actions.

Reads start from ``visible_to(user)`` (404 outside it). Every change goes through a service,
which decides role (403) and state (409) from the workflow table and checks the ``version``
the client read (409 when someone saved in between).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.akun.permissions import IsBkpsdm
from apps.core.api import IdFilter, ScopedViewSetMixin, UpdatedSinceFilterSet

from . import selectors, services
from .models import CapaianUnit, Penilaian, PeriodePenilaian, Realisasi, RencanaHasilKerja
from .serializers import (
    AlasanSerializer,
    CapaianInputSerializer,
    DistribusiSerializer,
    EkspektasiSerializer,
    EvaluasiPeriodikInputSerializer,
    KembalikanSerializer,
    NilaiSerializer,
    PenilaianCreateSerializer,
    PenilaianDetailSerializer,
    PenilaianSerializer,
    PeriodePenilaianCreateSerializer,
    PeriodePenilaianSerializer,
    PutuskanKeberatanSerializer,
    RealisasiInputSerializer,
    RencanaInputSerializer,
    SetPenilaiSerializer,
    UmpanBalikInputSerializer,
    VersionSerializer,
)

NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar lingkup Anda.")
BAD_INPUT = OpenApiResponse(description="Isian tidak sah; nama isian yang salah disebut.")
NOT_ALLOWED = OpenApiResponse(description="Peran Anda tidak boleh melakukan langkah ini.")
CONFLICT = OpenApiResponse(
    description="Versi SKP sudah berubah (disimpan orang lain), status SKP tidak memungkinkan langkah ini, "
    "atau periode sudah ditutup."
)


# ---------------------------------------------------------------------------------------------
# Periode penilaian


class TahunFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PeriodeFilter(UpdatedSinceFilterSet):
    instansi = IdFilter(field_name="instansi", label="Instansi (id)")
    tahun = TahunFilter(field_name="tahun", min_value=2000, max_value=2100, label="Tahun")
    status = django_filters.ChoiceFilter(choices=PeriodePenilaian.Status.choices, label="Status")

    class Meta:
        model = PeriodePenilaian
        fields = ["instansi", "tahun", "status", "updated_since"]


def _periode_step(summary):
    return extend_schema(
        summary=summary,
        request=None,
        responses={200: PeriodePenilaianSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )


@extend_schema_view(
    list=extend_schema(summary="Daftar periode penilaian instansi dalam lingkup Anda"),
    retrieve=extend_schema(
        summary="Satu periode penilaian", responses={200: PeriodePenilaianSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Buka periode penilaian baru (staf BKPSDM instansi)",
        request=PeriodePenilaianCreateSerializer,
        responses={201: PeriodePenilaianSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
    ),
)
class PeriodePenilaianViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Tahun penilaian per instansi, dengan evaluasi periodik bulanan atau triwulanan. Staf BKPSDM
    yang mengelola seluruh instansi membuka dan menutupnya; periode tertutup tidak menerima
    perubahan SKP."""

    queryset = PeriodePenilaian.objects.all()
    serializer_class = PeriodePenilaianSerializer
    filterset_class = PeriodeFilter
    ordering_fields = ["tahun", "updated_at"]
    ordering = ["-tahun", "instansi__nama"]
    create_permission_classes = [IsBkpsdm]
    write_actions = frozenset({"buka", "tutup", "capaian"})
    write_denied_message = "Hanya staf BKPSDM yang mengelola instansi ini yang dapat mengatur periode penilaiannya."

    def scoped_queryset(self, *, for_write=False):
        capaian = CapaianUnit.objects.select_related("unit_kerja").order_by("unit_kerja__path")
        return (
            super()
            .scoped_queryset(for_write=for_write)
            .select_related("instansi")
            .prefetch_related(Prefetch("capaian_unit", queryset=capaian))
        )

    def get_serializer_class(self):
        return PeriodePenilaianCreateSerializer if self.action == "create" else PeriodePenilaianSerializer

    def _read(self, periode):
        return PeriodePenilaianSerializer(self.scoped_queryset().get(pk=periode.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        periode = services.periode_create(actor=request.user, **serializer.validated_data)
        return Response(self._read(periode), status=status.HTTP_201_CREATED)

    @_periode_step("Buka periode penilaian (staf BKPSDM)")
    @action(detail=True, methods=["post"])
    def buka(self, request, pk=None):
        periode = services.periode_set_status(
            actor=request.user, periode=self.get_object(), status=PeriodePenilaian.Status.DIBUKA
        )
        return Response(self._read(periode))

    @_periode_step("Tutup periode penilaian (staf BKPSDM): SKP-nya tidak dapat diubah lagi")
    @action(detail=True, methods=["post"])
    def tutup(self, request, pk=None):
        periode = services.periode_set_status(
            actor=request.user, periode=self.get_object(), status=PeriodePenilaian.Status.DITUTUP
        )
        return Response(self._read(periode))

    @extend_schema(
        summary="Tetapkan capaian kinerja organisasi sebuah unit (staf BKPSDM)",
        request=CapaianInputSerializer,
        responses={200: PeriodePenilaianSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def capaian(self, request, pk=None):
        periode = self.get_object()
        serializer = CapaianInputSerializer(data=request.data, context={"request": request, "periode": periode})
        serializer.is_valid(raise_exception=True)
        services.capaian_unit_set(actor=request.user, periode=periode, **serializer.validated_data)
        return Response(self._read(periode))

    @extend_schema(
        summary="Distribusi predikat per perangkat daerah, dengan peringatan distribusi",
        description="Dihitung atas SKP yang terlihat oleh Anda. Peringatan hanya pemberitahuan, bukan penghalang.",
        responses={200: DistribusiSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def distribusi(self, request, pk=None):
        periode = self.get_object()
        rows = selectors.distribusi_predikat(Penilaian.objects.visible_to(request.user), periode)
        return Response(DistribusiSerializer({"periode": periode, "unit": rows}).data)


# ---------------------------------------------------------------------------------------------
# SKP


DETAIL_PREFETCH = (
    Prefetch(
        "rencana",
        queryset=RencanaHasilKerja.objects.order_by("jenis", "urutan", "id").prefetch_related(
            Prefetch("realisasi", queryset=Realisasi.objects.order_by("periode_ke"))
        ),
    ),
    "evaluasi_periodik",
)

# Columns the list does not show.
LIST_DEFERRED = (
    "rating_berakhlak",
    "umpan_balik",
    "ekspektasi_khusus",
    "dukungan_sumber_daya",
    "skema_pertanggungjawaban",
    "konsekuensi",
    "catatan_pengembalian",
    "keberatan_alasan",
    "keberatan_keputusan",
)

RENCANA_ID = OpenApiParameter("rencana_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Id rencana.")


def _step_schema(summary, request, description=None, **kwargs):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={
            200: PenilaianDetailSerializer,
            400: BAD_INPUT,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        **kwargs,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Daftar SKP dalam lingkup Anda",
        description="Tersaring menurut periode, tahun, unit kerja (beserta sub-unit), status, predikat dan "
        "`q` (nama atau NIP).",
    ),
    retrieve=extend_schema(
        summary="Satu SKP: rencana dan realisasi, evaluasi periodik, perilaku kerja, hasil, dan langkah Anda",
        responses={200: PenilaianDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Mulai SKP pegawai untuk satu periode (pegawai itu sendiri atau staf BKPSDM)",
        request=PenilaianCreateSerializer,
        responses={201: PenilaianDetailSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 409: CONFLICT},
    ),
)
class PenilaianViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """SKP tahunan pegawai (PermenPANRB 6/2022). Setiap langkah alur kerja adalah aksi POST yang
    menerima ``version`` SKP yang dibaca; jawabannya SKP terbaru dengan versi barunya."""

    queryset = Penilaian.objects.all()
    serializer_class = PenilaianSerializer
    filterset_class = selectors.PenilaianFilter
    search_method = "search"
    search_description = "Sebagian nama atau NIP pegawai."
    ordering_fields = ["pegawai_nama", "pegawai_nip", "status", "predikat", "updated_at"]

    @property
    def ordering(self):
        # Within one period by name, which the (pegawai_nama, id) index serves; across periods
        # the newest year first.
        request = getattr(self, "request", None)
        if request is not None and request.query_params.get("periode"):
            return ["pegawai_nama"]
        return ["-periode__tahun", "pegawai_nama"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            # The list shows the row's own snapshot: no join to the pegawai, no long texts.
            return queryset.select_related(None).select_related("periode").defer(*LIST_DEFERRED)
        if self.action == "retrieve":
            return queryset.prefetch_related(*DETAIL_PREFETCH)
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return PenilaianCreateSerializer
        if self.action == "retrieve":
            return PenilaianDetailSerializer
        return PenilaianSerializer

    def _detail(self, skp):
        user = self.request.user
        roles = services.roles_of(user, skp)
        context = {**self.get_serializer_context(), "roles": roles, "langkah": services.allowed_steps(user, skp, roles)}
        return PenilaianDetailSerializer(skp, context=context).data

    def _read(self, pk):
        return self._detail(self.scoped_queryset().prefetch_related(*DETAIL_PREFETCH).get(pk=pk))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            skp = services.penilaian_create(actor=request.user, periode=data["periode"], pegawai=data["nip"])
        except DjangoValidationError as exc:
            # The service names the pegawai; the client sent it as ``nip``.
            errors = getattr(exc, "message_dict", {"non_field_errors": exc.messages})
            raise serializers.ValidationError({"nip" if k == "pegawai" else k: v for k, v in errors.items()}) from None
        return Response(self._read(skp.pk), status=status.HTTP_201_CREATED)

    def _step(self, request, serializer_class, service, **defaults):
        """Parse the body, call the service with the version read, answer the SKP as it is now."""
        skp = self.get_object()
        context = {**self.get_serializer_context(), "penilaian": skp}
        serializer = serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = {**defaults, **serializer.validated_data}
        version = data.pop("version")
        service(actor=request.user, penilaian=skp, expected_version=version, **data)
        return Response(self._read(skp.pk))

    # Planning --------------------------------------------------------------------------------

    @_step_schema("Tetapkan pejabat penilai kinerja, mis. Plt/Plh (staf BKPSDM)", SetPenilaiSerializer)
    @action(detail=True, methods=["post"])
    def penilai(self, request, pk=None):
        skp = self.get_object()
        if "penilai" not in services.allowed_steps(request.user, skp):
            # Let the service refuse (role 403, state 409) before the NIP is looked up, so that
            # no one without the step can probe which NIPs exist. It raises before any write;
            # were it not to, the pegawai as their own penilai is refused as well.
            services.penilaian_set_penilai(actor=request.user, penilaian=skp, penilai=skp.pegawai)
        return self._step(request, SetPenilaiSerializer, services.penilaian_set_penilai)

    @_step_schema("Tambah rencana hasil kerja (pegawai, saat menyusun rencana)", RencanaInputSerializer)
    @action(detail=True, methods=["post"], url_path="rencana")
    def rencana(self, request, pk=None):
        return self._step(request, RencanaInputSerializer, services.rencana_add)

    @_step_schema(
        "Ubah rencana hasil kerja (pegawai, saat menyusun rencana)",
        RencanaInputSerializer,
        parameters=[RENCANA_ID],
        methods=["PATCH"],
    )
    @_step_schema(
        "Hapus rencana hasil kerja (pegawai, saat menyusun rencana)",
        None,
        description="`version` dikirim di badan permintaan atau sebagai parameter `?version=`.",
        parameters=[
            RENCANA_ID,
            OpenApiParameter("version", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Versi SKP yang dibaca."),
        ],
        methods=["DELETE"],
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"rencana/(?P<rencana_id>[0-9]{1,18})",
        url_name="rencana-item",
        filter_backends=[],
    )
    def rencana_item(self, request, pk=None, rencana_id=None):
        skp = self.get_object()
        rencana = RencanaHasilKerja.objects.filter(penilaian=skp, pk=rencana_id).first()
        if rencana is None:
            return Response({"detail": "Data tidak ditemukan."}, status=status.HTTP_404_NOT_FOUND)
        if request.method == "DELETE":
            source = request.data if "version" in request.data else request.query_params
            serializer = VersionSerializer(data={"version": source["version"]} if "version" in source else {})
            serializer.is_valid(raise_exception=True)
            services.rencana_delete(
                actor=request.user, rencana=rencana, expected_version=serializer.validated_data["version"]
            )
        else:
            serializer = RencanaInputSerializer(rencana, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            version = data.pop("version")
            services.rencana_update(actor=request.user, rencana=rencana, expected_version=version, **data)
        return Response(self._read(skp.pk))

    @_step_schema("Ekspektasi khusus per nilai BerAKHLAK dan lampiran SKP (pejabat penilai)", EkspektasiSerializer)
    @action(detail=True, methods=["post"])
    def ekspektasi(self, request, pk=None):
        return self._step(request, EkspektasiSerializer, services.ekspektasi_save)

    @_step_schema("Ajukan rencana SKP kepada pejabat penilai (pegawai)", VersionSerializer)
    @action(detail=True, methods=["post"])
    def ajukan(self, request, pk=None):
        return self._step(request, VersionSerializer, services.penilaian_ajukan)

    @_step_schema("Kembalikan rencana SKP dengan catatan (pejabat penilai)", KembalikanSerializer)
    @action(detail=True, methods=["post"])
    def kembalikan(self, request, pk=None):
        return self._step(request, KembalikanSerializer, services.penilaian_kembalikan)

    @_step_schema("Setujui rencana SKP (pejabat penilai)", VersionSerializer)
    @action(detail=True, methods=["post"])
    def setujui(self, request, pk=None):
        return self._step(request, VersionSerializer, services.penilaian_setujui)

    # Execution -------------------------------------------------------------------------------

    @_step_schema(
        "Isi realisasi satu rencana pada satu periode (pegawai)",
        RealisasiInputSerializer,
        description="Bukti dukung berupa tautan; unggah berkas bukti dilakukan melalui halaman SKP.",
    )
    @action(detail=True, methods=["post"])
    def realisasi(self, request, pk=None):
        return self._step(request, RealisasiInputSerializer, services.realisasi_save)

    @_step_schema(
        "Umpan balik atas realisasi satu rencana pada satu periode (pejabat penilai)", UmpanBalikInputSerializer
    )
    @action(detail=True, methods=["post"], url_path="umpan-balik")
    def umpan_balik(self, request, pk=None):
        return self._step(request, UmpanBalikInputSerializer, services.umpan_balik_save)

    @_step_schema("Nilai satu evaluasi periodik (pejabat penilai)", EvaluasiPeriodikInputSerializer)
    @action(detail=True, methods=["post"], url_path="evaluasi-periodik")
    def evaluasi_periodik(self, request, pk=None):
        return self._step(request, EvaluasiPeriodikInputSerializer, services.evaluasi_periodik_save)

    # Evaluation and follow-up ----------------------------------------------------------------

    @_step_schema(
        "Tetapkan penilaian tahunan (pejabat penilai)",
        NilaiSerializer,
        description="Predikat mengikuti matriks PermenPANRB 6/2022 dari kedua rating.",
    )
    @action(detail=True, methods=["post"])
    def nilai(self, request, pk=None):
        return self._step(request, NilaiSerializer, services.penilaian_nilai, rating_hasil_kerja=None)

    @_step_schema("Terima hasil penilaian: SKP menjadi final (pegawai)", VersionSerializer)
    @action(detail=True, methods=["post"])
    def terima(self, request, pk=None):
        return self._step(request, VersionSerializer, services.penilaian_terima)

    @_step_schema("Ajukan keberatan atas hasil penilaian (pegawai)", AlasanSerializer)
    @action(detail=True, methods=["post"])
    def keberatan(self, request, pk=None):
        return self._step(request, AlasanSerializer, services.penilaian_ajukan_keberatan)

    @_step_schema(
        "Putuskan keberatan (atasan pejabat penilai); keputusan ini final",
        PutuskanKeberatanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="putuskan-keberatan")
    def putuskan_keberatan(self, request, pk=None):
        return self._step(request, PutuskanKeberatanSerializer, services.penilaian_putuskan_keberatan)

    @_step_schema("Tetapkan final SKP yang sudah dinilai (staf BKPSDM)", VersionSerializer)
    @action(detail=True, methods=["post"])
    def finalkan(self, request, pk=None):
        return self._step(request, VersionSerializer, services.penilaian_finalkan)

    @_step_schema("Buka kembali SKP final, dengan alasan (staf BKPSDM)", AlasanSerializer)
    @action(detail=True, methods=["post"], url_path="buka-kembali")
    def buka_kembali(self, request, pk=None):
        return self._step(request, AlasanSerializer, services.penilaian_buka_kembali)


def register(router):
    router.register("periode-penilaian", PeriodePenilaianViewSet, basename="periode-penilaian")
    router.register("penilaian", PenilaianViewSet, basename="penilaian")
