"""Standar kinerja pages: the list of jabatan with their standard, the standard of one jabatan,
and BKPSDM staff's edit, copy and catalogue pages.

Reading starts from ``selectors.standar_visible`` (every jabatan the user may see: a pegawai
sees the standard expected of them); changing from ``selectors.standar_manageable``. Anything
outside answers 404. Writes go through ``services``; a view parses, calls and renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.drf import MAX_ID
from apps.core.exceptions import DomainError
from apps.core.models import AuditLog
from apps.core.pagination import paginate
from apps.pegawai.models import JenisJabatan, UnitKerja

from . import forms, selectors, services
from .models import Kompetensi, StandarKompetensi

PAGE_SIZE = 25
HISTORY_ON_DETAIL = 10
# The copy page lists at most this many candidate jabatan; beyond it, narrow the search or use
# "every jabatan with the same name".
CANDIDATE_LIMIT = 100
MORE_ROWS = 3
STANDAR_KEYS = ("standar_kinerja", "standar_kompetensi", "standar_disalin_dari")


# ---------------------------------------------------------------------------------------------
# Helpers


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _chosen(queryset, value):
    """The record behind a chooser's hidden id, to show its name again after a reload."""
    pk = _int_or_none(value)
    return queryset.filter(pk=pk).first() if pk else None


def _pages(queryset, request, per_page=PAGE_SIZE):
    return paginate(queryset, request, per_page)


def _managed(request, pk):
    """A jabatan whose standard the user may change; anything else (also 'visible only') is 404."""
    return get_object_or_404(selectors.standar_manageable(request.user), pk=pk)


def _actor_name(actor):
    if actor is None:
        return "Sistem"
    if actor.pegawai_id and actor.pegawai is not None:
        return actor.pegawai.nama_lengkap
    return actor.get_full_name() or actor.username


def _history_lines(changes):
    """Readable lines for one audit entry of a standard (see the services' ``changes``)."""
    lines = []
    for key, diff in (changes.get("standar_kinerja") or {}).items():
        if key.startswith("dihapus"):
            lines.append(f"Indikator dihapus: {diff[0]}")
        elif isinstance(diff, dict) and diff.get("uraian", [None])[0] is None and "uraian" in diff:
            lines.append(f"Indikator ditambahkan: {diff['uraian'][1]}")
        elif isinstance(diff, dict):
            fields = ", ".join(sorted(diff))
            lines.append(f"Indikator diubah ({fields})")
    for kode, (old, new) in (changes.get("standar_kompetensi") or {}).items():
        if old is None:
            lines.append(f"{kode} dipersyaratkan level {new}")
        elif new is None:
            lines.append(f"{kode} tidak lagi dipersyaratkan (sebelumnya level {old})")
        else:
            lines.append(f"{kode}: level {old} → {new}")
    if "standar_disalin_dari" in changes:
        source = changes["standar_disalin_dari"][1]
        replaced = (changes.get("diganti") or [None, True])[1]
        mode = "mengganti standar sebelumnya" if replaced else "ditambahkan ke standar yang ada"
        lines.append(f"Disalin dari {source} ({mode})")
    return lines


def _history(jabatan, limit):
    has_standar = Q()
    for key in STANDAR_KEYS:
        has_standar |= Q(changes__has_key=key)
    entries = AuditLog.objects.for_object(jabatan).filter(has_standar).select_related("actor__pegawai")[:limit]
    return [{"entry": e, "actor": _actor_name(e.actor), "lines": _history_lines(e.changes)} for e in entries]


# ---------------------------------------------------------------------------------------------
# Reading


@login_required
@require_GET
def index(request):
    user = request.user
    filterset = selectors.StandarPageFilter(
        request.GET or None, queryset=selectors.standar_visible(user), request=request
    )
    jabatan = selectors.with_counts(filterset.qs).order_by("unit_kerja__path", "eselon", "nama", "pk")
    page = _pages(jabatan, request)
    form = filterset.form
    cleaned = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    pegawai = user.scope.pegawai
    context = {
        "page": page,
        "form": form,
        "filter_errors": form.errors if form.is_bound else {},
        "filtered": any(cleaned.get(name) not in (None, "") for name in ("q", "unit_kerja", "jenis", "standar")),
        "unit": _chosen(UnitKerja.objects.visible_to(user), request.GET.get("unit_kerja")),
        "jenis_choices": JenisJabatan.choices,
        "standar_choices": selectors.StandarFilter.base_filters["standar"].extra["choices"],
        "own_jabatan_id": pegawai.jabatan_id if pegawai is not None else None,
        "can_manage": user.scope.can_manage,
    }
    return render(request, "standar_kinerja/index.html", context)


