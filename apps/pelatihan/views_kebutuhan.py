"""Pelatihan pages for BKPSDM and atasan: the 20 JP report per unit with its list of pegawai
under 20 JP, the training needs with enrolment, and the competency assessments with the gap
against the standar kompetensi of the jabatan. Also the panel on the pegawai detail page.

Every page starts from ``Pegawai.objects.visible_to``/``manageable_by``: a pegawai outside
answers 404; a page only BKPSDM staff use answers 403 to the others. Writes go through
``apps.pelatihan.services``; their refusals come back as form errors or messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.core import exports
from apps.core.exceptions import DomainError
from apps.core.pagination import paginate
from apps.pegawai.models import KedudukanHukum, Pegawai, UnitKerja

from . import exports as pelatihan_exports
from . import selectors, services
from .forms_kebutuhan import AsesmenForm, DaftarkanForm, VersionForm, pelatihan_choices_for
from .models import JP_WAJIB_PER_TAHUN, STATUS_PESERTA, AsesmenKompetensi, RiwayatPelatihan
from .selectors import Kebutuhan, RekapUnit

PAGE_SIZE = 25
FIRST_YEAR = 2000
YEARS_SHOWN = 6
# ?urut= of the list under 20 JP; the NIP (unique) ends every ordering so pages never overlap.
KURANG_SORTS = {
    "kekurangan": ("-kekurangan_jp", "nama", "nip"),
    "-kekurangan": ("kekurangan_jp", "nama", "nip"),
    "nama": ("nama", "nip"),
}
BAND_CLASS = {
    "Memenuhi Syarat": "badge-success",
    "Masih Memenuhi Syarat": "badge-warning",
    "Kurang Memenuhi Syarat": "badge-delete",
}

# ---------------------------------------------------------------------------------------------
# Helpers


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _pages(queryset, request, per_page=PAGE_SIZE, count=None):
    return paginate(queryset, request, per_page, count=count)


def _require_staff(user):
    if not user.scope.can_manage:
        raise PermissionDenied


def _tahun(request):
    """``?tahun=``, or this year when absent or not a plausible year."""
    this_year = timezone.localdate().year
    tahun = _int_or_none(request.GET.get("tahun"))
    return tahun if tahun is not None and FIRST_YEAR <= tahun <= this_year + 1 else this_year


def _year_choices(tahun):
    this_year = timezone.localdate().year
    return sorted({*range(this_year, this_year - YEARS_SHOWN, -1), tahun}, reverse=True)


def _managed_unit(user, value):
    """``?unit=`` as a unit the user manages; absent is None, anything else outside is 404."""
    if value in (None, ""):
        return None
    pk = _int_or_none(value)
    if pk is None:
        raise Http404
    return get_object_or_404(UnitKerja.objects.manageable_by(user), pk=pk)


def _in_subtree(queryset, unit, field="unit_kerja"):
    if unit is None:
        return queryset
    return queryset.filter(**{f"{field}__in": UnitKerja.objects.subtree_of(unit).values("pk")})


def _aktif(user, unit=None):
    """Active pegawai the user manages, within ``unit``'s subtree: whom the 20 JP rule concerns."""
    return _in_subtree(Pegawai.objects.manageable_by(user).filter(kedudukan_hukum=KedudukanHukum.AKTIF), unit)


def _scope_tops(user):
    """The highest units the user manages: every instansi for a superuser, else the roots of the
    subtrees assigned to the account (without those nested in another)."""
    if user.scope.is_all:
        return list(UnitKerja.objects.roots().order_by("nama", "pk"))
    paths = sorted(user.scope.unit_paths)
    tops = [p for p in paths if not any(p != other and p.startswith(other) for other in paths)]
    return list(UnitKerja.objects.filter(path__in=tops).order_by("nama", "pk"))


def _band_class(band):
    return BAND_CLASS.get(band, "badge-muted")


def _gap_text(gap):
    if gap is None:
        return ""
    return f"−{-gap}" if gap < 0 else (f"+{gap}" if gap > 0 else "0")


