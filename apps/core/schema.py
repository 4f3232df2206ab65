"""OpenAPI schema post-processing: the error answers every endpoint can give, documented once.

drf-spectacular documents the answers a view declares; the ones the shared machinery gives on
every endpoint (a field or query parameter refused, no credentials, a read-only token, a record
out of scope or a page past the end, the rate limit) would otherwise be missing, and a client
generated from the schema would not expect them.
"""

from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "`detail`: alasannya; pada isian tidak sah, tiap isian atau parameter yang gagal beserta pesannya "
        "(bersarang seperti isiannya), dan `non_field_errors` untuk aturan antarisian."
    ),
    "properties": {
        "detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    },
    "additionalProperties": True,
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}

DESCRIPTIONS = {
    "400": "Isian atau parameter tidak sah (nama isian yang salah disebut), atau aturan menolak perubahan ini.",
    "401": "Tanpa kredensial yang sah (token atau sesi).",
    "403": "Tidak berwenang: token hanya-baca, atau peran Anda tidak boleh melakukan ini.",
    "404": "Tidak ada, di luar lingkup Anda, atau halaman melewati akhir daftar.",
    "429": "Terlalu banyak permintaan; coba lagi setelah Retry-After detik.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _codes(path, method, operation):
    codes = {"401"}
    if api_settings.DEFAULT_THROTTLE_CLASSES:
        codes.add("429")
    if operation.get("requestBody") or any(p.get("in") == "query" for p in operation.get("parameters", [])):
        codes.add("400")
    if method in WRITE_METHODS:
        # A service may refuse any change by a rule of the domain (400), e.g. deleting the only jabatan.
        codes.update({"400", "403"})
    if "{" in path or method == "get":
        codes.add("404")
    return codes


def document_error_responses(result, generator, request, public):
    """Add the shared error answers to every operation, and a JSON error body to every 4xx
    answer a view declared without one."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in WRITE_METHODS | {"get"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in _codes(path, method, operation):
                responses.setdefault(code, {"description": DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.startswith("4") and "content" not in response:
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
    return result


def lib_doc_excludes():
    """Classes whose docstring is no description of an endpoint or a schema: DRF's, and the shared
    bases of apps.core (they speak to developers). Without this, every serializer or viewset
    without a docstring of its own is described by its base's."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    from .api import ApiViewSetMixin, ModelSerializer, ScopedViewSetMixin, StrictInputMixin

    return [*get_lib_doc_excludes(), ModelSerializer, StrictInputMixin, ApiViewSetMixin, ScopedViewSetMixin]


class CachedSpectacularAPIView(SpectacularAPIView):
    """The OpenAPI schema view, generating the schema once per process and version: building it
    costs about a second of CPU, and it only changes with a deploy. Throttling and the renderer
    choice (JSON or YAML) still apply per request."""

    _cache = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, self.serve_public)
        if key not in self._cache:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            self._cache[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=self._cache[key],
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
