"""Writes to accounts: API tokens. Atomic and audited, like every service."""

from django.db import transaction
from django.utils import timezone

from apps.core import audit
from apps.core.exceptions import DomainError
from apps.core.models import AuditLog

from .models import ApiToken, User


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
