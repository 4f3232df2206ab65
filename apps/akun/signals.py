"""Sign-in events: logged on "asnkarier.auth", sessions remembered per account, and a disabled
account loses its sessions and API tokens however it was saved (admin, shell, service)."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services
from .backends import client_ip
from .models import User

log = logging.getLogger("asnkarier.auth")


def _ip(request):
    return client_ip(request) if request is not None else None


def _session_key(request):
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


@receiver(user_logged_in, dispatch_uid="akun.login")
def on_login(sender, request, user, **kwargs):
    log.info("login berhasil: akun=%s ip=%s", user.get_username(), _ip(request))
    services.session_record(user=user, session_key=_session_key(request))


@receiver(user_logged_out, dispatch_uid="akun.logout")
def on_logout(sender, request, user, **kwargs):
    log.info("logout: akun=%s ip=%s", user.get_username() if user else "-", _ip(request))
    services.session_forget(session_key=_session_key(request))


@receiver(user_login_failed, dispatch_uid="akun.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The name as typed (bounded), never the password; Django has already masked it anyway.
    typed = str(credentials.get("username", ""))[:150]
    log.warning("login gagal: nama=%r ip=%s", typed, _ip(request))


@receiver(user_locked_out, dispatch_uid="akun.locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    log.warning("login dikunci sementara: akun=%s ip=%s", username, ip_address)


@receiver(post_save, sender=User, dispatch_uid="akun.deactivated")
def on_user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    sessions, tokens = services.account_revoke_access(user=instance)
    if sessions or tokens:
        log.warning("akun dinonaktifkan: akun=%s sesi diakhiri=%d token dicabut=%d", instance, sessions, tokens)
