"""/api/v1/standar-kinerja/ and /api/v1/kompetensi/: scope, shape, filters, writes, errors."""

import datetime as dt

import pytest
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.routers import DefaultRouter

from apps.core.models import AuditLog
from apps.pegawai import api as pegawai_api
from apps.standar_kinerja import api as standar_api
from apps.standar_kinerja import selectors
from apps.standar_kinerja.models import Kompetensi

from ..factories import JabatanFactory, UnitKerjaFactory
from ..standar_kinerja import give_standar, levels_of, uraian_of
from .conftest import count_queries, make_token, results, token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/standar-kinerja/"
KATALOG = "/api/v1/kompetensi/"


def one(jabatan):
    return f"{LIST}{jabatan.pk}/"


def salin(jabatan):
    return f"{one(jabatan)}salin/"


def body(jabatan, indikator, kompetensi=(), versi=None):
    return {
        "versi": versi if versi is not None else selectors.standar_versi(jabatan),
        "indikator": list(indikator),
        "kompetensi": list(kompetensi),
    }


def indikator(uraian, bobot=None, **extra):
    return {
        "uraian": uraian,
        "indikator": f"Persentase {uraian.lower()}",
        "aspek": "kualitas",
        "target": 95,
        "satuan": "persen",
        "bobot": bobot,
        **extra,
    }


# ---------------------------------------------------------------------------------------------
# Reading


def test_the_list_carries_each_jabatans_indikator_and_kompetensi(org, api):
    give_standar(org.j_staf, 60, 40, levels={"M.01": 3, "SK.01": 2})
    rows = {row["id"]: row for row in results(api.staf_bkpsdm.get(LIST, {"page_size": 50}))}
    assert org.j_b.pk not in rows
    staf = rows[org.j_staf.pk]
    assert staf["nama"] == org.j_staf.nama
    assert staf["unit_kerja"] == {"id": org.bidang.pk, "nama": org.bidang.nama}
    assert [i["bobot"] for i in staf["indikator"]] == [60, 40]
    assert {i["uraian"] for i in staf["indikator"]} == set(uraian_of(org.j_staf))
    assert [(k["kode"], k["level"], k["kelompok"]) for k in staf["kompetensi"]] == [
        ("M.01", 3, "manajerial"),
        ("SK.01", 2, "sosial_kultural"),
    ]
    assert staf["total_bobot"] == 100
    assert staf["versi"] == selectors.standar_versi(org.j_staf)
    assert rows[org.j_kadis.pk]["indikator"] == [] and rows[org.j_kadis.pk]["total_bobot"] is None


def test_each_reader_sees_only_the_jabatan_in_their_scope(org, api):
    assert [row["id"] for row in results(api.staf_bkpsdm_b.get(LIST))] == [org.j_b.pk]
    assert org.j_staf.pk in [row["id"] for row in results(api.bawahan.get(LIST))]
    assert api.bawahan.get(one(org.j_staf)).status_code == 200
    for client in (api.staf_bkpsdm_b, api.pegawai_b):
        response = client.get(one(org.j_staf))
        assert response.status_code == 404
        assert response.json() == {"detail": "Data tidak ditemukan."}
    assert api.anon.get(LIST).status_code == 401
    assert api.staf_bkpsdm.get(f"{LIST}99999999999999999999999/").status_code == 404


def test_the_list_filters_by_unit_subtree_jabatan_and_update_time(org, api):
    ids = {row["id"] for row in results(api.staf_bkpsdm.get(LIST, {"unit_kerja": org.disdik.pk}))}
    assert ids == {org.j_kadis.pk, org.j_kabid.pk, org.j_staf.pk}
    assert [r["id"] for r in results(api.staf_bkpsdm.get(LIST, {"jabatan": org.j_kabid.pk}))] == [org.j_kabid.pk]
    assert results(api.staf_bkpsdm.get(LIST, {"unit_kerja": org.dinas_b.pk})) == []
    since = (timezone.now() + dt.timedelta(seconds=1)).isoformat()
    assert results(api.staf_bkpsdm.get(LIST, {"updated_since": since})) == []
    give_standar(org.j_kabid, None)  # changes no jabatan row, only its standard (audited)
    give_standar(org.j_staf, None)
    give_standar(org.j_staf, None, None, None)  # ...and removing rows counts too
    changed = results(
        api.staf_bkpsdm.get(LIST, {"updated_since": (timezone.now() - dt.timedelta(seconds=5)).isoformat()})
    )
    assert {org.j_kabid.pk, org.j_staf.pk} <= {row["id"] for row in changed}
    for bad in ({"unit_kerja": "x"}, {"jabatan": "-1"}, {"updated_since": "kemarin"}, {"standar": "mungkin"}):
        response = api.staf_bkpsdm.get(LIST, bad)
        assert response.status_code == 400
        assert set(bad) <= set(response.json())


