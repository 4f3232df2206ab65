from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from apps.core.exceptions import DomainError

from . import services
from .forms import LoginForm, TokenCreateForm
from .models import ApiToken, User


class LoginView(auth_views.LoginView):
    """Django's login (safe ``next`` handling included) with our form and template."""

    form_class = LoginForm
    template_name = "akun/login.html"
    redirect_authenticated_user = True


def lockout_message():
    cool_off = settings.AXES_COOLOFF_TIME
    if not cool_off:
        return (
            "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, akun ini dan alamat jaringan Anda "
            "dikunci. Hubungi admin BKPSDM untuk membuka kunci."
        )
    minutes = max(1, int(cool_off.total_seconds() // 60))
    return (
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, akun ini dan alamat jaringan Anda "
        f"dikunci sementara. Coba lagi dalam {minutes} menit, atau hubungi admin BKPSDM untuk membuka kunci."
    )


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers to a locked-out login (AXES_LOCKOUT_CALLABLE): the login page
    again, with the lockout message. The same for every name, so it tells nothing about which
    accounts exist."""
    typed = str(request.POST.get("username", ""))[:150]
    form = LoginForm(request, initial={"username": typed})
    context = {"form": form, "lockout_message": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "akun/login.html", context, status=429)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView answers 405 to GET)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Anda telah keluar.")
        return response


def _require_staff(request):
    """Token pages are for BKPSDM staff and superusers; everyone else gets 404."""
    if not request.user.scope.can_manage:
        raise Http404


def _get_token_for_user(request, pk):
    _require_staff(request)
    accounts = User.objects.manageable_by(request.user).values("pk")
    return get_object_or_404(ApiToken.objects.filter(user__in=accounts), pk=pk)


# Suggestions in the account field: service accounts first, bounded so the page stays small.
SUGGESTION_LIMIT = 200


def _account_suggestions(accounts, user):
    rows = (
        accounts.filter(is_active=True)
        .filter(Q(pegawai__isnull=True) | Q(pk=user.pk))
        .select_related("pegawai")
        .order_by("username")[:SUGGESTION_LIMIT]
    )
    return [(row.username, _account_label(row)) for row in rows]


def _account_label(account):
    if account.pegawai_id:
        return f"{account.pegawai.nama_lengkap} · NIP {account.pegawai.nip_display}"
    return f"{account.get_full_name() or account.username} · akun layanan"


@login_required
def token_list(request):
    _require_staff(request)
    accounts = User.objects.manageable_by(request.user).values("pk")
    tokens = ApiToken.objects.filter(user__in=accounts).select_related("user", "user__pegawai", "created_by")
    page = Paginator(tokens, 50).get_page(request.GET.get("page"))
    return render(request, "akun/token_list.html", {"page": page, "tokens": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def token_create(request):
    _require_staff(request)
    accounts = User.objects.manageable_by(request.user)
    form = TokenCreateForm(request.POST or None, accounts=accounts, initial={"akun": request.GET.get("akun", "")})
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.token_create(
                actor=request.user,
                user=form.cleaned_data["akun"],
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                expires_at=form.cleaned_data["expires_at"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            for field, message in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            # Rendered, not redirected: the key exists only in this response.
            return render(request, "akun/token_created.html", {"token": token, "key": key})
    suggestions = _account_suggestions(accounts, request.user)
    return render(request, "akun/token_form.html", {"form": form, "suggestions": suggestions})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    """GET asks for confirmation; POST revokes."""
    token = _get_token_for_user(request, pk)
    if request.method == "GET":
        return render(request, "akun/token_revoke.html", {"token": token})
    try:
        services.token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Token “{token.name}” ({token.prefix}…) telah dicabut.")
    return redirect("akun:token_list")
