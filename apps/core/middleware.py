import logging
import sys

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger("asnkarier.db")

UNAVAILABLE_MESSAGE = "Layanan sementara tidak tersedia. Silakan coba lagi beberapa saat lagi."
# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError)


class NoStoreMiddleware:
    """Pages and API answers carry personal data, and even the login page and the 401/403
    answers must not be kept by browsers or proxies: every response is ``no-store`` except the
    static files (served before this middleware by WhiteNoise, with long cache lifetimes).

    Decided without looking at the session or user, so it costs no query and holds when the
    database is down."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = "no-store"
        return response


def database_unavailable_response(request):
    """503 with Retry-After: the page "Layanan sementara tidak tersedia", or JSON for the API."""
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": UNAVAILABLE_MESSAGE}, status=503)
    else:
        # Rendered without the request: the context processors would reach for the session and
        # the user, that is, for the database.
        html = render_to_string("503.html", {"message": UNAVAILABLE_MESSAGE, "retry_after": RETRY_AFTER})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response.database_unavailable = True
    return response


def _note_outage(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], OUTAGE_ERRORS):
        request.database_unavailable = True


got_request_exception.connect(_note_outage, dispatch_uid="core.database_unavailable")


class DatabaseUnavailableMiddleware:
    """A database outage (connection refused, dropped, restarting) answers 503, not 500:
    nothing is wrong with the request, and the next one may succeed.

    Usually the view meets the outage first (``process_exception``). Should a middleware meet
    it instead (the session saved after the view), Django has already made a 500 of it; this
    middleware, placed outside those, turns that 500 into the same 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_unavailable", False):
            return database_unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        log.error("database tidak tersedia: %s %s", request.method, request.path, exc_info=exception)
        return database_unavailable_response(request)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that it leaves the session alone on the database-outage 503: Django
    skips the save on a 5xx but would first load the session (from the database) to work out
    the cookie's expiry."""

    def process_response(self, request, response):
        if getattr(response, "database_unavailable", False):
            return response
        return super().process_response(request, response)
