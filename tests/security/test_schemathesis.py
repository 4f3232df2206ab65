"""The API against its own OpenAPI schema, in-process: schemathesis generates requests for every
operation (valid ones, and invalid ones), sends them through the WSGI application with an API
token of a superuser and of a BKPSDM staff scoped to one pemda, and checks that no answer is a
5xx and that every answer matches the schema (status code, content type, body).

Then the inputs a fuzzer may not reach, on one representative write endpoint per app: NUL
characters, 10,000-character strings, numbers no bigint holds, wrong JSON types and unknown
fields, each a 4xx naming the field.

``SCHEMATHESIS_MAX_EXAMPLES`` (default 8) sets the examples per operation, mode and token.
"""

import copy
import functools
import json
import os
import re

import django_filters
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.akun import services as akun_services
from apps.core.drf import BooleanFilter
from apps.pelatihan.models import Penyelenggara

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))


def _schema_dict():
    """The schema the /api/v1/schema/ view serves (the same generator), as plain JSON."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


SCHEMA_DICT = _schema_dict()
SCHEMA = schemathesis.openapi.from_dict(copy.deepcopy(SCHEMA_DICT))
OPERATIONS = sorted((op.path, op.method.upper()) for op in (result.ok() for result in SCHEMA.get_all_operations()))


@functools.cache
def _application():
    # One handler for the module: building one loads the middleware (WhiteNoise scans the static files).
    return WSGIHandler()


@pytest.fixture
def wsgi_app(w, settings):
    """The project's WSGI application on the test's database connection.

    Django's test client keeps the connection open across requests; a bare WSGI handler closes
    it at the end of each, which would end the test's transaction: do as the test client does.
    """
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}), None),
    }
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(w):
    """Write tokens: the superuser's and pemda A's BKPSDM staff's."""
    keys = {}
    for name in ("superuser", "staf_bkpsdm"):
        _token, key = akun_services.token_create(
            actor=w.persona.superuser, user=getattr(w.persona, name), name=f"fuzz {name}", read_only=False
        )
        keys[name] = key
    return keys


def real_path_parameters(w):
    """Ids of records that exist, so that generated requests also reach past the lookup."""
    return {
        "nip": w.org.staf.nip,
        "jabatan_id": w.org.j_staf.pk,
        "rencana_id": w.rencana.pk,
    }


REAL_IDS = {
    "/api/v1/pegawai/": None,
    "/api/v1/unit-kerja/": lambda w: w.org.bidang.pk,
    "/api/v1/jabatan/": lambda w: w.org.j_staf.pk,
    "/api/v1/golongan/": lambda w: w.org.staf.golongan_id,
    "/api/v1/kompetensi/": lambda w: 1,
    "/api/v1/riwayat-jabatan/": lambda w: w.riwayat_jabatan.pk,
    "/api/v1/riwayat-pangkat/": lambda w: w.riwayat_pangkat.pk,
    "/api/v1/riwayat-pendidikan/": lambda w: w.pendidikan.pk,
    "/api/v1/periode-penilaian/": lambda w: w.periode.pk,
    "/api/v1/penilaian/": lambda w: w.skp.pk,
    "/api/v1/sertifikasi/": lambda w: w.sertifikasi.pk,
    "/api/v1/riwayat-penghargaan/": lambda w: w.penghargaan.pk,
    "/api/v1/riwayat-hukuman-disiplin/": lambda w: w.hukuman.pk,
    "/api/v1/penyelenggara/": lambda w: w.penyelenggara.pk,
    "/api/v1/pelatihan/": lambda w: w.pelatihan.pk,
    "/api/v1/riwayat-pelatihan/": lambda w: w.mandiri.pk,
    "/api/v1/asesmen-kompetensi/": lambda w: w.asesmen.pk,
}


def _real_id(path, w):
    for prefix, value in REAL_IDS.items():
        if path.startswith(prefix):
            return value(w) if value else None
    return None


