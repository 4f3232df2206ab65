"""The list filters of the pelatihan API. A malformed value is a 400 naming the parameter; a
unit kerja outside the user's scope simply matches nothing (the scoped queryset already limits
the rows, so there is no existence leak either way)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.core.drf import BooleanFilter, IdFilter, UpdatedSinceFilterSet
from apps.pegawai.models import Pegawai, UnitKerja

from . import selectors
from .models import (
    STATUS_DIAKUI,
    AsesmenKompetensi,
    Jalur,
    JenisDiklat,
    Kepemimpinan,
    Pelatihan,
    Penyelenggara,
    RiwayatPelatihan,
    Status,
)

TAHUN_MIN, TAHUN_MAX = 1900, 2100


@extend_schema_field(OpenApiTypes.INT)
class TahunFilter(django_filters.NumberFilter):
    """A calendar year: ``abc``, ``2026.5`` or a year outside 1900–2100 is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", TAHUN_MIN)
        kwargs.setdefault("max_value", TAHUN_MAX)
        super().__init__(*args, **kwargs)


def nip_filter(field_name, label="NIP pegawai"):
    return django_filters.CharFilter(field_name=field_name, max_length=18, label=label)


def subtree(queryset, field, unit_id):
    """Rows whose ``field`` (a unit kerja) lies in the subtree of unit ``unit_id``."""
    unit = UnitKerja.objects.filter(pk=unit_id).only("path").first()
    if unit is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": UnitKerja.objects.subtree_of(unit).values("pk")})


def _noop(queryset, name, value):
    return queryset


class PenyelenggaraFilter(UpdatedSinceFilterSet):
    instansi = IdFilter(field_name="instansi", label="Instansi (id)")
    jenis = django_filters.ChoiceFilter(choices=Penyelenggara.Jenis.choices, label="Jenis penyelenggara")
    aktif = BooleanFilter(field_name="aktif", label="Aktif")

    class Meta:
        model = Penyelenggara
        fields = ["instansi", "jenis", "aktif", "updated_since"]


class PelatihanFilter(UpdatedSinceFilterSet):
    instansi = IdFilter(field_name="instansi", label="Instansi (id)")
    tahun = TahunFilter(field_name="tanggal_mulai__year", label="Tahun tanggal mulai")
    jenis_diklat = django_filters.TypedChoiceFilter(
        choices=JenisDiklat.choices, coerce=int, label="Jenis diklat (id SIASN)"
    )
    jalur = django_filters.ChoiceFilter(choices=Jalur.choices, label="Jalur")
    kepemimpinan = django_filters.ChoiceFilter(choices=Kepemimpinan.choices, label="Pelatihan kepemimpinan")
    kompetensi = django_filters.CharFilter(
        field_name="kompetensi__kode", max_length=20, label="Kode kompetensi yang dikembangkan"
    )
    penyelenggara = IdFilter(field_name="penyelenggara", label="Penyelenggara (id)")
    pendaftaran_terbuka = BooleanFilter(method="filter_pendaftaran_terbuka", label="Pendaftaran masih terbuka hari ini")

    class Meta:
        model = Pelatihan
        fields = [
            "instansi",
            "tahun",
            "jenis_diklat",
            "jalur",
            "kepemimpinan",
            "kompetensi",
            "penyelenggara",
            "pendaftaran_terbuka",
            "updated_since",
        ]

    def filter_pendaftaran_terbuka(self, queryset, name, value):
        today = timezone.localdate()
        terbuka = Q(pendaftaran_dibuka=True, tanggal_mulai__gte=today) & (
            Q(batas_pendaftaran__isnull=True) | Q(batas_pendaftaran__gte=today)
        )
        return queryset.filter(terbuka) if value else queryset.exclude(terbuka)


class RiwayatPelatihanFilter(UpdatedSinceFilterSet):
    pegawai = nip_filter("pegawai__nip")
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja pegawai (beserta sub-unit)")
    pelatihan = IdFilter(field_name="pelatihan", label="Pelatihan katalog (id)")
    tahun = TahunFilter(field_name="tanggal_selesai__year", label="Tahun tanggal selesai")
    status = django_filters.ChoiceFilter(choices=Status.choices, label="Status")
    sumber = django_filters.ChoiceFilter(choices=RiwayatPelatihan.Sumber.choices, label="Sumber")
    jenis_diklat = django_filters.TypedChoiceFilter(
        choices=JenisDiklat.choices, coerce=int, label="Jenis diklat (id SIASN)"
    )
    kepemimpinan = django_filters.ChoiceFilter(choices=Kepemimpinan.choices, label="Pelatihan kepemimpinan")
    diakui = BooleanFilter(method="filter_diakui", label="JP-nya diakui (dikonfirmasi BKPSDM)")

    class Meta:
        model = RiwayatPelatihan
        fields = [
            "pegawai",
            "unit_kerja",
            "pelatihan",
            "tahun",
            "status",
            "sumber",
            "jenis_diklat",
            "kepemimpinan",
            "diakui",
            "updated_since",
        ]

    def filter_unit_kerja(self, queryset, name, value):
        return subtree(queryset, "pegawai__unit_kerja", value)

    def filter_diakui(self, queryset, name, value):
        diakui = Q(status__in=STATUS_DIAKUI, jp_diakui__gt=0)
        return queryset.filter(diakui) if value else queryset.exclude(diakui)


class AsesmenKompetensiFilter(UpdatedSinceFilterSet):
    pegawai = nip_filter("pegawai__nip")
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja pegawai (beserta sub-unit)")
    kompetensi = django_filters.CharFilter(field_name="kompetensi__kode", max_length=20, label="Kode kompetensi")
    metode = django_filters.ChoiceFilter(choices=AsesmenKompetensi.Metode.choices, label="Metode")
    terbaru = BooleanFilter(field_name="terbaru", label="Hanya hasil terbaru per kompetensi")

    class Meta:
        model = AsesmenKompetensi
        fields = ["pegawai", "unit_kerja", "kompetensi", "metode", "terbaru", "updated_since"]

    def filter_unit_kerja(self, queryset, name, value):
        return subtree(queryset, "pegawai__unit_kerja", value)


class KurangJpFilter(django_filters.FilterSet):
    """Pegawai under 20 JP in ``tahun`` (this year when not given)."""

    tahun = TahunFilter(method=_noop, label="Tahun (bawaan: tahun ini)")
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja (beserta sub-unit)")

    class Meta:
        model = Pegawai
        fields = ["tahun", "unit_kerja"]

    def filter_unit_kerja(self, queryset, name, value):
        return subtree(queryset, "unit_kerja", value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        tahun = self.form.cleaned_data.get("tahun") or timezone.localdate().year
        return selectors.kurang_jp(queryset, tahun)


class KebutuhanFilter(django_filters.FilterSet):
    """Pegawai with one need (``jenis``, required), among those the user sees."""

    jenis = django_filters.ChoiceFilter(
        choices=[(key, label) for key, label in selectors.Kebutuhan.LABELS.items()],
        method=_noop,
        required=True,
        label="Jenis kebutuhan (wajib)",
    )
    tahun = TahunFilter(method=_noop, label="Tahun JP (bawaan: tahun ini)")
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja (beserta sub-unit)")

    class Meta:
        model = Pegawai
        fields = ["jenis", "tahun", "unit_kerja"]

    def filter_unit_kerja(self, queryset, name, value):
        return subtree(queryset, "unit_kerja", value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        return selectors.kebutuhan_qs(queryset, data["jenis"], data.get("tahun"))