@login_required
@require_GET
def detail(request, pk):
    user = request.user
    jabatan = get_object_or_404(selectors.with_standar(selectors.standar_visible(user)), pk=pk)
    indikator = list(jabatan.indikator_kinerja.all())
    kompetensi = list(jabatan.standar_kompetensi.all())
    can_manage = selectors.standar_manageable(user).filter(pk=jabatan.pk).exists()
    pegawai = user.scope.pegawai
    context = {
        "jabatan": jabatan,
        "indikator": indikator,
        "total_bobot": selectors.total_bobot(indikator),
        "kompetensi": kompetensi,
        "can_manage": can_manage,
        "is_own": pegawai is not None and pegawai.jabatan_id == jabatan.pk,
        "history": _history(jabatan, HISTORY_ON_DETAIL) if can_manage else [],
    }
    return render(request, "standar_kinerja/detail.html", context)


# ---------------------------------------------------------------------------------------------
# Changing (BKPSDM staff, in their scope)


def _more_rows(data, prefix):
    """The posted formset with MORE_ROWS empty rows added, for the "add rows" button (no JS)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    total = _int_or_none(data.get(key)) or 0
    data[key] = str(min(total + MORE_ROWS, forms.MAX_ROWS))
    return data


@login_required
@require_http_methods(["GET", "POST"])
def indikator_edit(request, pk):
    user = request.user
    jabatan = _managed(request, pk)
    prefix = "indikator"
    conflict = False
    if request.method == "POST" and "tambah_baris" in request.POST:
        # Re-show what was typed with more empty rows; nothing is saved.
        versi_form = forms.VersiForm(request.POST)
        formset = forms.IndikatorFormSet(_more_rows(request.POST, prefix), prefix=prefix)
    elif request.method == "POST":
        versi_form = forms.VersiForm(request.POST)
        formset = forms.IndikatorFormSet(request.POST, prefix=prefix)
        if not versi_form.is_valid():
            formset.is_valid()
            formset.non_form_errors().append("Halaman ini tidak lengkap. Muat ulang halaman lalu ulangi perubahan.")
            conflict = True
        elif formset.is_valid():
            try:
                services.indikator_save_all(
                    actor=user,
                    jabatan=jabatan,
                    rows=formset.rows(),
                    expected_versi=versi_form.cleaned_data["versi"],
                )
            except (ValidationError, DomainError) as exc:
                formset.add_service_error(exc)
                conflict = getattr(exc, "status_code", None) == 409
            else:
                messages.success(request, f"Indikator kinerja {jabatan.nama} tersimpan.")
                return redirect("standar_kinerja:detail", pk=jabatan.pk)
    else:
        indikator = list(jabatan.indikator_kinerja.order_by("urutan", "id"))
        versi_form = forms.VersiForm(initial={"versi": selectors.standar_versi(jabatan)})
        formset = forms.IndikatorFormSet(initial=forms.indikator_initial(indikator), prefix=prefix)
    context = {"jabatan": jabatan, "formset": formset, "versi_form": versi_form, "conflict": conflict}
    return render(request, "standar_kinerja/indikator_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def kompetensi_edit(request, pk):
    user = request.user
    jabatan = _managed(request, pk)
    current = dict(StandarKompetensi.objects.filter(jabatan=jabatan).values_list("kompetensi_id", "level"))
    # Every manajerial and sosial kultural competency; of the (growing) teknis catalogue, those
    # this jabatan requires, plus one just added to the catalogue for it (?tambah=<id>).
    shown = Q(kelompok__in=[Kompetensi.Kelompok.MANAJERIAL, Kompetensi.Kelompok.SOSIAL_KULTURAL])
    shown |= Q(pk__in=list(current))
    extra = _int_or_none(request.GET.get("tambah"))
    if extra:
        shown |= Q(pk=extra)
    rows = list(Kompetensi.objects.filter(shown).order_by("kelompok", "kode"))
    initial = {"versi": selectors.standar_versi(jabatan)} if request.method == "GET" else None
    form = forms.KompetensiLevelForm(request.POST or None, initial=initial, rows=rows, current=current)
    conflict = False
    if form.is_valid():
        try:
            services.kompetensi_save_all(
                actor=user, jabatan=jabatan, levels=form.levels(), expected_versi=form.cleaned_data["versi"]
            )
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
            conflict = getattr(exc, "status_code", None) == 409
        else:
            messages.success(request, f"Standar kompetensi {jabatan.nama} tersimpan.")
            return redirect("standar_kinerja:detail", pk=jabatan.pk)
    context = {
        "jabatan": jabatan,
        "form": form,
        "conflict": conflict,
        "tambah": _chosen(Kompetensi.objects.all(), form["tambah"].value()),
    }
    return render(request, "standar_kinerja/kompetensi_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def salin(request, pk):
    user = request.user
    source = get_object_or_404(selectors.with_standar(selectors.standar_manageable(user)), pk=pk)
    candidates = selectors.standar_manageable(user).exclude(pk=source.pk)
    same_name = candidates.filter(nama__iexact=source.nama)
    # Which candidates to list: by name (the source's name to begin with) and unit subtree.
    # PostgreSQL refuses a NUL character in a query parameter.
    cari = (request.GET.get("cari", source.nama) or "").replace("\x00", "").strip()[:100]
    unit = _chosen(UnitKerja.objects.visible_to(user), request.GET.get("unit_kerja"))
    listed = candidates
    if cari:
        listed = listed.filter(nama__icontains=cari)
    if unit is not None:
        listed = listed.filter(unit_kerja__in=UnitKerja.objects.subtree_of(unit).values("pk"))
    listed = list(selectors.with_counts(listed).order_by("unit_kerja__path", "nama", "pk")[: CANDIDATE_LIMIT + 1])
    form = forms.SalinForm(request.POST or None, candidates=candidates, same_name=same_name)
    if form.is_valid():
        targets = form.cleaned_data["targets"]
        try:
            copied = services.standar_copy(
                actor=user, source=source, targets=targets, replace=form.cleaned_data["replace"]
            )
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Standar {source.nama} disalin ke {copied} jabatan.")
            return redirect("standar_kinerja:detail", pk=source.pk)
    if form.is_bound:
        checked = {_int_or_none(value) for value in request.POST.getlist("targets")}
    else:
        checked = {j.pk for j in listed if j.nama.casefold() == source.nama.casefold()}
    context = {
        "source": source,
        "indikator": list(source.indikator_kinerja.all()),
        "kompetensi": list(source.standar_kompetensi.all()),
        "form": form,
        "listed": listed[:CANDIDATE_LIMIT],
        "more": len(listed) > CANDIDATE_LIMIT,
        "checked": checked,
        "same_name_count": same_name.count(),
        "cari": cari,
        "unit": unit,
    }
    return render(request, "standar_kinerja/salin.html", context)


# ---------------------------------------------------------------------------------------------
# Competency catalogue


@login_required
@require_GET
def kompetensi_list(request):
    filterset = selectors.KompetensiFilter(request.GET or None, queryset=Kompetensi.objects.all())
    page = _pages(filterset.qs.order_by("kelompok", "kode", "pk"), request)
    form = filterset.form
    context = {
        "page": page,
        "form": form,
        "kelompok_choices": Kompetensi.Kelompok.choices,
        "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
        "can_manage": request.user.scope.can_manage,
    }
    return render(request, "standar_kinerja/kompetensi_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def kompetensi_create(request):
    user = request.user
    if not user.scope.can_manage:
        raise Http404
    # Coming from a jabatan's kompetensi page: go back there with the new competency ready.
    jabatan = _chosen(selectors.standar_manageable(user), request.GET.get("jabatan"))
    form = forms.KompetensiTeknisForm(request.POST or None)
    if form.is_valid():
        try:
            kompetensi = services.kompetensi_teknis_create(actor=user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Kompetensi teknis {kompetensi.kode} {kompetensi.nama} ditambahkan ke katalog.")
            if jabatan is not None:
                url = reverse("standar_kinerja:kompetensi_edit", kwargs={"pk": jabatan.pk})
                return redirect(f"{url}?tambah={kompetensi.pk}")
            return redirect("standar_kinerja:kompetensi_list")
    return render(request, "standar_kinerja/kompetensi_create.html", {"form": form, "jabatan": jabatan})
