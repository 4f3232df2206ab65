from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import audit
from .forms import AuditFilterForm
from .models import AuditLog

AUDIT_PAGE_SIZE = 50
# The audit page counts this many entries at most (see NewestFirstPaginator).
AUDIT_COUNT_LIMIT = 10_000


@require_GET
@never_cache
def health(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "tidak tersedia"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# ---------------------------------------------------------------------------------------------
# The audit log page


@login_required
@require_GET
def audit_list(request):
    """Every audited change in the user's reach, newest first, with filters. For BKPSDM staff
    (scope: ``AuditLog.objects.visible_to``) and superusers; anyone else is refused outright,
    since the page itself is no secret."""
    user = request.user
    if not user.is_bkpsdm:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(AuditLog.objects.visible_to(user, pegawai=form.searched_pegawai())).select_related(
        "actor__pegawai"
    )
    page = NewestFirstPaginator(entries, AUDIT_PAGE_SIZE, limit=AUDIT_COUNT_LIMIT).get_page(request.GET.get("hal"))
    page.elided_range = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    rows = audit.display_rows(page.object_list)
    _attach_pegawai(rows)
    context = {
        "page": page,
        "audit_rows": rows,
        "filter_form": form,
        "filter_errors": [
            (form.fields[name].label, errors) for name, errors in form.errors.items() if name in form.fields
        ],
        "filtered": form.is_filtered,
        "values": request.GET,
        "jenis_choices": form.fields["jenis"].choices[1:],
        "aksi_choices": AuditLog.Action.choices,
    }
    return render(request, "core/audit_list.html", context)


class NewestFirstPaginator(Paginator):
    """Pages over the newest ``limit`` entries at most, and says whether there are more.

    The log only grows: an exact count of a provinsi's hundreds of thousands of entries reads
    them all (half a second at 500,000), while counting up to the limit stops there. Older
    entries are reached with the date and other filters."""

    def __init__(self, object_list, per_page, *, limit):
        super().__init__(object_list, per_page)
        self.limit = limit
        self.has_more = False

    @cached_property
    def count(self):
        counted = self.object_list[: self.limit + 1].count()
        self.has_more = counted > self.limit
        return min(counted, self.limit)


def _attach_pegawai(rows):
    """Each row's pegawai (name and NIP for the link), all in one query."""
    pegawai = apps.get_model("pegawai", "Pegawai")
    ids = {row["entry"].pegawai_id for row in rows if row["entry"].pegawai_id}
    by_id = pegawai.objects.only("nip", "nama", "gelar_depan", "gelar_belakang").in_bulk(ids) if ids else {}
    for row in rows:
        row["pegawai"] = by_id.get(row["entry"].pegawai_id)
