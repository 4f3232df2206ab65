"""SKP pages: periods, "SKP saya", "Penilaian bawahan", the BKPSDM list and distribution, the
SKP page with its workflow, the evidence files and the printable document.

Every page starts from the models' ``visible_to``/``manageable_by``; anything outside is 404.
Every change goes through ``apps.penilaian.services`` (or ``bulk``); the buttons shown are
``services.allowed_steps``. A refused step shows the service's message and changes nothing.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core import audit, exports
from apps.core.exceptions import ConflictError, DomainError
from apps.core.models import AuditLog
from apps.core.pagination import paginate
from apps.core.uploads import serve_evidence
from apps.pegawai.models import UnitKerja

from . import bulk, forms, pdf, selectors, services
from .models import (
    PANDUAN_BERAKHLAK,
    PREDIKAT_MATRIX,
    BerAKHLAK,
    CapaianOrganisasi,
    CapaianUnit,
    EvaluasiPeriodik,
    Penilaian,
    PeriodePenilaian,
    Predikat,
    Rating,
    Realisasi,
    RencanaHasilKerja,
    Status,
    predikat_for,
)
from .selectors import PenilaianFilter
from .workflow import STEPS, Peran

PAGE_SIZE = 25
AUDIT_LIMIT = 200
# Steps without input: a button carrying the version.
BUTTON_STEPS = ("ajukan", "setujui", "terima", "finalkan")

# ---------------------------------------------------------------------------------------------
# Helpers


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _pages(queryset, request, per_page=PAGE_SIZE):
    return paginate(queryset, request, per_page)


def _require_staff(user):
    if not user.scope.can_manage:
        raise Http404


def _visible_skp(request, pk):
    """An SKP in the user's scope; anything else is 404."""
    return get_object_or_404(Penilaian.objects.visible_to(request.user), pk=pk)


def _error_text(exc):
    if isinstance(exc, DomainError):
        return exc.message
    return " ".join(exc.messages)


def _skp_url(skp, periodik=None, anchor=""):
    url = reverse("penilaian:detail", kwargs={"pk": skp.pk})
    if periodik:
        url += f"?periodik={periodik}"
    return url + (f"#{anchor}" if anchor else "")


def _matrix_json():
    """The predikat matrix for the live preview: {hasil: {perilaku: {id, label}}}, from the one table."""
    matrix = {}
    for (hasil, perilaku), predikat in PREDIKAT_MATRIX.items():
        matrix.setdefault(str(int(hasil)), {})[str(int(perilaku))] = {
            "id": int(predikat),
            "label": predikat.label,
        }
    return matrix


def _predikat(value):
    return Predikat(value) if value else None


# ---------------------------------------------------------------------------------------------
# Landing, "SKP saya", "Penilaian bawahan"


@login_required
@require_GET
def index(request):
    """Where each person works: BKPSDM staff the SKP list, an atasan their subordinates' SKPs,
    everyone else their own."""
    user = request.user
    if user.scope.can_manage:
        return redirect("penilaian:daftar")
    if selectors.is_atasan(user):
        return redirect("penilaian:bawahan")
    return redirect("penilaian:saya")


@login_required
@require_GET
def saya(request):
    user = request.user
    me = user.scope.pegawai
    context = {"me": me, "skps": [], "terbuka": []}
    if me is not None:
        context["skps"] = list(
            Penilaian.objects.visible_to(user)
            .filter(pegawai_id=me.pk)
            .select_related("periode__instansi")
            .order_by("-periode__tahun", "pk")
        )
        context["terbuka"] = list(selectors.periode_terbuka_tanpa_skp(me).select_related("instansi"))
    return render(request, "penilaian/saya.html", context)


