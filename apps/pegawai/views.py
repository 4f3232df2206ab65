"""Pegawai pages: list, detail, staff forms, unit kerja tree, jabatan.

Every page starts from the models' ``visible_to``/``manageable_by``: anything outside answers
404, never 403, so a page tells nobody what exists beyond their scope. Writes go through
``apps.pegawai.services``; a view only parses, calls and renders.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.core import audit, exports
from apps.core.exceptions import DomainError
from apps.core.models import AuditLog
from apps.core.pagination import paginate

from . import forms, services
from .filters import PegawaiFilter
from .models import (
    PERSONAL_FIELDS,
    Golongan,
    Jabatan,
    JenisASN,
    JenisJabatan,
    KedudukanHukum,
    Pegawai,
    RiwayatHukumanDisiplin,
    RiwayatJabatan,
    RiwayatPangkat,
    RiwayatPendidikan,
    RiwayatPenghargaan,
    UnitKerja,
)

PAGE_SIZE = 25
AUDIT_ON_DETAIL = 10
AUDIT_PAGE_SIZE = 50
# Beyond this many units the page shows two levels at a time (a full render costs ~0.1 ms and
# 0.5 KB per unit); deeper levels open by focusing a unit.
MAX_TREE_ROWS = 500

# ?urut=<key> or ?urut=-<key>; the NIP (unique) ends every ordering so pages never overlap.
PEGAWAI_SORTS = {
    "nama": ("nama", "nip"),
    "nip": ("nip",),
    "golongan": ("golongan__jenis_asn", "golongan__tingkat", "nama", "nip"),
    "jabatan": ("jabatan__nama", "nama", "nip"),
    "unit": ("unit_kerja__nama", "nama", "nip"),
}
SORT_LABELS = {"nama": "Nama", "nip": "NIP", "golongan": "Golongan", "jabatan": "Jabatan", "unit": "Unit kerja"}

RIWAYAT_MODELS = {
    "jabatan": RiwayatJabatan,
    "pangkat": RiwayatPangkat,
    "pendidikan": RiwayatPendidikan,
    "penghargaan": RiwayatPenghargaan,
    "hukuman-disiplin": RiwayatHukumanDisiplin,
}


# ---------------------------------------------------------------------------------------------
# Helpers


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    # Larger than any bigint: no row can have it.
    return number if 0 < number < 2**63 else None


def _visible_pegawai(request, nip):
    """A pegawai in the user's scope, marked ``can_see_personal``; anything else is 404."""
    user = request.user
    return get_object_or_404(Pegawai.objects.visible_to(user).with_personal_access(user), nip=nip)


def _managed_pegawai(request, nip):
    """A pegawai the user may change; everything else (including 'visible but not managed') is 404."""
    return get_object_or_404(Pegawai.objects.manageable_by(request.user), nip=nip)


def _may_manage(user, pegawai):
    return Pegawai.objects.manageable_by(user).filter(pk=pegawai.pk).exists()


def _chosen(queryset, value):
    """The record behind a chooser's hidden id, to show its name again after a reload."""
    pk = _int_or_none(value)
    return queryset.filter(pk=pk).first() if pk else None


def _pages(queryset, request, per_page=PAGE_SIZE):
    return paginate(queryset, request, per_page)


def _sort(request):
    """The requested ``urut`` if it is known, else by name."""
    urut = request.GET.get("urut") or "nama"
    key = urut.removeprefix("-")
    if key not in PEGAWAI_SORTS:
        urut, key = "nama", "nama"
    fields = PEGAWAI_SORTS[key]
    if urut.startswith("-"):
        fields = tuple(f"-{field}" for field in fields)
    return urut, fields


def _sort_links(urut):
    """Column headers: the link toggles the direction of the current column."""
    links = {}
    for key, label in SORT_LABELS.items():
        active = urut.removeprefix("-") == key
        descending = urut.startswith("-")
        links[key] = {
            "label": label,
            "value": f"-{key}" if active and not descending else key,
            "active": active,
            "descending": active and descending,
        }
    return links


def _audit_rows(entries, *, show_personal):
    """Audit entries for a table, with the pegawai's personal data masked unless it may be shown."""

    def hidden(model, name):
        return not show_personal and model is Pegawai and name in PERSONAL_FIELDS

    return audit.display_rows(entries, is_hidden=hidden)


