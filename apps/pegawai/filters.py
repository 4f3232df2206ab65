"""The pegawai list filters, shared by the list page and the API so that both filter alike."""

import django_filters
from django.db.models import Q

from apps.core.drf import IdFilter, UpdatedSinceFilterSet

from .models import Golongan, JenisASN, JenisJabatan, KedudukanHukum, Pegawai, UnitKerja


class PegawaiFilter(UpdatedSinceFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Cari nama atau NIP")
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja (beserta sub-unit)")
    golongan = django_filters.ModelChoiceFilter(queryset=Golongan.objects.all(), label="Golongan")
    jenis_jabatan = django_filters.ChoiceFilter(
        field_name="jabatan__jenis", choices=JenisJabatan.choices, label="Jenis jabatan"
    )
    jenis_asn = django_filters.ChoiceFilter(choices=JenisASN.choices, label="Jenis ASN")
    kedudukan_hukum = django_filters.ChoiceFilter(choices=KedudukanHukum.choices, label="Kedudukan hukum")

    class Meta:
        model = Pegawai
        fields = ["q", "unit_kerja", "golongan", "jenis_jabatan", "jenis_asn", "kedudukan_hukum", "updated_since"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_unit_kerja(self, queryset, name, value):
        # A unit outside the user's scope simply matches nothing: the scope query already
        # limits the rows, so no existence leak either way.
        unit = UnitKerja.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(Q(unit_kerja__in=UnitKerja.objects.subtree_of(unit).values("pk")))
