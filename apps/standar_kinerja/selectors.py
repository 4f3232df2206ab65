"""Reads that carry a rule: which standards a user sees, their filters, and the version of a
standard that guards concurrent edits. Pages and API both read through here."""

import hashlib
from decimal import Decimal

import django_filters
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast, Coalesce

from apps.core.drf import IdFilter, UpdatedSinceFilter, UpdatedSinceFilterSet
from apps.core.models import AuditLog
from apps.pegawai.models import Jabatan, JenisJabatan, UnitKerja

from .models import IndikatorKinerja, Kompetensi, StandarKompetensi

KOMPETENSI_ORDER = ("kompetensi__kelompok", "kompetensi__kode")


def _count(model):
    rows = model.objects.filter(jabatan=OuterRef("pk")).order_by().values("jabatan").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def with_counts(jabatan):
    """Annotate ``jumlah_indikator`` and ``jumlah_kompetensi``: two correlated counts in the
    same query, so a list page stays one query whatever its length."""
    return jabatan.annotate(jumlah_indikator=_count(IndikatorKinerja), jumlah_kompetensi=_count(StandarKompetensi))


def with_standar(jabatan):
    """Prefetch the indikator (in their order) and the standar kompetensi with their catalogue
    entry: two queries for any number of jabatan."""
    return jabatan.prefetch_related(
        Prefetch("indikator_kinerja", queryset=IndikatorKinerja.objects.order_by("urutan", "id")),
        Prefetch(
            "standar_kompetensi",
            queryset=StandarKompetensi.objects.select_related("kompetensi").order_by(*KOMPETENSI_ORDER),
        ),
    )


def standar_visible(user):
    """The jabatan whose standard ``user`` may read: every jabatan they may see."""
    return Jabatan.objects.visible_to(user)


def standar_manageable(user):
    """The jabatan whose standard ``user`` may change: BKPSDM staff, in their subtrees."""
    return Jabatan.objects.manageable_by(user)


def _fingerprint(indikator, kompetensi):
    parts = [f"I{pk}:{stamp.isoformat()}" for pk, stamp in sorted(indikator)]
    parts += [f"K{pk}:{stamp.isoformat()}" for pk, stamp in sorted(kompetensi)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def standar_versi(jabatan):
    """The version of a jabatan's standard: changes whenever a row is added, changed or removed."""
    return _fingerprint(
        IndikatorKinerja.objects.filter(jabatan=jabatan).values_list("pk", "updated_at"),
        StandarKompetensi.objects.filter(jabatan=jabatan).values_list("pk", "updated_at"),
    )


def standar_versi_of(indikator, kompetensi):
    """The same version, from rows already loaded (``with_standar``), without a query."""
    return _fingerprint(
        [(row.pk, row.updated_at) for row in indikator], [(row.pk, row.updated_at) for row in kompetensi]
    )


def total_bobot(indikator):
    """The sum of the bobot, or None when no indikator carries one."""
    used = [row.bobot for row in indikator if row.bobot is not None]
    return sum(used, Decimal(0)) if used else None


# ---------------------------------------------------------------------------------------------
# Filters shared by the list page and the API


def _subtree(queryset, unit_id):
    # A unit outside the user's scope matches nothing new: the scope query already limits rows.
    unit = UnitKerja.objects.filter(pk=unit_id).only("path").first()
    if unit is None:
        return queryset.none()
    return queryset.filter(unit_kerja__in=UnitKerja.objects.subtree_of(unit).values("pk"))


def _has_standar():
    return Exists(IndikatorKinerja.objects.filter(jabatan=OuterRef("pk"))) | Exists(
        StandarKompetensi.objects.filter(jabatan=OuterRef("pk"))
    )


class StandarFilter(UpdatedSinceFilterSet):
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja (id, beserta sub-unit)")
    jabatan = IdFilter(field_name="pk", label="Jabatan (id)")
    jenis = django_filters.ChoiceFilter(field_name="jenis", choices=JenisJabatan.choices, label="Jenis jabatan")
    standar = django_filters.ChoiceFilter(
        method="filter_standar",
        choices=[("ada", "Sudah ada standar"), ("belum", "Belum ada standar")],
        label="Standar",
    )
    # The standard of a jabatan changes without the jabatan row changing; every change to it
    # is audited on the jabatan, and that trail also records removed rows.
    updated_since = UpdatedSinceFilter(method="filter_updated_since", label="Jabatan atau standarnya diubah sejak")

    class Meta:
        model = Jabatan
        fields = ["unit_kerja", "jabatan", "jenis", "standar", "updated_since"]

    def filter_unit_kerja(self, queryset, name, value):
        return _subtree(queryset, value)

    def filter_standar(self, queryset, name, value):
        return queryset.filter(_has_standar()) if value == "ada" else queryset.exclude(_has_standar())

    def filter_updated_since(self, queryset, name, value):
        audited = AuditLog.objects.filter(
            object_type=Jabatan._meta.label_lower,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            created_at__gte=value,
        )
        return queryset.filter(Q(updated_at__gte=value) | Exists(audited))


class StandarPageFilter(StandarFilter):
    q = django_filters.CharFilter(field_name="nama", lookup_expr="icontains", max_length=100, label="Nama jabatan")

    class Meta(StandarFilter.Meta):
        fields = ["q", "unit_kerja", "jenis", "standar"]


class KompetensiFilter(django_filters.FilterSet):
    kelompok = django_filters.ChoiceFilter(choices=Kompetensi.Kelompok.choices, label="Kelompok")
    q = django_filters.CharFilter(method="filter_q", max_length=100, label="Kode atau nama")

    class Meta:
        model = Kompetensi
        fields = ["kelompok", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(kode__icontains=value) | Q(nama__icontains=value)) if value else queryset
