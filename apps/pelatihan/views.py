"""Pelatihan pages: the catalogue and one training (register, enrol, record results), the
penyelenggara, "Pelatihan saya" with outside trainings, the atasan's approvals, the BKPSDM
queue, and one training record with its history and evidence.

Every page starts from the models' ``visible_to``/``manageable_by``: a record outside answers
404. A page for another role answers 403, and so does a step the service refuses for the user
(``NotAllowedError``); a step refused for the record's state is a message. Writes go through
``apps.pelatihan.services``; the buttons shown follow its ``STEPS`` table.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core import audit, exports
from apps.core.exceptions import DomainError, NotAllowedError
from apps.core.models import AuditLog
from apps.core.pagination import paginate
from apps.core.uploads import serve_evidence
from apps.pegawai.models import Pegawai, UnitKerja

from . import exports as pelatihan_exports
from . import forms, selectors, services
from .models import (
    JP_WAJIB_PER_TAHUN,
    STATUS_PESERTA,
    Jalur,
    JenisDiklat,
    Kepemimpinan,
    Pelatihan,
    Penyelenggara,
    RiwayatPelatihan,
    Status,
    terbuka_q,
)
from .services import STEPS

PAGE_SIZE = 25
PESERTA_PAGE_SIZE = 50
AUDIT_LIMIT = 50
STATUS_TERISI = (Status.TERDAFTAR, Status.SELESAI)


# ---------------------------------------------------------------------------------------------
# Helpers


def _pages(queryset, request, per_page=PAGE_SIZE):
    return paginate(queryset, request, per_page)


def _error_text(exc):
    if isinstance(exc, DomainError):
        return exc.message
    return " ".join(exc.messages)


def _forbidden(request, message):
    return render(request, "pelatihan/ditolak.html", {"message": message}, status=403)


def _managed_instansi(user):
    """The instansi whose catalogue the user runs (BKPSDM staff scoped to a whole instansi)."""
    return list(UnitKerja.objects.filter(user.scope.instansi_manage_q()).order_by("nama", "pk"))


def _riwayat_qs(user):
    """The training records the user may open: those of the pegawai in their scope, and the
    registrations waiting on them as atasan (a Plt may sit outside the jabatan chain)."""
    qs = RiwayatPelatihan.objects.visible_to(user)
    if user.pegawai_id:
        qs = qs | RiwayatPelatihan.objects.filter(atasan_id=user.pegawai_id)
    return qs


def _with_steps(user, rows):
    """Set ``row.steps`` (the step names ``user`` may take, as ``services.allowed_steps``) on
    each row, with one query for the whole list instead of one per row."""
    rows = list(rows)
    steps = services.allowed_steps_bulk(user, rows)
    for row in rows:
        row.steps = steps[row.pk]
    return rows


def _refusal(request, row, step_name):
    """None when ``request.user`` may take ``step_name`` on ``row`` now; otherwise the answer:
    403 for someone with no part in the step, back to the record with a message for a state
    that does not allow it."""
    if step_name in services.allowed_steps(request.user, row):
        return None
    if not services.roles_of(request.user, row) & set(STEPS[step_name].roles):
        return _forbidden(request, "Anda tidak berwenang mengubah data pelatihan ini.")
    messages.error(request, f"Langkah '{STEPS[step_name].label}' tidak dapat dilakukan pada data ini.")
    return redirect("pelatihan:riwayat", pk=row.pk)


def _str_choices(choices):
    return [(str(value), label) for value, label in choices]


# ---------------------------------------------------------------------------------------------
# Landing


@login_required
@require_GET
def index(request):
    """BKPSDM staff land on the catalogue (with their queue and reports a tab away), a pegawai
    on their own trainings."""
    user = request.user
    if user.scope.can_manage or not user.pegawai_id:
        return redirect("pelatihan:katalog")
    return redirect("pelatihan:saya")


# ---------------------------------------------------------------------------------------------
# The catalogue


class Kebutuhan:
    """What a pegawai's own needs say about the catalogue: the competencies with a negative gap,
    the leadership training they lack and their jenis jabatan."""

    def __init__(self, pegawai, today):
        self.pegawai = pegawai
        self.today = today
        self.gap = {row.kompetensi.pk: row for row in selectors.gap_kompetensi(pegawai).negatif}
        self.kepemimpinan = selectors.kepemimpinan_dibutuhkan([pegawai], today).get(pegawai.pk)
        self.jenis_jabatan = pegawai.jabatan.jenis if pegawai.jabatan_id else None

    def q(self):
        """The catalogue trainings that fit, among those still open for registration."""
        fits = Q(pk__in=[])
        if self.gap:
            fits |= Q(
                pk__in=Pelatihan.kompetensi.through.objects.filter(kompetensi_id__in=list(self.gap)).values(
                    "pelatihan_id"
                )
            )
        if self.kepemimpinan:
            fits |= Q(kepemimpinan=self.kepemimpinan)
        if self.jenis_jabatan:
            fits |= Q(sasaran_jenis_jabatan=self.jenis_jabatan, kepemimpinan="")
        registered = RiwayatPelatihan.objects.filter(
            pegawai_id=self.pegawai.pk, pelatihan__isnull=False, status__in=STATUS_PESERTA
        ).values("pelatihan_id")
        return terbuka_q(self.today) & fits & ~Q(pk__in=registered)

    def reasons(self, pelatihan):
        """Why ``pelatihan`` fits (its kompetensi must be prefetched); empty when it does not."""
        if not pelatihan.pendaftaran_terbuka_pada(self.today):
            return []
        reasons = []
        for kompetensi in pelatihan.kompetensi.all():
            gap = self.gap.get(kompetensi.pk)
            if gap is not None:
                reasons.append(
                    f"Mengembangkan {kompetensi.nama}: level Anda {gap.hasil}, dipersyaratkan {gap.dipersyaratkan}"
                )
        if self.kepemimpinan and pelatihan.kepemimpinan == self.kepemimpinan:
            reasons.append(
                f"Pelatihan kepemimpinan yang dipersyaratkan jabatan Anda ({Kepemimpinan(self.kepemimpinan).label})"
            )
        if self.jenis_jabatan and pelatihan.sasaran_jenis_jabatan == self.jenis_jabatan and not pelatihan.kepemimpinan:
            reasons.append(f"Ditujukan bagi jabatan {pelatihan.get_sasaran_jenis_jabatan_display()}")
        return reasons


def _kebutuhan_for(user, today):
    if not user.pegawai_id:
        return None
    pegawai = Pegawai.objects.select_related("jabatan", "unit_kerja").get(pk=user.pegawai_id)
    return Kebutuhan(pegawai, today)


def _terisi():
    return Count("peserta", filter=Q(peserta__status__in=STATUS_TERISI))


@login_required
@require_GET
def katalog(request):
    user = request.user
    today = timezone.localdate()
    base = Pelatihan.objects.visible_to(user)
    span = base.aggregate(first=Min("tanggal_mulai"), last=Max("tanggal_mulai"))
    first = span["first"].year if span["first"] else today.year
    last = max(span["last"].year if span["last"] else today.year, today.year)
    form = forms.KatalogFilterForm(
        request.GET or None,
        penyelenggara=Penyelenggara.objects.visible_to(user).order_by("nama"),
        tahun_choices=range(last, first - 1, -1),
    )
    rows = (
        form.filter(base, today)
        .select_related("penyelenggara")
        .annotate(terisi=_terisi())
        .prefetch_related("kompetensi")
        .order_by("-tanggal_mulai", "-id")
    )
    fmt = exports.requested_format(request)
    if fmt:
        return exports.export_response(
            rows,
            pelatihan_exports.KATALOG_COLUMNS,
            fmt,
            filename="katalog-pelatihan",
            title="Katalog pelatihan",
            subtitle=exports.filter_summary(form),
        )
    kebutuhan = _kebutuhan_for(user, today)
    if kebutuhan is not None:
        # Trainings that fit the pegawai come first, the soonest of them at the top.
        rows = rows.annotate(
            sesuai=Case(When(kebutuhan.q(), then=Value(1)), default=Value(0), output_field=IntegerField())
        ).order_by(
            "-sesuai",
            Case(When(sesuai=1, then=F("tanggal_mulai"))).asc(nulls_last=True),
            "-tanggal_mulai",
            "-id",
        )
    page = _pages(rows, request)
    mine = {}
    if user.pegawai_id and page.object_list:
        for riwayat in RiwayatPelatihan.objects.filter(
            pegawai_id=user.pegawai_id,
            pelatihan__in=[p.pk for p in page.object_list],
            status__in=STATUS_PESERTA,
        ):
            mine[riwayat.pelatihan_id] = riwayat
    for pelatihan in page.object_list:
        pelatihan.mine = mine.get(pelatihan.pk)
        pelatihan.reasons = kebutuhan.reasons(pelatihan) if kebutuhan is not None and not pelatihan.mine else []
        pelatihan.terbuka = pelatihan.pendaftaran_terbuka_pada(today)
    cleaned = form.cleaned
    context = {
        "page": page,
        "form": form,
        "values": request.GET,
        "filter_errors": form.errors if form.is_bound else {},
        "filtered": bool(cleaned),
        "kompetensi": cleaned.get("kompetensi"),
        "tahun_choices": form.fields["tahun"].choices,
        "jenis_choices": _str_choices(JenisDiklat.choices),
        "jalur_choices": Jalur.choices,
        "kepemimpinan_choices": Kepemimpinan.choices,
        "penyelenggara_choices": [(str(p.pk), p.nama) for p in form.fields["penyelenggara"].queryset],
        "can_create": bool(_managed_instansi(user)),
        "ada_sesuai": any(p.reasons for p in page.object_list),
    }
    return render(request, "pelatihan/katalog.html", context)


def _visible_pelatihan(request, pk):
    return get_object_or_404(
        Pelatihan.objects.visible_to(request.user).select_related("penyelenggara", "instansi"), pk=pk
    )


@login_required
@require_GET
def pelatihan_detail(request, pk):
    user = request.user
    today = timezone.localdate()
    row = _visible_pelatihan(request, pk)
    kompetensi = list(row.kompetensi.all())
    counts = row.peserta.aggregate(
        terisi=Count("pk", filter=Q(status__in=STATUS_TERISI)),
        menunggu=Count("pk", filter=Q(status__in=[Status.DIAJUKAN, Status.DISETUJUI_ATASAN])),
    )
    mine = None
    if user.pegawai_id:
        mine = row.peserta.filter(pegawai_id=user.pegawai_id).order_by("-created_at", "-pk").first()
        if mine is not None:
            _with_steps(user, [mine])
            # On their own registration a pegawai withdraws; staff decide on it from the list below.
            mine.steps = [name for name in mine.steps if name == "batalkan"]
    terbuka = row.pendaftaran_terbuka_pada(today)
    can_daftar = (
        bool(user.pegawai_id)
        and terbuka
        and (mine is None or mine.status not in STATUS_PESERTA)
        and counts["terisi"] < row.kuota
    )
    reasons = []
    kebutuhan = _kebutuhan_for(user, today)
    if kebutuhan is not None and (mine is None or mine.status not in STATUS_PESERTA):
        reasons = kebutuhan.reasons(row)
    can_manage = Pelatihan.objects.manageable_by(user).filter(pk=row.pk).exists()
    peserta = None
    if user.scope.can_manage:
        peserta = _pages(
            row.peserta.manageable_by(user)
            .select_related("pegawai__unit_kerja", "atasan")
            .order_by(
                Case(
                    When(status=Status.DISETUJUI_ATASAN, then=Value(0)),
                    When(status=Status.DIAJUKAN, then=Value(1)),
                    When(status__in=STATUS_TERISI, then=Value(2)),
                    default=Value(3),
                ),
                "pegawai__nama",
                "pk",
            ),
            request,
            per_page=PESERTA_PAGE_SIZE,
        )
        _with_steps(user, peserta.object_list)
    context = {
        "row": row,
        "kompetensi": kompetensi,
        "terisi": counts["terisi"],
        "menunggu": counts["menunggu"],
        "sisa": max(row.kuota - counts["terisi"], 0),
        "terbuka": terbuka,
        "mine": mine,
        "can_daftar": can_daftar,
        "reasons": reasons,
        "can_manage": can_manage,
        "peserta": peserta,
        "sudah_selesai": row.tanggal_selesai <= today,
        "daftar_form": forms.DaftarForm(),
    }
    return render(request, "pelatihan/pelatihan_detail.html", context)


@login_required
@require_POST
def daftar(request, pk):
    """The pegawai applies for a catalogue training."""
    user = request.user
    row = _visible_pelatihan(request, pk)
    form = forms.DaftarForm(request.POST)
    catatan = form.cleaned_data["catatan"] if form.is_valid() else ""
    try:
        riwayat = services.daftar(actor=user, pelatihan=row, catatan=catatan)
    except NotAllowedError as exc:
        return _forbidden(request, exc.message)
    except (ValidationError, DomainError) as exc:
        messages.error(request, _error_text(exc))
    else:
        if riwayat.status == Status.DIAJUKAN:
            messages.success(
                request, f"Pendaftaran “{row.nama}” terkirim; menunggu persetujuan {riwayat.atasan.nama_lengkap}."
            )
        else:
            messages.success(request, f"Pendaftaran “{row.nama}” terkirim; menunggu konfirmasi BKPSDM.")
    return redirect("pelatihan:detail", pk=row.pk)


def _catalogue_form(request, row=None):
    user = request.user
    instansi = _managed_instansi(user)
    if row is not None and not Pelatihan.objects.manageable_by(user).filter(pk=row.pk).exists():
        return _forbidden(request, "Katalog pelatihan dikelola oleh staf BKPSDM instansi ini.")
    if row is None and not instansi:
        return _forbidden(request, "Katalog pelatihan dikelola oleh staf BKPSDM yang mengelola instansi.")
    initial = forms.PelatihanForm.initial_for(row) if row is not None else None
    form = forms.PelatihanForm(request.POST or None, initial=initial, instansi_qs=instansi, row=row)
    conflict = False
    if form.is_valid():
        try:
            if row is None:
                saved = services.pelatihan_create(actor=user, instansi=form.chosen_instansi(), **form.service_kwargs())
            else:
                saved = services.pelatihan_update(
                    actor=user, pelatihan=row, expected_version=form.cleaned_data["version"], **form.service_kwargs()
                )
        except NotAllowedError as exc:
            return _forbidden(request, exc.message)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
            conflict = getattr(exc, "status_code", None) == 409
        else:
            verb = "ditambahkan ke katalog" if row is None else "diperbarui"
            messages.success(request, f"Pelatihan “{saved.nama}” {verb}.")
            return redirect("pelatihan:detail", pk=saved.pk)
    context = {
        "form": form,
        "row": row,
        "conflict": conflict,
        "has_penyelenggara": form.fields["penyelenggara"].queryset.exists(),
    }
    return render(request, "pelatihan/pelatihan_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pelatihan_create(request):
    return _catalogue_form(request)


@login_required
@require_http_methods(["GET", "POST"])
def pelatihan_edit(request, pk):
    return _catalogue_form(request, _visible_pelatihan(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def daftarkan(request, pk):
    """BKPSDM enrol a list of pegawai at once (NIPs one per line): all or nothing."""
    user = request.user
    row = _visible_pelatihan(request, pk)
    if not Pelatihan.objects.manageable_by(user).filter(pk=row.pk).exists():
        return _forbidden(request, "Pegawai didaftarkan oleh staf BKPSDM instansi ini.")
    form = forms.DaftarkanForm(request.POST or None, user=user)
    if form.is_valid():
        try:
            saved, skipped = services.daftarkan(actor=user, pelatihan=row, pegawai_list=form.pegawai_list)
        except NotAllowedError as exc:
            return _forbidden(request, exc.message)
        except ValidationError as exc:
            for message in exc.message_dict.get("pegawai", exc.messages):
                form.add_error("nip", message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            text = f"{len(saved)} pegawai didaftarkan sebagai peserta “{row.nama}”."
            if skipped:
                names = ", ".join(p.nama_lengkap for p in skipped[:10])
                text += f" {len(skipped)} sudah terdaftar sebelumnya dan dilewati: {names}."
            messages.success(request, text)
            return redirect("pelatihan:detail", pk=row.pk)
    terisi = row.peserta.filter(status__in=STATUS_TERISI).count()
    context = {"row": row, "form": form, "sisa": max(row.kuota - terisi, 0)}
    return render(request, "pelatihan/daftarkan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hasil(request, pk):
    """The results of a whole training: one row per confirmed participant the user manages."""
    user = request.user
    today = timezone.localdate()
    row = _visible_pelatihan(request, pk)
    if not user.scope.can_manage:
        return _forbidden(request, "Hasil pelatihan dicatat oleh staf BKPSDM.")
    peserta = list(
        row.peserta.manageable_by(user)
        .filter(status__in=STATUS_TERISI)
        .select_related("pegawai__unit_kerja")
        .order_by("pegawai__nama", "pk")
    )
    data = request.POST if request.method == "POST" else None
    items = [
        (riwayat, forms.HasilRowForm(data, prefix=f"r{riwayat.pk}", initial=forms.HasilRowForm.initial_for(riwayat)))
        for riwayat in peserta
    ]
    page_errors = []
    if data is not None:
        valid = [form.is_valid() for _, form in items]  # every row, so that each shows its errors
        if items and all(valid):
            chosen = [(riwayat, form) for riwayat, form in items if form.cleaned_data["hadir"] is not None]
            if not chosen:
                page_errors.append("Isi kehadiran minimal satu peserta.")
            else:
                try:
                    services.hasil_catat_semua(
                        actor=user, pelatihan=row, rows=[form.service_row(riwayat) for riwayat, form in chosen]
                    )
                except NotAllowedError as exc:
                    return _forbidden(request, exc.message)
                except ValidationError as exc:
                    _row_errors(exc, [form for _, form in chosen], page_errors)
                except DomainError as exc:
                    page_errors.append(exc.message)
                else:
                    messages.success(request, f"Hasil {len(chosen)} peserta “{row.nama}” tersimpan.")
                    return redirect("pelatihan:detail", pk=row.pk)
        elif items:
            page_errors.append("Periksa kembali baris yang ditandai.")
    context = {
        "row": row,
        "items": items,
        "page_errors": page_errors,
        "sudah_selesai": row.tanggal_selesai <= today,
    }
    return render(request, "pelatihan/hasil.html", context)


def _row_errors(exc, row_forms, page_errors):
    """Put ``hasil_catat_semua``'s errors (``{"baris 3": ["jp_diakui: ..."]}``) on the row forms."""
    for key, messages_ in exc.message_dict.items():
        try:
            form = row_forms[int(key.removeprefix("baris ")) - 1]
        except (ValueError, IndexError):
            page_errors.extend(messages_)
            continue
        for message in messages_:
            field, _, text = message.partition(": ")
            if text and field in form.fields:
                form.add_error(field, text)
            else:
                form.add_error(None, message)
    if not page_errors:
        page_errors.append("Tidak ada yang disimpan. Periksa kembali baris yang ditandai.")


