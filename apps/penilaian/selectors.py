"""Reads that carry a rule: the SKP list filters and the predikat distribution per unit."""

from dataclasses import dataclass, field

import django_filters
from django.conf import settings
from django.db.models import Count, Q

from apps.core.drf import IdFilter, UpdatedSinceFilterSet
from apps.pegawai.models import UnitKerja

from .models import CapaianOrganisasi, CapaianUnit, Penilaian, PeriodePenilaian, Predikat, Status


class PenilaianFilter(UpdatedSinceFilterSet):
    """The SKP list filters, shared by the BKPSDM page and the API."""

    periode = IdFilter(field_name="periode", label="Periode")
    tahun = django_filters.NumberFilter(field_name="periode__tahun", label="Tahun")
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja (beserta sub-unit)")
    status = django_filters.ChoiceFilter(choices=Status.choices, label="Status")
    predikat = django_filters.ChoiceFilter(choices=Predikat.choices, label="Predikat")
    q = django_filters.CharFilter(method="filter_q", label="Cari nama atau NIP")

    class Meta:
        model = Penilaian
        fields = ["periode", "tahun", "unit_kerja", "status", "predikat", "q", "updated_since"]

    def filter_unit_kerja(self, queryset, name, value):
        unit = UnitKerja.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit_kerja__in=UnitKerja.objects.subtree_of(unit).values("pk"))

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        digits = value.replace(" ", "")
        if digits.isdigit():
            return queryset.filter(pegawai_nip__contains=digits)
        return queryset.filter(pegawai_nama__icontains=value)


# Expected distribution of predikat per capaian kinerja organisasi, as shares of the unit's
# rated SKPs: {capaian: {"max": {predikat ids: share}, "min": {predikat ids: share}}}.
# DOMAIN §4 states the rule for an organisation rated Baik; the others are configuration
# (settings.PENILAIAN_DISTRIBUSI) until the instansi sets them.
DEFAULT_DISTRIBUSI = {
    CapaianOrganisasi.BAIK: {
        "max": {(Predikat.SANGAT_BAIK, Predikat.BAIK): 0.70},
        "min_count": {(Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG): 1},
    },
}


def distribusi_rules():
    return getattr(settings, "PENILAIAN_DISTRIBUSI", DEFAULT_DISTRIBUSI)


@dataclass
class DistribusiUnit:
    unit_id: int
    unit_nama: str
    total: int
    counts: dict  # predikat id -> count
    belum: int  # SKPs without a predikat yet
    capaian: str | None = None
    warnings: list = field(default_factory=list)


def _warnings(row, rules):
    rule = rules.get(row.capaian)
    rated = row.total - row.belum
    if not rule or rated == 0:
        return []
    messages = []
    for predikats, share in rule.get("max", {}).items():
        count = sum(row.counts.get(int(p), 0) for p in predikats)
        if count / rated > share:
            labels = " + ".join(Predikat(p).label for p in predikats)
            messages.append(
                f"{labels}: {count} dari {rated} ({count / rated:.0%}), melebihi {share:.0%} "
                f"untuk organisasi dengan capaian {CapaianOrganisasi(row.capaian).label}."
            )
    for predikats, minimum in rule.get("min_count", {}).items():
        count = sum(row.counts.get(int(p), 0) for p in predikats)
        if count < minimum:
            labels = "/".join(Predikat(p).label for p in predikats)
            messages.append(
                f"Belum ada pegawai dengan predikat {labels}, padahal capaian organisasi "
                f"{CapaianOrganisasi(row.capaian).label}."
            )
    return messages


def distribusi_predikat(penilaian_qs, periode):
    """Predikat counts per perangkat daerah in one grouped query, with the organisation's own
    result and the distribution warnings (a warning, never a block)."""
    rows = (
        penilaian_qs.filter(periode=periode)
        .values("organisasi", "organisasi__nama")
        .annotate(
            total=Count("pk"),
            belum=Count("pk", filter=Q(predikat__isnull=True)),
            **{f"p{p}": Count("pk", filter=Q(predikat=p)) for p in Predikat.values},
        )
        .order_by("organisasi__nama")
    )
    capaian = dict(CapaianUnit.objects.filter(periode=periode).values_list("unit_kerja_id", "capaian"))
    rules = distribusi_rules()
    result = []
    for r in rows:
        row = DistribusiUnit(
            unit_id=r["organisasi"],
            unit_nama=r["organisasi__nama"],
            total=r["total"],
            belum=r["belum"],
            counts={p: r[f"p{p}"] for p in Predikat.values},
            capaian=capaian.get(r["organisasi"]),
        )
        row.warnings = _warnings(row, rules)
        result.append(row)
    return result


def periode_for(user, tahun=None):
    """The periods the user sees, newest first."""
    qs = PeriodePenilaian.objects.visible_to(user).select_related("instansi")
    return qs.filter(tahun=tahun) if tahun else qs