def _error_text(exc):
    if isinstance(exc, DomainError):
        return exc.message
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------------------------
# Rekap 20 JP


def _sum_rows(unit, rows):
    total = RekapUnit(unit=unit)
    for row in rows:
        total.jumlah_pegawai += row.jumlah_pegawai
        total.kurang += row.kurang
        total.total_jp += row.total_jp
        total.total_kekurangan += row.total_kekurangan
    return total


def _rekap_rows(user, tahun, induk, tops):
    """One row per child of ``induk``; without ``induk``, one per top unit of the scope."""
    if induk is not None:
        return selectors.rekap_jp_per_unit(_aktif(user, induk), tahun, induk)
    if all(top.parent_id is None for top in tops):
        return selectors.rekap_jp_per_unit(_aktif(user), tahun)
    # Subtrees inside an instansi (rare: an account for one perangkat daerah and another's bidang).
    rows = [_sum_rows(top, selectors.rekap_jp_per_unit(_aktif(user, top), tahun, top)) for top in tops]
    return [row for row in rows if row.jumlah_pegawai]


REKAP_PAGE_SIZE = 50


@login_required
@require_GET
def rekap_jp(request):
    """The 20 JP rule per unit of the scope for one year, with drill-down into sub-units."""
    user = request.user
    _require_staff(user)
    tahun = _tahun(request)
    induk = _managed_unit(user, request.GET.get("unit"))
    tops = [] if induk else _scope_tops(user)
    if induk is None and len(tops) == 1:
        induk = tops[0]
    rows = _rekap_rows(user, tahun, induk, tops)
    fmt = exports.requested_format(request)
    # A dinas may have a thousand schools below it: the page shows fifty units at a time.
    page = None if fmt else paginate(rows, request, per_page=REKAP_PAGE_SIZE)
    shown = rows if fmt else page.object_list
    parents = set(
        UnitKerja.objects.filter(parent__in=[r.unit.pk for r in shown]).values_list("parent_id", flat=True).distinct()
    )
    for row in shown:
        row.is_induk = induk is not None and row.unit.pk == induk.pk
        row.can_drill = not row.is_induk and row.unit.pk in parents
    if fmt:
        total = _sum_rows(induk, rows)
        total.is_total = True
        return exports.export_response(
            # The printed report ends with the total, as the page does; a spreadsheet gets the data rows.
            [*rows, total] if fmt == "pdf" else rows,
            pelatihan_exports.REKAP_JP_COLUMNS,
            fmt,
            filename=f"rekap-jp-{tahun}",
            title=f"Rekap {JP_WAJIB_PER_TAHUN} JP tahun {tahun}",
            subtitle=induk.nama if induk else "Seluruh lingkup",
        )
    trail = []
    if induk is not None:
        trail = list(UnitKerja.objects.manageable_by(user).filter(pk__in=induk.ancestor_ids()[:-1]).order_by("path"))
    context = {
        "tahun": tahun,
        "years": _year_choices(tahun),
        "induk": induk,
        "trail": trail,
        "rows": page.object_list,
        "page": page,
        "total": _sum_rows(induk, rows),
        "wajib": JP_WAJIB_PER_TAHUN,
    }
    return render(request, "pelatihan/kebutuhan/rekap_jp.html", context)


def _kurang_sort(request):
    # By name unless asked: sorting by shortfall computes every pegawai's JP before the first row.
    urut = request.GET.get("urut") or "nama"
    if urut not in KURANG_SORTS:
        urut = "nama"
    return urut, KURANG_SORTS[urut]


