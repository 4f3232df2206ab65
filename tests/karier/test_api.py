"""The karier API on the worked examples of test_pages.py (frozen on 1 March 2026): 401/403 by
persona, exactly the expected pegawai, reasons, the 9-box and succession, 400 naming the
parameter for bad input, and flat query counts."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.penilaian.models import Predikat
from tests.factories import JabatanFactory, PegawaiFactory

from .test_eligibility import final_skp, naik
from .test_pages import kgb, kp, pensiun, talenta  # noqa: F401 - the fixtures
from .test_talent import assess, standar  # noqa: F401 - the fixture

TODAY = dt.datetime(2026, 3, 1, 10)
ENDPOINTS = ["kenaikan-pangkat", "kgb", "pensiun", "talenta", "talenta-pegawai", "suksesi"]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def url(name, **query):
    base = f"/api/v1/{name}/"
    if name == "talenta-pegawai":
        query.setdefault("kotak", 9)
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def get(client, name, **query):
    response = client.get(url(name, **query))
    assert response.status_code == 200, response.content
    return response.json()


def nips(body):
    return [row["nip"] for row in body["results"]]


def queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_reports_are_for_bkpsdm_staff_only(org, clients, name):
    for persona in ("staf_bkpsdm", "staf_bkpsdm_b", "superuser"):
        assert getattr(clients, persona).get(url(name)).status_code == 200, persona
    for persona in ("atasan", "bawahan", "atasan_lain", "pegawai_b"):
        response = getattr(clients, persona).get(url(name))
        assert response.status_code == 403, persona
        assert "staf BKPSDM" in response.json()["detail"]
    assert Client().get(url(name)).status_code == 401


def test_a_read_only_token_reads_them(org, persona):
    from apps.akun import services as akun_services

    _token, key = akun_services.token_create(
        actor=persona.superuser, user=persona.staf_bkpsdm, name="x", read_only=True
    )
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(url("kenaikan-pangkat")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Kenaikan pangkat


def test_kp_rows_say_who_and_why(org, clients, kp):  # noqa: F811
    body = get(clients.staf_bkpsdm, "kenaikan-pangkat")
    assert body["count"] == 1
    [row] = body["results"]
    assert row["nip"] == org.staf.nip and row["layak"] is True and row["alasan"] == []
    assert row["periode"] == "2026-04-01"
    assert row["golongan"] == {"kode": "III/b", "pangkat": "Penata Muda Tingkat I", "siasn_id": "32"}
    assert row["golongan_berikut"]["kode"] == "III/c" and row["golongan_berikut"]["siasn_id"] == "33"
    assert row["tmt_golongan"] == "2022-04-01"
    assert [(s["tahun"], s["predikat"]) for s in row["skp"]] == [(2024, 2), (2025, 1)]
    belum = get(clients.staf_bkpsdm, "kenaikan-pangkat", status="belum")
    assert sorted(nips(belum)) == sorted([org.kadis.nip, org.kadinkes.nip, org.staf_dinkes.nip, org.analis.nip])
    dinkes = next(r for r in belum["results"] if r["nip"] == org.staf_dinkes.nip)
    assert dinkes["layak"] is False
    assert dinkes["alasan"] == [
        "SKP tahun 2024 tidak ada.",
        "SKP tahun 2025 tidak ada.",
        "Pangkat akan melebihi pangkat atasan (Rahmawati, III/a).",
    ]
    assert get(clients.staf_bkpsdm, "kenaikan-pangkat", status="semua")["count"] == 5
    assert nips(get(clients.staf_bkpsdm_b, "kenaikan-pangkat", status="semua")) == [org.pegawai_b.nip]
    assert get(clients.staf_bkpsdm, "kenaikan-pangkat", status="semua", unit_kerja=org.dinkes.pk)["count"] == 2
    assert nips(get(clients.staf_bkpsdm, "kenaikan-pangkat", status="semua", search="zulfi")) == [org.staf_dinkes.nip]
    # A past KP date is a valid question too: on 1 October 2025 nobody had both SKP years.
    assert get(clients.staf_bkpsdm, "kenaikan-pangkat", periode="2025-10-01")["count"] == 0


@pytest.mark.parametrize(
    "name, query, field",
    [
        ("kenaikan-pangkat", {"periode": "2026-05-01"}, "periode"),
        ("kenaikan-pangkat", {"periode": "1-4-2026"}, "periode"),
        ("kenaikan-pangkat", {"status": "lulus"}, "status"),
        ("kenaikan-pangkat", {"unit_kerja": "abc"}, "unit_kerja"),
        ("kenaikan-pangkat", {"search": "x" * 101}, "search"),
        ("kgb", {"dalam_bulan": 0}, "dalam_bulan"),
        ("kgb", {"dalam_bulan": 25}, "dalam_bulan"),
        ("pensiun", {"dalam_bulan": 37}, "dalam_bulan"),
        ("pensiun", {"dalam_bulan": "setahun"}, "dalam_bulan"),
        ("talenta", {"unit_kerja": 2**63}, "unit_kerja"),
        ("talenta-pegawai", {"kotak": 10}, "kotak"),
        ("talenta-pegawai", {"kotak": ""}, "kotak"),
        ("suksesi", {"unit_kerja": -1}, "unit_kerja"),
        ("kenaikan-pangkat", {"page": "x"}, "page"),
    ],
)
def test_bad_parameters_are_400_naming_them(org, clients, name, query, field):
    response = clients.staf_bkpsdm.get(url(name, **query))
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_unit_of_another_pemda_is_400(org, clients, name):
    response = clients.staf_bkpsdm.get(url(name, unit_kerja=org.dinas_b.pk))
    assert response.status_code == 400
    assert response.json()["unit_kerja"] == ["Unit kerja tidak ditemukan dalam lingkup Anda."]


def test_kp_queries_do_not_grow_with_the_rows(org, clients, kp):  # noqa: F811
    address = url("kenaikan-pangkat", status="belum")
    few = queries(clients.staf_bkpsdm, address)
    for i in range(30):
        PegawaiFactory(nama=f"Kandidat {i:02d}", jabatan=org.j_staf_dinkes)
    assert len(get(clients.staf_bkpsdm, "kenaikan-pangkat", status="belum")["results"]) == 25
    assert queries(clients.staf_bkpsdm, address) == few


# ---------------------------------------------------------------------------------------------
# KGB and pensiun


def test_kgb_rows(org, clients, kgb):  # noqa: F811
    body = get(clients.staf_bkpsdm, "kgb")
    assert nips(body) == [org.staf.nip, org.staf_dinkes.nip]
    staf, dinkes = body["results"]
    assert staf["tanggal_kgb"] == "2026-04-01" and staf["masa_kerja_golongan"] == {"tahun": 6, "bulan": 0}
    assert staf["ditunda"] is False and staf["hukuman_disiplin"] is None
    assert dinkes["ditunda"] is True and dinkes["tanggal_kgb_setelah_penundaan"] == "2027-05-15"
    assert dinkes["hukuman_disiplin"]["jenis"] == "penundaan_kgb"
    assert nips(get(clients.staf_bkpsdm, "kgb", dalam_bulan=6))[-1] == org.kadinkes.nip
    assert get(clients.staf_bkpsdm, "kgb", dalam_bulan=24)["count"] == 6  # everyone of pemda A
    assert get(clients.staf_bkpsdm_b, "kgb")["count"] == 0


def test_kgb_queries_do_not_grow_with_the_rows(org, clients, kgb):  # noqa: F811
    address = url("kgb")
    few = queries(clients.staf_bkpsdm, address)
    for i in range(30):
        naik(PegawaiFactory(nama=f"KGB {i:02d}", jabatan=org.j_staf_dinkes), "III/b", dt.date(2020, 4, 1))
    assert len(get(clients.staf_bkpsdm, "kgb")["results"]) == 25
    assert queries(clients.staf_bkpsdm, address) == few


def test_pensiun_rows(org, clients, pensiun):  # noqa: F811
    body = get(clients.staf_bkpsdm, "pensiun")
    assert nips(body) == [pensiun[k].nip for k in ("maret", "juli", "oktober", "pppk")]
    rows = {row["nip"]: row for row in body["results"]}
    oktober = rows[pensiun["oktober"].nip]
    assert oktober["batas_usia_pensiun"] == 60 and oktober["tanggal_pensiun"] == "2026-10-01"
    assert oktober["tanggal_lahir"] == "1966-09-01"
    pppk = rows[pensiun["pppk"].nip]
    assert (
        pppk["batas_usia_pensiun"] is None and pppk["tanggal_pensiun"] == pppk["akhir_perjanjian_kerja"] == "2026-12-31"
    )
    assert get(clients.staf_bkpsdm, "pensiun", dalam_bulan=36)["count"] == 5
    assert nips(get(clients.staf_bkpsdm_b, "pensiun")) == [pensiun["b"].nip]


def test_pensiun_queries_do_not_grow_with_the_rows(org, clients, pensiun):  # noqa: F811
    address = url("pensiun")
    few = queries(clients.staf_bkpsdm, address)
    for i in range(30):
        PegawaiFactory(nama=f"Pensiun {i:02d}", jabatan=org.j_staf_dinkes, tanggal_lahir=dt.date(1968, 5, 1))
    assert len(get(clients.staf_bkpsdm, "pensiun")["results"]) == 25
    assert queries(clients.staf_bkpsdm, address) == few


# ---------------------------------------------------------------------------------------------
# Talent matrix and succession


def test_talenta_counts_per_box(org, clients, talenta):  # noqa: F811
    body = get(clients.staf_bkpsdm, "talenta")
    assert (body["total"], body["tanpa_asesmen"], body["tanpa_predikat"]) == (2, 1, 1)
    counts = {k["kotak"]: k["jumlah"] for k in body["kotak"]}
    assert counts == {9: 1, 8: 0, 7: 0, 6: 0, 5: 1, 4: 0, 3: 0, 2: 0, 1: 0}
    nine = body["kotak"][0]
    assert nine["kinerja"] == "di_atas" and nine["potensial"] == "tinggi" and nine["kelompok_suksesi"] is True
    assert body["unit_kerja"] is None
    dinkes = get(clients.staf_bkpsdm, "talenta", unit_kerja=org.dinkes.pk)
    assert dinkes["total"] == 1 and dinkes["unit_kerja"]["id"] == org.dinkes.pk
    assert get(clients.staf_bkpsdm_b, "talenta")["total"] == 0


def test_talenta_pegawai_lists_a_box(org, clients, talenta):  # noqa: F811
    [row] = get(clients.staf_bkpsdm, "talenta-pegawai", kotak=9)["results"]
    assert row["nip"] == org.staf.nip and row["jpm"] == 100.0 and row["predikat"] == 1 and row["kotak"] == 9
    [row] = get(clients.staf_bkpsdm, "talenta-pegawai", kotak=5)["results"]
    assert row["nip"] == org.staf_dinkes.nip and row["jpm"] == 70.0
    assert get(clients.staf_bkpsdm, "talenta-pegawai", kotak=1)["count"] == 0


def test_talenta_queries_do_not_grow_with_the_rows(org, persona, clients, talenta):  # noqa: F811
    few_box, few_grid = (
        queries(clients.staf_bkpsdm, url("talenta-pegawai")),
        queries(clients.staf_bkpsdm, url("talenta")),
    )
    for i in range(30):
        pegawai = PegawaiFactory(nama=f"Talenta {i:02d}", jabatan=org.j_staf)
        assess(persona.staf_bkpsdm, pegawai, {"M.01": 3, "M.02": 3, "M.04": 4})
        final_skp(persona.staf_bkpsdm, pegawai, 2025, Predikat.SANGAT_BAIK)
    assert get(clients.staf_bkpsdm, "talenta-pegawai")["count"] == 31
    assert queries(clients.staf_bkpsdm, url("talenta-pegawai")) == few_box
    assert queries(clients.staf_bkpsdm, url("talenta")) == few_grid


def test_suksesi_per_jabatan(org, persona, clients, talenta):  # noqa: F811
    assess(persona.staf_bkpsdm, org.kabid, {"M.04": 4})  # the kabid: box 8
    body = get(clients.staf_bkpsdm, "suksesi")
    rows = {row["jabatan"]["id"]: row for row in body["results"]}
    assert set(rows) == {org.j_kadis.pk, org.j_kabid.pk, org.j_kadinkes.pk}
    kadis = rows[org.j_kadis.pk]
    assert kadis["pemangku"] == {"nip": org.kadis.nip, "nama": org.kadis.nama_lengkap}
    assert kadis["kepemimpinan_dibutuhkan"] == "pkn_2"
    assert [(k["nip"], k["kotak"], k["kepemimpinan_ada"]) for k in kadis["kandidat"]] == [(org.kabid.nip, 8, False)]
    assert rows[org.j_kabid.pk]["kandidat"] == []
    assert get(clients.staf_bkpsdm, "suksesi", unit_kerja=org.dinkes.pk)["count"] == 1
    assert get(clients.staf_bkpsdm_b, "suksesi")["count"] == 0


def test_suksesi_queries_do_not_grow_with_the_jabatan(org, persona, clients, talenta):  # noqa: F811
    few = queries(clients.staf_bkpsdm, url("suksesi"))
    for i in range(30):
        jabatan = JabatanFactory(nama=f"Kepala Seksi {i:02d}", jenis="pengawas", eselon="41", unit_kerja=org.bidang)
        PegawaiFactory(nama=f"Kasi {i:02d}", jabatan=jabatan)
    assert len(get(clients.staf_bkpsdm, "suksesi")["results"]) == 25
    assert queries(clients.staf_bkpsdm, url("suksesi")) == few
