"""Reads that carry a rule: the list filters (shared by the page and the API) and the
"akan kedaluwarsa per unit" report."""

import datetime as dt

import django_filters
from django.db.models import Count, Q
from django.utils import timezone

from apps.core.drf import IdFilter, UpdatedSinceFilterSet
from apps.core.models import name_or_nip_search
from apps.pegawai.models import UnitKerja

from .models import Sertifikasi, StatusBerlaku, expiry_window_days

MAX_WINDOW_DAYS = 3650


def status_berlaku_q(status, *, dalam=None, pada=None):
    """The rows with a validity status, as a Q on the (indexed) expiry date rather than on the
    annotation, so that the filter can use the index."""
    pada = pada or timezone.localdate()
    dalam = expiry_window_days() if dalam is None else dalam
    batas = pada + dt.timedelta(days=dalam)
    if status == StatusBerlaku.KEDALUWARSA:
        return Q(tanggal_kedaluwarsa__lt=pada)
    if status == StatusBerlaku.AKAN_KEDALUWARSA:
        return Q(tanggal_kedaluwarsa__gte=pada, tanggal_kedaluwarsa__lte=batas)
    return Q(tanggal_kedaluwarsa__isnull=True) | Q(tanggal_kedaluwarsa__gt=batas)


class SertifikasiFilter(UpdatedSinceFilterSet):
    """The certificate list filters; ``dalam`` (days) is the window of "akan kedaluwarsa"."""

    q = django_filters.CharFilter(method="filter_q", max_length=100, label="Cari nama atau NIP pegawai")
    nip = django_filters.CharFilter(field_name="pegawai__nip", max_length=18, label="NIP pegawai")
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja (beserta sub-unit)")
    jenis = django_filters.ChoiceFilter(choices=Sertifikasi.Jenis.choices, label="Jenis sertifikat")
    verifikasi = django_filters.ChoiceFilter(choices=Sertifikasi.Verifikasi.choices, label="Verifikasi")
    status_berlaku = django_filters.ChoiceFilter(
        choices=StatusBerlaku.choices, method="filter_status_berlaku", label="Status berlaku"
    )
    akan_kedaluwarsa_dalam = django_filters.NumberFilter(
        method="filter_akan_kedaluwarsa_dalam",
        min_value=0,
        max_value=MAX_WINDOW_DAYS,
        label="Hanya yang berakhir dalam sekian hari (jendela status berlaku)",
    )

    class Meta:
        model = Sertifikasi
        fields = [
            "q",
            "nip",
            "unit_kerja",
            "jenis",
            "verifikasi",
            "status_berlaku",
            "akan_kedaluwarsa_dalam",
            "updated_since",
        ]

    def __init__(self, *args, dalam=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dalam = dalam

    def window(self):
        """The window in days: ``akan_kedaluwarsa_dalam`` when given, else ``dalam``, else the setting."""
        form = self.form
        value = form.cleaned_data.get("akan_kedaluwarsa_dalam") if form.is_valid() else None
        if value is not None:
            return int(value)
        return expiry_window_days() if self.dalam is None else self.dalam

    def filter_q(self, queryset, name, value):
        return name_or_nip_search(queryset, value, nama="pegawai__nama", nip="pegawai__nip")

    def filter_unit_kerja(self, queryset, name, value):
        # A unit outside the scope matches nothing; the scoped queryset already limits the rows.
        unit = UnitKerja.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(pegawai__unit_kerja__in=UnitKerja.objects.subtree_of(unit).values("pk"))

    def filter_status_berlaku(self, queryset, name, value):
        return queryset.filter(status_berlaku_q(value, dalam=self.window()))

    def filter_akan_kedaluwarsa_dalam(self, queryset, name, value):
        return queryset.filter(status_berlaku_q(StatusBerlaku.AKAN_KEDALUWARSA, dalam=int(value)))


def kedaluwarsa_per_unit(user, *, dalam=None, pada=None):
    """Per perangkat daerah in the user's scope: how many verified certificates expire
    within ``dalam`` days and how many have expired. Two queries, rolled up along the unit paths."""
    pada = pada or timezone.localdate()
    dalam = expiry_window_days() if dalam is None else dalam
    units = list(
        UnitKerja.objects.visible_to(user)
        .filter(jenis=UnitKerja.Jenis.PERANGKAT_DAERAH)
        .only("nama", "singkatan", "path")
        .order_by("path")
    )
    rows = (
        Sertifikasi.objects.visible_to(user)
        .filter(verifikasi=Sertifikasi.Verifikasi.TERVERIFIKASI)
        .order_by()
        .values_list("pegawai__unit_kerja__path")
        .annotate(
            akan=Count("pk", filter=status_berlaku_q(StatusBerlaku.AKAN_KEDALUWARSA, dalam=dalam, pada=pada)),
            lewat=Count("pk", filter=status_berlaku_q(StatusBerlaku.KEDALUWARSA, pada=pada)),
        )
    )
    by_path = {unit.path: unit for unit in units}
    for unit in units:
        unit.akan_kedaluwarsa = unit.kedaluwarsa = 0
    for path, akan, lewat in rows:
        ids = path.strip("/").split("/")
        # The nearest perangkat daerah on the path (a unit may sit under several levels).
        for i in range(len(ids), 0, -1):
            unit = by_path.get("/" + "/".join(ids[:i]) + "/")
            if unit is not None:
                unit.akan_kedaluwarsa += akan
                unit.kedaluwarsa += lewat
                break
    return units