CHECKS = {
    GenerationMode.POSITIVE: [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ],
    GenerationMode.NEGATIVE: [not_a_server_error, content_type_conformance, response_schema_conformance],
}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("path, method", OPERATIONS)
def test_the_api_answers_every_generated_request_as_its_schema_says(path, method, mode, w, wsgi_app, tokens):
    operation = SCHEMA[path][method]
    parameters = {**real_path_parameters(w), "id": _real_id(path, w)}

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        token=st.sampled_from(sorted(tokens)),
        real=st.booleans(),
    )
    def run(case, token, real):
        if real:
            for name in case.path_parameters or {}:
                if parameters.get(name) is not None:
                    case.path_parameters[name] = parameters[name]
        headers = {"Authorization": f"Token {tokens[token]}"}
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(response, checks=CHECKS[mode], headers=headers)

    try:
        run()
    except Unsatisfiable:
        # Only with a path parameter that takes any string (a NIP) and nothing else to spoil.
        assert mode == GenerationMode.NEGATIVE
        pytest.skip("the schema admits every request of this operation: no invalid one to generate")


# ---------------------------------------------------------------------------------------------
# Inputs a fuzzer may not reach, named one by one


HUGE = 10**30


def _resolve(node):
    while "$ref" in node:
        node = SCHEMA_DICT["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    for key in ("allOf", "oneOf", "anyOf"):
        variants = [_resolve(v) for v in node.get(key, []) if _resolve(v).get("enum") != [None]]
        if variants:
            return {**variants[0], **{k: v for k, v in node.items() if k not in (key,)}}
    return node


def _kind(prop):
    if "enum" in prop:
        return "string"
    return prop.get("type", "string")


def body_properties(path, method):
    """The writable fields of an operation's JSON body, as the schema documents them."""
    operation = SCHEMA_DICT["paths"][path][method.lower()]
    schema = _resolve(operation["requestBody"]["content"]["application/json"]["schema"])
    return {name: _resolve(prop) for name, prop in schema["properties"].items() if not prop.get("readOnly")}


def mutations(prop):
    """(label, value, strict): ``strict`` means the value breaks the documented schema, so the
    answer must be a 400 naming the field; otherwise anything but a 5xx will do."""
    kind = _kind(prop)
    if kind == "string":
        unbounded = not ("maxLength" in prop or "enum" in prop or "format" in prop or "pattern" in prop)
        return [
            ("NUL", "ab\x00cd", True),
            ("10,000 characters", "x" * 10_000, not unbounded),
            ("a list", ["x"], True),
            ("an object", {"x": 1}, True),
        ]
    if kind in ("integer", "number"):
        return [("10**30", HUGE, True), ("-10**30", -HUGE, True), ("text", "abc", True), ("a list", [1], True)]
    if kind == "boolean":
        return [("text", "mungkin", True), ("a list", [True], True)]
    if kind == "object":
        return [("a list", [1], True), ("text", "x", True)]
    return [("text", "x", True), ("an object", {"x": 1}, True)]  # array


def ubah_pegawai(w):
    return {"version": w.org.staf.version, "nama": "Muhammad Iqbal"}


def rencana_baru(w):
    return {
        "version": w.skp.version,
        "jenis": "utama",
        "uraian": "Terlaksananya pendataan sekolah swasta",
        "aspek": "kuantitas",
        "indikator": "Jumlah sekolah swasta terdata",
        "target": 12,
        "satuan": "sekolah",
        "urutan": 3,
    }


def sertifikat_baru(w):
    return {
        "jenis": "kompetensi",
        "nama": "Sertifikat Kompetensi Pengelola Data",
        "penerbit": "BNSP",
        "nomor": "BNSP-77/2025",
        "tanggal_terbit": "2025-02-01",
    }


def kompetensi_baru(w):
    return {"kode": "T.PKOM.99", "nama": "Pengelolaan Data Kepegawaian", "deskripsi": "Mengelola data."}


# One representative write of each app: (persona, method, schema path, URL, a valid body).
WRITES = {
    "pegawai": (
        "staf_bkpsdm",
        "PATCH",
        "/api/v1/pegawai/{nip}/",
        lambda w: f"/api/v1/pegawai/{w.org.staf.nip}/",
        ubah_pegawai,
    ),
    "standar_kinerja": ("staf_bkpsdm", "POST", "/api/v1/kompetensi/", lambda w: "/api/v1/kompetensi/", kompetensi_baru),
    "penilaian": (
        "bawahan",
        "POST",
        "/api/v1/penilaian/{id}/rencana/",
        lambda w: f"/api/v1/penilaian/{w.skp.pk}/rencana/",
        rencana_baru,
    ),
    "sertifikasi": ("bawahan", "POST", "/api/v1/sertifikasi/", lambda w: "/api/v1/sertifikasi/", sertifikat_baru),
}


def _send(client, method, url, body):
    with transaction.atomic():
        response = client.generic(method, url, json.dumps(body), content_type="application/json")
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("app", sorted(WRITES))
def test_a_valid_body_of_each_representative_write_is_taken(app, w, world_clients):
    persona, method, _path, url, body = WRITES[app]
    response = _send(getattr(world_clients, persona), method, url(w), body(w))
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("app", sorted(WRITES))
def test_every_bad_field_value_is_a_400_naming_the_field(app, w, world_clients):
    persona, method, path, url, body = WRITES[app]
    client, base = getattr(world_clients, persona), body(w)
    wrong = []
    for name, prop in body_properties(path, method).items():
        for label, value, strict in mutations(prop):
            response = _send(client, method, url(w), {**base, name: value})
            errors = response.json() if response["Content-Type"] == "application/json" else {}
            if strict and not (response.status_code == 400 and name in errors):
                wrong.append(f"{name} = {label}: {response.status_code} {str(errors)[:200]}")
            elif response.status_code >= 500:
                wrong.append(f"{name} = {label}: {response.status_code}")
    assert not wrong, f"{method} {url(w)}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", sorted(WRITES))
