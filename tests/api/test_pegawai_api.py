import datetime as dt

import pytest
from django.utils import timezone

from apps.core.models import AuditLog
from apps.pegawai.models import PERSONAL_FIELDS, Pegawai, RiwayatJabatan, RiwayatPangkat
from tests.factories import JabatanFactory, PegawaiFactory, golongan, make_nip

from .conftest import A_DAY_AGO, count_queries, results

URL = "/api/v1/pegawai/"


def detail(pegawai_or_nip):
    return f"{URL}{getattr(pegawai_or_nip, 'nip', pegawai_or_nip)}/"


def nips(response):
    return {row["nip"] for row in results(response)}


def new_pegawai(org, **overrides):
    lahir = dt.date(1995, 4, 12)
    data = {
        "nip": make_nip(lahir, "2", tmt=dt.date(2020, 3, 1), urut=7),
        "nik": "1101015204950001",
        "nama": "Siti Aminah",
        "gelar_belakang": "S.Kom.",
        "jenis_kelamin": "2",
        "tempat_lahir": "Sabang",
        "tanggal_lahir": lahir.isoformat(),
        "jenis_asn": "PNS",
        "email": "siti@example.org",
        "jabatan": org.j_staf.pk,
        "tmt_jabatan": "2024-01-01",
        "golongan": golongan("III/a").pk,
        "tmt_golongan": "2024-01-01",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# Scope


def test_each_persona_lists_exactly_the_pegawai_in_scope(api, org):
    pemda_a = {p.nip for p in (org.kadis, org.kabid, org.staf, org.kadinkes, org.staf_dinkes, org.analis)}
    assert nips(api.staf_bkpsdm.get(URL)) == pemda_a
    assert nips(api.staf_bkpsdm_b.get(URL)) == {org.pegawai_b.nip}
    assert nips(api.atasan.get(URL)) == {org.kabid.nip, org.staf.nip}
    assert nips(api.kadis.get(URL)) == {org.kadis.nip, org.kabid.nip, org.staf.nip}
    assert nips(api.atasan_lain.get(URL)) == {org.kadinkes.nip, org.staf_dinkes.nip}
    assert nips(api.bawahan.get(URL)) == {org.staf.nip}
    assert nips(api.superuser.get(URL)) == pemda_a | {org.pegawai_b.nip}


def test_detail_is_found_by_nip_for_those_in_scope(api, org):
    response = api.atasan.get(detail(org.staf))
    assert response.status_code == 200
    body = response.json()
    assert body["nip"] == org.staf.nip
    assert body["nama"] == "Muhammad Iqbal"
    assert body["jabatan"] == {"id": org.j_staf.pk, "nama": "Pengelola Data Pendidikan", "jenis": "pelaksana"}
    assert body["unit_kerja"] == {"id": org.bidang.pk, "nama": "Bidang Pembinaan SD"}
    assert body["golongan"]["kode"] == "III/a"
    assert body["kedudukan_hukum"] == "01"
    assert body["kedudukan_hukum_label"] == "Aktif"
    assert body["version"] == org.staf.version


@pytest.mark.parametrize("who", ["staf_bkpsdm_b", "atasan_lain", "pegawai_b"])
def test_detail_outside_scope_is_not_found(api, org, who):
    response = getattr(api, who).get(detail(org.staf))
    assert response.status_code == 404
    assert response.json() == {"detail": "Data tidak ditemukan."}


@pytest.mark.parametrize("bad", ["abc", "12345678901234567", "1234567890123456789", "%00", "19900101%00201503"])
def test_a_malformed_nip_in_the_url_is_not_found(api, bad):
    assert api.staf_bkpsdm.get(f"{URL}{bad}/").status_code == 404
    assert api.staf_bkpsdm.patch(f"{URL}{bad}/", {"version": 1}, format="json").status_code == 404


# ---------------------------------------------------------------------------------------------
# Personal data


def test_an_atasan_never_sees_personal_fields(api, org):
    body = api.atasan.get(detail(org.staf)).json()
    assert not set(PERSONAL_FIELDS) & set(body)
    for row in results(api.kadis.get(URL)):
        if row["nip"] != org.kadis.nip:
            assert not set(PERSONAL_FIELDS) & set(row), row["nip"]


def test_staff_who_manage_the_pegawai_see_personal_fields(api, org):
    body = api.staf_bkpsdm.get(detail(org.staf)).json()
    assert set(PERSONAL_FIELDS) <= set(body)
    assert body["tanggal_lahir"] == "1990-11-30"
    assert all(set(PERSONAL_FIELDS) <= set(row) for row in results(api.staf_bkpsdm.get(URL)))


def test_a_pegawai_sees_their_own_personal_fields(api, org):
    assert set(PERSONAL_FIELDS) <= set(api.bawahan.get(detail(org.staf)).json())
    # The atasan's own record is theirs; the subordinate's is not.
    rows = {row["nip"]: row for row in results(api.atasan.get(URL))}
    assert set(PERSONAL_FIELDS) <= set(rows[org.kabid.nip])
    assert not set(PERSONAL_FIELDS) & set(rows[org.staf.nip])


def test_the_superuser_sees_personal_fields(api, org):
    assert set(PERSONAL_FIELDS) <= set(api.superuser.get(detail(org.pegawai_b)).json())


# ---------------------------------------------------------------------------------------------
# Create


def test_staff_create_a_pegawai_with_first_riwayat(api, org, persona):
    data = new_pegawai(org)
    response = api.staf_bkpsdm.post(URL, data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["nip"] == data["nip"]
    assert body["nama_lengkap"] == "Siti Aminah, S.Kom."
    assert body["nik"] == "1101015204950001"
    assert body["unit_kerja"]["id"] == org.bidang.pk
    pegawai = Pegawai.objects.get(nip=data["nip"])
    assert pegawai.jabatan == org.j_staf
    assert RiwayatJabatan.objects.filter(pegawai=pegawai).count() == 1
    assert RiwayatPangkat.objects.filter(pegawai=pegawai).count() == 1
    assert AuditLog.objects.filter(pegawai_id=pegawai.pk, actor=persona.staf_bkpsdm, action="create").exists()


def test_an_empty_nik_is_stored_as_none_so_two_pegawai_may_lack_one(api, org):
    first = new_pegawai(org, nik="")
    second = new_pegawai(org, nik="", nip=make_nip(dt.date(1995, 4, 12), "2", tmt=dt.date(2020, 3, 1), urut=8))
    assert api.staf_bkpsdm.post(URL, first, format="json").status_code == 201
    assert api.staf_bkpsdm.post(URL, second, format="json").status_code == 201
    assert Pegawai.objects.filter(nip__in=[first["nip"], second["nip"]], nik__isnull=True).count() == 2


def test_an_atasan_may_not_create_a_pegawai(api, org):
    response = api.atasan.post(URL, new_pegawai(org), format="json")
    assert response.status_code == 403
    assert not Pegawai.objects.filter(nama="Siti Aminah").exists()


def test_staff_cannot_create_a_pegawai_in_a_jabatan_outside_their_scope(api, org):
    response = api.staf_bkpsdm_b.post(URL, new_pegawai(org), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["jabatan"]
    assert not Pegawai.objects.filter(nama="Siti Aminah").exists()


def _pppk_golongan():
    return golongan("IX", "PPPK").pk


BAD_CREATE = [
    ("nip", {"nip": "123"}),
    ("nip", {"nip": "1995041220200321000"}),
    ("nip", {"nip": "19950412202003200A"}),
    ("nip", {"nip": "19950412202003\x002007"}),
    ("nip", {"nip": "199504122020032000"}),
    ("tanggal_lahir", {"tanggal_lahir": "2023-02-30"}),
    ("tanggal_lahir", {"tanggal_lahir": "1995-04-13"}),
    ("tanggal_lahir", {"tanggal_lahir": "kemarin"}),
    ("jenis_kelamin", {"jenis_kelamin": "1"}),
    ("jenis_kelamin", {"jenis_kelamin": "3"}),
    ("nama", {"nama": "Siti\x00Aminah"}),
    ("nama", {"nama": "S" * 151}),
    ("nama", {"nama": ""}),
    ("nama", {"nama": ["Siti"]}),
    ("alamat", {"alamat": "Jl. \x00"}),
    ("gelar_depan", {"gelar_depan": "x" * 51}),
    ("jenis_asn", {"jenis_asn": "ASN"}),
    ("kedudukan_hukum", {"kedudukan_hukum": "05"}),
    ("email", {"email": "bukan-email"}),
    ("nik", {"nik": "12345"}),
    ("nik", {"nik": "1101013204950001"}),
    ("jabatan", {"jabatan": "abc"}),
    ("jabatan", {"jabatan": 1.5}),
    ("jabatan", {"jabatan": 10**30}),
    ("jabatan", {"jabatan": 987654321}),
    ("jabatan", {"jabatan": None}),
    ("tmt_jabatan", {"tmt_jabatan": None}),
    ("tmt_jabatan", {"tmt_jabatan": "2024-13-01"}),
    ("golongan", {"golongan": 10**30}),
    ("golongan", {"golongan": "III/a"}),
    ("golongan", _pppk_golongan),
    ("tmt_golongan", {"tmt_golongan": None}),
]


@pytest.mark.parametrize(("field", "change"), BAD_CREATE, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_CREATE)])
def test_bad_input_on_create_is_a_400_naming_the_field_and_saves_nothing(api, org, field, change):
    if callable(change):
        change = {field: change()}
    before = Pegawai.objects.count()
    data = new_pegawai(org)
    data.update(change)
    response = api.staf_bkpsdm.post(URL, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert Pegawai.objects.count() == before


def test_a_nip_that_exists_already_is_refused(api, org):
    data = new_pegawai(org, nip=org.staf.nip, tanggal_lahir="1990-11-30", jenis_kelamin="1", nik="")
    response = api.staf_bkpsdm.post(URL, data, format="json")
    assert response.status_code == 400
    assert "nip" in response.json()


@pytest.mark.parametrize("body", ["[]", '"teks"', "{bukan json", "null", "[" * 100_000, '{"nama": NaN}'])
def test_a_body_that_is_not_an_object_is_a_400(api, body):
    response = api.staf_bkpsdm.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()


# ---------------------------------------------------------------------------------------------
# Update


def test_staff_update_with_the_version_they_read(api, org, persona):
    pegawai = Pegawai.objects.get(pk=org.staf.pk)
    response = api.staf_bkpsdm.patch(
        detail(pegawai), {"version": pegawai.version, "gelar_depan": "Ir.", "telepon": "0812"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["nama_lengkap"] == "Ir. Muhammad Iqbal"
    assert response.json()["version"] == pegawai.version + 1
    pegawai.refresh_from_db()
    assert (pegawai.gelar_depan, pegawai.telepon) == ("Ir.", "0812")
    assert AuditLog.objects.filter(pegawai_id=pegawai.pk, actor=persona.staf_bkpsdm, action="update").exists()


def test_put_replaces_the_master_data(api, org):
    pegawai = Pegawai.objects.get(pk=org.kadinkes.pk)
    data = {
        "version": pegawai.version,
        "nip": pegawai.nip,
        "nama": "Rahmawati Putri",
        "jenis_kelamin": "2",
        "tanggal_lahir": "1972-01-15",
        "jenis_asn": "PNS",
        "kedudukan_hukum": "20",
    }
    response = api.staf_bkpsdm.put(detail(pegawai), data, format="json")
    assert response.status_code == 200, response.content
    pegawai.refresh_from_db()
    assert (pegawai.nama, pegawai.kedudukan_hukum) == ("Rahmawati Putri", "20")


def test_a_stale_version_is_a_409_and_changes_nothing(api, org):
    pegawai = Pegawai.objects.get(pk=org.staf.pk)
    read_version = pegawai.version
    first = api.staf_bkpsdm.patch(
        detail(pegawai), {"version": read_version, "alamat": "Jl. Perdagangan"}, format="json"
    )
    assert first.status_code == 200
    response = api.staf_bkpsdm.patch(detail(pegawai), {"version": read_version, "alamat": "Jl. Lain"}, format="json")
    assert response.status_code == 409
    assert "diubah oleh pengguna lain" in response.json()["detail"]
    pegawai.refresh_from_db()
    assert pegawai.alamat == "Jl. Perdagangan"


BAD_UPDATE = [
    ("version", {}),
    ("version", {"version": "abc"}),
    ("version", {"version": 10**30}),
    ("version", {"version": 0}),
    ("version", {"version": None}),
    ("tanggal_lahir", {"tanggal_lahir": "2023-02-30"}),
    ("tanggal_lahir", {"tanggal_lahir": "1991-11-30"}),
    ("nama", {"nama": "a\x00b"}),
    ("nama", {"nama": "x" * 151}),
    ("telepon", {"telepon": "0" * 21}),
    ("nik", {"nik": "abc"}),
    ("jenis_asn", {"jenis_asn": "ASN"}),
    ("golongan", {"jenis_asn": "PPPK"}),
]


@pytest.mark.parametrize(("field", "change"), BAD_UPDATE, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_UPDATE)])
def test_bad_input_on_update_is_a_400_naming_the_field_and_saves_nothing(api, org, field, change):
    pegawai = Pegawai.objects.get(pk=org.staf.pk)
    data = {"version": pegawai.version, **change} if field != "version" else change
    response = api.staf_bkpsdm.patch(detail(pegawai), data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    after = Pegawai.objects.get(pk=pegawai.pk)
    assert (after.version, after.nama, after.jenis_asn) == (pegawai.version, pegawai.nama, pegawai.jenis_asn)


def test_an_atasan_may_read_but_not_change_a_subordinate(api, org):
    response = api.atasan.patch(detail(org.staf), {"version": 1, "nama": "X"}, format="json")
    assert response.status_code == 403
    assert Pegawai.objects.get(pk=org.staf.pk).nama == "Muhammad Iqbal"


@pytest.mark.parametrize("who", ["staf_bkpsdm_b", "atasan_lain"])
def test_a_write_outside_scope_is_not_found(api, org, who):
    response = getattr(api, who).patch(detail(org.staf), {"version": 1, "nama": "X"}, format="json")
    assert response.status_code == 404
    assert getattr(api, who).put(detail(org.staf), {"version": 1}, format="json").status_code == 404
    assert Pegawai.objects.get(pk=org.staf.pk).nama == "Muhammad Iqbal"


def test_pegawai_cannot_be_deleted_through_the_api(api, org):
    assert api.superuser.delete(detail(org.staf)).status_code == 405


# ---------------------------------------------------------------------------------------------
# Filters, search, ordering, pagination


def test_filter_by_unit_kerja_includes_its_subtree(api, org):
    assert nips(api.staf_bkpsdm.get(URL, {"unit_kerja": org.disdik.pk})) == {
        org.kadis.nip,
        org.kabid.nip,
        org.staf.nip,
    }
    assert nips(api.staf_bkpsdm.get(URL, {"unit_kerja": org.bidang.pk})) == {org.kabid.nip, org.staf.nip}
    # A unit of another pemda filters to nothing rather than revealing anything.
    assert nips(api.staf_bkpsdm.get(URL, {"unit_kerja": org.dinas_b.pk})) == set()


def test_filter_by_golongan_jenis_jabatan_jenis_asn_and_kedudukan(api, org):
    pppk = PegawaiFactory(nama="Pegawai PPPK", jabatan=org.j_staf_dinkes, jenis_asn="PPPK")
    Pegawai.objects.filter(pk=org.kadinkes.pk).update(kedudukan_hukum="20", golongan=golongan("IV/a"))
    staff = api.staf_bkpsdm
    assert nips(staff.get(URL, {"golongan": golongan("IV/a").pk})) == {org.kadinkes.nip}
    assert nips(staff.get(URL, {"jenis_jabatan": "jpt_pratama"})) == {org.kadis.nip, org.kadinkes.nip}
    assert nips(staff.get(URL, {"jenis_asn": "PPPK"})) == {pppk.nip}
    assert nips(staff.get(URL, {"kedudukan_hukum": "20"})) == {org.kadinkes.nip}


def test_updated_since_returns_only_rows_changed_since_then(api, org):
    Pegawai.objects.update(updated_at=timezone.now() - 10 * A_DAY_AGO)
    Pegawai.objects.filter(pk=org.staf.pk).update(updated_at=timezone.now())
    since = (timezone.now() - A_DAY_AGO).isoformat()
    assert nips(api.staf_bkpsdm.get(URL, {"updated_since": since})) == {org.staf.nip}
    assert nips(api.staf_bkpsdm.get(URL, {"updated_since": "2000-01-01"})) == nips(api.staf_bkpsdm.get(URL))


def test_search_matches_part_of_a_name_or_a_nip(api, org):
    assert nips(api.staf_bkpsdm.get(URL, {"search": "iqba"})) == {org.staf.nip}
    assert nips(api.staf_bkpsdm.get(URL, {"search": "RAHMA"})) == {org.kadinkes.nip}
    assert nips(api.staf_bkpsdm.get(URL, {"search": org.staf.nip[:8]})) == {org.staf.nip}
    assert nips(api.staf_bkpsdm.get(URL, {"q": "meutia"})) == {org.kabid.nip}
    # Search never reaches beyond scope.
    assert nips(api.staf_bkpsdm.get(URL, {"search": "Sahat"})) == set()


def test_ordering_by_name_nip_and_golongan(api, org):
    names = [row["nama"] for row in results(api.staf_bkpsdm.get(URL, {"ordering": "-nama"}))]
    assert names == sorted(names, reverse=True)
    Pegawai.objects.filter(pk=org.kadis.pk).update(golongan=golongan("IV/c"))
    Pegawai.objects.filter(pk=org.staf.pk).update(golongan=golongan("II/a"))
    rows = results(api.staf_bkpsdm.get(URL, {"ordering": "golongan__tingkat"}))
    assert rows[0]["nip"] == org.staf.nip
    assert rows[-1]["nip"] == org.kadis.nip
    nip_order = [row["nip"] for row in results(api.staf_bkpsdm.get(URL, {"ordering": "nip"}))]
    assert nip_order == sorted(nip_order)


def test_pages_and_page_size(api):
    first = api.staf_bkpsdm.get(URL, {"page_size": 4}).json()
    second = api.staf_bkpsdm.get(URL, {"page_size": 4, "page": 2}).json()
    assert first["count"] == 6
    assert len(first["results"]) == 4
    assert len(second["results"]) == 2
    assert not {r["nip"] for r in first["results"]} & {r["nip"] for r in second["results"]}
    # Above the maximum is capped, not refused.
    assert api.staf_bkpsdm.get(URL, {"page_size": 5000}).status_code == 200


BAD_QUERY = [
    ("page", {"page": "abc"}),
    ("page", {"page": "0"}),
    ("page", {"page": "-1"}),
    ("page", {"page": "1" * 30}),
    ("page_size", {"page_size": "-1"}),
    ("page_size", {"page_size": "0"}),
    ("page_size", {"page_size": "abc"}),
    ("ordering", {"ordering": "bogus"}),
    ("ordering", {"ordering": "nama,nik"}),
    ("ordering", {"ordering": "--nama"}),
    ("ordering", {"ordering": "nama\x00"}),
    ("unit_kerja", {"unit_kerja": "abc"}),
    ("golongan", {"golongan": "abc"}),
    ("golongan", {"golongan": str(10**30)}),
    ("jenis_asn", {"jenis_asn": "ASN"}),
    ("jenis_jabatan", {"jenis_jabatan": "raja"}),
    ("kedudukan_hukum", {"kedudukan_hukum": "77"}),
    ("updated_since", {"updated_since": "garbage"}),
    ("updated_since", {"updated_since": "2023-02-30T00:00:00"}),
    ("updated_since", {"updated_since": "0001-01-01T00:00:00"}),
    ("updated_since", {"updated_since": "9999-12-31T23:59:59-12:00"}),
    ("search", {"search": "iqbal\x00"}),
    ("search", {"search": "x" * 101}),
    ("q", {"q": "iqbal\x00"}),
]


@pytest.mark.parametrize(("field", "params"), BAD_QUERY, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_QUERY)])
def test_a_bad_query_parameter_is_a_400_naming_it(api, field, params):
    response = api.staf_bkpsdm.get(URL, params)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


def test_a_page_past_the_end_is_not_found(api):
    assert api.staf_bkpsdm.get(URL, {"page": 99}).status_code == 404


def test_huge_unit_kerja_filter_values_do_not_crash(api):
    response = api.staf_bkpsdm.get(URL, {"unit_kerja": str(10**30)})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["count"] == 0


# ---------------------------------------------------------------------------------------------
# Query count


def _add_pegawai(org, n):
    jabatan = JabatanFactory(nama="Guru Ahli Pertama", jenis="fungsional", jenjang="PT", unit_kerja=org.bidang)
    for _ in range(n):
        PegawaiFactory(jabatan=jabatan)


@pytest.mark.parametrize("who", ["staf_bkpsdm", "atasan", "superuser"])
def test_the_list_costs_the_same_queries_for_5_and_50_rows(api, org, who):
    client = getattr(api, who)
    _add_pegawai(org, 5)
    few = count_queries(lambda: client.get(URL, {"page_size": 100}))
    _add_pegawai(org, 45)
    many = count_queries(lambda: client.get(URL, {"page_size": 100}))
    assert few == many
    # Session and user (2), the scope (at most 4), one count, one page, saving the session (3).
    assert many <= 11


def test_the_search_and_filtered_list_cost_the_same_queries_for_5_and_50_rows(api, org):
    _add_pegawai(org, 5)
    params = {"page_size": 100, "search": "Pegawai", "unit_kerja": org.disdik.pk, "ordering": "golongan__tingkat"}
    few = count_queries(lambda: api.staf_bkpsdm.get(URL, params))
    _add_pegawai(org, 45)
    assert count_queries(lambda: api.staf_bkpsdm.get(URL, params)) == few
