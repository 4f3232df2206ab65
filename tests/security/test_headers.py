"""Security headers: CSP without anything inline, framing refused, no-store on everything but
static files, HSTS and secure cookies once on HTTPS."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from apps.akun import services as akun_services

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def csp(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def assert_page_headers(response):
    assert csp(response) == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


def test_the_login_page_has_the_strict_policy_and_is_not_stored(client, db):
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    assert_page_headers(response)


def test_a_failed_login_answer_is_not_stored(client, persona):
    response = client.post("/akun/masuk/", {"username": "bkpsdm_tebingtinggi", "password": "salah-sekali-123"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_signed_in_page_has_the_same_headers(clients):
    response = clients.atasan.get("/pegawai/")
    assert response.status_code == 200
    assert_page_headers(response)


def test_api_answers_are_not_stored_whether_200_401_or_403(org, persona):
    _token, key = akun_services.token_create(actor=persona.superuser, user=persona.staf_bkpsdm, name="x")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    ok = api.get("/api/v1/pegawai/")
    forbidden = api.post("/api/v1/unit-kerja/", {"nama": "X", "jenis": "seksi", "parent": org.bidang.pk}, format="json")
    unauthorised = APIClient().get("/api/v1/pegawai/")

    assert [ok.status_code, forbidden.status_code, unauthorised.status_code] == [200, 403, 401]
    for response in (ok, forbidden, unauthorised):
        assert response["Cache-Control"] == "no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" in response


def test_a_404_is_not_stored_either(clients):
    response = clients.atasan.get("/pegawai/999999999999999999/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(settings, db):
    # WhiteNoise reads its settings when the client's handler is built: a new client after the change.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    response.close()


def test_on_https_hsts_is_sent_with_subdomains(settings, persona):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    secure = client.get("/akun/masuk/", secure=True)
    plain = client.get("/akun/masuk/")

    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/akun/masuk/"
    assert "Strict-Transport-Security" not in plain


def test_on_https_the_session_and_csrf_cookies_are_secure_and_the_session_http_only(settings, persona):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    page = client.get("/akun/masuk/", secure=True)
    response = client.post("/akun/masuk/", {"username": "bkpsdm_tebingtinggi", "password": PASSWORD}, secure=True)

    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert page.cookies["csrftoken"]["secure"]
    assert session["samesite"] == "Lax"


def test_the_api_docs_pages_relax_only_style_src(clients):
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = clients.atasan.get(url)
        assert response.status_code == 200, url
        policy = csp(response)
        assert policy["style-src"] == "'self' 'unsafe-inline'"
        assert policy["script-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
    script = clients.atasan.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


# --------------------------------------------------------------------------------------------
# The templates keep to the policy: nothing inline that the browser would refuse.

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
# Templates named *_pdf.html are rendered to PDF by WeasyPrint, never served as a page: their
# <style> is not under the CSP.
PDF_SUFFIX = "_pdf.html"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def served_templates():
    return sorted(path for path in TEMPLATES.rglob("*.html") if not path.name.endswith(PDF_SUFFIX))


def test_there_are_templates_to_check():
    names = {path.relative_to(TEMPLATES).as_posix() for path in served_templates()}
    assert {"base.html", "akun/login.html", "503.html"} <= names


@pytest.mark.parametrize(
    "pattern",
    [INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, STYLE_ELEMENT],
    ids=["inline-script", "event-handler", "style-attribute", "style-element"],
)
def test_no_template_has_inline_script_or_style(pattern):
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]}"
        for path in served_templates()
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []


def test_the_pattern_catches_what_it_should():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="m" type="application/json">{}</script>')
    assert EVENT_HANDLER.search('<button onclick="x()">')
    assert STYLE_ATTRIBUTE.search('<div class="a" style="color: red">')