@login_required
@require_GET
def rekap_jp_kurang(request):
    """The active pegawai under 20 JP in a year, in a unit's subtree (or the whole scope)."""
    user = request.user
    _require_staff(user)
    tahun = _tahun(request)
    unit = _managed_unit(user, request.GET.get("unit"))
    urut, ordering = _kurang_sort(request)
    rows = selectors.kurang_jp(_aktif(user, unit), tahun).order_by(*ordering)
    fmt = exports.requested_format(request)
    if fmt:
        return exports.export_response(
            rows,
            pelatihan_exports.KURANG_JP_COLUMNS,
            fmt,
            filename=f"pegawai-kurang-jp-{tahun}",
            title=f"Pegawai aktif di bawah {JP_WAJIB_PER_TAHUN} JP tahun {tahun}",
            subtitle=f"{unit.nama} (beserta sub-unit)" if unit else "Seluruh lingkup",
        )
    context = {
        "tahun": tahun,
        "years": _year_choices(tahun),
        "unit": unit,
        "page": _pages(rows, request),
        "urut": urut,
        "wajib": JP_WAJIB_PER_TAHUN,
    }
    return render(request, "pelatihan/kebutuhan/rekap_jp_kurang.html", context)


# ---------------------------------------------------------------------------------------------
# Kebutuhan pelatihan


def _kebutuhan_base(user):
    """Whose needs the user sees and whether they may enrol them: BKPSDM staff the pegawai they
    manage; an atasan their subordinates (read only); anyone else nothing (403)."""
    if user.scope.can_manage:
        return Pegawai.objects.manageable_by(user), True
    if user.scope.pegawai is not None and len(user.scope.own_and_subordinate_ids) > 1:
        return Pegawai.objects.visible_to(user).exclude(pk=user.pegawai_id), False
    raise PermissionDenied


def _chosen_unit(user, value):
    pk = _int_or_none(value)
    return UnitKerja.objects.visible_to(user).filter(pk=pk).first() if pk else None


def _enrolled_message(pelatihan, created, skipped):
    text = f"{len(created)} pegawai didaftarkan pada “{pelatihan.nama}”."
    if skipped:
        names = ", ".join(p.nama_lengkap for p in skipped[:5]) + (" dan lainnya" if len(skipped) > 5 else "")
        text += f" {len(skipped)} pegawai dilewati karena sudah terdaftar: {names}."
    return text


