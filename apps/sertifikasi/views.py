"""Sertifikasi pages: "Sertifikat saya", the staff list, the verification queue, the expiry
report per perangkat daerah, and one certificate with its history and evidence.

Every page starts from ``Sertifikasi.objects.visible_to``: anything outside answers 404. Writes
go through ``apps.sertifikasi.services``, which decides who may do what (a refusal becomes a
message).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core import audit, exports
from apps.core.exceptions import DomainError
from apps.core.models import AuditLog
from apps.core.pagination import paginate
from apps.core.uploads import serve_evidence
from apps.pegawai.models import UnitKerja

from . import forms, selectors, services
from .models import Sertifikasi, StatusBerlaku, expiry_window_days

PAGE_SIZE = 25
AUDIT_LIMIT = 50
FILTERS = ("q", "unit_kerja", "jenis", "verifikasi", "status_berlaku")


def _pages(queryset, request, per_page=PAGE_SIZE):
    return paginate(queryset, request, per_page)


def _require_staff(user):
    if not user.scope.can_manage:
        raise Http404


def _visible(request, pk):
    """A certificate in the user's scope; anything else is 404."""
    return get_object_or_404(Sertifikasi.objects.visible_to(request.user).with_status_berlaku(), pk=pk)


def _error_text(exc):
    if isinstance(exc, DomainError):
        return exc.message
    return " ".join(exc.messages)


def _window(request):
    try:
        dalam = int(request.GET.get("dalam", ""))
    except ValueError:
        return expiry_window_days()
    return dalam if 0 <= dalam <= selectors.MAX_WINDOW_DAYS else expiry_window_days()


# ---------------------------------------------------------------------------------------------
# Landing and "Sertifikat saya"


@login_required
@require_GET
def index(request):
    """Staff land on the list of certificates in their scope, everyone else on their own."""
    if request.user.scope.can_manage:
        return redirect("sertifikasi:daftar")
    return redirect("sertifikasi:saya")


