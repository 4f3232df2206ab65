"""The OpenAPI schema builds cleanly, and the docs are served without any CDN."""

import re

from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_the_schema_builds_without_warnings_or_errors(tmp_path):
    # --fail-on-warn raises on any warning or error of drf-spectacular.
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/pegawai/{nip}/", "/api/v1/unit-kerja/", "/api/v1/riwayat-pendidikan/{id}/"):
        assert f"  {path}:" in text


def test_the_schema_endpoint_serves_openapi_3(api):
    response = api.atasan.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/golongan/" in schema["paths"]
    listing = schema["paths"]["/api/v1/pegawai/"]["get"]
    params = {p["name"] for p in listing["parameters"]}
    assert {"page", "page_size", "search", "ordering", "updated_since", "unit_kerja", "golongan"} <= params
    pegawai = schema["components"]["schemas"]["Pegawai"]
    assert "nik" not in pegawai.get("required", [])
    assert "nip" in pegawai["required"]


def test_the_docs_page_loads_nothing_from_outside(api):
    response = api.atasan.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["']([^"']+)""", html)
    assert sources
    # The static bundles, and the page's own init script (Swagger "split" view: no inline script).
    assets = [src for src in sources if not src.startswith("/api/v1/docs/?")]
    assert len(assets) == len(sources) - 1, sources
    assert all(src.startswith("/static/") for src in assets), sources
    assert all(finders.find(src.removeprefix("/static/")) for src in assets), sources
    assert "cdn" not in html.lower()
    assert "https://" not in html
