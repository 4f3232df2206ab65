"""riwayat-penghargaan and riwayat-hukuman-disiplin: added by BKPSDM, audited; a disciplinary
record is seen by the pegawai and the staff who manage them, never by the atasan."""

import datetime as dt

import pytest

from apps.core.models import AuditLog
from apps.pegawai import services
from apps.pegawai.models import RiwayatHukumanDisiplin, RiwayatPenghargaan

from .conftest import count_queries, results

PENGHARGAAN = "/api/v1/riwayat-penghargaan/"
HUKUMAN = "/api/v1/riwayat-hukuman-disiplin/"


@pytest.fixture
def records(org):
    services.riwayat_penghargaan_add(
        actor=None,
        pegawai=org.staf,
        jenis="satyalancana_10",
        nama="Satyalancana Karya Satya X Tahun",
        pemberi="Presiden RI",
        tanggal=dt.date(2024, 8, 17),
    )
    services.riwayat_hukuman_disiplin_add(
        actor=None,
        pegawai=org.staf,
        jenis="potong_tukin_6",
        tanggal_mulai=dt.date(2026, 1, 5),
        tanggal_selesai=dt.date(2026, 7, 4),
        nomor_sk="800/12/2026",
        tanggal_sk=dt.date(2026, 1, 2),
    )


def nips(response):
    return [row["nip"] for row in results(response)]


def test_awards_follow_the_pegawai_scope(api, org, records):
    assert nips(api.staf_bkpsdm.get(PENGHARGAAN)) == [org.staf.nip]
    assert nips(api.atasan.get(PENGHARGAAN)) == [org.staf.nip]
    assert nips(api.bawahan.get(PENGHARGAAN)) == [org.staf.nip]
    assert nips(api.atasan_lain.get(PENGHARGAAN)) == []
    assert nips(api.staf_bkpsdm_b.get(PENGHARGAAN)) == []
    assert api.anon.get(PENGHARGAAN).status_code == 401


def test_penalties_are_personal(api, org, records):
    assert nips(api.staf_bkpsdm.get(HUKUMAN)) == [org.staf.nip]
    assert nips(api.bawahan.get(HUKUMAN)) == [org.staf.nip]
    assert nips(api.atasan.get(HUKUMAN)) == []  # the atasan sees the pegawai, not this record
    assert nips(api.kadis.get(HUKUMAN)) == []
    assert nips(api.staf_bkpsdm_b.get(HUKUMAN)) == []
    row = results(api.staf_bkpsdm.get(HUKUMAN))[0]
    assert (row["tingkat"], row["menunda_kp"], row["menunda_kgb"]) == ("sedang", True, False)
    pk = RiwayatHukumanDisiplin.objects.get().pk
    assert api.atasan.get(f"{HUKUMAN}{pk}/").status_code == 404


def test_staff_add_a_penalty_with_its_default_postponement(api, org):
    body = {
        "nip": org.staf.nip,
        "jenis": "penundaan_kgb",
        "tanggal_mulai": "2026-02-01",
        "tanggal_selesai": "2027-01-31",
        "nomor_sk": "800/20/2026",
        "tanggal_sk": "2026-01-20",
    }
    response = api.staf_bkpsdm.post(HUKUMAN, body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["menunda_kp"], response.json()["menunda_kgb"]) == (False, True)
    assert AuditLog.objects.filter(object_type="pegawai.riwayathukumandisiplin", pegawai_id=org.staf.pk).exists()
    # Explicit flags win over the kind's default.
    response = api.staf_bkpsdm.post(HUKUMAN, {**body, "nomor_sk": "800/21/2026", "menunda_kp": True}, format="json")
    assert response.json()["menunda_kp"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"jenis": "dipecat"}, "jenis"),
        ({"tanggal_selesai": "2025-12-31"}, "tanggal_selesai"),
        ({"nomor_sk": ""}, "nomor_sk"),
        ({"nip": "199011302014031999"}, "nip"),
        ({"warna": "merah"}, "warna"),
    ],
)
def test_bad_penalty_input_names_the_field(api, org, change, field):
    body = {
        "nip": org.staf.nip,
        "jenis": "teguran_tertulis",
        "tanggal_mulai": "2026-02-01",
        "nomor_sk": "800/20/2026",
        "tanggal_sk": "2026-01-20",
        **change,
    }
    response = api.staf_bkpsdm.post(HUKUMAN, body, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not RiwayatHukumanDisiplin.objects.exists()


def test_only_managing_staff_write(api, org):
    body = {
        "nip": org.staf.nip,
        "jenis": "asn_teladan",
        "nama": "ASN Teladan",
        "pemberi": "Wali Kota",
        "tanggal": "2025-11-10",
    }
    assert api.atasan.post(PENGHARGAAN, body, format="json").status_code == 403
    assert api.bawahan.post(PENGHARGAAN, body, format="json").status_code == 403
    assert api.staf_bkpsdm_b.post(PENGHARGAAN, body, format="json").status_code == 400  # NIP not in scope
    assert api.staf_bkpsdm.post(PENGHARGAAN, body, format="json").status_code == 201
    pk = RiwayatPenghargaan.objects.get().pk
    assert api.staf_bkpsdm.delete(f"{PENGHARGAAN}{pk}/").status_code == 204
    assert not RiwayatPenghargaan.objects.exists()


def test_list_queries_do_not_grow(api, org, records):
    few = count_queries(lambda: api.staf_bkpsdm.get(PENGHARGAAN))
    for year in range(2000, 2020):
        services.riwayat_penghargaan_add(
            actor=None, pegawai=org.kabid, jenis="lainnya", nama=f"Penghargaan {year}", pemberi="Gubernur",
            tanggal=dt.date(year, 1, 1),
        )  # fmt: skip
    assert count_queries(lambda: api.staf_bkpsdm.get(PENGHARGAAN)) == few
