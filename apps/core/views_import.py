"""The import pages: upload an XLSX/CSV file, follow its progress, read the result or the error
list, download the templates. BKPSDM staff and superusers only (others 403); a job is seen by
the account that started it and by superusers (others 404)."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import imports
from .models import ImportJob

RECENT_JOBS = 20
ERRORS_ON_PAGE = 500
# A job whose thread has written nothing for this long died with its process (a restart).
STALLED_AFTER = dt.timedelta(minutes=10)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Jenis data", choices=())
    file = forms.FileField(
        label="Berkas",
        help_text="XLSX, atau CSV (UTF-8, pemisah koma atau titik koma); paling besar 10 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = imports.importer_choices()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.format = imports.check_upload(upload)
        return upload


def _require_importer(user):
    if not user.is_bkpsdm:
        raise PermissionDenied


def _job(request, pk):
    """A job of this user (any job for a superuser); anything else is 404."""
    jobs = ImportJob.objects.all() if request.user.is_superuser else ImportJob.objects.filter(user=request.user)
    return get_object_or_404(jobs, pk=pk)


def _importer(kind):
    importer_cls = imports.get_importer(kind)
    if importer_cls is None:
        raise Http404
    return importer_cls


def _stalled(job):
    return not job.is_finished and timezone.now() - job.updated_at > STALLED_AFTER


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    user = request.user
    _require_importer(user)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("jenis")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(
            kind=form.cleaned_data["kind"],
            user=user,
            file_name=upload.name[:255],
            format=form.format,
        )
        job.file.save(f"impor.{form.format}", upload, save=False)
        job.save()
        imports.start(job)
        return redirect("impor:job", pk=job.pk)
    jobs = list(ImportJob.objects.filter(user=user).defer("errors")[:RECENT_JOBS])
    importers = [
        {
            "kind": cls.kind,
            "label": cls.label,
            "description": cls.description,
            "sheets": [{"title": s.title, "slug": s.slug(), "description": s.description} for s in cls.sheets],
        }
        for cls in map(imports.get_importer, imports.IMPORTERS)
    ]
    labels = dict(imports.importer_choices())
    for job in jobs:
        job.label = labels.get(job.kind, job.kind)
        job.stalled = _stalled(job)
    context = {"form": form, "jobs": jobs, "importers": importers}
    return render(request, "core/import/index.html", context)


@login_required
@require_GET
def job_detail(request, pk):
    _require_importer(request.user)
    job = _job(request, pk)
    importer_cls = imports.get_importer(job.kind)
    context = {
        "job": job,
        "label": importer_cls.label if importer_cls else job.kind,
        "errors": job.errors[:ERRORS_ON_PAGE],
        "errors_hidden": max(job.error_count - ERRORS_ON_PAGE, 0),
        "errors_capped": job.error_count > len(job.errors),
        "stalled": _stalled(job),
        "percent": _percent(job),
    }
    return render(request, "core/import/job.html", context)


def _percent(job):
    if job.is_finished:
        return 100
    return int(job.processed * 100 / job.total) if job.total else 0


@login_required
@require_GET
@never_cache
def job_status(request, pk):
    """What the job page polls (static/js/import.js)."""
    _require_importer(request.user)
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "total": job.total,
            "processed": job.processed,
            "percent": _percent(job),
            "finished": job.is_finished or _stalled(job),
            "errors": job.error_count,
        }
    )


@login_required
@require_GET
def job_errors_csv(request, pk):
    _require_importer(request.user)
    job = _job(request, pk)
    response = HttpResponse(imports.errors_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kesalahan-impor-{job.pk}.csv"'
    return response


@login_required
@require_GET
def template_xlsx(request, kind):
    _require_importer(request.user)
    importer = _importer(kind)(request.user)
    response = HttpResponse(
        imports.template_xlsx(importer),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="templat-impor-{kind}.xlsx"'
    return response


@login_required
@require_GET
def template_csv(request, kind, sheet):
    _require_importer(request.user)
    importer = _importer(kind)(request.user)
    match = next((s for s in importer.sheets if s.slug() == sheet), None)
    if match is None:
        raise Http404
    response = HttpResponse(imports.template_csv(importer, match), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-impor-{kind}-{sheet}.csv"'
    return response
