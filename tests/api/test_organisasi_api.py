"""unit-kerja, jabatan and golongan."""

import pytest
from django.utils import timezone

from apps.core.models import AuditLog
from apps.pegawai.models import Golongan, Jabatan, UnitKerja
from tests.factories import JabatanFactory, UnitKerjaFactory

from .conftest import A_DAY_AGO, count_queries, results

UNIT = "/api/v1/unit-kerja/"
JABATAN = "/api/v1/jabatan/"
GOLONGAN = "/api/v1/golongan/"


def ids(response):
    return {row["id"] for row in results(response)}


def pemda_a_units(org):
    return {u.pk for u in (org.pemda, org.disdik, org.bidang, org.dinkes, org.bkpsdm)}


def pemda_a_jabatan(org):
    return {j.pk for j in (org.j_kadis, org.j_kabid, org.j_staf, org.j_kadinkes, org.j_staf_dinkes)} | {
        org.analis.jabatan_id
    }


# ---------------------------------------------------------------------------------------------
# Unit kerja


def test_unit_kerja_list_is_scoped(api, org):
    assert ids(api.staf_bkpsdm.get(UNIT)) == pemda_a_units(org)
    assert ids(api.staf_bkpsdm_b.get(UNIT)) == {org.pemda_b.pk, org.dinas_b.pk}
    # Every pegawai sees the units of their own instansi, not another's.
    assert ids(api.atasan.get(UNIT)) == pemda_a_units(org)
    assert ids(api.atasan_lain.get(UNIT)) == pemda_a_units(org)
    assert ids(api.pegawai_b.get(UNIT)) == {org.pemda_b.pk, org.dinas_b.pk}
    assert ids(api.superuser.get(UNIT)) == pemda_a_units(org) | {org.pemda_b.pk, org.dinas_b.pk}


def test_unit_kerja_detail_has_the_tree_fields(api, org):
    body = api.atasan.get(f"{UNIT}{org.bidang.pk}/").json()
    assert body["nama"] == "Bidang Pembinaan SD"
    assert body["parent"] == org.disdik.pk
    assert body["path"] == f"/{org.pemda.pk}/{org.disdik.pk}/{org.bidang.pk}/"
    assert body["depth"] == 2
    assert body["jenis"] == "bidang"
    assert "updated_at" in body


@pytest.mark.parametrize("who", ["staf_bkpsdm_b", "pegawai_b"])
def test_unit_kerja_of_another_pemda_is_not_found(api, org, who):
    assert getattr(api, who).get(f"{UNIT}{org.disdik.pk}/").status_code == 404


@pytest.mark.parametrize("bad", ["abc", "0x1", "1.5", "99999999999999999999999", "%00"])
def test_a_malformed_id_is_not_found(api, bad):
    for url in (UNIT, JABATAN, GOLONGAN, "/api/v1/riwayat-jabatan/"):
        assert api.staf_bkpsdm.get(f"{url}{bad}/").status_code == 404, url


def test_unit_kerja_filters(api, org):
    staff = api.staf_bkpsdm
    assert ids(staff.get(UNIT, {"parent": org.pemda.pk})) == {org.disdik.pk, org.dinkes.pk, org.bkpsdm.pk}
    assert ids(staff.get(UNIT, {"jenis": "bidang"})) == {org.bidang.pk}
    assert ids(staff.get(UNIT, {"subtree_of": org.disdik.pk})) == {org.disdik.pk, org.bidang.pk}
    assert ids(staff.get(UNIT, {"subtree_of": org.pemda_b.pk})) == set()
    assert ids(staff.get(UNIT, {"subtree_of": 987654321})) == set()
    UnitKerja.objects.update(updated_at=timezone.now() - 10 * A_DAY_AGO)
    UnitKerja.objects.filter(pk=org.dinkes.pk).update(updated_at=timezone.now())
    since = (timezone.now() - A_DAY_AGO).isoformat()
    assert ids(staff.get(UNIT, {"updated_since": since})) == {org.dinkes.pk}


def test_the_unit_chooser_searches_by_name_with_the_session(api, org):
    # What the pages' JavaScript calls.
    response = api.atasan.get(UNIT, {"search": "dinas", "page_size": 20})
    assert ids(response) == {org.disdik.pk, org.dinkes.pk}
    assert ids(api.atasan.get(UNIT, {"search": "dinas kes", "page_size": 20})) == {org.dinkes.pk}
    assert ids(api.atasan.get(UNIT, {"search": "pariwisata", "page_size": 20})) == set()


