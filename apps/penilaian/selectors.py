"""Reads that carry a rule: the SKP list filters and the predikat distribution per unit."""

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.core.drf import IdFilter, UpdatedSinceFilterSet
from apps.pegawai.models import Pegawai, UnitKerja

from .models import CapaianOrganisasi, CapaianUnit, Penilaian, PeriodePenilaian, Predikat, RencanaHasilKerja, Status


@extend_schema_field(OpenApiTypes.INT)
class TahunFilter(django_filters.NumberFilter):
    """A year as an integer: 2024.5 or a number no column holds is a 400, not an empty list."""

    field_class = forms.IntegerField


class PenilaianFilter(UpdatedSinceFilterSet):
    """The SKP list filters, shared by the BKPSDM page and the API."""

    periode = IdFilter(field_name="periode", label="Periode")
    tahun = TahunFilter(field_name="periode__tahun", min_value=2000, max_value=2100, label="Tahun")
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
        return queryset.search(value)


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
            # Columns of the covering scope index, so PostgreSQL can answer from the index alone.
            total=Count("*"),
            belum=Count("periode", filter=Q(predikat__isnull=True)),
            **{f"p{p}": Count("predikat", filter=Q(predikat=p)) for p in Predikat.values},
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


# ---------------------------------------------------------------------------------------------
# Pages: "SKP saya", "Penilaian bawahan", the SKP page


# What waits for an atasan, per part played and SKP state (only in an open period).
MENUNGGU = {
    "penilai": {
        Status.DIAJUKAN: "Setujui atau kembalikan rencana",
        Status.BERJALAN: "Evaluasi periodik dan penilaian tahunan",
    },
    "atasan_penilai": {
        Status.KEBERATAN: "Putuskan keberatan",
    },
}


def penilaian_bawahan(user):
    """SKPs where the user is pejabat penilai or atasan pejabat penilai."""
    if user.pegawai_id is None:
        return Penilaian.objects.none()
    return Penilaian.objects.visible_to(user).filter(Q(penilai=user.pegawai_id) | Q(atasan_penilai=user.pegawai_id))


def menunggu_q(pegawai_id):
    """The SKPs that wait for an action of this pegawai as an atasan."""
    q = Q(pk__in=[])
    for field_name, states in MENUNGGU.items():
        q |= Q(**{field_name: pegawai_id}, status__in=list(states))
    return q & Q(periode__status=PeriodePenilaian.Status.DIBUKA)


def menunggu_counts(user):
    """[(peran, status, label, count)] of what waits for the user, in one aggregate query."""
    pegawai_id = user.pegawai_id
    if pegawai_id is None:
        return []
    aggregates = {
        f"{field_name}__{status}": Count("pk", filter=Q(**{field_name: pegawai_id}, status=status))
        for field_name, states in MENUNGGU.items()
        for status in states
    }
    counts = penilaian_bawahan(user).filter(periode__status=PeriodePenilaian.Status.DIBUKA).aggregate(**aggregates)
    return [
        (field_name, status, label, counts[f"{field_name}__{status}"])
        for field_name, states in MENUNGGU.items()
        for status, label in states.items()
    ]


def menunggu_label(penilaian, pegawai_id):
    """What this SKP waits for from ``pegawai_id``, or '' (the row form of ``menunggu_q``)."""
    if pegawai_id is None or not penilaian.periode.is_open:
        return ""
    for field_name, states in MENUNGGU.items():
        if getattr(penilaian, f"{field_name}_id") == pegawai_id and penilaian.status in states:
            return states[penilaian.status]
    return ""


def periode_terbuka_tanpa_skp(pegawai):
    """Open periods of the pegawai's instansi in which they have no SKP yet."""
    return (
        PeriodePenilaian.objects.filter(
            instansi_id=pegawai.unit_kerja.instansi_id, status=PeriodePenilaian.Status.DIBUKA
        )
        .exclude(penilaian__pegawai=pegawai)
        .order_by("-tahun")
    )


def is_atasan(user):
    """Has subordinates to appraise, or is a party to someone else's SKP."""
    if user.pegawai_id is None:
        return False
    scope = user.scope
    if Pegawai.objects.filter(scope.subordinate_q()).exists():
        return True
    return Penilaian.objects.filter(Q(penilai=user.pegawai_id) | Q(atasan_penilai=user.pegawai_id)).exists()


def capaian_organisasi(penilaian):
    """The organisation's own result for the SKP's year and perangkat daerah, or None."""
    return CapaianUnit.objects.filter(periode_id=penilaian.periode_id, unit_kerja_id=penilaian.organisasi_id).first()


def rencana_groups(skp, rows):
    """The rows of the SKP document: hasil kerja utama, then tambahan; for JPT each grouped by
    perspektif (DOMAIN §4). [{jenis, label, count, groups: [(perspektif label or '', rows)]}]."""
    sections = []
    for jenis, jenis_label in RencanaHasilKerja.Jenis.choices:
        of_jenis = [r for r in rows if r.jenis == jenis]
        if skp.is_jpt:
            groups = [
                (label, [r for r in of_jenis if r.perspektif == value])
                for value, label in RencanaHasilKerja.Perspektif.choices
            ]
            other = [r for r in of_jenis if r.perspektif not in RencanaHasilKerja.Perspektif.values]
            if other:
                groups.append(("Tanpa perspektif", other))
            groups = [g for g in groups if g[1]]
        else:
            groups = [("", of_jenis)] if of_jenis else []
        sections.append({"jenis": jenis, "label": jenis_label, "groups": groups, "count": len(of_jenis)})
    return sections