@login_required
@require_GET
def saya(request):
    user = request.user
    rows = []
    if user.pegawai_id:
        rows = list(Sertifikasi.objects.visible_to(user).filter(pegawai_id=user.pegawai_id).with_status_berlaku())
    context = {"rows": rows, "has_pegawai": bool(user.pegawai_id), "window": expiry_window_days()}
    return render(request, "sertifikasi/saya.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    user = request.user
    if not (user.pegawai_id or user.scope.can_manage):
        raise Http404
    form = forms.SertifikasiCreateForm(request.POST or None, request.FILES or None, user=user)
    if form.is_valid():
        try:
            row = services.sertifikasi_create(actor=user, pegawai=form.pegawai(), **form.service_kwargs())
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            if row.verifikasi == Sertifikasi.Verifikasi.DIAJUKAN:
                messages.success(request, f"Sertifikat “{row.nama}” diajukan untuk diverifikasi BKPSDM.")
            else:
                messages.success(request, f"Sertifikat “{row.nama}” dicatat dan langsung terverifikasi.")
            return redirect("sertifikasi:detail", pk=row.pk)
    return render(request, "sertifikasi/form.html", {"form": form, "is_create": True})


# ---------------------------------------------------------------------------------------------
# One certificate


@login_required
@require_GET
def detail(request, pk):
    user = request.user
    row = _visible(request, pk)
    allowed = services.allowed(user, row)
    entries = AuditLog.objects.for_object(row).select_related("actor__pegawai")[:AUDIT_LIMIT]
    context = {
        "row": row,
        "can_edit": allowed["ubah"],
        "can_verify": allowed["verifikasi"],
        "audit_rows": audit.display_rows(entries),
    }
    return render(request, "sertifikasi/detail.html", context)


@login_required
@require_GET
def bukti(request, pk):
    """The evidence file, only through the certificate's scope (files live outside the web root)."""
    row = get_object_or_404(Sertifikasi.objects.visible_to(request.user), pk=pk)
    return serve_evidence(row.bukti)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    user = request.user
    row = _visible(request, pk)
    if not services.allowed(user, row)["ubah"]:
        messages.error(request, "Sertifikat ini tidak dapat Anda ubah.")
        return redirect("sertifikasi:detail", pk=row.pk)
    form = forms.SertifikasiEditForm(
        request.POST or None, request.FILES or None, initial=forms.SertifikasiEditForm.initial_for(row)
    )
    conflict = False
    if form.is_valid():
        try:
            row = services.sertifikasi_update(
                actor=user, sertifikasi=row, expected_version=form.cleaned_data["version"], **form.service_kwargs()
            )
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
            conflict = getattr(exc, "status_code", None) == 409
        else:
            messages.success(request, "Perubahan sertifikat tersimpan.")
            return redirect("sertifikasi:detail", pk=row.pk)
    return render(request, "sertifikasi/form.html", {"form": form, "row": row, "conflict": conflict})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    """GET asks for confirmation; POST (with the version read) deletes."""
    user = request.user
    row = _visible(request, pk)
    if not services.allowed(user, row)["ubah"]:
        messages.error(request, "Sertifikat ini tidak dapat Anda hapus.")
        return redirect("sertifikasi:detail", pk=row.pk)
    if request.method == "POST":
        form = forms.KeputusanForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi.")
            return redirect("sertifikasi:detail", pk=row.pk)
        try:
            services.sertifikasi_delete(actor=user, sertifikasi=row, expected_version=form.cleaned_data["version"])
        except (ValidationError, DomainError) as exc:
            messages.error(request, _error_text(exc))
            return redirect("sertifikasi:detail", pk=row.pk)
        messages.success(request, f"Sertifikat “{row.nama}” dihapus.")
        return redirect("sertifikasi:saya" if row.pegawai_id == user.pegawai_id else "sertifikasi:daftar")
    return render(request, "sertifikasi/confirm_delete.html", {"row": row})


def _decide(request, pk, service, success):
    user = request.user
    row = _visible(request, pk)
    back = "sertifikasi:antrean" if request.POST.get("dari") == "antrean" else "sertifikasi:detail"
    form = forms.KeputusanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi.")
    else:
        kwargs = {"expected_version": form.cleaned_data["version"]}
        if service is services.sertifikasi_tolak:
            kwargs["alasan"] = form.cleaned_data["alasan"]
        try:
            service(actor=user, sertifikasi=row, **kwargs)
        except (ValidationError, DomainError) as exc:
            messages.error(request, f"{row.pegawai.nama_lengkap} — {row.nama}: {_error_text(exc)}")
        else:
            messages.success(request, success.format(nama=row.nama, pegawai=row.pegawai.nama_lengkap))
    if back == "sertifikasi:antrean":
        return redirect(back)
    return redirect(back, pk=row.pk)


@login_required
@require_POST
def verifikasi(request, pk):
    return _decide(request, pk, services.sertifikasi_verifikasi, "Sertifikat “{nama}” milik {pegawai} terverifikasi.")


@login_required
@require_POST
def tolak(request, pk):
    return _decide(request, pk, services.sertifikasi_tolak, "Sertifikat “{nama}” milik {pegawai} ditolak.")


# ---------------------------------------------------------------------------------------------
# Staff: list, queue, expiry per unit


@login_required
@require_GET
def daftar(request):
    user = request.user
    _require_staff(user)
    dalam = _window(request)
    filterset = selectors.SertifikasiFilter(
        request.GET or None, queryset=Sertifikasi.objects.visible_to(user), request=request, dalam=dalam
    )
    rows = filterset.qs.with_status_berlaku(dalam=dalam).order_by("tanggal_kedaluwarsa", "pegawai__nama", "pk")
    fmt = exports.requested_format(request)
    if fmt:
        return exports.export_response(
            rows,
            EXPORT_COLUMNS,
            fmt,
            filename="sertifikat",
            title="Daftar sertifikat",
            subtitle=exports.filter_summary(filterset),
        )
    page = _pages(rows, request)
    form = filterset.form
    cleaned = form.cleaned_data if form.is_bound else {}
    context = {
        "page": page,
        "values": request.GET,
        "filter_errors": form.errors if form.is_bound else {},
        "filtered": any(cleaned.get(name) not in (None, "") for name in FILTERS),
        "unit": _chosen_unit(user, request.GET.get("unit_kerja")),
        "dalam": dalam,
        "jenis_choices": Sertifikasi.Jenis.choices,
        "verifikasi_choices": Sertifikasi.Verifikasi.choices,
        "status_choices": StatusBerlaku.choices,
    }
    return render(request, "sertifikasi/daftar.html", context)


EXPORT_COLUMNS = [
    exports.Column("NIP", "pegawai.nip", 20),
    exports.Column("Nama", "pegawai.nama_lengkap", 30),
    exports.Column("Unit kerja", "pegawai.unit_kerja.nama", 30),
    exports.Column("Jenis", "get_jenis_display", 28),
    exports.Column("Sertifikat", "nama", 36),
    exports.Column("Skema", "skema", 24),
    exports.Column("Penerbit", "penerbit", 20),
    exports.Column("Nomor", "nomor", 20),
    exports.Column("Tanggal terbit", "tanggal_terbit", 14),
    exports.Column("Berlaku sampai", "tanggal_kedaluwarsa", 14),
    exports.Column("Status", lambda s: StatusBerlaku(s.status_berlaku).label, 16),
    exports.Column("Verifikasi", "get_verifikasi_display", 18),
]


def _chosen_unit(user, value):
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return UnitKerja.objects.visible_to(user).filter(pk=pk).first() if 0 < pk < 2**63 else None


@login_required
@require_GET
def antrean(request):
    """Submitted certificates waiting for BKPSDM, oldest first."""
    user = request.user
    _require_staff(user)
    rows = (
        Sertifikasi.objects.manageable_by(user)
        .filter(verifikasi=Sertifikasi.Verifikasi.DIAJUKAN)
        .select_related("pegawai", "pegawai__unit_kerja")
        .with_status_berlaku()
        .order_by("created_at", "pk")
    )
    return render(request, "sertifikasi/antrean.html", {"page": _pages(rows, request)})


@login_required
@require_GET
def per_unit(request):
    user = request.user
    _require_staff(user)
    dalam = _window(request)
    units = selectors.kedaluwarsa_per_unit(user, dalam=dalam)
    context = {
        "units": units,
        "dalam": dalam,
        "total_akan": sum(u.akan_kedaluwarsa for u in units),
        "total_lewat": sum(u.kedaluwarsa for u in units),
    }
    return render(request, "sertifikasi/per_unit.html", context)