# Records whose whole history is personal: left out of the history for those who may not see them.
PERSONAL_RECORD_TYPES = ("pegawai.riwayathukumandisiplin",)


def _audit_entries(pegawai, *, show_personal):
    entries = AuditLog.objects.for_pegawai(pegawai.pk).select_related("actor__pegawai")
    return entries if show_personal else entries.exclude(object_type__in=PERSONAL_RECORD_TYPES)


def _render_form(request, template, form, **context):
    return render(request, template, {"form": form, **context})


# ---------------------------------------------------------------------------------------------
# Pegawai list and detail

# The export of the list: what the list shows, never personal data (the list is seen by atasan too).
EXPORT_COLUMNS = [
    exports.Column("NIP", "nip", 20),
    exports.Column("Nama", "nama_lengkap", 32),
    exports.Column("Jenis ASN", "jenis_asn", 10),
    exports.Column("Kedudukan hukum", "get_kedudukan_hukum_display", 16),
    exports.Column("Golongan", "golongan.kode", 10),
    exports.Column("Pangkat", "golongan.pangkat", 24),
    exports.Column("TMT golongan", "tmt_golongan", 14),
    exports.Column("Jabatan", "jabatan.nama", 40),
    exports.Column("Jenis jabatan", lambda p: p.jabatan.get_jenis_display() if p.jabatan_id else "", 16),
    exports.Column("TMT jabatan", "tmt_jabatan", 14),
    exports.Column("Unit kerja", "unit_kerja.nama", 36),
    exports.Column("Pendidikan terakhir", "get_pendidikan_tingkat_display", 12),
]


@login_required
@require_GET
def pegawai_list(request):
    user = request.user
    filterset = PegawaiFilter(request.GET or None, queryset=Pegawai.objects.visible_to(user), request=request)
    urut, ordering = _sort(request)
    fmt = exports.requested_format(request)
    if fmt:
        rows = filterset.qs.order_by(*ordering).select_related("golongan", "jabatan", "unit_kerja")
        return exports.export_response(
            rows,
            EXPORT_COLUMNS,
            fmt,
            filename="pegawai",
            title="Daftar pegawai",
            subtitle=exports.filter_summary(filterset),
        )
    # Sort and slice the ids only, then load the page's rows with their relations: sorting on a
    # joined column (golongan, jabatan, unit) sorts every row in scope, and sorting 100,000 ids is
    # three times faster than sorting 100,000 full-width rows.
    page = _pages(filterset.qs.order_by(*ordering).values_list("pk", flat=True), request)
    rows = Pegawai.objects.select_related("golongan", "jabatan", "unit_kerja").in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    form = filterset.form
    cleaned = form.cleaned_data if form.is_bound else {}
    context = {
        "page": page,
        "filter_form": form,
        "filter_errors": form.errors if form.is_bound else {},
        "filtered": any(
            cleaned.get(name) not in (None, "")
            for name in ("q", "unit_kerja", "golongan", "jenis_jabatan", "jenis_asn", "kedudukan_hukum")
        ),
        "values": request.GET,
        "unit": _chosen(UnitKerja.objects.visible_to(user), request.GET.get("unit_kerja")),
        "golongan_list": Golongan.objects.all(),
        "jenis_jabatan_choices": JenisJabatan.choices,
        "jenis_asn_choices": JenisASN.choices,
        "kedudukan_choices": KedudukanHukum.choices,
        "urut": urut,
        "sorts": _sort_links(urut),
        "can_create": user.scope.can_manage,
    }
    return render(request, "pegawai/list.html", context)


