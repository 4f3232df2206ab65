"""riwayat-jabatan, riwayat-pangkat and riwayat-pendidikan."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.core.models import AuditLog
from apps.pegawai import services
from apps.pegawai.models import Pegawai, RiwayatJabatan, RiwayatPangkat, RiwayatPendidikan
from tests.factories import PegawaiFactory, golongan

from .conftest import A_DAY_AGO, count_queries, make_token, results, token_client

JABATAN = "/api/v1/riwayat-jabatan/"
PANGKAT = "/api/v1/riwayat-pangkat/"
PENDIDIKAN = "/api/v1/riwayat-pendidikan/"


def nips(response):
    return {row["nip"] for row in results(response)}


@pytest.fixture
def pendidikan(org):
    """A riwayat pendidikan for the staf and one for the pegawai of pemda B."""
    services.riwayat_pendidikan_add(
        actor=None, pegawai=org.staf, tingkat="S1", jurusan="Informatika", institusi="Universitas Syiah Kuala",
        tahun_lulus=2012,
    )  # fmt: skip
    services.riwayat_pendidikan_add(
        actor=None, pegawai=org.pegawai_b, tingkat="D3", institusi="Politeknik Negeri Medan", tahun_lulus=2008
    )


# ---------------------------------------------------------------------------------------------
# Scope


@pytest.mark.parametrize("url", [JABATAN, PANGKAT, PENDIDIKAN])
def test_riwayat_lists_are_scoped_through_the_pegawai(api, org, pendidikan, url):
    pemda_a = {p.nip for p in (org.kadis, org.kabid, org.staf, org.kadinkes, org.staf_dinkes, org.analis)}
    expect = {
        "staf_bkpsdm": pemda_a,
        "staf_bkpsdm_b": {org.pegawai_b.nip},
        "atasan": {org.kabid.nip, org.staf.nip},
        "atasan_lain": {org.kadinkes.nip, org.staf_dinkes.nip},
        "bawahan": {org.staf.nip},
    }
    for who, visible in expect.items():
        if url == PENDIDIKAN:
            visible = visible & {org.staf.nip, org.pegawai_b.nip}
        assert nips(getattr(api, who).get(url, {"page_size": 200})) == visible, who


@pytest.mark.parametrize("url", [JABATAN, PANGKAT, PENDIDIKAN])
def test_riwayat_outside_scope_is_not_found(api, org, pendidikan, url):
    model = {JABATAN: RiwayatJabatan, PANGKAT: RiwayatPangkat, PENDIDIKAN: RiwayatPendidikan}[url]
    riwayat = model.objects.get(pegawai=org.staf)
    assert api.atasan.get(f"{url}{riwayat.pk}/").status_code == 200
    assert api.staf_bkpsdm_b.get(f"{url}{riwayat.pk}/").status_code == 404
    assert api.atasan_lain.get(f"{url}{riwayat.pk}/").status_code == 404
    assert api.staf_bkpsdm_b.delete(f"{url}{riwayat.pk}/").status_code == 404
    assert api.atasan_lain.delete(f"{url}{riwayat.pk}/").status_code == 404
    assert api.atasan.delete(f"{url}{riwayat.pk}/").status_code == 403
    assert model.objects.filter(pk=riwayat.pk).exists()


def test_riwayat_detail_shapes(api, org, pendidikan):
    jabatan = RiwayatJabatan.objects.get(pegawai=org.staf)
    body = api.staf_bkpsdm.get(f"{JABATAN}{jabatan.pk}/").json()
    assert body["nip"] == org.staf.nip
    assert (body["jabatan"], body["nama_jabatan"], body["nama_unit_kerja"]) == (
        org.j_staf.pk,
        "Pengelola Data Pendidikan",
        "Bidang Pembinaan SD",
    )
    pangkat = RiwayatPangkat.objects.get(pegawai=org.staf)
    body = api.staf_bkpsdm.get(f"{PANGKAT}{pangkat.pk}/").json()
    assert body["golongan"] == {"id": golongan("III/a").pk, "kode": "III/a", "pangkat": "Penata Muda"}
    body = results(api.bawahan.get(PENDIDIKAN))[0]
    assert (body["tingkat"], body["jurusan"], body["tahun_lulus"]) == ("S1", "Informatika", 2012)


def test_riwayat_filters_by_nip_and_updated_since(api, org):
    assert nips(api.staf_bkpsdm.get(JABATAN, {"nip": org.kabid.nip})) == {org.kabid.nip}
    assert nips(api.staf_bkpsdm.get(JABATAN, {"nip": org.pegawai_b.nip})) == set()
    RiwayatPangkat.objects.update(updated_at=timezone.now() - 10 * A_DAY_AGO)
    RiwayatPangkat.objects.filter(pegawai=org.kadis).update(updated_at=timezone.now())
    since = (timezone.now() - A_DAY_AGO).isoformat()
    assert nips(api.staf_bkpsdm.get(PANGKAT, {"updated_since": since})) == {org.kadis.nip}


@pytest.mark.parametrize(
    ("field", "params"),
    [
        ("nip", {"nip": "abc"}),
        ("nip", {"nip": "1" * 19}),
        ("nip", {"nip": "19901130\x00"}),
        ("updated_since", {"updated_since": "garbage"}),
        ("ordering", {"ordering": "nama"}),
        ("page_size", {"page_size": "x"}),
    ],
)
def test_a_bad_riwayat_query_is_a_400_naming_the_parameter(api, field, params):
    for url in (JABATAN, PANGKAT, PENDIDIKAN):
        response = api.staf_bkpsdm.get(url, params)
        assert response.status_code == 400, (url, response.content)
        assert field in response.json()


# ---------------------------------------------------------------------------------------------
# Create


def test_staff_add_a_riwayat_jabatan_and_the_current_jabatan_follows(api, org, persona):
    pegawai = Pegawai.objects.get(pk=org.staf.pk)
    data = {"nip": pegawai.nip, "version": pegawai.version, "jabatan": org.j_staf_dinkes.pk, "tmt": "2025-01-01"}
    response = api.staf_bkpsdm.post(JABATAN, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["nama_unit_kerja"] == "Dinas Kesehatan"
    pegawai.refresh_from_db()
    assert (pegawai.jabatan, pegawai.unit_kerja, pegawai.tmt_jabatan) == (
        org.j_staf_dinkes,
        org.dinkes,
        dt.date(2025, 1, 1),
    )
    assert pegawai.version == data["version"] + 1
    assert AuditLog.objects.filter(pegawai_id=pegawai.pk, actor=persona.staf_bkpsdm, action="create").exists()


def test_staff_add_a_riwayat_pangkat_without_a_version(api, org):
    data = {"nip": org.staf.nip, "golongan": golongan("III/b").pk, "tmt": "2024-04-01", "masa_kerja_tahun": 4}
    response = api.staf_bkpsdm.post(PANGKAT, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["golongan"]["kode"] == "III/b"
    assert Pegawai.objects.get(pk=org.staf.pk).golongan == golongan("III/b")


def test_staff_add_a_riwayat_pendidikan(api, org):
    data = {"nip": org.staf.nip, "tingkat": "S2", "jurusan": "Manajemen", "institusi": "UGM", "tahun_lulus": 2019}
    response = api.staf_bkpsdm.post(PENDIDIKAN, data, format="json")
    assert response.status_code == 201, response.content
    pegawai = Pegawai.objects.get(pk=org.staf.pk)
    assert (pegawai.pendidikan_tingkat, pegawai.pendidikan_jurusan) == ("S2", "Manajemen")
    assert api.bawahan.get(f"/api/v1/pegawai/{org.staf.nip}/").json()["pendidikan"] == {
        "tingkat": "S2",
        "jurusan": "Manajemen",
    }


def test_a_stale_pegawai_version_refuses_the_riwayat(api, org):
    pegawai = Pegawai.objects.get(pk=org.staf.pk)
    data = {"nip": pegawai.nip, "version": pegawai.version + 5, "golongan": golongan("III/b").pk, "tmt": "2024-04-01"}
    response = api.staf_bkpsdm.post(PANGKAT, data, format="json")
    assert response.status_code == 409
    assert "diubah oleh pengguna lain" in response.json()["detail"]
    assert RiwayatPangkat.objects.filter(pegawai=pegawai).count() == 1


def test_only_staff_in_scope_add_riwayat(api, org):
    data = {"nip": org.staf.nip, "golongan": golongan("III/b").pk, "tmt": "2024-04-01"}
    assert api.atasan.post(PANGKAT, data, format="json").status_code == 403
    assert api.bawahan.post(PANGKAT, data, format="json").status_code == 403
    response = api.staf_bkpsdm_b.post(PANGKAT, data, format="json")
    # The same answer as for a NIP that does not exist: no existence leak.
    unknown = api.staf_bkpsdm_b.post(PANGKAT, {**data, "nip": "199001012015031999"}, format="json")
    assert response.status_code == unknown.status_code == 400
    assert list(response.json()) == ["nip"]
    assert response.json()["nip"][0].replace(org.staf.nip, "X") == unknown.json()["nip"][0].replace(
        "199001012015031999", "X"
    )
    assert RiwayatPangkat.objects.filter(pegawai=org.staf).count() == 1


BAD_JABATAN = [
    ("nip", {"nip": "199001012015031999"}),
    ("nip", {"nip": "abc"}),
    ("nip", {"nip": 123}),
    ("nip", {"nip": "19901130\x00"}),
    ("nip", {"nip": None}),
    ("jabatan", {"jabatan": "x"}),
    ("jabatan", {"jabatan": 10**30}),
    ("jabatan", "other_pemda"),
    ("tmt", {"tmt": "2023-02-30"}),
    ("tmt", {"tmt": "2023-02-28T10:00:00"}),
    ("tanggal_selesai", {"tanggal_selesai": "2023-01-01"}),
    ("jenis_penugasan", {"jenis_penugasan": "raja"}),
    ("nomor_sk", {"nomor_sk": "8" * 101}),
    ("nomor_sk", {"nomor_sk": "800/\x00"}),
    ("version", {"version": "satu"}),
    ("version", {"version": 10**30}),
]


@pytest.mark.parametrize(("field", "change"), BAD_JABATAN, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_JABATAN)])
def test_bad_riwayat_jabatan_input_is_a_400_and_saves_nothing(api, org, field, change):
    if change == "other_pemda":
        change = {"jabatan": org.j_b.pk}
    before = RiwayatJabatan.objects.count()
    data = {"nip": org.staf.nip, "jabatan": org.j_kabid.pk, "tmt": "2024-01-01", **change}
    response = api.staf_bkpsdm.post(JABATAN, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert RiwayatJabatan.objects.count() == before


BAD_PANGKAT = [
    ("golongan", {"golongan": golongan}),
    ("golongan", {"golongan": 10**30}),
    ("golongan", {"golongan": None}),
    ("tmt", {"tmt": "2019-04-01"}),
    ("tmt", {"tmt": "31-12-2020"}),
    ("masa_kerja_bulan", {"masa_kerja_bulan": 12}),
    ("masa_kerja_tahun", {"masa_kerja_tahun": -1}),
    ("masa_kerja_tahun", {"masa_kerja_tahun": 10**30}),
    ("jenis_kp", {"jenis_kp": "\x00"}),
]


@pytest.mark.parametrize(("field", "change"), BAD_PANGKAT, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_PANGKAT)])
def test_bad_riwayat_pangkat_input_is_a_400_and_saves_nothing(api, org, field, change):
    if change.get("golongan") is golongan:
        change = {"golongan": golongan("IX", "PPPK").pk}
    elif field == "tmt" and change["tmt"] == "2019-04-01":
        change = {"golongan": golongan("III/a").pk, "tmt": "2019-04-01"}  # the same as the existing one
    before = RiwayatPangkat.objects.count()
    data = {"nip": org.staf.nip, "golongan": golongan("III/b").pk, "tmt": "2024-04-01", **change}
    response = api.staf_bkpsdm.post(PANGKAT, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert RiwayatPangkat.objects.count() == before


BAD_PENDIDIKAN = [
    ("tahun_lulus", {"tahun_lulus": 1800}),
    ("tahun_lulus", {"tahun_lulus": 2101}),
    ("tahun_lulus", {"tahun_lulus": "dua ribu"}),
    ("tahun_lulus", {"tahun_lulus": 10**30}),
    ("tingkat", {"tingkat": "S4"}),
    ("institusi", {"institusi": ""}),
    ("institusi", {"institusi": "U\x00GM"}),
    ("institusi", {"institusi": "x" * 201}),
    ("jurusan", {"jurusan": "x" * 151}),
]


@pytest.mark.parametrize(
    ("field", "change"), BAD_PENDIDIKAN, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_PENDIDIKAN)]
)
def test_bad_riwayat_pendidikan_input_is_a_400_and_saves_nothing(api, org, field, change):
    data = {"nip": org.staf.nip, "tingkat": "S1", "institusi": "UGM", "tahun_lulus": 2012, **change}
    response = api.staf_bkpsdm.post(PENDIDIKAN, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not RiwayatPendidikan.objects.exists()


# ---------------------------------------------------------------------------------------------
# Delete


def test_staff_delete_a_riwayat_and_the_current_golongan_is_derived_again(api, org, persona):
    services.riwayat_pangkat_add(actor=None, pegawai=org.staf, golongan=golongan("III/b"), tmt=dt.date(2024, 4, 1))
    wrong = RiwayatPangkat.objects.get(pegawai=org.staf, golongan=golongan("III/b"))
    response = api.staf_bkpsdm.delete(f"{PANGKAT}{wrong.pk}/")
    assert response.status_code == 204
    assert not RiwayatPangkat.objects.filter(pk=wrong.pk).exists()
    assert Pegawai.objects.get(pk=org.staf.pk).golongan == golongan("III/a")
    assert AuditLog.objects.filter(pegawai_id=org.staf.pk, actor=persona.staf_bkpsdm, action="delete").exists()


def test_the_only_definitif_jabatan_cannot_be_deleted(api, org):
    riwayat = RiwayatJabatan.objects.get(pegawai=org.staf)
    response = api.staf_bkpsdm.delete(f"{JABATAN}{riwayat.pk}/")
    assert response.status_code == 400
    assert "tidak dapat dihapus" in response.json()["detail"]
    assert RiwayatJabatan.objects.filter(pk=riwayat.pk).exists()


def test_a_read_only_token_cannot_delete(org, persona):
    _, key = make_token(persona.staf_bkpsdm, read_only=True)
    riwayat = RiwayatPangkat.objects.get(pegawai=org.staf)
    assert token_client(key).delete(f"{PANGKAT}{riwayat.pk}/").status_code == 403
    assert RiwayatPangkat.objects.filter(pk=riwayat.pk).exists()


# ---------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize("url", [JABATAN, PANGKAT, PENDIDIKAN])
def test_riwayat_lists_cost_the_same_queries_for_5_and_50_rows(api, org, url):
    def add(n):
        for i in range(n):
            pegawai = PegawaiFactory(jabatan=org.j_staf)
            services.riwayat_pendidikan_add(
                actor=None, pegawai=pegawai, tingkat="S1", institusi="Unsyiah", tahun_lulus=2000 + i % 20
            )

    add(5)
    few = count_queries(lambda: api.staf_bkpsdm.get(url, {"page_size": 100}))
    add(45)
    assert count_queries(lambda: api.staf_bkpsdm.get(url, {"page_size": 100})) == few
