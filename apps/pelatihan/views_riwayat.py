"""Lists of training records: every record of the pegawai a BKPSDM account manages, with its
filters, and one pegawai's records with their JP per year. Both download as XLSX, CSV and PDF.

The staff list starts from ``RiwayatPelatihan.objects.manageable_by`` (others get 403); the
per-pegawai page from ``Pegawai.objects.visible_to`` (a pegawai outside answers 404).
"""

import django_filters
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.core import exports
from apps.core.drf import IdFilter
from apps.core.models import name_or_nip_search
from apps.core.pagination import paginate
from apps.pegawai.models import Pegawai, UnitKerja

from .exports import RIWAYAT_COLUMNS, RIWAYAT_PEGAWAI_COLUMNS
from .filters import TAHUN_MAX, TAHUN_MIN, TahunFilter, subtree
from .models import JP_WAJIB_PER_TAHUN, STATUS_DIAKUI, JenisDiklat, Kepemimpinan, RiwayatPelatihan, Status

PAGE_SIZE = 25
YA_TIDAK = [("ya", "Ya"), ("tidak", "Tidak")]


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _forbidden(request, message):
    return render(request, "pelatihan/ditolak.html", {"message": message}, status=403)


class RiwayatDaftarFilter(django_filters.FilterSet):
    """The filters of the staff list of training records."""

    q = django_filters.CharFilter(method="filter_q", max_length=100, label="Cari nama atau NIP pegawai")
    unit_kerja = IdFilter(method="filter_unit_kerja", label="Unit kerja (beserta sub-unit)")
    tahun = TahunFilter(field_name="tanggal_selesai__year", label="Tahun selesai")
    status = django_filters.ChoiceFilter(choices=Status.choices, label="Status")
    sumber = django_filters.ChoiceFilter(choices=RiwayatPelatihan.Sumber.choices, label="Sumber")
    jenis_diklat = django_filters.TypedChoiceFilter(choices=JenisDiklat.choices, coerce=int, label="Jenis diklat")
    kepemimpinan = django_filters.ChoiceFilter(choices=Kepemimpinan.choices, label="Pelatihan kepemimpinan")
    diakui = django_filters.ChoiceFilter(choices=YA_TIDAK, method="filter_diakui", label="JP diakui")

    class Meta:
        model = RiwayatPelatihan
        fields = ["q", "unit_kerja", "tahun", "status", "sumber", "jenis_diklat", "kepemimpinan", "diakui"]

    def filter_q(self, queryset, name, value):
        return name_or_nip_search(queryset, value, nama="pegawai__nama", nip="pegawai__nip")

    def filter_unit_kerja(self, queryset, name, value):
        # A unit outside the scope matches nothing; the scoped queryset already limits the rows.
        return subtree(queryset, "pegawai__unit_kerja", value)

    def filter_diakui(self, queryset, name, value):
        diakui = {"status__in": STATUS_DIAKUI, "jp_diakui__gt": 0}
        return queryset.filter(**diakui) if value == "ya" else queryset.exclude(**diakui)


@login_required
@require_GET
def riwayat_daftar(request):
    """Every training record of the pegawai the staff member manages, newest first."""
    user = request.user
    if not user.scope.can_manage:
        return _forbidden(request, "Daftar riwayat pelatihan untuk staf BKPSDM.")
    filterset = RiwayatDaftarFilter(request.GET or None, queryset=RiwayatPelatihan.objects.manageable_by(user))
    rows = filterset.qs.select_related("pegawai__unit_kerja").order_by("-tanggal_selesai", "-pk")
    fmt = exports.requested_format(request)
    if fmt:
        return exports.export_response(
            rows,
            RIWAYAT_COLUMNS,
            fmt,
            filename="riwayat-pelatihan",
            title="Riwayat pelatihan pegawai",
            subtitle=exports.filter_summary(filterset),
        )
    page = paginate(rows, request, PAGE_SIZE)
    form = filterset.form
    cleaned = form.cleaned_data if form.is_bound else {}
    unit_pk = _int_or_none(request.GET.get("unit_kerja"))
    tahun_ini = timezone.localdate().year
    context = {
        "page": page,
        "values": request.GET,
        "filter_errors": form.errors if form.is_bound else {},
        "filtered": any(cleaned.get(name) not in (None, "") for name in RiwayatDaftarFilter.Meta.fields),
        "unit": UnitKerja.objects.manageable_by(user).filter(pk=unit_pk).first() if unit_pk else None,
        "tahun_choices": [(str(t), str(t)) for t in range(tahun_ini + 1, tahun_ini - 10, -1)],
        "status_choices": Status.choices,
        "sumber_choices": RiwayatPelatihan.Sumber.choices,
        "jenis_choices": [(str(value), label) for value, label in JenisDiklat.choices],
        "kepemimpinan_choices": Kepemimpinan.choices,
        "diakui_choices": YA_TIDAK,
    }
    return render(request, "pelatihan/riwayat/daftar.html", context)


def _jp_per_tahun(pegawai, tahun_ini):
    """The confirmed JP of each year with any, and this year even without: the 20 JP duty."""
    rows = {
        row["tahun"]: row
        for row in RiwayatPelatihan.objects.diakui()
        .filter(pegawai=pegawai)
        .annotate(tahun=ExtractYear("tanggal_selesai"))
        .order_by()
        .values("tahun")
        .annotate(total=Sum("jp_diakui"), jumlah=Count("pk"))
    }
    rows.setdefault(tahun_ini, {"tahun": tahun_ini, "total": 0, "jumlah": 0})
    result = sorted(rows.values(), key=lambda row: row["tahun"], reverse=True)
    for row in result:
        row["kurang"] = max(JP_WAJIB_PER_TAHUN - row["total"], 0)
    return result


@login_required
@require_GET
def riwayat_pegawai(request, nip):
    """One pegawai's training records, newest first, with the JP that count per year; for whoever
    sees the pegawai."""
    user = request.user
    pegawai = get_object_or_404(Pegawai.objects.visible_to(user), nip=nip)
    tahun_ini = timezone.localdate().year
    per_tahun = _jp_per_tahun(pegawai, tahun_ini)
    tahun = _int_or_none(request.GET.get("tahun"))
    if tahun is not None and not TAHUN_MIN <= tahun <= TAHUN_MAX:
        tahun = None
    rows = RiwayatPelatihan.objects.filter(pegawai=pegawai).order_by("-tanggal_mulai", "-pk")
    if tahun is not None:
        rows = rows.filter(tanggal_selesai__year=tahun)
    fmt = exports.requested_format(request)
    if fmt:
        summary = ", ".join(f"{row['tahun']}: {row['total']} JP" for row in per_tahun)
        return exports.export_response(
            rows,
            RIWAYAT_PEGAWAI_COLUMNS,
            fmt,
            filename=f"riwayat-pelatihan-{pegawai.nip}",
            title=f"Riwayat pelatihan {pegawai.nama_lengkap}",
            subtitle=(
                f"NIP {pegawai.nip_display} · {pegawai.unit_kerja.nama}"
                + (f" · tahun selesai {tahun}" if tahun else "")
                + f" · JP diakui per tahun: {summary}"
            ),
        )
    context = {
        "pegawai": pegawai,
        "page": paginate(rows, request, PAGE_SIZE),
        "per_tahun": per_tahun,
        "tahun": tahun,
        "tahun_ini": tahun_ini,
        "wajib": JP_WAJIB_PER_TAHUN,
    }
    return render(request, "pelatihan/riwayat/pegawai.html", context)