@login_required
@require_GET
def pegawai_detail(request, nip):
    user = request.user
    pegawai = _visible_pegawai(request, nip)
    can_manage = _may_manage(user, pegawai)
    show_personal = pegawai.can_see_personal
    entries = list(_audit_entries(pegawai, show_personal=show_personal)[: AUDIT_ON_DETAIL + 1])
    context = {
        "pegawai": pegawai,
        "atasan_jabatan": pegawai.jabatan.atasan if pegawai.jabatan_id and pegawai.jabatan.atasan_id else None,
        "can_manage": can_manage,
        "show_personal": show_personal,
        "riwayat_jabatan": pegawai.riwayat_jabatan.all(),
        "riwayat_pangkat": pegawai.riwayat_pangkat.select_related("golongan"),
        "riwayat_pendidikan": pegawai.riwayat_pendidikan.all(),
        "riwayat_penghargaan": pegawai.riwayat_penghargaan.all(),
        # A disciplinary record is personal: the pegawai and the staff who manage them.
        "riwayat_hukuman": pegawai.riwayat_hukuman_disiplin.all() if show_personal else None,
        "audit_rows": _audit_rows(entries[:AUDIT_ON_DETAIL], show_personal=show_personal),
        "audit_more": len(entries) > AUDIT_ON_DETAIL,
    }
    # pelatihan builds on pegawai (DESIGN.md): imported here, not at module level.
    from apps.pelatihan.views_kebutuhan import panel_pegawai_context

    context.update(panel_pegawai_context(user, pegawai))
    return render(request, "pegawai/detail.html", context)


@login_required
@require_GET
def pegawai_audit(request, nip):
    pegawai = _visible_pegawai(request, nip)
    show_personal = pegawai.can_see_personal
    page = _pages(_audit_entries(pegawai, show_personal=show_personal), request, per_page=AUDIT_PAGE_SIZE)
    context = {
        "pegawai": pegawai,
        "page": page,
        "audit_rows": _audit_rows(page.object_list, show_personal=show_personal),
    }
    return render(request, "pegawai/audit.html", context)


# ---------------------------------------------------------------------------------------------
# Staff forms


