"""The /api/v1/ endpoints of the organisation and the people.

Every viewset reads from the model's ``visible_to(user)`` and changes through its
``manageable_by(user)`` and the services, like the pages do.
"""

import django_filters
from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from apps.akun.permissions import IsBkpsdm
from apps.core.api import ApiViewSetMixin, IdFilter, ScopedViewSetMixin, UpdatedSinceFilterSet

from . import services
from .filters import PegawaiFilter
from .models import (
    Golongan,
    Jabatan,
    JenisASN,
    JenisJabatan,
    Pegawai,
    RiwayatHukumanDisiplin,
    RiwayatJabatan,
    RiwayatPangkat,
    RiwayatPendidikan,
    RiwayatPenghargaan,
    UnitKerja,
)
from .serializers import (
    GolonganSerializer,
    JabatanInputSerializer,
    JabatanSerializer,
    PegawaiCreateSerializer,
    PegawaiSerializer,
    PegawaiUpdateSerializer,
    RiwayatHukumanDisiplinInputSerializer,
    RiwayatHukumanDisiplinSerializer,
    RiwayatJabatanInputSerializer,
    RiwayatJabatanSerializer,
    RiwayatPangkatInputSerializer,
    RiwayatPangkatSerializer,
    RiwayatPendidikanInputSerializer,
    RiwayatPendidikanSerializer,
    RiwayatPenghargaanInputSerializer,
    RiwayatPenghargaanSerializer,
    UnitKerjaCreateSerializer,
    UnitKerjaSerializer,
)

NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar lingkup Anda.")


def _subtree(queryset, field, unit_id):
    # One lookup of the unit's path, then an indexed prefix match; an unknown unit matches nothing.
    unit = UnitKerja.objects.filter(pk=unit_id).only("path").first()
    if unit is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__startswith": unit.path})


# ---------------------------------------------------------------------------------------------
# Pegawai