def test_the_list_issues_the_same_number_of_queries_for_5_or_50_jabatan(org, api):
    unit = UnitKerjaFactory(nama="Puskesmas Sukajaya", parent=org.dinkes, jenis="upt")

    def add(n, start):
        for i in range(start, start + n):
            jabatan = JabatanFactory(nama=f"Perawat {i:02d}", unit_kerja=unit, atasan=org.j_kadinkes)
            give_standar(jabatan, 50, 50, levels={"M.01": 2, "M.05": 3})

    address = f"{LIST}?page_size=100&unit_kerja={unit.pk}"
    add(5, 0)
    few = count_queries(lambda: api.staf_bkpsdm.get(address))
    add(45, 5)
    assert count_queries(lambda: api.staf_bkpsdm.get(address)) == few
    assert len(results(api.staf_bkpsdm.get(address))) == 50


# ---------------------------------------------------------------------------------------------
# Replacing a standard


def test_staff_replace_a_standard_through_the_services(org, api, persona):
    give_standar(org.j_staf, None, None, levels={"M.01": 2})
    keep = org.j_staf.indikator_kinerja.order_by("urutan").first()
    payload = body(
        org.j_staf,
        [indikator("Baru", 30), indikator("Tetap", 70, id=keep.pk)],
        [{"kode": "M.05", "level": 4}, {"kode": "SK.01", "level": 3}],
    )
    response = api.staf_bkpsdm.put(one(org.j_staf), payload, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [i["uraian"] for i in data["indikator"]] == ["Baru", "Tetap"]
    assert data["indikator"][1]["id"] == keep.pk
    assert levels_of(org.j_staf) == {"M.05": 4, "SK.01": 3}
    assert data["versi"] == selectors.standar_versi(org.j_staf) != payload["versi"]
    assert AuditLog.objects.for_object(org.j_staf).first().actor == persona.staf_bkpsdm


def test_bobot_not_totalling_100_is_a_400_naming_bobot_and_saves_nothing(org, api):
    give_standar(org.j_staf, None, levels={"M.01": 2})
    payload = body(org.j_staf, [indikator("A", 50), indikator("B", 49)], [{"kode": "M.02", "level": 3}])
    response = api.staf_bkpsdm.put(one(org.j_staf), payload, format="json")
    assert response.status_code == 400
    assert "99" in response.json()["bobot"][0]
    payload = body(org.j_staf, [indikator("A", 100), indikator("B")])
    response = api.staf_bkpsdm.put(one(org.j_staf), payload, format="json")
    assert response.status_code == 400
    assert "bobot" in response.json()
    assert uraian_of(org.j_staf) == [f"Hasil 1 {org.j_staf.nama}"]
    assert levels_of(org.j_staf) == {"M.01": 2}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"indikator": [{"uraian": "Tanpa target", "indikator": "x", "satuan": "x"}]}, "indikator"),
        ({"indikator": [{**indikator("A"), "target": -1}]}, "indikator"),
        ({"indikator": [{**indikator("A"), "aspek": "rasa"}]}, "indikator"),
        ({"indikator": [{**indikator("A"), "bobot": 101}]}, "indikator"),
        ({"indikator": "bukan daftar"}, "indikator"),
        ({"kompetensi": [{"kode": "M.99", "level": 3}]}, "kompetensi"),
        ({"kompetensi": [{"kode": "M.01", "level": 6}]}, "kompetensi"),
        ({"kompetensi": [{"kode": "M.01", "level": 2}, {"kode": "M.01", "level": 3}]}, "kompetensi"),
        ({"versi": None}, "versi"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(org, api, payload, field):
    data = {**body(org.j_staf, [indikator("A")]), **payload}
    response = api.staf_bkpsdm.put(one(org.j_staf), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert uraian_of(org.j_staf) == []


def test_an_indikator_id_of_another_jabatan_is_a_400(org, api):
    give_standar(org.j_kabid, None)
    other = org.j_kabid.indikator_kinerja.get()
    response = api.staf_bkpsdm.put(one(org.j_staf), body(org.j_staf, [indikator("A", id=other.pk)]), format="json")
    assert response.status_code == 400
    assert "id" in response.json()
    assert uraian_of(org.j_kabid) == [f"Hasil 1 {org.j_kabid.nama}"]


def test_a_replace_from_an_older_version_is_a_409(org, api):
    give_standar(org.j_staf, None)
    stale = selectors.standar_versi(org.j_staf)
    give_standar(org.j_staf, None, None)
    response = api.staf_bkpsdm.put(one(org.j_staf), body(org.j_staf, [indikator("A")], versi=stale), format="json")
    assert response.status_code == 409
    assert "diubah oleh pengguna lain" in response.json()["detail"]
    assert len(uraian_of(org.j_staf)) == 2


def test_only_staff_in_scope_may_replace_a_standard(org, api, persona):
    payload = body(org.j_staf, [indikator("A")])
    # Visible but not theirs to change: 403; not visible at all: 404.
    for client in (api.bawahan, api.atasan, api.atasan_lain):
        assert client.put(one(org.j_staf), payload, format="json").status_code == 403
    for client in (api.staf_bkpsdm_b, api.pegawai_b):
        assert client.put(one(org.j_staf), payload, format="json").status_code == 404
    assert api.staf_bkpsdm.patch(one(org.j_staf), payload, format="json").status_code == 405
    _, key = make_token(persona.staf_bkpsdm, read_only=True)
    assert token_client(key).put(one(org.j_staf), payload, format="json").status_code == 403
    assert uraian_of(org.j_staf) == []
    _, key = make_token(persona.staf_bkpsdm, read_only=False)
    assert token_client(key).put(one(org.j_staf), payload, format="json").status_code == 200


# ---------------------------------------------------------------------------------------------
# Copy


def test_copy_with_replace_and_without(org, api):
    give_standar(org.j_staf, None, levels={"M.01": 3})
    give_standar(org.j_staf_dinkes, None, levels={"M.05": 4})
    response = api.staf_bkpsdm.post(
        salin(org.j_staf), {"targets": [org.j_staf_dinkes.pk], "replace": False}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"jumlah": 1, "targets": [org.j_staf_dinkes.pk], "replace": False}
    assert len(uraian_of(org.j_staf_dinkes)) == 2
    assert levels_of(org.j_staf_dinkes) == {"M.01": 3, "M.05": 4}
    response = api.staf_bkpsdm.post(
        salin(org.j_staf), {"targets": [org.j_staf_dinkes.pk, org.j_kabid.pk], "replace": True}, format="json"
    )
    assert response.json()["jumlah"] == 2
    for target in (org.j_staf_dinkes, org.j_kabid):
        assert uraian_of(target) == uraian_of(org.j_staf)
        assert levels_of(target) == {"M.01": 3}


@pytest.mark.parametrize(
    "payload",
    [
        {"targets": "semua", "replace": True},
        {"targets": [], "replace": True},
        {"targets": ["x"], "replace": True},
        {"targets": [2**70], "replace": True},
        {"replace": True},
    ],
)
def test_bad_copy_targets_are_a_400_naming_targets(org, api, payload):
    give_standar(org.j_staf, None)
    response = api.staf_bkpsdm.post(salin(org.j_staf), payload, format="json")
    assert response.status_code == 400
    assert "targets" in response.json()


def test_copy_refuses_targets_out_of_scope_the_source_itself_and_a_missing_replace(org, api):
    give_standar(org.j_staf, None)
    response = api.staf_bkpsdm.post(
        salin(org.j_staf), {"targets": [org.j_staf_dinkes.pk, org.j_b.pk], "replace": True}, format="json"
    )
    assert response.status_code == 400
    assert str(org.j_b.pk) in response.json()["targets"][0]
    response = api.staf_bkpsdm.post(salin(org.j_staf), {"targets": [org.j_staf.pk], "replace": True}, format="json")
    assert response.status_code == 400 and "targets" in response.json()
    response = api.staf_bkpsdm.post(salin(org.j_staf), {"targets": [org.j_kabid.pk]}, format="json")
    assert response.status_code == 400 and "replace" in response.json()
    assert uraian_of(org.j_staf_dinkes) == [] and uraian_of(org.j_b) == [] and uraian_of(org.j_kabid) == []


def test_copy_from_outside_scope_or_by_non_staff_is_refused(org, api):
    give_standar(org.j_staf, None)
    payload = {"targets": [org.j_staf_dinkes.pk], "replace": True}
    assert api.staf_bkpsdm_b.post(salin(org.j_staf), payload, format="json").status_code == 404
    assert api.atasan.post(salin(org.j_staf), payload, format="json").status_code == 403
    response = api.staf_bkpsdm.post(salin(org.j_kabid), payload, format="json")
    assert response.status_code == 400
    assert "jabatan" in response.json()
    assert uraian_of(org.j_staf_dinkes) == []


def test_an_append_breaking_the_bobot_rule_is_a_400(org, api):
    give_standar(org.j_staf, 100)
    give_standar(org.j_staf_dinkes, 100)
    response = api.staf_bkpsdm.post(
        salin(org.j_staf), {"targets": [org.j_kabid.pk, org.j_staf_dinkes.pk], "replace": False}, format="json"
    )
    assert response.status_code == 400
    assert "bobot" in response.json()
    assert uraian_of(org.j_kabid) == []


# ---------------------------------------------------------------------------------------------
# Catalogue


def test_everyone_signed_in_reads_the_catalogue(org, api):
    kodes = [row["kode"] for row in results(api.bawahan.get(KATALOG))]
    assert kodes == [f"M.0{i}" for i in range(1, 9)] + ["SK.01"]
    assert [row["kode"] for row in results(api.bawahan.get(KATALOG, {"search": "perekat"}))] == ["SK.01"]
    assert results(api.bawahan.get(KATALOG, {"kelompok": "teknis"})) == []
    assert api.anon.get(KATALOG).status_code == 401


def test_staff_add_a_teknis_competency(org, api, persona):
    response = api.staf_bkpsdm.post(KATALOG, {"kode": "t.pkom.01", "nama": "Tata Kelola TIK"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kode"] == "T.PKOM.01" and response.json()["kelompok"] == "teknis"
    created = Kompetensi.objects.get(kode="T.PKOM.01")
    assert AuditLog.objects.for_object(created).get().actor == persona.staf_bkpsdm
    response = api.staf_bkpsdm.post(KATALOG, {"kode": "T.PKOM.01", "nama": "Lagi"}, format="json")
    assert response.status_code == 400 and "kode" in response.json()
    response = api.staf_bkpsdm.post(KATALOG, {"kode": "M.09", "nama": "Bukan teknis"}, format="json")
    assert response.status_code == 400 and "kode" in response.json()
    response = api.staf_bkpsdm.post(KATALOG, {"kode": "T.X"}, format="json")
    assert response.status_code == 400 and "nama" in response.json()


def test_non_staff_cannot_add_to_the_catalogue(org, api):
    response = api.atasan.post(KATALOG, {"kode": "T.X.01", "nama": "X"}, format="json")
    assert response.status_code == 403
    assert not Kompetensi.objects.filter(kode="T.X.01").exists()


def test_the_catalogue_issues_the_same_number_of_queries_for_a_long_list(org, api):
    few = count_queries(lambda: api.bawahan.get(KATALOG))
    for i in range(40):
        Kompetensi.objects.create(kode=f"T.UJI.{i:02d}", nama=f"Uji {i}", kelompok="teknis")
    assert count_queries(lambda: api.bawahan.get(KATALOG)) == few


# ---------------------------------------------------------------------------------------------
# Schema


def test_the_schema_of_these_endpoints_builds_without_warnings():
    router = DefaultRouter(trailing_slash="/?")
    pegawai_api.register(router)
    standar_api.register(router)
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS
    paths = schema["paths"]
    assert "put" in paths["/api/v1/standar-kinerja/{jabatan_id}/"]
    assert "patch" not in paths["/api/v1/standar-kinerja/{jabatan_id}/"]
    assert "post" in paths["/api/v1/standar-kinerja/{jabatan_id}/salin/"]
    params = {p["name"] for p in paths["/api/v1/standar-kinerja/"]["get"]["parameters"]}
    assert {"unit_kerja", "jabatan", "updated_since", "search", "page"} <= params