@login_required
@require_http_methods(["GET", "POST"])
def pegawai_create(request):
    user = request.user
    if not user.scope.can_manage:
        raise Http404
    form = forms.PegawaiCreateForm(request.POST or None, user=user)
    if form.is_valid():
        try:
            pegawai = services.pegawai_create(actor=user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Pegawai {pegawai.nama_lengkap} berhasil ditambahkan.")
            return redirect("pegawai:detail", nip=pegawai.nip)
    jabatan = _chosen(Jabatan.objects.manageable_by(user), form["jabatan"].value())
    return _render_form(request, "pegawai/form.html", form, jabatan=jabatan, is_create=True)


@login_required
@require_http_methods(["GET", "POST"])
def pegawai_edit(request, nip):
    user = request.user
    pegawai = _managed_pegawai(request, nip)
    form = forms.PegawaiEditForm(request.POST or None, initial=forms.PegawaiEditForm.initial_for(pegawai))
    conflict = False
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            pegawai = services.pegawai_update(actor=user, pegawai=pegawai, expected_version=version, **data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
            conflict = getattr(exc, "status_code", None) == 409
        else:
            messages.success(request, "Perubahan data pegawai tersimpan.")
            return redirect("pegawai:detail", nip=pegawai.nip)
    return _render_form(request, "pegawai/form.html", form, pegawai=pegawai, conflict=conflict, is_create=False)


RIWAYAT_ADD = {
    "jabatan": (forms.RiwayatJabatanForm, services.riwayat_jabatan_add, "Tambah riwayat jabatan"),
    "pangkat": (forms.RiwayatPangkatForm, services.riwayat_pangkat_add, "Tambah riwayat pangkat"),
    "pendidikan": (forms.RiwayatPendidikanForm, services.riwayat_pendidikan_add, "Tambah riwayat pendidikan"),
    "penghargaan": (forms.RiwayatPenghargaanForm, services.riwayat_penghargaan_add, "Tambah riwayat penghargaan"),
    "hukuman-disiplin": (
        forms.RiwayatHukumanDisiplinForm,
        services.riwayat_hukuman_disiplin_add,
        "Tambah riwayat hukuman disiplin",
    ),
}


def _riwayat_add(request, nip, jenis):
    user = request.user
    pegawai = _managed_pegawai(request, nip)
    form_class, service, title = RIWAYAT_ADD[jenis]
    form = form_class(request.POST or None, user=user, pegawai=pegawai)
    if form.is_valid():
        try:
            service(actor=user, pegawai=pegawai, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Riwayat {jenis.replace('-', ' ')} berhasil ditambahkan.")
            return redirect("pegawai:detail", nip=pegawai.nip)
    jabatan = None
    if "jabatan" in form.fields:
        jabatan = _chosen(Jabatan.objects.manageable_by(user), form["jabatan"].value())
    context = {"pegawai": pegawai, "jenis": jenis, "title": title, "jabatan": jabatan}
    return _render_form(request, "pegawai/riwayat_form.html", form, **context)


@login_required
@require_http_methods(["GET", "POST"])
def riwayat_jabatan_add(request, nip):
    return _riwayat_add(request, nip, "jabatan")


@login_required
@require_http_methods(["GET", "POST"])
def riwayat_pangkat_add(request, nip):
    return _riwayat_add(request, nip, "pangkat")


@login_required
@require_http_methods(["GET", "POST"])
def riwayat_pendidikan_add(request, nip):
    return _riwayat_add(request, nip, "pendidikan")


@login_required
@require_http_methods(["GET", "POST"])
def riwayat_penghargaan_add(request, nip):
    return _riwayat_add(request, nip, "penghargaan")


@login_required
@require_http_methods(["GET", "POST"])
def riwayat_hukuman_disiplin_add(request, nip):
    return _riwayat_add(request, nip, "hukuman-disiplin")


@login_required
@require_http_methods(["GET", "POST"])
def riwayat_delete(request, nip, jenis, pk):
    """GET asks for confirmation; POST deletes."""
    pegawai = _managed_pegawai(request, nip)
    model = RIWAYAT_MODELS[jenis]
    queryset = model.objects.filter(pegawai=pegawai)
    if model is RiwayatPangkat:
        queryset = queryset.select_related("golongan")
    riwayat = get_object_or_404(queryset, pk=pk)
    riwayat.pegawai = pegawai
    if request.method == "POST":
        try:
            services.riwayat_delete(actor=request.user, riwayat=riwayat)
        except (ValidationError, DomainError) as exc:
            message = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
            messages.error(request, message)
        else:
            messages.success(request, f"Riwayat {jenis.replace('-', ' ')} “{riwayat}” dihapus.")
        return redirect("pegawai:detail", nip=pegawai.nip)
    context = {"pegawai": pegawai, "riwayat": riwayat, "jenis": jenis}
    return render(request, "pegawai/riwayat_confirm_delete.html", context)


# ---------------------------------------------------------------------------------------------
# Unit kerja and jabatan


@login_required
@require_GET
def unit_list(request):
    user = request.user
    units = UnitKerja.objects.visible_to(user)
    root = _chosen(units, request.GET.get("unit"))
    pegawai = Pegawai.objects.visible_to(user)
    if root is not None:
        units = units.filter(path__startswith=root.path)
        pegawai = pegawai.filter(unit_kerja__in=UnitKerja.objects.subtree_of(root).values("pk"))
    units = list(units.only("nama", "singkatan", "jenis", "path", "depth").order_by("path"))

    # One aggregate, pegawai per unit id (no join), rolled up in Python along each unit's path.
    direct = dict(pegawai.order_by().values_list("unit_kerja").annotate(n=Count("pk")))
    subtree = defaultdict(int)
    parent_paths = set()
    for unit in units:
        unit.jumlah_langsung = direct.get(unit.pk, 0)
        ids = unit.path.strip("/").split("/")
        for i in range(1, len(ids) + 1):
            subtree["/" + "/".join(ids[:i]) + "/"] += unit.jumlah_langsung
        parent_paths.add(unit.path.rsplit("/", 2)[0] + "/")

    rows = units
    limited = len(units) > MAX_TREE_ROWS
    if limited:
        base_depth = min(u.depth for u in units)
        rows = [u for u in units if u.depth <= base_depth + 1]
    min_depth = min((u.depth for u in rows), default=0)
    for unit in rows:
        unit.level = min(unit.depth - min_depth, 9)
        unit.jumlah = subtree[unit.path]
        unit.punya_anak = unit.path in parent_paths

    context = {
        "rows": rows,
        "root": root,
        "ancestors": (
            UnitKerja.objects.visible_to(user).filter(pk__in=root.ancestor_ids()[:-1]).order_by("path") if root else []
        ),
        "limited": limited,
        "total_units": len(units),
        "total_pegawai": sum(u.jumlah_langsung for u in units),
    }
    return render(request, "pegawai/unit_list.html", context)


@login_required
@require_GET
def jabatan_list(request):
    user = request.user
    form = forms.JabatanFilterForm(request.GET or None)
    jabatan = Jabatan.objects.visible_to(user)
    unit = None
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            jabatan = jabatan.filter(nama__icontains=data["q"])
        if data["jenis"]:
            jabatan = jabatan.filter(jenis=data["jenis"])
        if data["unit_kerja"]:
            unit = _chosen(UnitKerja.objects.visible_to(user), data["unit_kerja"])
            units = UnitKerja.objects.subtree_of(unit).values("pk") if unit else UnitKerja.objects.none()
            jabatan = jabatan.filter(unit_kerja__in=units)
    page = _pages(jabatan.order_by("unit_kerja__path", "eselon", "nama", "pk"), request)
    ids = [j.pk for j in page.object_list]
    holders = (
        dict(
            Pegawai.objects.visible_to(user)
            .filter(jabatan__in=ids)
            .order_by()
            .values_list("jabatan")
            .annotate(n=Count("pk"))
        )
        if ids
        else {}
    )
    for item in page.object_list:
        item.jumlah_pemangku = holders.get(item.pk, 0)
    context = {
        "page": page,
        "form": form,
        "unit": unit,
        "jenis_choices": JenisJabatan.choices,
        "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
    }
    return render(request, "pegawai/jabatan_list.html", context)


@login_required
@require_GET
def jabatan_detail(request, pk):
    user = request.user
    jabatan = get_object_or_404(Jabatan.objects.visible_to(user), pk=pk)
    today = timezone.localdate()
    acting = (
        RiwayatJabatan.objects.visible_to(user)
        .filter(jabatan=jabatan, jenis_penugasan__in=["plt", "plh", "pj"], tmt__lte=today)
        .filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=today))
        .select_related("pegawai")
        .order_by("-tmt")
    )
    context = {
        "jabatan": jabatan,
        "atasan": (
            Jabatan.objects.visible_to(user).filter(pk=jabatan.atasan_id).first() if jabatan.atasan_id else None
        ),
        "bawahan": Jabatan.objects.visible_to(user)
        .filter(atasan=jabatan)
        .order_by("unit_kerja__path", "eselon", "nama"),
        "pemangku": Pegawai.objects.visible_to(user).filter(jabatan=jabatan).order_by("nama", "nip"),
        "pelaksana_tugas": acting,
        "ancestors": UnitKerja.objects.visible_to(user)
        .filter(pk__in=jabatan.unit_kerja.ancestor_ids())
        .order_by("path"),
    }
    return render(request, "pegawai/jabatan_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Home


@login_required
@require_GET
def home(request):
    """Counts for the user's scope; for a pegawai, their own summary and direct subordinates."""
    user = request.user
    scope = user.scope
    context = {"is_staff_view": scope.can_manage}
    if scope.can_manage:
        visible = Pegawai.objects.visible_to(user)
        counts = visible.aggregate(
            total=Count("pk"),
            **{f"asn_{value}": Count("pk", filter=Q(jenis_asn=value)) for value in JenisASN.values},
            **{f"kd_{value}": Count("pk", filter=Q(kedudukan_hukum=value)) for value in KedudukanHukum.values},
        )
        context.update(
            total=counts["total"],
            per_jenis_asn=[(value, label, counts[f"asn_{value}"]) for value, label in JenisASN.choices],
            per_kedudukan=[(value, label, counts[f"kd_{value}"]) for value, label in KedudukanHukum.choices],
            unit_count=UnitKerja.objects.visible_to(user).count(),
            jabatan_count=Jabatan.objects.visible_to(user).count(),
            recent=_recent_changes(visible),
        )
    if user.pegawai_id:
        visible = Pegawai.objects.visible_to(user)
        context["me"] = visible.filter(pk=user.pegawai_id).first()
        if not scope.can_manage:
            context["bawahan"] = list(visible.filter(scope.subordinate_q()).order_by("nama", "nip"))
    return render(request, "home.html", context)


def _recent_changes(visible_pegawai, limit=8):
    """The latest audited changes to pegawai in scope, each with the pegawai it belongs to."""
    entries = list(
        AuditLog.objects.filter(pegawai_id__in=visible_pegawai.values("pk")).select_related("actor__pegawai")[:limit]
    )
    names = visible_pegawai.model.objects.only("nip", "nama", "gelar_depan", "gelar_belakang")
    by_id = names.in_bulk({entry.pegawai_id for entry in entries})
    for entry in entries:
        entry.pegawai = by_id.get(entry.pegawai_id)
    return entries