# ---------------------------------------------------------------------------------------------
# Penyelenggara


@login_required
@require_GET
def penyelenggara_list(request):
    user = request.user
    if not _managed_instansi(user):
        return _forbidden(request, "Daftar penyelenggara dikelola oleh staf BKPSDM instansi.")
    rows = (
        Penyelenggara.objects.manageable_by(user)
        .select_related("instansi")
        .annotate(jumlah=Count("pelatihan"))
        .order_by("nama", "pk")
    )
    return render(request, "pelatihan/penyelenggara_list.html", {"page": _pages(rows, request)})


def _penyelenggara_form(request, row=None):
    user = request.user
    instansi = _managed_instansi(user)
    if not instansi or (row is not None and row.instansi_id not in {u.pk for u in instansi}):
        return _forbidden(request, "Daftar penyelenggara dikelola oleh staf BKPSDM instansi.")
    initial = forms.PenyelenggaraForm.initial_for(row) if row is not None else None
    form = forms.PenyelenggaraForm(request.POST or None, initial=initial, instansi_qs=instansi, row=row)
    conflict = False
    if form.is_valid():
        try:
            if row is None:
                saved = services.penyelenggara_create(
                    actor=user, instansi=form.chosen_instansi(), **form.service_kwargs()
                )
            else:
                saved = services.penyelenggara_update(
                    actor=user,
                    penyelenggara=row,
                    expected_version=form.cleaned_data["version"],
                    **form.service_kwargs(),
                )
        except NotAllowedError as exc:
            return _forbidden(request, exc.message)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
            conflict = getattr(exc, "status_code", None) == 409
        else:
            verb = "ditambahkan" if row is None else "diperbarui"
            messages.success(request, f"Penyelenggara “{saved.nama}” {verb}.")
            return redirect("pelatihan:penyelenggara_list")
    return render(request, "pelatihan/penyelenggara_form.html", {"form": form, "row": row, "conflict": conflict})