def _registered(items):
    """(pegawai id, pelatihan id) of the recommended trainings a pegawai of the page already
    holds a seat in: shown as such instead of a button. One query."""
    pegawai_ids = [item.pegawai.pk for item in items]
    pelatihan_ids = {t.pk for item in items for t in item.rekomendasi}
    if not pelatihan_ids:
        return set()
    return set(
        RiwayatPelatihan.objects.filter(
            pegawai_id__in=pegawai_ids, pelatihan_id__in=pelatihan_ids, status__in=STATUS_PESERTA
        ).values_list("pegawai_id", "pelatihan_id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def kebutuhan(request):
    """Pegawai with a training need, per kind, with what each needs and the catalogue trainings
    that answer it; BKPSDM staff enrol them from here."""
    user = request.user
    base, can_enrol = _kebutuhan_base(user)
    if request.method == "POST" and not can_enrol:
        raise PermissionDenied
    tahun = timezone.localdate().year
    jenis = request.GET.get("jenis")
    if jenis not in Kebutuhan.ALL:
        jenis = Kebutuhan.ALL[0]
    q = (request.GET.get("q") or "").strip()[:100]
    unit = _chosen_unit(user, request.GET.get("unit_kerja"))
    filtered = _in_subtree(base.search(q), unit)
    fmt = exports.requested_format(request) if request.method == "GET" else None
    if fmt:
        rows = selectors.kebutuhan_qs(filtered, jenis, tahun).order_by("nama", "nip")
        subtitle = "; ".join(
            part for part in (unit and f"Unit kerja: {unit.nama} (beserta sub-unit)", q and f"Cari: {q}") if part
        )
        return exports.export_response(
            pelatihan_exports.kebutuhan_rows(rows, tahun=tahun),
            pelatihan_exports.KEBUTUHAN_COLUMNS,
            fmt,
            filename=f"kebutuhan-pelatihan-{jenis}",
            title=f"Kebutuhan pelatihan – {Kebutuhan.LABELS[jenis]}",
            subtitle=subtitle,
        )

    form = None
    pelatihan_list = []
    if can_enrol:
        pelatihan_qs = pelatihan_choices_for(user)
        form = DaftarkanForm(
            request.POST if request.method == "POST" else None,
            user=user,
            pegawai_qs=Pegawai.objects.visible_to(user),
            pelatihan_qs=pelatihan_qs,
        )
        if request.method == "POST" and form.is_valid():
            pelatihan = form.cleaned_data["pelatihan"]
            try:
                created, skipped = services.daftarkan(
                    actor=user, pelatihan=pelatihan, pegawai_list=list(form.cleaned_data["pegawai"])
                )
            except (ValidationError, DomainError) as exc:
                form.add_service_error(exc)
            else:
                if created:
                    messages.success(request, _enrolled_message(pelatihan, created, skipped))
                else:
                    messages.warning(
                        request,
                        f"Tidak ada pegawai baru yang didaftarkan: {len(skipped)} pegawai yang dipilih "
                        f"sudah terdaftar pada “{pelatihan.nama}”.",
                    )
                return redirect(request.get_full_path())
        pelatihan_list = list(pelatihan_qs)

    counts = _tab_counts(user, filtered, jenis, tahun, (q, request.GET.get("unit_kerja", "")))
    rows = selectors.kebutuhan_qs(filtered, jenis, tahun).order_by("nama", "nip")
    page = _pages(rows, request, count=counts[jenis])
    items = selectors.kebutuhan_detail(list(page.object_list), tahun=tahun)
    registered = _registered(items)
    for item in items:
        for row in item.gap.rows:
            row.gap_text = _gap_text(row.gap)
        item.band_class = _band_class(item.gap.band)
        item.terdaftar = {t.pk for t in item.rekomendasi if (item.pegawai.pk, t.pk) in registered}
    page.object_list = items
    context = {
        "tabs": [(kind, Kebutuhan.LABELS[kind], counts[kind]) for kind in Kebutuhan.ALL],
        "jenis": jenis,
        "jenis_label": Kebutuhan.LABELS[jenis],
        "tahun": tahun,
        "wajib": JP_WAJIB_PER_TAHUN,
        "q": q,
        "unit": unit,
        "unit_value": request.GET.get("unit_kerja", ""),
        "filtered": bool(q or unit),
        "page": page,
        "can_enrol": can_enrol,
        "form": form,
        "pelatihan_list": pelatihan_list,
        "checked": form.checked_ids if form is not None else set(),
    }
    return render(request, "pelatihan/kebutuhan/kebutuhan.html", context)


TAB_COUNT_SECONDS = 300


def _tab_counts(user, filtered, jenis, tahun, filters):
    """The count of the open tab, always fresh; the other tabs show the count last computed for
    this user and these filters (at most five minutes old) or none. Counting all four needs over
    50,000 pegawai on every request would cost most of a second."""
    key = "kebutuhan:{}:{}:{}:{}".format(user.pk, tahun, *(f.replace(":", "") for f in filters))
    counts = {kind: cache.get(f"{key}:{kind}") for kind in Kebutuhan.ALL}
    counts[jenis] = selectors.kebutuhan_qs(filtered, jenis, tahun).count()
    cache.set(f"{key}:{jenis}", counts[jenis], TAB_COUNT_SECONDS)
    return counts


# ---------------------------------------------------------------------------------------------
# Asesmen kompetensi


def _visible_pegawai(user, nip):
    return get_object_or_404(Pegawai.objects.visible_to(user), nip=nip)


def _may_manage(user, pegawai_id):
    return Pegawai.objects.manageable_by(user).filter(pk=pegawai_id).exists()


def _visible_asesmen(user, pk):
    """An assessment of a pegawai the user sees (404 otherwise) and manages (403 otherwise)."""
    row = get_object_or_404(
        AsesmenKompetensi.objects.visible_to(user).select_related("kompetensi", "pegawai__jabatan"), pk=pk
    )
    if not _may_manage(user, row.pegawai_id):
        raise PermissionDenied
    return row


@login_required
@require_GET
def asesmen_pegawai(request, nip):
    """A pegawai's competency gap against the standar kompetensi of the jabatan, the job-person
    match, and the assessment history."""
    user = request.user
    pegawai = _visible_pegawai(user, nip)
    gap = selectors.gap_kompetensi(pegawai)
    for row in gap.rows:
        row.gap_text = _gap_text(row.gap)
    context = {
        "pegawai": pegawai,
        "gap": gap,
        "band_class": _band_class(gap.band),
        "riwayat": AsesmenKompetensi.objects.filter(pegawai=pegawai).select_related("kompetensi"),
        "can_manage": _may_manage(user, pegawai.pk),
    }
    return render(request, "pelatihan/kebutuhan/asesmen_pegawai.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def asesmen_tambah(request, nip):
    user = request.user
    pegawai = _visible_pegawai(user, nip)
    if not _may_manage(user, pegawai.pk):
        raise PermissionDenied
    initial = {"tanggal": timezone.localdate(), "kompetensi": _int_or_none(request.GET.get("kompetensi"))}
    form = AsesmenForm(request.POST or None, pegawai=pegawai, initial=initial)
    if form.is_valid():
        try:
            row = services.asesmen_create(actor=user, pegawai=pegawai, **form.service_kwargs())
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Hasil asesmen {row.kompetensi} level {row.level} tercatat.")
            return redirect("pelatihan:asesmen_pegawai", nip=pegawai.nip)
    return render(request, "pelatihan/kebutuhan/asesmen_form.html", {"form": form, "pegawai": pegawai})


@login_required
@require_http_methods(["GET", "POST"])
def asesmen_ubah(request, pk):
    user = request.user
    row = _visible_asesmen(user, pk)
    pegawai = row.pegawai
    form = AsesmenForm(request.POST or None, pegawai=pegawai, editing=True, initial=AsesmenForm.initial_for(row))
    conflict = False
    if form.is_valid():
        try:
            row = services.asesmen_update(
                actor=user, asesmen=row, expected_version=form.cleaned_data["version"], **form.service_kwargs()
            )
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
            conflict = getattr(exc, "status_code", None) == 409
        else:
            messages.success(request, "Perubahan hasil asesmen tersimpan.")
            return redirect("pelatihan:asesmen_pegawai", nip=pegawai.nip)
    context = {"form": form, "pegawai": pegawai, "row": row, "conflict": conflict}
    return render(request, "pelatihan/kebutuhan/asesmen_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def asesmen_hapus(request, pk):
    """GET asks for confirmation; POST (with the version read) deletes."""
    user = request.user
    row = _visible_asesmen(user, pk)
    if request.method == "POST":
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi.")
            return redirect("pelatihan:asesmen_pegawai", nip=row.pegawai.nip)
        try:
            services.asesmen_delete(actor=user, asesmen=row, expected_version=form.cleaned_data["version"])
        except (ValidationError, DomainError) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"Hasil asesmen {row.kompetensi} ({row.tanggal:%d-%m-%Y}) dihapus.")
        return redirect("pelatihan:asesmen_pegawai", nip=row.pegawai.nip)
    return render(request, "pelatihan/kebutuhan/asesmen_hapus.html", {"row": row, "pegawai": row.pegawai})


# ---------------------------------------------------------------------------------------------
# The panel on the pegawai detail page


def panel_pegawai_context(user, pegawai):
    """What the pegawai detail page shows of competency development: this year's JP against the
    20 JP, the missing leadership training and the job-person match. Five queries. The caller has
    already checked that ``user`` sees ``pegawai``."""
    tahun = timezone.localdate().year
    jp = selectors.jp_tahun(pegawai, tahun)
    gap = selectors.gap_kompetensi(pegawai)
    return {
        "pengembangan": {
            "tahun": tahun,
            "jp": jp,
            "wajib": JP_WAJIB_PER_TAHUN,
            "setengah": JP_WAJIB_PER_TAHUN // 2,  # the bar turns red below half
            "kekurangan": max(JP_WAJIB_PER_TAHUN - jp, 0),
            "kepemimpinan": selectors.kepemimpinan_dibutuhkan([pegawai]).get(pegawai.pk),
            "gap": gap,
            "band_class": _band_class(gap.band),
            "is_self": user.pegawai_id == pegawai.pk,
        }
    }