def test_an_unknown_or_read_only_field_is_a_400_naming_it(app, w, world_clients):
    persona, method, _path, url, body = WRITES[app]
    client = getattr(world_clients, persona)
    for name in ("kolom_asing", "id", "updated_at"):
        response = _send(client, method, url(w), {**body(w), name: "x"})
        assert response.status_code == 400, (name, response.content)
        assert response.json()[name] == ["Isian ini tidak dikenal."]


@pytest.mark.parametrize("app", sorted(WRITES))
@pytest.mark.parametrize("document", [[1, 2], "teks", 12, None, True], ids=["list", "string", "number", "null", "bool"])
def test_a_body_that_is_no_json_object_is_a_400(app, document, w, world_clients):
    persona, method, _path, url, _body = WRITES[app]
    response = _send(getattr(world_clients, persona), method, url(w), document)
    assert response.status_code == 400, response.content
    assert response.json()


def _concrete(path, value):
    return re.sub(r"\{[^}]+\}", str(value), path)


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_an_id_no_bigint_holds_is_a_json_404(path, method, w, world_clients):
    if "{" not in path:
        pytest.skip("no path parameter")
    response = _send(world_clients.superuser, method, _concrete(path, HUGE), {})
    assert response.status_code == 404, response.content
    assert response.json()["detail"]


LIST_OPERATIONS = sorted(path for path, method in OPERATIONS if method == "GET" and "{" not in path)


def query_parameters(path):
    """``{name: schema}`` of the operation's query parameters, and valid values of the required ones."""
    parameters = [p for p in SCHEMA_DICT["paths"][path]["get"].get("parameters", []) if p["in"] == "query"]
    schemas = {p["name"]: _resolve(p.get("schema", {})) for p in parameters}
    required = {p["name"]: _valid(schemas[p["name"]]) for p in parameters if p.get("required")}
    return schemas, required