@login_required
@require_http_methods(["GET", "POST"])
def penyelenggara_create(request):
    return _penyelenggara_form(request)


@login_required
@require_http_methods(["GET", "POST"])
def penyelenggara_edit(request, pk):
    row = get_object_or_404(Penyelenggara.objects.visible_to(request.user), pk=pk)
    return _penyelenggara_form(request, row)


# ---------------------------------------------------------------------------------------------
# "Pelatihan saya" and outside trainings


@login_required
@require_GET
def saya(request):
    user = request.user
    if not user.pegawai_id:
        return render(request, "pelatihan/saya.html", {"has_pegawai": False})
    tahun = timezone.localdate().year
    rows = (
        RiwayatPelatihan.objects.visible_to(user)
        .filter(pegawai_id=user.pegawai_id)
        .select_related("pelatihan")
        .order_by("-tanggal_mulai", "-pk")
    )
    page = _pages(rows, request)
    _with_steps(user, page.object_list)
    jp = selectors.jp_tahun(user.pegawai_id, tahun)
    per_tahun = list(
        RiwayatPelatihan.objects.diakui()
        .filter(pegawai_id=user.pegawai_id)
        .annotate(tahun=ExtractYear("tanggal_selesai"))
        .order_by()
        .values("tahun")
        .annotate(total=Sum("jp_diakui"), jumlah=Count("pk"))
        .order_by("-tahun")[:6]
    )
    for row in per_tahun:
        row["kurang"] = max(JP_WAJIB_PER_TAHUN - row["total"], 0)
    context = {
        "has_pegawai": True,
        "page": page,
        "tahun": tahun,
        "jp": jp,
        "wajib": JP_WAJIB_PER_TAHUN,
        "kurang": max(JP_WAJIB_PER_TAHUN - jp, 0),
        # The bar turns from red to amber at half the duty and to green once it is met.
        "meter_low": JP_WAJIB_PER_TAHUN // 2,
        "meter_high": JP_WAJIB_PER_TAHUN - 1,
        "per_tahun": per_tahun,
        "menunggu_saya": RiwayatPelatihan.objects.filter(atasan_id=user.pegawai_id, status=Status.DIAJUKAN).count(),
    }
    return render(request, "pelatihan/saya.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mandiri_create(request):
    """A pegawai submits a training done elsewhere with its certificate; staff may record one
    for a pegawai they manage."""
    user = request.user
    if not (user.pegawai_id or user.scope.can_manage):
        return _forbidden(request, "Akun ini tidak terhubung dengan data pegawai.")
    form = forms.MandiriForm(request.POST or None, request.FILES or None, user=user)
    if form.is_valid():
        try:
            row = services.mandiri_ajukan(actor=user, pegawai=form.pegawai(), **form.service_kwargs())
        except NotAllowedError as exc:
            return _forbidden(request, exc.message)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
        else:
            if row.status == Status.MENUNGGU_VERIFIKASI:
                messages.success(request, f"“{row.nama}” diajukan untuk diverifikasi BKPSDM.")
            else:
                messages.success(request, f"“{row.nama}” dicatat dan langsung terverifikasi ({row.jp_diakui} JP).")
            return redirect("pelatihan:riwayat", pk=row.pk)
    return render(request, "pelatihan/mandiri_form.html", {"form": form, "is_create": True})


# ---------------------------------------------------------------------------------------------
# One training record


def _visible_riwayat(request, pk):
    return get_object_or_404(
        _riwayat_qs(request.user).select_related("pegawai__unit_kerja", "pelatihan", "atasan"), pk=pk
    )


@login_required
@require_GET
def riwayat_detail(request, pk):
    user = request.user
    row = _visible_riwayat(request, pk)
    _with_steps(user, [row])
    entries = AuditLog.objects.for_object(row).select_related("actor__pegawai")[:AUDIT_LIMIT]
    context = {"row": row, "audit_rows": audit.display_rows(entries), "dari": "detail"}
    return render(request, "pelatihan/riwayat_detail.html", context)


@login_required
@require_GET
def bukti(request, pk):
    """The evidence file, only through the record's scope (files live outside the web root)."""
    row = get_object_or_404(_riwayat_qs(request.user), pk=pk)
    return serve_evidence(row.bukti)


@login_required
@require_http_methods(["GET", "POST"])
def riwayat_edit(request, pk):
    user = request.user
    row = _visible_riwayat(request, pk)
    refusal = _refusal(request, row, "ubah")
    if refusal is not None:
        return refusal
    form = forms.MandiriForm(
        request.POST or None, request.FILES or None, initial=forms.MandiriForm.initial_for(row), user=user, row=row
    )
    conflict = False
    if form.is_valid():
        try:
            row = services.mandiri_ubah(
                actor=user, riwayat=row, expected_version=form.cleaned_data["version"], **form.service_kwargs()
            )
        except NotAllowedError as exc:
            return _forbidden(request, exc.message)
        except (ValidationError, DomainError) as exc:
            form.add_service_error(exc)
            conflict = getattr(exc, "status_code", None) == 409
        else:
            messages.success(request, "Perubahan tersimpan.")
            return redirect("pelatihan:riwayat", pk=row.pk)
    return render(request, "pelatihan/mandiri_form.html", {"form": form, "row": row, "conflict": conflict})


@login_required
@require_http_methods(["GET", "POST"])
def riwayat_delete(request, pk):
    """GET asks for confirmation; POST (with the version read) deletes."""
    user = request.user
    row = _visible_riwayat(request, pk)
    refusal = _refusal(request, row, "hapus")
    if refusal is not None:
        return refusal
    if request.method == "POST":
        form = forms.VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi.")
            return redirect("pelatihan:riwayat", pk=row.pk)
        try:
            services.hapus(actor=user, riwayat=row, expected_version=form.cleaned_data["version"])
        except NotAllowedError as exc:
            return _forbidden(request, exc.message)
        except (ValidationError, DomainError) as exc:
            messages.error(request, _error_text(exc))
            return redirect("pelatihan:riwayat", pk=row.pk)
        messages.success(request, f"“{row.nama}” dihapus.")
        return redirect("pelatihan:saya" if row.pegawai_id == user.pegawai_id else "pelatihan:antrean")
    return render(request, "pelatihan/riwayat_hapus.html", {"row": row})


# Workflow steps taken with a button: the service, the message on success.
LANGKAH = {
    "atasan_setujui": (services.atasan_setujui, "Pendaftaran {pegawai} pada “{nama}” disetujui."),
    "atasan_tolak": (services.atasan_tolak, "Pendaftaran {pegawai} pada “{nama}” ditolak."),
    "konfirmasi": (services.konfirmasi, "{pegawai} terdaftar sebagai peserta “{nama}”."),
    "tolak": (services.tolak, "“{nama}” milik {pegawai} ditolak."),
    "batalkan": (services.batalkan, "Pendaftaran {pegawai} pada “{nama}” dibatalkan."),
    "verifikasi": (services.verifikasi, "“{nama}” milik {pegawai} terverifikasi: {jp} JP diakui."),
}


def _back(dari, row):
    if dari == "antrean":
        return redirect("pelatihan:antrean")
    if dari == "antrean_verifikasi":
        return redirect(reverse("pelatihan:antrean") + "?tab=verifikasi")
    if dari in ("persetujuan", "saya"):
        return redirect(f"pelatihan:{dari}")
    if dari == "pelatihan" and row.pelatihan_id:
        return redirect("pelatihan:detail", pk=row.pelatihan_id)
    return redirect("pelatihan:riwayat", pk=row.pk)


@login_required
@require_POST
def langkah(request, pk, step):
    """One workflow step on a record, from a list or its page."""
    user = request.user
    if step not in LANGKAH:
        raise Http404
    row = _visible_riwayat(request, pk)
    service, success = LANGKAH[step]
    form = forms.KeputusanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi.")
        return _back(request.POST.get("dari") if request.POST.get("dari") in forms.DARI else "detail", row)
    data = form.cleaned_data
    kwargs = {"expected_version": data["version"]}
    if step in ("atasan_tolak", "tolak", "batalkan"):
        kwargs["alasan"] = data["alasan"]
    if step == "verifikasi":
        kwargs["jp_diakui"] = data["jp_diakui"]
    label = f"{row.pegawai.nama_lengkap} — {row.nama}"
    try:
        saved = service(actor=user, riwayat=row, **kwargs)
    except NotAllowedError as exc:
        return _forbidden(request, exc.message)
    except (ValidationError, DomainError) as exc:
        messages.error(request, f"{label}: {_error_text(exc)}")
    else:
        messages.success(request, success.format(pegawai=row.pegawai.nama_lengkap, nama=row.nama, jp=saved.jp_diakui))
    return _back(data["dari"] or "detail", row)


# ---------------------------------------------------------------------------------------------
# Waiting lists: the atasan's approvals and the BKPSDM queue


@login_required
@require_GET
def persetujuan(request):
    """Registrations waiting on the logged-in atasan, oldest first."""
    user = request.user
    if not user.pegawai_id:
        return _forbidden(request, "Halaman ini untuk atasan yang menyetujui pendaftaran pelatihan.")
    rows = (
        RiwayatPelatihan.objects.filter(atasan_id=user.pegawai_id, status=Status.DIAJUKAN)
        .select_related("pegawai__unit_kerja", "pelatihan")
        .order_by("created_at", "pk")
    )
    page = _pages(rows, request)
    _with_steps(user, page.object_list)
    return render(request, "pelatihan/persetujuan.html", {"page": page})


def _terisi_subquery():
    return Subquery(
        RiwayatPelatihan.objects.filter(pelatihan=OuterRef("pelatihan"), status__in=STATUS_TERISI)
        .order_by()
        .values("pelatihan")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


@login_required
@require_GET
def antrean(request):
    """What waits on BKPSDM: registrations to confirm (those still waiting on the atasan shown as
    such) and outside trainings to verify, of the pegawai the user manages, oldest first."""
    user = request.user
    if not user.scope.can_manage:
        return _forbidden(request, "Antrean ini untuk staf BKPSDM.")
    tab = "verifikasi" if request.GET.get("tab") == "verifikasi" else "pendaftaran"
    base = RiwayatPelatihan.objects.manageable_by(user)
    pendaftaran = base.filter(pelatihan__isnull=False, status__in=[Status.DIAJUKAN, Status.DISETUJUI_ATASAN])
    verifikasi = base.filter(status=Status.MENUNGGU_VERIFIKASI)
    if tab == "pendaftaran":
        rows = (
            pendaftaran.select_related("pegawai__unit_kerja", "pelatihan", "atasan")
            .annotate(terisi=_terisi_subquery())
            .order_by(Case(When(status=Status.DISETUJUI_ATASAN, then=Value(0)), default=Value(1)), "created_at", "pk")
        )
        other = verifikasi.count()
    else:
        rows = verifikasi.select_related("pegawai__unit_kerja").order_by("created_at", "pk")
        other = pendaftaran.count()
    page = _pages(rows, request)
    _with_steps(user, page.object_list)
    counts = {tab: page.paginator.count, ("verifikasi" if tab == "pendaftaran" else "pendaftaran"): other}
    context = {
        "page": page,
        "tab": tab,
        "counts": counts,
        "dari": "antrean" if tab == "pendaftaran" else "antrean_verifikasi",
    }
    return render(request, "pelatihan/antrean.html", context)
