import datetime as dt

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` against the hashed keys of ``ApiToken``."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        try:
            token = ApiToken.objects.select_related("user", "user__pegawai").get(key_hash=ApiToken.hash_key(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed("Token tidak valid.") from None
        if token.status != "aktif":
            raise exceptions.AuthenticationFailed(f"Token {token.status}.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Akun tidak aktif.")
        now = timezone.now()
        # Record use at most once a minute: no write on every request.
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
