"""Each user's own reminders (made by ``manage.py kirim_pengingat``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.core.pagination import paginate

from .models import Notifikasi


@login_required
@require_GET
def notifikasi_list(request):
    notices = Notifikasi.objects.untuk(request.user)
    page = paginate(notices, request)
    context = {"page": page, "belum_dibaca": notices.belum_dibaca().count()}
    return render(request, "karier/notifikasi.html", context)


@login_required
@require_POST
def notifikasi_buka(request, pk):
    """Mark one notice read and go to what it is about."""
    notice = get_object_or_404(Notifikasi.objects.untuk(request.user), pk=pk)
    if notice.dibaca_pada is None:
        Notifikasi.objects.filter(pk=notice.pk).update(dibaca_pada=timezone.now())
    if notice.tautan and url_has_allowed_host_and_scheme(notice.tautan, allowed_hosts={request.get_host()}):
        return redirect(notice.tautan)
    return redirect("karier:notifikasi")


@login_required
@require_POST
def notifikasi_baca_semua(request):
    count = Notifikasi.objects.untuk(request.user).belum_dibaca().update(dibaca_pada=timezone.now())
    messages.success(request, f"{count} notifikasi ditandai sudah dibaca.")
    return redirect("karier:notifikasi")