@login_required
@require_POST
def mulai(request):
    """The pegawai starts their SKP of an open period."""
    user = request.user
    me = user.scope.pegawai
    if me is None:
        raise Http404
    form = forms.MulaiForm(request.POST, periode_qs=selectors.periode_terbuka_tanpa_skp(me))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("penilaian:saya")
    try:
        skp = services.penilaian_create(actor=user, periode=form.cleaned_data["periode"], pegawai=me)
    except (ValidationError, DomainError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("penilaian:saya")
    messages.success(request, f"SKP {skp.periode.tahun} dibuat. Periksa dan lengkapi rencana hasil kerja Anda.")
    return redirect("penilaian:detail", pk=skp.pk)


PERAN_LABEL = {"penilai": "Pejabat penilai", "atasan_penilai": "Atasan pejabat penilai"}


@login_required
@require_GET
def bawahan(request):
    user = request.user
    qs = selectors.penilaian_bawahan(user)
    status = request.GET.get("status") or ""
    if status not in Status.values:
        status = ""
    tahun = _int_or_none(request.GET.get("tahun"))
    q = (request.GET.get("q") or "").strip()[:100]
    menunggu_saja = request.GET.get("menunggu") == "1"
    if status:
        qs = qs.filter(status=status)
    if tahun:
        qs = qs.filter(periode__tahun=tahun)
    if q:
        qs = qs.search(q)
    if menunggu_saja and user.pegawai_id:
        qs = qs.filter(selectors.menunggu_q(user.pegawai_id))
    page = _pages(qs.order_by("-periode__tahun", "pegawai_nama", "pk"), request)
    for skp in page.object_list:
        skp.menunggu = selectors.menunggu_label(skp, user.pegawai_id)
        skp.peran = PERAN_LABEL["penilai" if skp.penilai_id == user.pegawai_id else "atasan_penilai"]
    counts = selectors.menunggu_counts(user)
    context = {
        "page": page,
        "counts": counts,
        "total_menunggu": sum(c[3] for c in counts),
        "status_choices": Status.choices,
        "values": {"status": status, "tahun": tahun or "", "q": q, "menunggu": menunggu_saja},
        "filtered": bool(status or tahun or q or menunggu_saja),
    }
    return render(request, "penilaian/bawahan.html", context)


# ---------------------------------------------------------------------------------------------
# BKPSDM: SKP list and predikat distribution


LIST_FIELDS = (
    "pk",
    "periode__tahun",
    "periode__status",
    "pegawai_id",
    "pegawai_nip",
    "pegawai_nama",
    "pegawai_jabatan",
    "pegawai_unit",
    "penilai_nama",
    "status",
    "predikat",
    "version",
)


# The SKP list as a file: the fields SIASN keeps for an annual SKP (DOMAIN §9).
EXPORT_COLUMNS = [
    exports.Column("Tahun", "periode.tahun", 8),
    exports.Column("NIP", "pegawai_nip", 20),
    exports.Column("Nama", "pegawai_nama", 30),
    exports.Column("Golongan", "pegawai_golongan", 18),
    exports.Column("Jabatan", "pegawai_jabatan", 36),
    exports.Column("Unit kerja", "pegawai_unit", 30),
    exports.Column("Status", "get_status_display", 12),
    exports.Column("Rating hasil kerja", "get_rating_hasil_kerja_display", 18),
    exports.Column("Rating perilaku kerja", "get_rating_perilaku_display", 18),
    exports.Column("Predikat", "get_predikat_display", 16),
    exports.Column("ID predikat SIASN", "predikat", 10),
    exports.Column("NIP penilai", "penilai_nip", 20),
    exports.Column("Nama penilai", "penilai_nama", 30),
    exports.Column("Golongan penilai", "penilai_golongan", 18),
    exports.Column("Jabatan penilai", "penilai_jabatan", 36),
]


def _default_periode(user, requested):
    """The period a staff page shows: the one asked for if visible, else the newest."""
    periods = selectors.periode_for(user)
    pk = _int_or_none(requested)
    if pk:
        chosen = periods.filter(pk=pk).first()
        if chosen:
            return chosen
    return periods.first()


@login_required
@require_GET
def daftar(request):
    user = request.user
    _require_staff(user)
    params = request.GET.copy()
    periods = list(selectors.periode_for(user))
    if "periode" not in params and periods:
        params["periode"] = str(periods[0].pk)
    filterset = PenilaianFilter(params, queryset=Penilaian.objects.visible_to(user), request=request)
    form = filterset.form
    ordering = ("pegawai_nama", "pk") if params.get("periode") else ("-periode__tahun", "pegawai_nama", "pk")
    rows = filterset.qs.select_related(None).select_related("periode").only(*LIST_FIELDS).order_by(*ordering)
    fmt = exports.requested_format(request)
    if fmt:
        rows = filterset.qs.select_related(None).select_related("periode").order_by(*ordering)
        return exports.export_response(
            rows, EXPORT_COLUMNS, fmt, filename="skp", title="Daftar SKP", subtitle=exports.filter_summary(filterset)
        )
    page = _pages(rows, request)
    unit = None
    unit_pk = _int_or_none(params.get("unit_kerja"))
    if unit_pk:
        unit = UnitKerja.objects.visible_to(user).filter(pk=unit_pk).only("nama").first()
    cleaned = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    context = {
        "page": page,
        "periods": periods,
        "values": params,
        "filter_errors": form.errors,
        "unit": unit,
        "status_choices": Status.choices,
        "predikat_choices": Predikat.choices,
        "filtered": any(cleaned.get(name) not in (None, "") for name in ("unit_kerja", "status", "predikat", "q")),
    }
    return render(request, "penilaian/daftar.html", context)


@login_required
@require_GET
def distribusi(request):
    user = request.user
    _require_staff(user)
    periode = _default_periode(user, request.GET.get("periode"))
    rows = selectors.distribusi_predikat(Penilaian.objects.visible_to(user), periode) if periode else []
    for row in rows:
        row.count_list = [(p, row.counts[p]) for p in Predikat.values]
        row.capaian_label = CapaianOrganisasi(row.capaian).label if row.capaian else ""
    context = {
        "periode": periode,
        "periods": list(selectors.periode_for(user)),
        "rows": rows,
        "predikat_choices": Predikat.choices,
        "total_list": [(p, sum(r.counts[p] for r in rows)) for p in Predikat.values],
        "total": sum(r.total for r in rows),
        "total_belum": sum(r.belum for r in rows),
        "warning_count": sum(1 for r in rows if r.warnings),
    }
    return render(request, "penilaian/distribusi.html", context)


# ---------------------------------------------------------------------------------------------
# BKPSDM: periods


@login_required
@require_http_methods(["GET", "POST"])
def periode_list(request):
    user = request.user
    _require_staff(user)
    form = forms.PeriodeCreateForm(request.POST or None, user=user, initial={"tahun": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            periode = services.periode_create(actor=user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Periode penilaian {periode.tahun} untuk {periode.instansi} dibuka.")
            return redirect("penilaian:periode_detail", pk=periode.pk)
    periods = (
        PeriodePenilaian.objects.visible_to(user)
        .select_related("instansi")
        .annotate(
            jumlah_skp=Count("penilaian"),
            jumlah_final=Count("penilaian", filter=Q(penilaian__status=Status.FINAL)),
        )
    )
    context = {
        "periods": periods,
        "form": form,
        "can_create": form.fields["instansi"].queryset.exists(),
    }
    return render(request, "penilaian/periode_list.html", context)


def _periode_for_staff(request, pk):
    user = request.user
    _require_staff(user)
    return get_object_or_404(PeriodePenilaian.objects.visible_to(user).select_related("instansi"), pk=pk)


def _managed_periode(request, pk):
    _require_staff(request.user)
    return get_object_or_404(PeriodePenilaian.objects.manageable_by(request.user).select_related("instansi"), pk=pk)


@login_required
@require_GET
def periode_detail(request, pk):
    return _periode_page(request, _periode_for_staff(request, pk))


def _periode_page(request, periode, generate_form=None):
    user = request.user
    can_manage = PeriodePenilaian.objects.manageable_by(user).filter(pk=periode.pk).exists()
    counts = (
        Penilaian.objects.visible_to(user)
        .filter(periode=periode)
        .aggregate(total=Count("pk"), **{s: Count("pk", filter=Q(status=s)) for s in Status.values})
    )
    units = []
    if can_manage:
        capaian = dict(CapaianUnit.objects.filter(periode=periode).values_list("unit_kerja_id", "capaian"))
        units = list(UnitKerja.objects.filter(parent=periode.instansi).order_by("nama").only("nama", "path"))
        for unit in units:
            unit.capaian = capaian.get(unit.pk, "")
    form = generate_form or forms.GenerateForm(user=user)
    unit_value = form["unit_kerja"].value()
    context = {
        "periode": periode,
        "can_manage": can_manage,
        "counts": counts,
        "status_counts": [(value, label, counts[value]) for value, label in Status.choices],
        "units": units,
        "capaian_choices": CapaianOrganisasi.choices,
        "generate_form": form,
        "generate_unit": UnitKerja.objects.manageable_by(user).filter(pk=_int_or_none(unit_value)).first()
        if unit_value
        else None,
    }
    return render(request, "penilaian/periode_detail.html", context)


@login_required
@require_POST
def periode_status(request, pk):
    periode = _managed_periode(request, pk)
    form = forms.PeriodeStatusForm(request.POST)
    if form.is_valid():
        try:
            services.periode_set_status(actor=request.user, periode=periode, status=form.cleaned_data["status"])
        except (ValidationError, DomainError) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"Periode {periode.tahun} kini {periode.get_status_display().lower()}.")
    else:
        messages.error(request, "Status periode tidak dikenal.")
    return redirect("penilaian:periode_detail", pk=periode.pk)


@login_required
@require_POST
def periode_capaian(request, pk):
    periode = _managed_periode(request, pk)
    form = forms.CapaianForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih capaian kinerja organisasi.")
        return redirect("penilaian:periode_detail", pk=periode.pk)
    unit = get_object_or_404(UnitKerja, parent=periode.instansi, pk=form.cleaned_data["unit_kerja"])
    try:
        services.capaian_unit_set(
            actor=request.user, periode=periode, unit_kerja=unit, capaian=form.cleaned_data["capaian"]
        )
    except (ValidationError, DomainError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"Capaian kinerja organisasi {unit.nama} disimpan.")
    return redirect(reverse("penilaian:periode_detail", kwargs={"pk": periode.pk}) + "#capaian")


@login_required
@require_POST
def periode_generate(request, pk):
    """BKPSDM creates the missing SKPs of a unit subtree in one go."""
    user = request.user
    periode = _periode_for_staff(request, pk)
    form = forms.GenerateForm(request.POST, user=user)
    if form.is_valid():
        try:
            made = bulk.penilaian_generate(actor=user, periode=periode, unit=form.cleaned_data["unit_kerja"])
        except ValidationError as exc:
            form.add_service_error(exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("penilaian:periode_detail", pk=periode.pk)
        else:
            if made:
                messages.success(request, f"{len(made)} SKP dibuat untuk {form.cleaned_data['unit_kerja'].nama}.")
            else:
                messages.info(request, "Semua pegawai aktif di unit ini sudah memiliki SKP pada periode ini.")
            return redirect("penilaian:periode_detail", pk=periode.pk)
    return _periode_page(request, periode, generate_form=form)


# ---------------------------------------------------------------------------------------------
# The SKP page


def _default_periodik(periode):
    """The periodic evaluation going on now (the last one for a past year, the first for a future one)."""
    today = timezone.localdate()
    if periode.tahun < today.year:
        return periode.jumlah_periodik
    if periode.tahun > today.year:
        return 1
    return today.month if periode.periodik == PeriodePenilaian.Periodik.BULANAN else (today.month - 1) // 3 + 1


AUDIT_LABELS = {
    "langkah": "Langkah",
    "periode": "Periode",
    "penilai": "Pejabat penilai",
    "atasan_penilai": "Atasan pejabat penilai",
    "rencana_hasil_kerja": "Rencana hasil kerja",
    "alasan_buka_kembali": "Alasan membuka kembali",
    "dibuat_massal": "Dibuat massal untuk unit",
}
AUDIT_KEY = re.compile(r"^(?P<name>\w+?)(?:\[(?P<ke>\d+)\])?(?:\.(?P<sub>\w+))?$")


def _audit_value(name, value):
    if value in (None, "", {}):
        return None
    if name == "status" and value in Status.values:
        return Status(value).label
    if name == "predikat" and value in Predikat.values:
        return Predikat(value).label
    if name.startswith("rating_") and value in Rating.values:
        return Rating(value).label
    if name == "aspek" or name == "perspektif" or name == "jenis":
        field = RencanaHasilKerja._meta.get_field(name)
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, dict):
        return "; ".join(f"{BerAKHLAK(k).label if k in BerAKHLAK.values else k}: {v}" for k, v in value.items())
    return value


def _audit_label(skp, key):
    match = AUDIT_KEY.match(key)
    if not match:
        return key
    name, ke, sub = match["name"], match["ke"], match["sub"]
    ke_label = skp.periode.label_periodik(int(ke)) if ke and 1 <= int(ke) <= 12 else ke
    if name == "rencana" and sub:
        return f"Rencana hasil kerja: {_field_label(RencanaHasilKerja, sub)}"
    if name == "realisasi" and ke:
        return f"Realisasi {ke_label}: {_field_label(Realisasi, sub) if sub else 'realisasi'}"
    if name == "umpan_balik" and ke:
        return f"Umpan balik {ke_label}"
    if name == "evaluasi" and ke:
        return f"Evaluasi periodik {ke_label}: {_field_label(EvaluasiPeriodik, sub) if sub else ''}"
    if name in AUDIT_LABELS:
        return AUDIT_LABELS[name]
    return _field_label(Penilaian, name)


def _field_label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # an unknown key is shown as it is
        return name


def _audit_rows(skp):
    entries = AuditLog.objects.for_object(skp).select_related("actor__pegawai")[:AUDIT_LIMIT]
    rows = []
    for entry in entries:
        changes = []
        for key, pair in (entry.changes or {}).items():
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            match = AUDIT_KEY.match(key)
            base = (match["sub"] or match["name"]) if match else key
            changes.append(
                {
                    "label": _audit_label(skp, key),
                    "old": _audit_value(base, old),
                    "new": _audit_value(base, new),
                    "hidden": False,
                }
            )
        rows.append({"entry": entry, "actor": audit.actor_name(entry.actor), "jenis": "SKP", "changes": changes})
    return rows


def _skp_context(request, skp, *, bound=None, preview=None, periodik=None):
    """Everything the SKP page shows. ``bound`` holds forms posted back with errors (keyed as
    below), ``preview`` a predikat computed for a form without saving."""
    user = request.user
    bound = bound or {}
    preview = preview or {}
    roles = services.roles_of(user, skp)
    allowed = services.allowed_steps(user, skp, roles)
    version = skp.version
    periode = skp.periode

    n_periodik = periode.jumlah_periodik
    periodik = periodik or _int_or_none(request.GET.get("periodik")) or _default_periodik(periode)
    periodik = min(max(periodik, 1), n_periodik)

    rencana = list(
        skp.rencana.prefetch_related(
            Prefetch("realisasi", queryset=Realisasi.objects.filter(periode_ke=periodik), to_attr="dipilih")
        )
    )
    # Hasil kerja utama first, as on the document.
    rencana.sort(key=lambda r: (r.jenis != RencanaHasilKerja.Jenis.UTAMA, r.urutan, r.pk))
    for row in rencana:
        row.realisasi_ini = row.dipilih[0] if row.dipilih else None
        if "rencana" in allowed:
            row.edit_form = bound.get(("rencana", row.pk)) or forms.RencanaForm(
                initial=forms.RencanaForm.initial_for(row, version), is_jpt=skp.is_jpt, auto_id=f"id_r{row.pk}_%s"
            )
            row.edit_open = ("rencana", row.pk) in bound
        if "realisasi" in allowed:
            current = row.realisasi_ini
            row.realisasi_form = bound.get(("realisasi", row.pk)) or forms.RealisasiForm(
                initial={
                    "realisasi": current.realisasi if current else "",
                    "nilai": current.nilai if current else None,
                    "bukti_link": current.bukti_link if current else "",
                    "version": version,
                },
                auto_id=f"id_real{row.pk}_%s",
            )
        if "umpan_balik" in allowed and row.realisasi_ini is not None:
            row.umpan_balik_form = bound.get(("umpan_balik", row.pk)) or forms.UmpanBalikForm(
                initial={"umpan_balik": row.realisasi_ini.umpan_balik, "version": version},
                auto_id=f"id_ub{row.pk}_%s",
            )

    filled = dict(
        Realisasi.objects.filter(rencana__penilaian=skp).order_by().values_list("periode_ke").annotate(n=Count("pk"))
    )
    evaluasi_all = {e.periode_ke: e for e in EvaluasiPeriodik.objects.filter(penilaian=skp)}
    tabs = [
        {
            "ke": ke,
            "label": periode.label_periodik(ke),
            "filled": filled.get(ke, 0),
            "predikat": evaluasi_all[ke].get_predikat_display() if ke in evaluasi_all else "",
            "current": ke == periodik,
        }
        for ke in range(1, n_periodik + 1)
    ]
    evaluasi = evaluasi_all.get(periodik)

    ekspektasi_form = None
    if "ekspektasi" in allowed:
        ekspektasi_form = bound.get("ekspektasi") or forms.EkspektasiForm(initial=forms.EkspektasiForm.initial_for(skp))
    nilai_form = evaluasi_form = None
    hasil_dari_unit = None
    if "nilai" in allowed:
        hasil_dari_unit = services.rating_hasil_from_unit(skp)
        nilai_form = bound.get("nilai") or forms.RatingForm(
            initial=forms.RatingForm.initial_for(skp, version), hasil_dari_unit=hasil_dari_unit, auto_id="id_nilai_%s"
        )
    if "evaluasi_periodik" in allowed:
        evaluasi_form = bound.get("evaluasi") or forms.RatingForm(
            initial=forms.RatingForm.initial_for(evaluasi, version), auto_id="id_ev_%s"
        )

    berakhlak = []
    for kode, label in BerAKHLAK.choices:
        rating = skp.rating_berakhlak.get(kode)
        ev_rating = evaluasi.rating_berakhlak.get(kode) if evaluasi else None
        berakhlak.append(
            {
                "kode": kode,
                "label": label,
                "panduan": PANDUAN_BERAKHLAK[kode],
                "ekspektasi": skp.ekspektasi_khusus.get(kode, ""),
                "ekspektasi_field": ekspektasi_form.ekspektasi_field(kode) if ekspektasi_form else None,
                "rating": Rating(rating).label if rating in Rating.values else "",
                "evaluasi_rating": Rating(ev_rating).label if ev_rating in Rating.values else "",
                "nilai_field": nilai_form[f"berakhlak_{kode}"] if nilai_form else None,
                "evaluasi_field": evaluasi_form[f"berakhlak_{kode}"] if evaluasi_form else None,
            }
        )

    def step_form(key, field_name, label):
        if key not in allowed:
            return None
        return bound.get(key) or forms.CatatanForm(
            initial={"version": version}, field_name=field_name, label=label, auto_id=f"id_{key}_%s"
        )

    putuskan_form = None
    if "putuskan_keberatan" in allowed:
        putuskan_form = bound.get("putuskan_keberatan") or forms.KeputusanForm(
            initial={"version": version}, skp=skp, auto_id="id_putus_%s"
        )
    penilai_form = None
    if "penilai" in allowed:
        penilai_form = bound.get("penilai") or forms.PenilaiForm(
            initial={"version": version, "penugasan": skp.penilai_penugasan or "definitif"},
            user=user,
            auto_id="id_penilai_%s",
        )

    def shown_predikat(key, form, stored):
        if key in preview:
            return _predikat(preview[key])
        if form is not None and not form.is_bound:
            initial = form.initial
            hasil = (
                form.hasil_dari_unit if getattr(form, "hasil_dari_unit", None) else initial.get("rating_hasil_kerja")
            )
            return predikat_for(hasil, initial.get("rating_perilaku"))
        return _predikat(stored)

    status = skp.status
    return {
        "skp": skp,
        "periode": periode,
        "roles": roles,
        "role_labels": [Peran(r).label for r in sorted(roles)],
        "allowed": allowed,
        "buttons": [(name, STEPS[name].label) for name in BUTTON_STEPS if name in allowed],
        "sections": selectors.rencana_groups(skp, rencana),
        "rencana": rencana,
        "can_edit_rencana": "rencana" in allowed,
        "rencana_add_form": (
            bound.get("rencana_add")
            or forms.RencanaForm(initial={"version": version, "urutan": len(rencana) + 1}, is_jpt=skp.is_jpt)
        )
        if "rencana" in allowed
        else None,
        "rencana_add_open": "rencana_add" in bound,
        "berakhlak": berakhlak,
        "ekspektasi_form": ekspektasi_form,
        "periodik": periodik,
        "periodik_label": periode.label_periodik(periodik),
        "tabs": tabs,
        "evaluasi": evaluasi,
        "evaluasi_form": evaluasi_form,
        "evaluasi_predikat": shown_predikat("evaluasi", evaluasi_form, evaluasi.predikat if evaluasi else None),
        "nilai_form": nilai_form,
        "nilai_predikat": shown_predikat("nilai", nilai_form, skp.predikat),
        "hasil_dari_unit": Rating(hasil_dari_unit).label if hasil_dari_unit else "",
        "kembalikan_form": step_form("kembalikan", "catatan", "Catatan untuk pegawai"),
        "keberatan_form": step_form("ajukan_keberatan", "alasan", "Alasan keberatan"),
        "buka_form": step_form("buka_kembali", "alasan", "Alasan membuka kembali"),
        "putuskan_form": putuskan_form,
        "putuskan_predikat": _predikat(preview.get("putuskan_keberatan", skp.predikat)),
        "penilai_form": penilai_form,
        "matrix": _matrix_json(),
        "capaian": selectors.capaian_organisasi(skp),
        "audit_rows": _audit_rows(skp),
        "audit_limit": AUDIT_LIMIT,
        "show_pelaksanaan": status not in (Status.DRAF, Status.DIAJUKAN, Status.DIKEMBALIKAN) or bool(filled),
        "show_evaluasi": status in (Status.BERJALAN, Status.DINILAI, Status.KEBERATAN, Status.FINAL),
        "show_tindak_lanjut": status in (Status.DINILAI, Status.KEBERATAN, Status.FINAL) or bool(skp.keberatan_alasan),
        "stage": _stage(status),
        "version": version,
    }


STAGES = [
    ("perencanaan", "Perencanaan", {Status.DRAF, Status.DIAJUKAN, Status.DIKEMBALIKAN}),
    ("pelaksanaan", "Pelaksanaan", {Status.BERJALAN}),
    ("evaluasi", "Evaluasi", {Status.DINILAI, Status.KEBERATAN}),
    ("tindak_lanjut", "Final", {Status.FINAL}),
]


def _stage(status):
    current = next(i for i, (_, _, states) in enumerate(STAGES) if status in states)
    return [
        {"key": key, "label": label, "state": "done" if i < current else "current" if i == current else "todo"}
        for i, (key, label, _) in enumerate(STAGES)
    ]


def _render_skp(request, skp, *, bound=None, preview=None, periodik=None, status=200):
    context = _skp_context(request, skp, bound=bound, preview=preview, periodik=periodik)
    return render(request, "penilaian/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk):
    skp = _visible_skp(request, pk)
    return _render_skp(request, skp)


def _run(request, skp, form, key, call, *, success, periodik=None, anchor=""):
    """Validate ``form``, call the service, and answer: on success a message and back to the
    SKP; a refused step (role, state, closed period) a message, nothing changed; bad input or a
    stale version the page again with the form as it was sent and the reason."""
    if not form.is_valid():
        messages.error(request, "Periksa kembali isian yang ditandai.")
        return _render_skp(request, skp, bound={key: form}, periodik=periodik)
    try:
        call(**form.service_kwargs())
    except ValidationError as exc:
        form.add_service_error(exc)
        messages.error(request, _error_text(exc))
        return _render_skp(request, skp, bound={key: form}, periodik=periodik)
    except ConflictError as exc:
        form.add_service_error(exc)
        messages.error(request, exc.message)
        skp.refresh_from_db()
        return _render_skp(request, skp, bound={key: form}, periodik=periodik, status=409)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_skp_url(skp, periodik, anchor))
    messages.success(request, success)
    return redirect(_skp_url(skp, periodik, anchor))


# Workflow steps: (form factory, service, success message, anchor, key of the bound form).
def _catatan(field_name, label):
    return lambda data, skp, user: forms.CatatanForm(data, field_name=field_name, label=label)


STEP_VIEWS = {
    "ajukan": (
        lambda data, skp, user: forms.VersionedForm(data),
        services.penilaian_ajukan,
        "Rencana SKP diajukan kepada pejabat penilai.",
    ),
    "setujui": (
        lambda data, skp, user: forms.VersionedForm(data),
        services.penilaian_setujui,
        "Rencana SKP disetujui. Pelaksanaan dimulai.",
    ),
    "kembalikan": (
        _catatan("catatan", "Catatan untuk pegawai"),
        services.penilaian_kembalikan,
        "Rencana SKP dikembalikan kepada pegawai dengan catatan.",
    ),
    "nilai": (
        lambda data, skp, user: forms.RatingForm(
            data, hasil_dari_unit=services.rating_hasil_from_unit(skp), auto_id="id_nilai_%s"
        ),
        services.penilaian_nilai,
        "Penilaian tahunan ditetapkan.",
    ),
    "terima": (
        lambda data, skp, user: forms.VersionedForm(data),
        services.penilaian_terima,
        "Hasil penilaian diterima. SKP kini final.",
    ),
    "ajukan_keberatan": (
        _catatan("alasan", "Alasan keberatan"),
        services.penilaian_ajukan_keberatan,
        "Keberatan diajukan kepada atasan pejabat penilai.",
    ),
    "putuskan_keberatan": (
        lambda data, skp, user: forms.KeputusanForm(data, skp=skp, auto_id="id_putus_%s"),
        services.penilaian_putuskan_keberatan,
        "Keberatan diputuskan. SKP kini final.",
    ),
    "finalkan": (
        lambda data, skp, user: forms.VersionedForm(data),
        services.penilaian_finalkan,
        "SKP ditetapkan final.",
    ),
    "buka_kembali": (
        _catatan("alasan", "Alasan membuka kembali"),
        services.penilaian_buka_kembali,
        "SKP dibuka kembali untuk dinilai ulang.",
    ),
}
PREVIEW_STEPS = {"nilai", "putuskan_keberatan"}


@login_required
@require_POST
def langkah(request, pk, step):
    """One workflow step (a POST with the version read); ``pratinjau`` shows the predikat the
    chosen ratings give, saving nothing."""
    skp = _visible_skp(request, pk)
    if step not in STEP_VIEWS:
        raise Http404
    make_form, service, success = STEP_VIEWS[step]
    form = make_form(request.POST, skp, request.user)
    if step in PREVIEW_STEPS and "pratinjau" in request.POST:
        preview = {}
        if form.is_valid():
            hasil, perilaku = form.ratings()
            if step == "putuskan_keberatan":
                hasil = hasil or skp.rating_hasil_kerja
                perilaku = perilaku or skp.rating_perilaku
            preview[step] = predikat_for(hasil, perilaku)
        return _render_skp(request, skp, bound={step: form}, preview=preview)
    return _run(
        request,
        skp,
        form,
        step,
        lambda **kwargs: service(actor=request.user, penilaian=skp, **kwargs),
        success=success,
    )


def _rencana_of(skp, rencana_pk):
    return get_object_or_404(RencanaHasilKerja.objects.filter(penilaian=skp), pk=rencana_pk)


@login_required
@require_POST
def rencana_add(request, pk):
    skp = _visible_skp(request, pk)
    form = forms.RencanaForm(request.POST, is_jpt=skp.is_jpt)
    return _run(
        request,
        skp,
        form,
        "rencana_add",
        lambda **kwargs: services.rencana_add(actor=request.user, penilaian=skp, **kwargs),
        success="Rencana hasil kerja ditambahkan.",
        anchor="rencana",
    )


@login_required
@require_POST
def rencana_edit(request, pk, rencana_pk):
    skp = _visible_skp(request, pk)
    rencana = _rencana_of(skp, rencana_pk)
    form = forms.RencanaForm(request.POST, is_jpt=skp.is_jpt, auto_id=f"id_r{rencana.pk}_%s")
    return _run(
        request,
        skp,
        form,
        ("rencana", rencana.pk),
        lambda **kwargs: services.rencana_update(actor=request.user, rencana=rencana, **kwargs),
        success="Rencana hasil kerja diubah.",
        anchor="rencana",
    )


@login_required
@require_POST
def rencana_delete(request, pk, rencana_pk):
    skp = _visible_skp(request, pk)
    rencana = _rencana_of(skp, rencana_pk)
    form = forms.VersionedForm(request.POST)
    return _run(
        request,
        skp,
        form,
        ("rencana_delete", rencana.pk),
        lambda **kwargs: services.rencana_delete(actor=request.user, rencana=rencana, **kwargs),
        success=f"Rencana hasil kerja “{rencana.uraian}” dihapus.",
        anchor="rencana",
    )


@login_required
@require_POST
def ekspektasi(request, pk):
    skp = _visible_skp(request, pk)
    form = forms.EkspektasiForm(request.POST)
    return _run(
        request,
        skp,
        form,
        "ekspektasi",
        lambda **kwargs: services.ekspektasi_save(actor=request.user, penilaian=skp, **kwargs),
        success="Ekspektasi khusus dan lampiran disimpan.",
        anchor="perilaku",
    )


@login_required
@require_POST
def penilai(request, pk):
    skp = _visible_skp(request, pk)
    form = forms.PenilaiForm(request.POST, user=request.user, auto_id="id_penilai_%s")
    return _run(
        request,
        skp,
        form,
        "penilai",
        lambda **kwargs: services.penilaian_set_penilai(actor=request.user, penilaian=skp, **kwargs),
        success="Pejabat penilai ditetapkan.",
        anchor="pihak",
    )


def _periodik_of(skp, periode_ke):
    if not 1 <= periode_ke <= skp.periode.jumlah_periodik:
        raise Http404
    return periode_ke


@login_required
@require_POST
def realisasi(request, pk, rencana_pk, periode_ke):
    skp = _visible_skp(request, pk)
    rencana = _rencana_of(skp, rencana_pk)
    periode_ke = _periodik_of(skp, periode_ke)
    form = forms.RealisasiForm(request.POST, request.FILES, auto_id=f"id_real{rencana.pk}_%s")
    return _run(
        request,
        skp,
        form,
        ("realisasi", rencana.pk),
        lambda **kwargs: services.realisasi_save(
            actor=request.user, penilaian=skp, rencana=rencana, periode_ke=periode_ke, **kwargs
        ),
        success=f"Realisasi {skp.periode.label_periodik(periode_ke)} disimpan.",
        periodik=periode_ke,
        anchor="pelaksanaan",
    )


@login_required
@require_POST
def umpan_balik(request, pk, rencana_pk, periode_ke):
    skp = _visible_skp(request, pk)
    rencana = _rencana_of(skp, rencana_pk)
    periode_ke = _periodik_of(skp, periode_ke)
    form = forms.UmpanBalikForm(request.POST, auto_id=f"id_ub{rencana.pk}_%s")
    return _run(
        request,
        skp,
        form,
        ("umpan_balik", rencana.pk),
        lambda **kwargs: services.umpan_balik_save(
            actor=request.user, penilaian=skp, rencana=rencana, periode_ke=periode_ke, **kwargs
        ),
        success="Umpan balik disimpan.",
        periodik=periode_ke,
        anchor="pelaksanaan",
    )


@login_required
@require_POST
def evaluasi(request, pk, periode_ke):
    skp = _visible_skp(request, pk)
    periode_ke = _periodik_of(skp, periode_ke)
    form = forms.RatingForm(request.POST, auto_id="id_ev_%s")
    if "pratinjau" in request.POST:
        preview = {"evaluasi": predikat_for(*form.ratings())} if form.is_valid() else {}
        return _render_skp(request, skp, bound={"evaluasi": form}, preview=preview, periodik=periode_ke)
    return _run(
        request,
        skp,
        form,
        "evaluasi",
        lambda **kwargs: services.evaluasi_periodik_save(
            actor=request.user, penilaian=skp, periode_ke=periode_ke, **kwargs
        ),
        success=f"Evaluasi periodik {skp.periode.label_periodik(periode_ke)} disimpan.",
        periodik=periode_ke,
        anchor="evaluasi-periodik",
    )


# ---------------------------------------------------------------------------------------------
# Evidence files and the printable document


@login_required
@require_GET
def bukti(request, pk, realisasi_pk):
    """An evidence file, only through the SKP's scope (the files live outside the web root)."""
    skp = _visible_skp(request, pk)
    row = get_object_or_404(Realisasi.objects.filter(rencana__penilaian=skp), pk=realisasi_pk)
    return serve_evidence(row.bukti_file)


@login_required
@require_GET
def dokumen(request, pk):
    """The dokumen evaluasi kinerja of the SKP as an A4 PDF."""
    skp = _visible_skp(request, pk)
    html = pdf.dokumen_html(skp)
    response = HttpResponse(pdf.render_pdf(html), content_type="application/pdf")
    filename = f"SKP-{skp.periode.tahun}-{skp.pegawai_nip}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
