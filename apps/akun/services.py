"""Writes to accounts: API tokens, sessions. Atomic and audited, like every service."""

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core import audit
from apps.core.exceptions import DomainError
from apps.core.models import AuditLog

from .models import ApiToken, User, UserSession


@transaction.atomic
def token_create(*, actor, user, name, read_only=True, expires_at=None):
    """Create a token for ``user``; returns ``(token, key)``. Only the key's hash is stored, so
    the key must be shown to the caller now or never."""
    if not User.objects.manageable_by(actor).filter(pk=user.pk).exists():
        raise DomainError(
            "Anda tidak berwenang membuat token untuk akun ini.", field_errors={"akun": "Pilih akun lain."}
        )
    if not user.is_active:
        raise DomainError("Akun ini tidak aktif.", field_errors={"akun": "Pilih akun yang aktif."})
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(
            "Tanggal kedaluwarsa harus di masa depan.", field_errors={"expires_at": "Pilih tanggal setelah hari ini."}
        )
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        key_hash=ApiToken.hash_key(key),
        read_only=read_only,
        expires_at=expires_at,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=token,
        changes={
            k: [None, v]
            for k, v in audit.snapshot(token, ("user", "name", "prefix", "read_only", "expires_at")).items()
            if v is not None
        },
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor, token):
    """Revoke ``token`` now; a revoked token never authenticates again."""
    if not User.objects.manageable_by(actor).filter(pk=token.user_id).exists():
        raise DomainError("Anda tidak berwenang mencabut token ini.")
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise DomainError("Token ini sudah dicabut.")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=locked,
        changes={"revoked_at": [None, locked.revoked_at.isoformat()]},
    )
    return locked


def _session_store(session_key=None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def session_record(*, user, session_key):
    """Remember that ``session_key`` is a session of ``user``, and forget the user's sessions
    that have expired meanwhile (a few rows per account, checked at each login)."""
    if not session_key:
        return
    stale = [row.pk for row in UserSession.objects.filter(user=user) if not _session_store().exists(row.session_key)]
    if stale:
        UserSession.objects.filter(pk__in=stale).delete()
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def session_forget(*, session_key):
    """The session ended (logout)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def account_revoke_access(*, user, actor=None):
    """End every session of ``user`` and revoke their active API tokens (audited): called when an
    account is disabled, however that happened. Returns ``(sessions ended, tokens revoked)``."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    UserSession.objects.filter(user=user).delete()
    revoked = 0
    now = timezone.now()
    for token in ApiToken.objects.select_for_update().filter(user=user).active():
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            obj=token,
            changes={"revoked_at": [None, now.isoformat()], "alasan": [None, "akun dinonaktifkan"]},
        )
        revoked += 1
    return len(keys), revoked