BAD_UNIT_QUERY = [
    ("parent", {"parent": "abc"}),
    ("parent", {"parent": str(10**30)}),
    ("parent", {"parent": "1.5"}),
    ("subtree_of", {"subtree_of": "abc"}),
    ("subtree_of", {"subtree_of": "-3"}),
    ("jenis", {"jenis": "kerajaan"}),
    ("updated_since", {"updated_since": "kemarin"}),
    ("search", {"search": "\x00"}),
    ("ordering", {"ordering": "bogus"}),
    ("page", {"page": "abc"}),
    ("page_size", {"page_size": "-1"}),
]


@pytest.mark.parametrize(
    ("field", "params"), BAD_UNIT_QUERY, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_UNIT_QUERY)]
)
def test_a_bad_unit_kerja_query_is_a_400_naming_the_parameter(api, field, params):
    response = api.staf_bkpsdm.get(UNIT, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_staff_create_a_unit_under_one_in_their_scope(api, org, persona):
    response = api.staf_bkpsdm.post(
        UNIT, {"nama": "Seksi Kurikulum", "jenis": "seksi", "parent": org.bidang.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    unit = UnitKerja.objects.get(nama="Seksi Kurikulum")
    assert unit.path == f"{org.bidang.path}{unit.pk}/"
    assert response.json()["depth"] == 3
    assert AuditLog.objects.for_object(unit).filter(actor=persona.staf_bkpsdm).exists()


BAD_UNIT = [
    ("parent", {"parent": None}),
    ("parent", {"parent": "abc"}),
    ("parent", {"parent": 10**30}),
    ("parent", "other_pemda"),
    ("jenis", {"jenis": "instansi"}),
    ("jenis", {"jenis": "kerajaan"}),
    ("nama", {"nama": ""}),
    ("nama", {"nama": "Seksi\x00"}),
    ("nama", {"nama": "x" * 201}),
    ("singkatan", {"singkatan": "x" * 51}),
]


@pytest.mark.parametrize(("field", "change"), BAD_UNIT, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_UNIT)])
def test_bad_unit_input_is_a_400_and_saves_nothing(api, org, field, change):
    if change == "other_pemda":
        change = {"parent": org.dinas_b.pk}
    before = UnitKerja.objects.count()
    data = {"nama": "Seksi Kurikulum", "jenis": "seksi", "parent": org.bidang.pk, **change}
    response = api.staf_bkpsdm.post(UNIT, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert UnitKerja.objects.count() == before


def test_only_staff_create_units(api, org):
    data = {"nama": "Seksi Kurikulum", "jenis": "seksi", "parent": org.bidang.pk}
    assert api.atasan.post(UNIT, data, format="json").status_code == 403
    assert api.staf_bkpsdm_b.post(UNIT, data, format="json").status_code == 400
    assert not UnitKerja.objects.filter(nama="Seksi Kurikulum").exists()


def test_the_superuser_may_create_an_instansi(api):
    response = api.superuser.post(UNIT, {"nama": "Pemerintah Provinsi Bengkulu", "jenis": "instansi"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["parent"] is None


# ---------------------------------------------------------------------------------------------
# Jabatan


def test_jabatan_list_is_scoped(api, org):
    assert ids(api.staf_bkpsdm.get(JABATAN)) == pemda_a_jabatan(org)
    assert ids(api.staf_bkpsdm_b.get(JABATAN)) == {org.j_b.pk}
    assert ids(api.atasan_lain.get(JABATAN)) == pemda_a_jabatan(org)
    assert ids(api.pegawai_b.get(JABATAN)) == {org.j_b.pk}


@pytest.mark.parametrize("who", ["staf_bkpsdm_b", "pegawai_b"])
def test_jabatan_of_another_pemda_is_not_found(api, org, who):
    assert getattr(api, who).get(f"{JABATAN}{org.j_kadis.pk}/").status_code == 404


def test_the_jabatan_chooser_gives_the_unit_name(api, org):
    rows = results(api.atasan.get(JABATAN, {"search": "kepala", "page_size": 20}))
    assert {(row["nama"], row["unit_kerja_nama"]) for row in rows} == {
        ("Kepala Dinas Pendidikan", "Dinas Pendidikan"),
        ("Kepala Bidang Pembinaan SD", "Bidang Pembinaan SD"),
        ("Kepala Dinas Kesehatan", "Dinas Kesehatan"),
    }
    row = next(r for r in rows if r["nama"] == "Kepala Bidang Pembinaan SD")
    assert row["atasan"] == org.j_kadis.pk
    assert row["unit_kerja"] == org.bidang.pk
    assert row["eselon"] == "32"


def test_jabatan_filters(api, org):
    staff = api.staf_bkpsdm
    assert ids(staff.get(JABATAN, {"unit_kerja": org.disdik.pk})) == {org.j_kadis.pk, org.j_kabid.pk, org.j_staf.pk}
    assert ids(staff.get(JABATAN, {"jenis": "jpt_pratama"})) == {org.j_kadis.pk, org.j_kadinkes.pk}
    assert ids(staff.get(JABATAN, {"atasan": org.j_kadis.pk})) == {org.j_kabid.pk}
    assert ids(staff.get(JABATAN, {"atasan": org.j_b.pk})) == set()
    Jabatan.objects.update(updated_at=timezone.now() - 10 * A_DAY_AGO)
    Jabatan.objects.filter(pk=org.j_staf.pk).update(updated_at=timezone.now())
    assert ids(staff.get(JABATAN, {"updated_since": (timezone.now() - A_DAY_AGO).isoformat()})) == {org.j_staf.pk}
    names = [row["nama"] for row in results(staff.get(JABATAN, {"ordering": "nama"}))]
    assert names == sorted(names)


@pytest.mark.parametrize(
    ("field", "params"),
    [
        ("unit_kerja", {"unit_kerja": "abc"}),
        ("atasan", {"atasan": str(10**30)}),
        ("jenis", {"jenis": "raja"}),
        ("updated_since", {"updated_since": "2024-13-01"}),
        ("ordering", {"ordering": "unit_kerja__path__bogus"}),
    ],
)
def test_a_bad_jabatan_query_is_a_400_naming_the_parameter(api, field, params):
    response = api.staf_bkpsdm.get(JABATAN, params)
    assert response.status_code == 400
    assert field in response.json()


def new_jabatan(org, **overrides):
    return {
        "nama": "Guru Ahli Muda",
        "jenis": "fungsional",
        "jenjang": "MU",
        "unit_kerja": org.bidang.pk,
        "atasan": org.j_kabid.pk,
        "kelas_jabatan": 9,
        **overrides,
    }


def test_staff_create_a_jabatan_in_scope(api, org, persona):
    response = api.staf_bkpsdm.post(JABATAN, new_jabatan(org), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["unit_kerja_nama"] == "Bidang Pembinaan SD"
    jabatan = Jabatan.objects.get(nama="Guru Ahli Muda")
    assert (jabatan.jenjang, jabatan.atasan, jabatan.kelas_jabatan) == ("MU", org.j_kabid, 9)
    assert AuditLog.objects.for_object(jabatan).filter(actor=persona.staf_bkpsdm, action="create").exists()


BAD_JABATAN = [
    ("jenjang", {"jenjang": ""}),
    ("jenjang", {"jenis": "pelaksana"}),
    ("jenjang", {"jenjang": "XX"}),
    ("unit_kerja", "other_pemda_unit"),
    ("unit_kerja", {"unit_kerja": None}),
    ("atasan", "other_pemda_atasan"),
    ("atasan", {"atasan": "kepala"}),
    ("eselon", {"eselon": "55"}),
    ("kelas_jabatan", {"kelas_jabatan": 10**30}),
    ("kelas_jabatan", {"kelas_jabatan": -1}),
    ("nama", {"nama": "Guru\x00"}),
    ("nama", {"nama": "x" * 256}),
]


@pytest.mark.parametrize(("field", "change"), BAD_JABATAN, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_JABATAN)])
def test_bad_jabatan_input_is_a_400_and_saves_nothing(api, org, field, change):
    if change == "other_pemda_unit":
        change = {"unit_kerja": org.dinas_b.pk}
    elif change == "other_pemda_atasan":
        change = {"atasan": org.j_b.pk}
    before = Jabatan.objects.count()
    response = api.staf_bkpsdm.post(JABATAN, new_jabatan(org, **change), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert Jabatan.objects.count() == before


def test_staff_patch_a_jabatan(api, org):
    response = api.staf_bkpsdm.patch(f"{JABATAN}{org.j_staf.pk}/", {"kelas_jabatan": 7}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["kelas_jabatan"] == 7
    org.j_staf.refresh_from_db()
    assert org.j_staf.kelas_jabatan == 7


def test_a_jabatan_cannot_answer_to_itself_or_below_itself(api, org):
    url = f"{JABATAN}{org.j_kadis.pk}/"
    response = api.staf_bkpsdm.patch(url, {"atasan": org.j_kadis.pk}, format="json")
    assert response.status_code == 400
    assert "atasan" in response.json()
    response = api.staf_bkpsdm.patch(url, {"atasan": org.j_staf.pk}, format="json")
    assert response.status_code == 400
    assert "atasan" in response.json()
    org.j_kadis.refresh_from_db()
    assert org.j_kadis.atasan is None


def test_patching_a_jabatan_to_fungsional_needs_a_jenjang(api, org):
    response = api.staf_bkpsdm.patch(f"{JABATAN}{org.j_staf.pk}/", {"jenis": "fungsional"}, format="json")
    assert response.status_code == 400
    assert "jenjang" in response.json()


def test_jabatan_writes_outside_scope(api, org):
    url = f"{JABATAN}{org.j_staf.pk}/"
    assert api.staf_bkpsdm_b.patch(url, {"kelas_jabatan": 1}, format="json").status_code == 404
    assert api.pegawai_b.patch(url, {"kelas_jabatan": 1}, format="json").status_code == 404
    # Visible to the atasan, but not theirs to change.
    assert api.atasan.patch(url, {"kelas_jabatan": 1}, format="json").status_code == 403
    assert api.atasan.post(JABATAN, new_jabatan(org), format="json").status_code == 403
    org.j_staf.refresh_from_db()
    assert org.j_staf.kelas_jabatan is None


# ---------------------------------------------------------------------------------------------
# Golongan


def test_every_signed_in_user_reads_the_golongan_table(api):
    body = api.bawahan.get(GOLONGAN, {"page_size": 200}).json()
    assert body["count"] == Golongan.objects.count() == 34
    iiia = next(row for row in body["results"] if row["kode"] == "III/a")
    assert iiia == {
        "id": iiia["id"],
        "jenis_asn": "PNS",
        "kode": "III/a",
        "pangkat": "Penata Muda",
        "tingkat": 9,
        "siasn_id": "31",
    }
    assert api.pegawai_b.get(f"{GOLONGAN}{iiia['id']}/").json()["kode"] == "III/a"


def test_golongan_filter_and_ordering(api):
    rows = results(api.bawahan.get(GOLONGAN, {"jenis_asn": "PPPK", "page_size": 200, "ordering": "-tingkat"}))
    assert [row["kode"] for row in rows][:3] == ["XVII", "XVI", "XV"]
    assert len(rows) == 17
    assert api.bawahan.get(GOLONGAN, {"jenis_asn": "CPNS"}).status_code == 400


def test_golongan_is_read_only(api):
    assert api.superuser.post(GOLONGAN, {"kode": "V/a"}, format="json").status_code == 405


# ---------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize(("url", "make"), [(UNIT, "unit"), (JABATAN, "jabatan")])
def test_lists_cost_the_same_queries_for_5_and_50_rows(api, org, url, make):
    def add(n):
        for _ in range(n):
            if make == "unit":
                UnitKerjaFactory(parent=org.bidang, jenis="seksi")
            else:
                JabatanFactory(unit_kerja=org.bidang, atasan=org.j_kabid)

    add(5)
    params = {"page_size": 100, "search": "", "ordering": "nama"}
    few = count_queries(lambda: api.atasan.get(url, params))
    add(45)
    assert count_queries(lambda: api.atasan.get(url, params)) == few
    filtered = {"page_size": 100, "unit_kerja" if make == "jabatan" else "subtree_of": org.disdik.pk}
    assert count_queries(lambda: api.atasan.get(url, filtered)) <= few + 1


def test_golongan_list_costs_a_fixed_number_of_queries(api):
    assert count_queries(lambda: api.bawahan.get(GOLONGAN, {"page_size": 5})) == count_queries(
        lambda: api.bawahan.get(GOLONGAN, {"page_size": 200})
    )
