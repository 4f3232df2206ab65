"""Karier pages: kenaikan pangkat, KGB and pensiun lists, the talent matrix with its boxes and
succession, and the career page of one pegawai.

The lists are BKPSDM tools over the pegawai the user manages (``Pegawai.objects.manageable_by``):
anyone else gets 403. The career page follows the pegawai: whoever sees them
(``visible_to``; 404 outside), with disciplinary records only for those who may see personal
data. Each list takes its rows from one ``_<list>_rows(request)`` function that returns the
filter form and the queryset, so that an export can reuse it.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from apps.core import exports
from apps.core.pagination import paginate
from apps.pegawai.models import MANAJERIAL, Jabatan, Pegawai

from . import exports as karier_exports
from . import forms, selectors, talent

PAGE_SIZE = 25
SUKSESI_PAGE_SIZE = 10


# ---------------------------------------------------------------------------------------------
# Helpers


def _pages(queryset, request, per_page=PAGE_SIZE, count=None):
    return paginate(queryset, request, per_page, count=count)


def staff_only(view):
    """The lists are BKPSDM tools: others are refused outright (403), the page is no secret."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.scope.can_manage:
            message = "Halaman ini hanya untuk staf BKPSDM."
            return render(request, "karier/ditolak.html", {"message": message}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _scope(request, form):
    """The managed pegawai narrowed by the form's unit kerja and search; None when the form is invalid."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    pegawai = selectors.in_unit(Pegawai.objects.manageable_by(request.user), data["unit_kerja"])
    return pegawai.search(data["q"]) if data.get("q") else pegawai


def _context(form, **extra):
    valid = form.is_valid()
    return {
        "form": form,
        "data": form.cleaned_data if valid else {},
        "unit": form.cleaned_data.get("unit_kerja") if valid else None,
        "filtered": form.filtered,
        "filter_errors": [
            (form.fields[name].label if name in form.fields else "Filter", errors)
            for name, errors in form.errors.items()
        ],
        **extra,
    }


# ---------------------------------------------------------------------------------------------
# Kenaikan pangkat


def _kp_rows(request):
    """(form, the pegawai of the chosen group on the chosen KP date, ordered)."""
    form = forms.KenaikanPangkatForm(request.GET, user=request.user)
    pegawai = _scope(request, form)
    if pegawai is None:
        return form, Pegawai.objects.none()
    data = form.cleaned_data
    return form, selectors.kp_filter(pegawai, data["periode"], data["status"]).order_by("nama", "nip")


@login_required
@require_GET
@staff_only
def kenaikan_pangkat(request):
    form, rows = _kp_rows(request)
    fmt = exports.requested_format(request)
    if fmt and form.is_valid():
        return karier_exports.kenaikan_pangkat(form, rows, fmt)
    counts, page, baris = None, None, []
    if form.is_valid():
        data = form.cleaned_data
        counts = selectors.kp_jumlah(_scope(request, form), data["periode"])
        page = _pages(rows, request, count=counts[data["status"]])
        baris = selectors.kp_baris(page.object_list, data["periode"])
    context = _context(
        form,
        page=page,
        baris=baris,
        counts=counts,
        status_choices=selectors.STATUS_KP,
    )
    return render(request, "karier/kenaikan_pangkat.html", context)


# ---------------------------------------------------------------------------------------------
# KGB and pensiun


def _kgb_rows(request):
    """(form, the pegawai whose KGB falls in the window, soonest first)."""
    form = forms.KgbForm(request.GET, user=request.user)
    pegawai = _scope(request, form)
    if pegawai is None:
        return form, Pegawai.objects.none()
    return form, selectors.kgb_filter(pegawai, *form.jendela())


@login_required
@require_GET
@staff_only
def kgb(request):
    form, rows = _kgb_rows(request)
    fmt = exports.requested_format(request)
    if fmt and form.is_valid():
        return karier_exports.kgb(form, rows, fmt)
    page, baris, window = None, [], None
    if form.is_valid():
        window = form.jendela()
        page = _pages(rows, request)
        baris = selectors.kgb_baris(page.object_list, window[0])
    context = _context(form, page=page, baris=baris, window=window, bulan=selectors.KGB_BULAN)
    return render(request, "karier/kgb.html", context)


def _pensiun_rows(request):
    """(form, the pegawai who retire or whose agreement ends in the window, soonest first)."""
    form = forms.PensiunForm(request.GET, user=request.user)
    pegawai = _scope(request, form)
    if pegawai is None:
        return form, Pegawai.objects.none()
    return form, selectors.pensiun_filter(pegawai, *form.jendela())


@login_required
@require_GET
@staff_only
def pensiun(request):
    form, rows = _pensiun_rows(request)
    fmt = exports.requested_format(request)
    if fmt and form.is_valid():
        return karier_exports.pensiun(form, rows, fmt)
    page, baris, window = None, [], None
    if form.is_valid():
        window = form.jendela()
        page = _pages(rows, request)
        baris = selectors.pensiun_baris(page.object_list)
    context = _context(form, page=page, baris=baris, window=window, bulan=selectors.PENSIUN_BULAN)
    return render(request, "karier/pensiun.html", context)


# ---------------------------------------------------------------------------------------------
# Talent matrix and succession


def _talenta_matriks(request):
    """(form, ``talent.Matriks`` of the managed pegawai in the unit, or None when the form is invalid)."""
    form = forms.TalentaForm(request.GET, user=request.user)
    pegawai = _scope(request, form)
    return form, (talent.matriks(pegawai) if pegawai is not None else None)


@login_required
@require_GET
@staff_only
def talenta(request):
    form, m = _talenta_matriks(request)
    context = _context(
        form,
        matriks=m,
        grid=selectors.grid(m) if m is not None else [],
        kotak=selectors.kotak_list(m) if m is not None else [],
    )
    return render(request, "karier/talenta.html", context)


def _talenta_kotak_rows(request, kotak):
    """(form, the pegawai of box ``kotak`` by name, the ``talent.Matriks`` they come from)."""
    form, m = _talenta_matriks(request)
    if m is None:
        return form, Pegawai.objects.none(), None
    rows = Pegawai.objects.filter(pk__in=m.kotak[kotak]).select_related("golongan", "jabatan", "unit_kerja")
    return form, rows.order_by("nama", "nip"), m


@login_required
@require_GET
@staff_only
def talenta_kotak(request, kotak):
    if not 1 <= kotak <= 9:
        raise Http404
    form, rows, m = _talenta_kotak_rows(request, kotak)
    fmt = exports.requested_format(request)
    if fmt and m is not None:
        return karier_exports.talenta_kotak(form, rows, m, kotak, fmt)
    page = None
    if m is not None:
        page = _pages(rows, request, count=m.jumlah(kotak))
        for pegawai in page.object_list:
            pegawai.jpm = m.jpm.get(pegawai.pk)
            pegawai.predikat_label = selectors.predikat_label(m.predikat.get(pegawai.pk))
    context = _context(form, page=page, kotak=selectors.Kotak(kotak, m.jumlah(kotak) if m else 0))
    return render(request, "karier/talenta_kotak.html", context)


def _suksesi_rows(request):
    """(form, the managerial jabatan in scope and unit, the managed pegawai the pool comes from)."""
    form = forms.SuksesiForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, Jabatan.objects.none(), Pegawai.objects.none()
    data = form.cleaned_data
    user = request.user
    jabatan = Jabatan.objects.manageable_by(user).filter(jenis__in=list(MANAJERIAL))
    if data["unit_kerja"] is not None:
        jabatan = jabatan.filter(unit_kerja__path__startswith=data["unit_kerja"].path)
    if data["q"]:
        jabatan = jabatan.filter(nama__icontains=data["q"])
    # Candidates come from the whole talent pool the user manages: rotation crosses units.
    return form, jabatan.order_by("unit_kerja__path", "nama", "pk"), Pegawai.objects.manageable_by(user)


@login_required
@require_GET
@staff_only
def suksesi(request):
    from apps.pelatihan.models import KEPEMIMPINAN_UNTUK_JABATAN, Kepemimpinan

    form, jabatan, pegawai = _suksesi_rows(request)
    fmt = exports.requested_format(request)
    if fmt and form.is_valid():
        return karier_exports.suksesi(form, jabatan, pegawai, fmt)
    page, rows = None, []
    if form.is_valid():
        page = _pages(jabatan.values_list("pk", flat=True), request, per_page=SUKSESI_PAGE_SIZE)
        ids = list(page.object_list)
        if ids:
            m = talent.matriks(pegawai)
            rows = talent.suksesi(pegawai, Jabatan.objects.filter(pk__in=ids), matriks_result=m)
        for row in rows:
            needed = KEPEMIMPINAN_UNTUK_JABATAN.get(row.jabatan.jenis)
            row.kepemimpinan_label = Kepemimpinan(needed).label.split(" (")[0] if needed else None
    return render(request, "karier/suksesi.html", _context(form, page=page, rows=rows))


# ---------------------------------------------------------------------------------------------
# The career page of one pegawai


def _url_or_empty(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _timeline_urls(kind, obj):
    if kind == "skp":
        return _url_or_empty("penilaian:detail", pk=obj.pk)
    if kind == "pelatihan":
        return _url_or_empty("pelatihan:riwayat", pk=obj.pk)
    if kind == "sertifikat":
        return _url_or_empty("sertifikasi:detail", pk=obj.pk)
    return ""


@login_required
@require_GET
def karier_pegawai(request, nip):
    user = request.user
    pegawai = get_object_or_404(Pegawai.objects.visible_to(user).with_personal_access(user), nip=nip)
    show_personal = pegawai.can_see_personal
    context = {
        "pegawai": pegawai,
        "show_personal": show_personal,
        "linimasa": selectors.linimasa(pegawai, show_personal=show_personal, urls=_timeline_urls),
        "menuju_pangkat": selectors.menuju_pangkat(pegawai, show_personal=show_personal),
        "menuju_jenjang": selectors.menuju_jenjang(pegawai),
        "is_staff": user.scope.can_manage,
    }
    return render(request, "karier/pegawai.html", context)
