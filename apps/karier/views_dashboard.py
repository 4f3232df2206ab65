"""The BKPSDM dashboard page: the figures of ``dashboard.py`` as numbers and server-drawn SVG
charts, each bar linking to the list behind it. BKPSDM staff and superusers only (403 for the
others); a unit outside the user's scope is 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.pegawai.models import UnitKerja
from apps.pelatihan.models import JP_WAJIB_PER_TAHUN

from . import dashboard as figures


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def chosen_unit(user, value, tops):
    """``?unit_kerja=``: absent or empty is the default unit (None: the whole scope); a unit the
    user does not manage, or no id at all, is 404 (the page and the API alike)."""
    if value in (None, ""):
        return figures.default_unit(user, tops)
    pk = _int_or_none(value)
    unit = figures.managed_unit(user, pk) if pk else None
    if unit is None:
        raise Http404
    return unit


def _num(value):
    """An SVG coordinate: a dot decimal whatever the locale."""
    return f"{value:.2f}"


def _bars(rows):
    """Each bar's length as a share of the longest."""
    top = max((r.jumlah for r in rows), default=0)
    for row in rows:
        row.lebar = _num(100 * row.jumlah / top if top else 0)
    return rows


def _stack(segments, total):
    """Segments laid end to end as shares of ``total``; empty ones dropped."""
    x = 0.0
    shown = []
    for seg in segments:
        if not seg.jumlah:
            continue
        share = 100 * seg.jumlah / total
        seg.x, seg.lebar, seg.persen = _num(x), _num(share), round(share, 1)
        x += share
        shown.append(seg)
    return shown


@login_required
@require_GET
def dashboard(request):
    user = request.user
    if not user.scope.can_manage:
        raise PermissionDenied
    tops = figures.scope_tops(user)
    unit = chosen_unit(user, request.GET.get("unit_kerja"), tops)
    board = figures.dashboard_cached(user, unit, tops=tops, segarkan=request.GET.get("segarkan") == "1")

    _bars(board.per_unit)
    _bars(board.per_golongan)
    _bars(board.per_jenis_jabatan)
    asn_stack = _stack(board.per_jenis_asn, board.total_pegawai)
    for row in board.predikat_per_unit:
        row.stack = _stack(list(row.segmen), row.jumlah)
    # Bars whose unit has sub-units open the dashboard one level down.
    # (The bar of "the other units" has no kode, the unit itself no sub-units of its own.)
    keys = {int(r.kode) for r in board.per_unit if r.kode} - {unit.pk if unit else None}
    with_children = set(
        UnitKerja.objects.filter(parent__in=keys).order_by().values_list("parent_id", flat=True).distinct()
    )
    for row in board.per_unit:
        row.rinci = bool(row.kode) and int(row.kode) in with_children
    trail = []
    if unit is not None:
        trail = list(
            UnitKerja.objects.manageable_by(user).filter(pk__in=unit.ancestor_ids()[:-1]).only("nama").order_by("path")
        )
    context = {
        "board": board,
        "unit": unit,
        "trail": trail,
        "many_tops": len(tops) > 1,
        "asn_stack": asn_stack,
        "predikat_legend": board.predikat_per_unit[0].segmen if board.predikat_per_unit else [],
        "wajib": JP_WAJIB_PER_TAHUN,
        "sertifikat_note": f"Terverifikasi, berakhir dalam {board.sertifikat_window} hari",
    }
    return render(request, "karier/dashboard.html", context)
