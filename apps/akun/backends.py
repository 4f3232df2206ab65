import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


def _account_lookup(value):
    """The query for the account a login name means: a username (any case), or an 18-digit NIP
    typed with or without the spaces of its displayed form."""
    compact = value.replace(" ", "")
    lookup = Q(username__iexact=value)
    if compact.isdigit() and len(compact) == 18:
        lookup |= Q(pegawai__nip=compact) | Q(username=compact)
    return lookup


class NipOrUsernameBackend(ModelBackend):
    """Sign in with a username, or with the NIP of the pegawai linked to the account.

    A NIP may be typed in its displayed form with spaces; they are ignored.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        candidates = list(User.objects.filter(_account_lookup(username.strip()))[:2])
        if len(candidates) != 1:
            # Run the hasher anyway, so timing does not tell whether the account exists.
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come with a request (every login form does).

    ``authenticate()`` without a request is not a login from the web (the test client's
    ``login()``, a shell): there is no client address to count, so it is not checked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials):
    """The name failed logins are counted under: the account's username when the typed name
    (NIP with or without spaces, username in any case) means exactly one account, else the
    typed name, trimmed and lower-cased. Remembered per request: axes asks several times."""
    if credentials:
        typed = credentials.get("username")
    elif request is not None:
        typed = getattr(request, "data", request.POST).get("username")
    else:
        typed = None
    if not typed:
        return typed
    typed = str(typed).strip()
    cache = request.__dict__.setdefault("_lockout_usernames", {}) if request is not None else {}
    if typed not in cache:
        matches = list(get_user_model().objects.filter(_account_lookup(typed)).values_list("username", flat=True)[:2])
        # Bounded: the form does not limit the length, axes stores at most 255 characters.
        cache[typed] = matches[0] if len(matches) == 1 else typed.replace(" ", "").lower()[:150]
    return cache[typed]


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with ``NUM_PROXIES`` reverse proxies in front, the
    X-Forwarded-For entry the outermost of them appended (the ones left of it can be forged)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    candidate = addresses[-min(proxies, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