def _valid(schema):
    if "enum" in schema:
        return next(value for value in schema["enum"] if value not in (None, ""))
    return {"integer": 1, "number": 1, "boolean": "true"}.get(_kind(schema), "x")


@pytest.mark.parametrize("path", LIST_OPERATIONS)
def test_every_filter_refuses_a_huge_number_and_a_nul_by_name(path, w, world_clients):
    client = world_clients.superuser
    schemas, required = query_parameters(path)
    wrong = []
    for name, schema in schemas.items():
        values = [("NUL", "ab\x00cd"), ("10,000 characters", "x" * 10_000)]
        if _kind(schema) in ("integer", "number"):
            values = [("10**30", str(HUGE)), ("-10**30", str(-HUGE)), *values]
        for label, value in values:
            with transaction.atomic():
                response = client.get(path, {**required, name: value})
                transaction.set_rollback(True)
            is_named = response.status_code == 400 and name in response.json()
            if label == "10,000 characters" and _kind(schema) == "string" and not schema.get("enum"):
                if response.status_code >= 500:
                    wrong.append(f"{name} = {label}: {response.status_code}")
            elif not is_named:
                wrong.append(f"{name} = {label}: {response.status_code} {response.content[:200]!r}")
    assert not wrong, f"GET {path}:\n" + "\n".join(wrong)


SYNC_OPERATIONS = [path for path in LIST_OPERATIONS if "updated_since" in query_parameters(path)[0]]


@pytest.mark.parametrize("path", SYNC_OPERATIONS)
def test_updated_since_takes_every_offset_iso_8601_allows_and_refuses_what_no_database_holds(path, w, world_clients):
    client = world_clients.superuser
    required = query_parameters(path)[1]
    # PostgreSQL itself refuses offsets beyond ±15:59; the filter passes the instant on in UTC.
    for value in ("2026-01-01T00:00:00+20:02", "2026-01-01T00:00:00-23:59", "0001-01-01T00:00:00Z"):
        response = client.get(path, {**required, "updated_since": value})
        assert response.status_code == 200, (value, response.content)
    for value in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+07:00"):
        response = client.get(path, {**required, "updated_since": value})
        assert response.status_code == 400, (value, response.content)
        assert "updated_since" in response.json()


def test_the_schema_documents_the_errors_every_endpoint_can_give():
    for path, operations in SCHEMA_DICT["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "401" in responses, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"400", "403"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            for code, response in responses.items():
                if code.startswith("4"):
                    assert response["content"]["application/json"]["schema"], (method, path, code)


def test_what_django_refuses_before_drf_is_json_under_the_api_and_a_page_elsewhere(w, world_clients):
    too_many = {f"isian{i}": "x" for i in range(1100)}  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1000
    response = world_clients.staf_bkpsdm.post("/api/v1/kompetensi/", too_many)
    assert response.status_code == 400
    assert response.json()["detail"]
    response = world_clients.staf_bkpsdm.post("/pegawai/baru/", too_many)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_path_under_the_api_that_matches_nothing_is_a_json_404(w, world_clients):
    for path in ("/api/v1/tidak-ada/", "/api/v1/pegawai/123/", "/api/v1/penilaian/1.5/"):
        response = world_clients.superuser.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Data tidak ditemukan."}
    assert world_clients.superuser.get("/tidak-ada/")["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "raw, valid, value", [("true", True, True), ("0", True, False), ("", True, None), ("ya", False, None)]
)
def test_the_shared_boolean_filter_refuses_what_is_no_boolean(raw, valid, value, db):
    class Filter(django_filters.FilterSet):
        aktif = BooleanFilter(field_name="aktif")

        class Meta:
            model = Penyelenggara
            fields = ["aktif"]

    filterset = Filter({"aktif": raw}, queryset=Penyelenggara.objects.none())
    assert filterset.is_valid() == valid
    if valid:
        assert filterset.form.cleaned_data["aktif"] is value
    else:
        assert "aktif" in filterset.errors