@extend_schema_view(
    list=extend_schema(summary="Daftar pegawai dalam lingkup Anda"),
    retrieve=extend_schema(summary="Satu pegawai, menurut NIP", responses={200: PegawaiSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Tambah pegawai (staf BKPSDM)",
        request=PegawaiCreateSerializer,
        responses={201: PegawaiSerializer},
    ),
    update=extend_schema(
        summary="Ubah data pegawai (staf BKPSDM)",
        request=PegawaiUpdateSerializer,
        responses={200: PegawaiSerializer, 404: NOT_FOUND, 409: OpenApiResponse(description="Versi sudah berubah.")},
    ),
    partial_update=extend_schema(
        summary="Ubah sebagian data pegawai (staf BKPSDM)",
        request=PegawaiUpdateSerializer,
        responses={200: PegawaiSerializer, 404: NOT_FOUND, 409: OpenApiResponse(description="Versi sudah berubah.")},
    ),
)
class PegawaiViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Pegawai, dicari menurut NIP. Data pribadi (NIK, tanggal dan tempat lahir, alamat, telepon,
    email) hanya tampil bagi pengelola pegawai itu dan bagi pegawai itu sendiri."""

    queryset = Pegawai.objects.all()
    serializer_class = PegawaiSerializer
    lookup_field = "nip"
    lookup_value_pattern = r"[0-9]{18}"
    filterset_class = PegawaiFilter
    search_method = "search"
    search_description = "Sebagian nama atau NIP."
    ordering_fields = ["nama", "nip", "golongan__tingkat", "updated_at"]
    ordering = ["nama", "nip"]
    create_permission_classes = [IsBkpsdm]

    def scoped_queryset(self, *, for_write=False):
        return super().scoped_queryset(for_write=for_write).with_personal_access(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return PegawaiCreateSerializer
        if self.action in ("update", "partial_update"):
            return PegawaiUpdateSerializer
        return PegawaiSerializer

    def _read(self, pegawai):
        return PegawaiSerializer(self.scoped_queryset().get(pk=pegawai.pk), context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pegawai = services.pegawai_create(actor=request.user, **serializer.validated_data)
        return Response(self._read(pegawai), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        pegawai = self.get_object()
        serializer = self.get_serializer(pegawai, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        pegawai = services.pegawai_update(actor=request.user, pegawai=pegawai, expected_version=version, **data)
        return Response(self._read(pegawai))


# ---------------------------------------------------------------------------------------------
# Unit kerja, jabatan, golongan


class UnitKerjaFilter(UpdatedSinceFilterSet):
    parent = IdFilter(field_name="parent", label="Unit induk (id)")
    jenis = django_filters.ChoiceFilter(choices=UnitKerja.Jenis.choices, label="Jenis unit")
    subtree_of = IdFilter(method="filter_subtree_of", label="Unit (id) beserta seluruh unit di bawahnya")

    class Meta:
        model = UnitKerja
        fields = ["parent", "jenis", "subtree_of", "updated_since"]

    def filter_subtree_of(self, queryset, name, value):
        return _subtree(queryset, "path", value)


@extend_schema_view(
    list=extend_schema(summary="Daftar unit kerja dalam lingkup Anda"),
    retrieve=extend_schema(summary="Satu unit kerja", responses={200: UnitKerjaSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Tambah unit kerja (staf BKPSDM, di bawah unit dalam lingkupnya)",
        request=UnitKerjaCreateSerializer,
        responses={201: UnitKerjaSerializer},
    ),
)
class UnitKerjaViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = UnitKerja.objects.all()
    serializer_class = UnitKerjaSerializer
    filterset_class = UnitKerjaFilter
    search_fields = ["nama"]
    search_description = "Sebagian nama unit."
    ordering_fields = ["nama", "path", "updated_at"]
    ordering = ["path"]
    create_permission_classes = [IsBkpsdm]

    def get_serializer_class(self):
        return UnitKerjaCreateSerializer if self.action == "create" else UnitKerjaSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = services.unit_kerja_create(actor=request.user, **serializer.validated_data)
        return Response(UnitKerjaSerializer(unit).data, status=status.HTTP_201_CREATED)


class JabatanFilter(UpdatedSinceFilterSet):
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja (id, beserta sub-unit)")
    jenis = django_filters.ChoiceFilter(choices=JenisJabatan.choices, label="Jenis jabatan")
    atasan = IdFilter(field_name="atasan", label="Atasan jabatan (id)")

    class Meta:
        model = Jabatan
        fields = ["unit_kerja", "jenis", "atasan", "updated_since"]

    def filter_unit_kerja(self, queryset, name, value):
        return _subtree(queryset, "unit_kerja__path", value)


@extend_schema_view(
    list=extend_schema(summary="Daftar jabatan dalam lingkup Anda"),
    retrieve=extend_schema(summary="Satu jabatan", responses={200: JabatanSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Tambah jabatan (staf BKPSDM)", request=JabatanInputSerializer, responses={201: JabatanSerializer}
    ),
    update=extend_schema(
        summary="Ubah jabatan (staf BKPSDM)",
        request=JabatanInputSerializer,
        responses={200: JabatanSerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Ubah sebagian jabatan (staf BKPSDM)",
        request=JabatanInputSerializer,
        responses={200: JabatanSerializer, 404: NOT_FOUND},
    ),
)
class JabatanViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Jabatan.objects.all()
    serializer_class = JabatanSerializer
    filterset_class = JabatanFilter
    search_fields = ["nama"]
    search_description = "Sebagian nama jabatan."
    ordering_fields = ["nama", "eselon", "updated_at"]
    ordering = ["unit_kerja__path", "eselon", "nama"]
    create_permission_classes = [IsBkpsdm]

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return JabatanInputSerializer
        return JabatanSerializer

    def _read(self, jabatan):
        return JabatanSerializer(self.scoped_queryset().get(pk=jabatan.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        jabatan = services.jabatan_create(actor=request.user, **serializer.validated_data)
        return Response(self._read(jabatan), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        jabatan = self.get_object()
        serializer = self.get_serializer(jabatan, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        jabatan = services.jabatan_update(actor=request.user, jabatan=jabatan, **serializer.validated_data)
        return Response(self._read(jabatan))


class GolonganFilter(django_filters.FilterSet):
    jenis_asn = django_filters.ChoiceFilter(choices=[(JenisASN.PNS, "PNS"), (JenisASN.PPPK, "PPPK")])

    class Meta:
        model = Golongan
        fields = ["jenis_asn"]


@extend_schema_view(
    list=extend_schema(summary="Daftar golongan/ruang PNS dan golongan PPPK"),
    retrieve=extend_schema(summary="Satu golongan", responses={200: GolonganSerializer, 404: NOT_FOUND}),
)
class GolonganViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reference data, the same for everyone signed in."""

    queryset = Golongan.objects.all()
    serializer_class = GolonganSerializer
    filterset_class = GolonganFilter
    ordering_fields = ["tingkat", "kode"]
    ordering = ["jenis_asn", "tingkat"]


# ---------------------------------------------------------------------------------------------
# Riwayat


class RiwayatFilter(UpdatedSinceFilterSet):
    nip = django_filters.CharFilter(
        field_name="pegawai__nip",
        validators=[RegexValidator(r"^[0-9]{18}$", "NIP harus 18 digit angka.")],
        label="NIP pegawai",
    )


class RiwayatViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    # Base of the three riwayat endpoints (a comment, not a docstring: it would describe them in
    # the API docs): created and removed through the services, which derive the pegawai's
    # current jabatan, golongan or pendidikan again.

    input_serializer_class = None
    related = ("pegawai",)
    create_permission_classes = [IsBkpsdm]

    def scoped_queryset(self, *, for_write=False):
        return super().scoped_queryset(for_write=for_write).select_related(*self.related)

    def get_serializer_class(self):
        return self.input_serializer_class if self.action == "create" else self.serializer_class

    def add(self, **kwargs):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        riwayat = self.add(actor=request.user, expected_version=data.pop("version", None), **data)
        output = self.serializer_class(self.scoped_queryset().get(pk=riwayat.pk))
        return Response(output.data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.riwayat_delete(actor=self.request.user, riwayat=instance)


def _riwayat_schema(noun, output, input_serializer):
    return extend_schema_view(
        list=extend_schema(summary=f"Daftar riwayat {noun} pegawai dalam lingkup Anda"),
        retrieve=extend_schema(summary=f"Satu riwayat {noun}", responses={200: output, 404: NOT_FOUND}),
        create=extend_schema(
            summary=f"Tambah riwayat {noun} (staf BKPSDM)",
            request=input_serializer,
            responses={201: output, 409: OpenApiResponse(description="Versi pegawai sudah berubah.")},
        ),
        destroy=extend_schema(
            summary=f"Hapus riwayat {noun} yang salah input (staf BKPSDM)", responses={204: None, 404: NOT_FOUND}
        ),
    )


class RiwayatJabatanFilter(RiwayatFilter):
    class Meta:
        model = RiwayatJabatan
        fields = ["nip", "updated_since"]


@_riwayat_schema("jabatan", RiwayatJabatanSerializer, RiwayatJabatanInputSerializer)
class RiwayatJabatanViewSet(RiwayatViewSet):
    queryset = RiwayatJabatan.objects.all()
    serializer_class = RiwayatJabatanSerializer
    input_serializer_class = RiwayatJabatanInputSerializer
    filterset_class = RiwayatJabatanFilter
    ordering_fields = ["tmt", "updated_at"]
    ordering = ["-tmt", "-id"]

    def add(self, **kwargs):
        return services.riwayat_jabatan_add(**kwargs)


class RiwayatPangkatFilter(RiwayatFilter):
    class Meta:
        model = RiwayatPangkat
        fields = ["nip", "updated_since"]


@_riwayat_schema("pangkat", RiwayatPangkatSerializer, RiwayatPangkatInputSerializer)
class RiwayatPangkatViewSet(RiwayatViewSet):
    queryset = RiwayatPangkat.objects.all()
    serializer_class = RiwayatPangkatSerializer
    input_serializer_class = RiwayatPangkatInputSerializer
    filterset_class = RiwayatPangkatFilter
    related = ("pegawai", "golongan")
    ordering_fields = ["tmt", "updated_at"]
    ordering = ["-tmt", "-id"]

    def add(self, **kwargs):
        return services.riwayat_pangkat_add(**kwargs)


class RiwayatPendidikanFilter(RiwayatFilter):
    class Meta:
        model = RiwayatPendidikan
        fields = ["nip", "updated_since"]


@_riwayat_schema("pendidikan", RiwayatPendidikanSerializer, RiwayatPendidikanInputSerializer)
class RiwayatPendidikanViewSet(RiwayatViewSet):
    queryset = RiwayatPendidikan.objects.all()
    serializer_class = RiwayatPendidikanSerializer
    input_serializer_class = RiwayatPendidikanInputSerializer
    filterset_class = RiwayatPendidikanFilter
    ordering_fields = ["tahun_lulus", "updated_at"]
    ordering = ["-tahun_lulus", "-id"]

    def add(self, **kwargs):
        return services.riwayat_pendidikan_add(**kwargs)


class RiwayatPenghargaanFilter(RiwayatFilter):
    class Meta:
        model = RiwayatPenghargaan
        fields = ["nip", "updated_since"]


@_riwayat_schema("penghargaan", RiwayatPenghargaanSerializer, RiwayatPenghargaanInputSerializer)
class RiwayatPenghargaanViewSet(RiwayatViewSet):
    queryset = RiwayatPenghargaan.objects.all()
    serializer_class = RiwayatPenghargaanSerializer
    input_serializer_class = RiwayatPenghargaanInputSerializer
    filterset_class = RiwayatPenghargaanFilter
    ordering_fields = ["tanggal", "updated_at"]
    ordering = ["-tanggal", "-id"]

    def add(self, **kwargs):
        return services.riwayat_penghargaan_add(**kwargs)


class RiwayatHukumanDisiplinFilter(RiwayatFilter):
    class Meta:
        model = RiwayatHukumanDisiplin
        fields = ["nip", "updated_since"]


@_riwayat_schema("hukuman disiplin", RiwayatHukumanDisiplinSerializer, RiwayatHukumanDisiplinInputSerializer)
class RiwayatHukumanDisiplinViewSet(RiwayatViewSet):
    # Visible to the pegawai and the staff who manage them only (not to the atasan).
    queryset = RiwayatHukumanDisiplin.objects.all()
    serializer_class = RiwayatHukumanDisiplinSerializer
    input_serializer_class = RiwayatHukumanDisiplinInputSerializer
    filterset_class = RiwayatHukumanDisiplinFilter
    ordering_fields = ["tanggal_mulai", "updated_at"]
    ordering = ["-tanggal_mulai", "-id"]

    def add(self, **kwargs):
        return services.riwayat_hukuman_disiplin_add(**kwargs)


def register(router):
    router.register("pegawai", PegawaiViewSet, basename="pegawai")
    router.register("unit-kerja", UnitKerjaViewSet, basename="unit-kerja")
    router.register("jabatan", JabatanViewSet, basename="jabatan")
    router.register("golongan", GolonganViewSet, basename="golongan")
    router.register("riwayat-jabatan", RiwayatJabatanViewSet, basename="riwayat-jabatan")
    router.register("riwayat-pangkat", RiwayatPangkatViewSet, basename="riwayat-pangkat")
    router.register("riwayat-pendidikan", RiwayatPendidikanViewSet, basename="riwayat-pendidikan")
    router.register("riwayat-penghargaan", RiwayatPenghargaanViewSet, basename="riwayat-penghargaan")
    router.register("riwayat-hukuman-disiplin", RiwayatHukumanDisiplinViewSet, basename="riwayat-hukuman-disiplin")
