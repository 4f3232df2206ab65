"""API rate limits: per token (or signed-in account) and per anonymous address.

The counts live in Django's cache: Redis in production (REDIS_URL), so every worker shares them.
"""

from rest_framework import exceptions, throttling
from rest_framework.settings import api_settings

from .backends import client_ip
from .models import ApiToken


class TooManyRequests(exceptions.Throttled):
    default_detail = "Terlalu banyak permintaan."
    extra_detail_singular = "Coba lagi dalam {wait} detik."
    extra_detail_plural = "Coba lagi dalam {wait} detik."


class _RateThrottle(throttling.SimpleRateThrottle):
    def get_rate(self):
        # Read at each request, not at import: the rate follows the settings (and test overrides).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def throttle_failure(self):
        # Raised here rather than returned, for the Indonesian message; Retry-After comes with it.
        raise TooManyRequests(wait=self.wait())


class UserRateThrottle(_RateThrottle):
    """One budget per API token, so each integration has its own; one per account for the
    browser session."""

    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"akun-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonRateThrottle(_RateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
