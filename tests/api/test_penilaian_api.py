"""/api/v1/periode-penilaian/ and /api/v1/penilaian/: scope, list, detail, create, distribution."""

import pytest
from django.utils import timezone

from apps.akun.models import User
from apps.penilaian import services
from apps.penilaian.models import BerAKHLAK, CapaianUnit, Penilaian, PeriodePenilaian, Predikat, Status
from tests.factories import JabatanFactory, PegawaiFactory

from .conftest import A_DAY_AGO, count_queries, results

URL = "/api/v1/penilaian/"
PERIODE = "/api/v1/periode-penilaian/"


def detail(skp):
    return f"{URL}{skp.pk}/"


def ids(response):
    return {row["id"] for row in results(response)}


def set_state(skp, status, **fields):
    """Put an SKP in a state directly (test setup only; the API tests walk the real steps)."""
    Penilaian.objects.filter(pk=skp.pk).update(status=status, **fields)
    skp.refresh_from_db()
    return skp


def add_skps(org, periode, n, unit=None, atasan=None, nama="Pegawai Uji"):
    """``n`` pegawai under ``atasan`` (default the kabid) with an SKP each; returns the SKPs."""
    unit = unit or org.bidang
    atasan = atasan or org.j_kabid
    root = User.objects.get(username="root")
    skps = []
    for i in range(n):
        jabatan = JabatanFactory(nama=f"Pelaksana {nama} {i}", unit_kerja=unit, atasan=atasan)
        pegawai = PegawaiFactory(nama=f"{nama} {i:03d}", jabatan=jabatan)
        skps.append(services.penilaian_create(actor=root, periode=periode, pegawai=pegawai))
    return skps


@pytest.fixture
def skp_dinkes(org, persona, periode):
    return services.penilaian_create(actor=persona.superuser, periode=periode, pegawai=org.staf_dinkes)


@pytest.fixture
def skp_b(org, persona, periode):
    periode_b = PeriodePenilaian.objects.get(instansi=org.pemda_b, tahun=2026)
    return services.penilaian_create(actor=persona.superuser, periode=periode_b, pegawai=org.pegawai_b)


# ---------------------------------------------------------------------------------------------
# Scope


def test_each_persona_lists_exactly_the_skps_in_scope(api, org, skp, skp_dinkes, skp_b):
    expect = {
        "staf_bkpsdm": {skp.pk, skp_dinkes.pk},
        "staf_bkpsdm_b": {skp_b.pk},
        "bawahan": {skp.pk},
        "atasan": {skp.pk},
        "kadis": {skp.pk},
        "atasan_lain": {skp_dinkes.pk},
        "pegawai_b": {skp_b.pk},
        "superuser": {skp.pk, skp_dinkes.pk, skp_b.pk},
    }
    for who, visible in expect.items():
        assert ids(getattr(api, who).get(URL)) == visible, who


@pytest.mark.parametrize("who", ["bawahan", "atasan", "kadis", "staf_bkpsdm", "superuser"])
def test_the_parties_and_bkpsdm_read_the_skp(api, skp, who):
    response = getattr(api, who).get(detail(skp))
    assert response.status_code == 200
    assert response.json()["id"] == skp.pk


@pytest.mark.parametrize("who", ["atasan_lain", "staf_bkpsdm_b", "pegawai_b"])
def test_an_skp_outside_scope_is_not_found(api, skp, who):
    response = getattr(api, who).get(detail(skp))
    assert response.status_code == 404
    assert response.json() == {"detail": "Data tidak ditemukan."}


@pytest.mark.parametrize("bad", ["abc", "0x1", "1234567890123456789", "%00"])
def test_a_malformed_id_is_not_found(api, skp, bad):
    assert api.staf_bkpsdm.get(f"{URL}{bad}/").status_code == 404


def test_anonymous_callers_get_401_or_403(api, skp):
    assert api.anon.get(URL).status_code in (401, 403)
    assert api.anon.post(f"{detail(skp)}ajukan/", {"version": 1}, format="json").status_code in (401, 403)


# ---------------------------------------------------------------------------------------------
# Detail shape


def test_the_detail_carries_rows_parties_result_steps_and_version(api, org, skp):
    body = api.bawahan.get(detail(skp)).json()
    assert body["status"] == "draf"
    assert body["version"] == skp.version
    assert body["periode"] == {"id": skp.periode_id, "tahun": 2026, "periodik": "triwulanan", "status": "dibuka"}
    assert body["pegawai"]["nip"] == org.staf.nip
    assert body["pegawai"]["nama"] == "Muhammad Iqbal"
    assert body["pegawai"]["jabatan"] == "Pengelola Data Pendidikan"
    assert body["pegawai"]["unit"] == "Bidang Pembinaan SD"
    assert body["penilai"] == {
        "nip": org.kabid.nip,
        "nama": org.kabid.nama_lengkap,
        "golongan": str(org.kabid.golongan),
        "jabatan": "Kepala Bidang Pembinaan SD",
        "unit": "Bidang Pembinaan SD",
        "penugasan": "definitif",
    }
    assert body["atasan_penilai"]["nip"] == org.kadis.nip
    assert body["hasil"] == {"rating_hasil_kerja": None, "rating_perilaku": None, "predikat": None}
    assert [r["indikator"] for r in body["rencana"]] == [
        "Persentase sekolah dengan data Dapodik mutakhir",
        "Jumlah sekolah yang diverifikasi",
    ]
    assert body["rencana"][0]["target"] == 95
    assert body["rencana"][0]["realisasi"] == []
    assert [p["kode"] for p in body["perilaku"]] == list(BerAKHLAK.values)
    assert body["perilaku"][1]["label"] == "Akuntabel"
    assert len(body["perilaku"][1]["panduan"]) == 3
    assert body["evaluasi_periodik"] == []
    assert body["peran"] == ["pegawai"]
    assert [s["aksi"] for s in body["langkah"]] == ["ajukan", "rencana"]


def test_each_party_is_offered_the_steps_of_its_role(api, skp):
    def steps(who):
        return [s["aksi"] for s in getattr(api, who).get(detail(skp)).json()["langkah"]]

    assert steps("atasan") == ["ekspektasi"]
    assert steps("kadis") == []
    assert steps("staf_bkpsdm") == ["penilai"]
    set_state(skp, Status.BERJALAN)
    assert steps("bawahan") == ["realisasi"]
    assert steps("atasan") == ["nilai", "umpan-balik", "evaluasi-periodik"]
    set_state(skp, Status.DINILAI)
    assert steps("bawahan") == ["terima", "keberatan"]
    assert steps("staf_bkpsdm") == ["finalkan"]


def test_the_annual_result_carries_the_siasn_ids(api, skp):
    set_state(skp, Status.FINAL, rating_hasil_kerja=1, rating_perilaku=2, predikat=Predikat.BAIK)
    body = api.staf_bkpsdm.get(detail(skp)).json()
    assert body["hasil"] == {
        "rating_hasil_kerja": {"id": 1, "label": "Di atas ekspektasi"},
        "rating_perilaku": {"id": 2, "label": "Sesuai ekspektasi"},
        "predikat": {"id": 2, "label": "Baik"},
    }
    listed = results(api.staf_bkpsdm.get(URL))[0]
    assert listed["hasil"] == body["hasil"]
    assert listed["penilai"]["nip"] == body["penilai"]["nip"]


def test_the_parties_are_a_snapshot_that_later_moves_do_not_rewrite(api, org, skp):
    org.kabid.nama = "Nama Baru Sekali"
    org.kabid.save(update_fields=["nama"])
    body = api.bawahan.get(detail(skp)).json()
    assert body["penilai"]["nama"] == "Cut Nyak Meutia"


def test_the_detail_costs_the_same_queries_with_more_rows(api, persona, skp):
    few = count_queries(lambda: api.atasan.get(detail(skp)))
    set_state(skp, Status.DRAF)
    for i in range(5):
        services.rencana_add(
            actor=persona.bawahan,
            penilaian=skp,
            uraian=f"Tambahan {i}",
            indikator="Jumlah",
            aspek="kuantitas",
            target=1,
            satuan="dokumen",
        )
    set_state(skp, Status.BERJALAN)
    for row in skp.rencana.all():
        for ke in (1, 2):
            services.realisasi_save(actor=persona.bawahan, penilaian=skp, rencana=row, periode_ke=ke, realisasi="ok")
    assert count_queries(lambda: api.atasan.get(detail(skp))) == few


# ---------------------------------------------------------------------------------------------
# List: filters, ordering, query counts


def test_the_list_filters_by_unit_subtree_status_predikat_and_name(api, org, periode, skp, skp_dinkes):
    set_state(skp_dinkes, Status.DINILAI, rating_hasil_kerja=2, rating_perilaku=2, predikat=Predikat.BAIK)
    client = api.staf_bkpsdm
    assert ids(client.get(URL, {"unit_kerja": org.disdik.pk})) == {skp.pk}
    assert ids(client.get(URL, {"unit_kerja": org.dinkes.pk})) == {skp_dinkes.pk}
    assert ids(client.get(URL, {"status": "dinilai"})) == {skp_dinkes.pk}
    assert ids(client.get(URL, {"predikat": 2})) == {skp_dinkes.pk}
    assert ids(client.get(URL, {"q": "iqbal"})) == {skp.pk}
    assert ids(client.get(URL, {"q": org.staf_dinkes.nip[:10]})) == {skp_dinkes.pk}
    assert ids(client.get(URL, {"periode": periode.pk, "tahun": 2026})) == {skp.pk, skp_dinkes.pk}
    assert ids(client.get(URL, {"tahun": 2025})) == set()


def test_the_list_orders_by_name_and_refuses_unknown_orderings(api, skp, skp_dinkes):
    names = [r["pegawai"]["nama"] for r in results(api.staf_bkpsdm.get(URL, {"ordering": "-pegawai_nama"}))]
    assert names == ["Zulfikar", "Muhammad Iqbal"]
    response = api.staf_bkpsdm.get(URL, {"ordering": "pegawai__nik"})
    assert response.status_code == 400
    assert "ordering" in response.json()


@pytest.mark.parametrize(
    "params",
    [
        {"predikat": "9"},
        {"status": "hilang"},
        {"unit_kerja": "abc"},
        {"periode": "99999999999999999999"},
        {"updated_since": "kemarin"},
        {"page_size": "0"},
        {"q": "iqbal\x00"},
        {"tahun": "dua ribu"},
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(api, skp, params):
    response = api.staf_bkpsdm.get(URL, params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_updated_since_returns_only_changed_skps(api, persona, skp, skp_dinkes):
    Penilaian.objects.filter(pk=skp_dinkes.pk).update(updated_at=timezone.now() - 2 * A_DAY_AGO)
    since = (timezone.now() - A_DAY_AGO).isoformat()
    assert ids(api.staf_bkpsdm.get(URL, {"updated_since": since})) == {skp.pk}


def test_the_list_costs_the_same_queries_for_5_and_50_skps(api, org, periode):
    add_skps(org, periode, 5)
    params = {"page_size": 100, "periode": periode.pk}

    def listing(who):
        return count_queries(lambda: getattr(api, who).get(URL, params))

    few = {who: listing(who) for who in ("staf_bkpsdm", "atasan")}
    filtered = {"page_size": 100, "unit_kerja": org.disdik.pk, "q": "uji", "ordering": "-pegawai_nama"}
    few_filtered = count_queries(lambda: api.staf_bkpsdm.get(URL, filtered))
    add_skps(org, periode, 45, nama="Pegawai Lain")
    assert len(results(api.staf_bkpsdm.get(URL, params))) == 50
    assert len(results(api.atasan.get(URL, params))) == 50
    for who, count in few.items():
        assert listing(who) == count, who
    assert count_queries(lambda: api.staf_bkpsdm.get(URL, filtered)) == few_filtered
    # Session and user (2), the scope (at most 4), one count, one page, saving the session (3).
    assert few["staf_bkpsdm"] <= 11


# ---------------------------------------------------------------------------------------------
# Create


def test_the_pegawai_starts_their_own_skp_with_the_standar_prefilled(api, org, periode, skp):
    Penilaian.objects.filter(pk=skp.pk).delete()
    response = api.bawahan.post(URL, {"nip": org.staf.nip, "periode": periode.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draf"
    assert body["version"] == 1
    assert len(body["rencana"]) == 2
    assert body["penilai"]["nip"] == org.kabid.nip


def test_bkpsdm_starts_an_skp_for_a_pegawai_it_manages(api, org, periode):
    response = api.staf_bkpsdm.post(URL, {"nip": org.kabid.nip, "periode": periode.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["penilai"]["nip"] == org.kadis.nip


def test_an_atasan_cannot_start_the_skp_of_a_subordinate(api, org, periode):
    response = api.atasan.post(URL, {"nip": org.staf.nip, "periode": periode.pk}, format="json")
    assert response.status_code == 403
    assert not Penilaian.objects.filter(pegawai=org.staf).exists()


def test_a_second_skp_for_the_same_year_is_400_on_nip(api, org, periode, skp):
    response = api.bawahan.post(URL, {"nip": org.staf.nip, "periode": periode.pk}, format="json")
    assert response.status_code == 400
    assert "nip" in response.json()
    assert Penilaian.objects.filter(pegawai=org.staf).count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"periode": 1}, "nip"),
        ({"nip": "123", "periode": 1}, "nip"),
        ({"nip": "199011302014031001\x00"}, "nip"),
    ],
)
def test_create_with_bad_input_names_the_field(api, periode, body, field):
    response = api.staf_bkpsdm.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_create_outside_scope_or_in_another_pemdas_period_is_refused(api, org, periode):
    periode_b = PeriodePenilaian.objects.get(instansi=org.pemda_b)
    # A pegawai of pemda B is "not found" for the staff of pemda A; a period of pemda B too.
    response = api.staf_bkpsdm.post(URL, {"nip": org.pegawai_b.nip, "periode": periode.pk}, format="json")
    assert response.status_code == 400
    assert "nip" in response.json()
    response = api.staf_bkpsdm.post(URL, {"nip": org.staf.nip, "periode": periode_b.pk}, format="json")
    assert response.status_code == 400
    assert "periode" in response.json()


def test_no_skp_is_started_in_a_closed_period(api, org, persona, periode):
    services.periode_set_status(actor=persona.staf_bkpsdm, periode=periode, status="ditutup")
    response = api.staf_bkpsdm.post(URL, {"nip": org.kabid.nip, "periode": periode.pk}, format="json")
    assert response.status_code == 409
    assert "ditutup" in response.json()["detail"]


# ---------------------------------------------------------------------------------------------
# Periode penilaian


def test_periods_are_listed_per_instansi_in_scope(api, org, periode):
    def tahun_instansi(who):
        return {(r["tahun"], r["instansi"]["id"]) for r in results(getattr(api, who).get(PERIODE))}

    assert tahun_instansi("staf_bkpsdm") == {(2026, org.pemda.pk)}
    assert tahun_instansi("bawahan") == {(2026, org.pemda.pk)}
    assert tahun_instansi("pegawai_b") == {(2026, org.pemda_b.pk)}
    assert tahun_instansi("superuser") == {(2026, org.pemda.pk), (2026, org.pemda_b.pk)}
    assert api.staf_bkpsdm_b.get(f"{PERIODE}{periode.pk}/").status_code == 404
    body = api.bawahan.get(f"{PERIODE}{periode.pk}/").json()
    assert (body["periodik"], body["jumlah_periodik"], body["status"]) == ("triwulanan", 4, "dibuka")


def test_bkpsdm_opens_a_new_period_for_its_instansi(api, org, periode):
    response = api.staf_bkpsdm.post(PERIODE, {"instansi": org.pemda.pk, "tahun": 2027, "periodik": "bulanan"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["tahun"], body["jumlah_periodik"], body["instansi"]["id"]) == (2027, 12, org.pemda.pk)
    assert PeriodePenilaian.objects.filter(instansi=org.pemda, tahun=2027).exists()


@pytest.mark.parametrize(
    "who, body, code, field",
    [
        ("bawahan", {"tahun": 2027, "periodik": "bulanan"}, 403, None),
        ("staf_bkpsdm_b", {"tahun": 2027, "periodik": "bulanan"}, 400, "instansi"),
        ("staf_bkpsdm", {"tahun": 1999, "periodik": "bulanan"}, 400, "tahun"),
        ("staf_bkpsdm", {"tahun": 2027, "periodik": "mingguan"}, 400, "periodik"),
        ("staf_bkpsdm", {"tahun": 2026, "periodik": "bulanan"}, 400, "non_field_errors"),
    ],
)
def test_opening_a_period_is_refused_when_not_allowed_or_invalid(api, org, periode, who, body, code, field):
    response = getattr(api, who).post(PERIODE, {"instansi": org.pemda.pk, **body}, format="json")
    assert response.status_code == code, response.content
    if field:
        assert field in response.json()
    assert PeriodePenilaian.objects.filter(instansi=org.pemda).count() == 1


def test_a_bkpsdm_staff_scoped_to_one_dinas_does_not_run_periods(api, org, periode):
    from tests.factories import UserFactory

    from .conftest import api_client_for

    staf_dinas = api_client_for(UserFactory(role="bkpsdm", scopes=[org.disdik]))
    response = staf_dinas.post(PERIODE, {"instansi": org.pemda.pk, "tahun": 2027, "periodik": "bulanan"})
    assert response.status_code == 400
    assert "instansi" in response.json()
    assert staf_dinas.post(f"{PERIODE}{periode.pk}/tutup/").status_code == 403


def test_bkpsdm_closes_and_reopens_a_period(api, periode, skp):
    response = api.staf_bkpsdm.post(f"{PERIODE}{periode.pk}/tutup/")
    assert response.status_code == 200
    assert response.json()["status"] == "ditutup"
    # A closed period: no step is offered, and every step is refused.
    assert api.bawahan.get(detail(skp)).json()["langkah"] == []
    refused = api.bawahan.post(f"{detail(skp)}ajukan/", {"version": skp.version}, format="json")
    assert refused.status_code == 409
    assert "ditutup" in refused.json()["detail"]
    assert Penilaian.objects.get(pk=skp.pk).status == Status.DRAF
    response = api.staf_bkpsdm.post(f"{PERIODE}{periode.pk}/buka/")
    assert response.json()["status"] == "dibuka"
    assert api.bawahan.post(f"{detail(skp)}ajukan/", {"version": skp.version}, format="json").status_code == 200


@pytest.mark.parametrize("who, code", [("bawahan", 403), ("atasan", 403), ("staf_bkpsdm_b", 404)])
def test_only_the_bkpsdm_of_the_instansi_opens_and_closes_its_period(api, periode, who, code):
    for verb in ("tutup", "buka"):
        assert getattr(api, who).post(f"{PERIODE}{periode.pk}/{verb}/").status_code == code
    assert PeriodePenilaian.objects.get(pk=periode.pk).status == "dibuka"


def test_bkpsdm_sets_the_capaian_of_a_unit(api, org, periode):
    url = f"{PERIODE}{periode.pk}/capaian/"
    response = api.staf_bkpsdm.post(url, {"unit_kerja": org.disdik.pk, "capaian": "baik"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["capaian_unit"] == [
        {
            "unit_kerja": {"id": org.disdik.pk, "nama": "Dinas Pendidikan"},
            "capaian": "baik",
            "capaian_label": "Baik",
            "updated_at": response.json()["capaian_unit"][0]["updated_at"],
        }
    ]
    api.staf_bkpsdm.post(url, {"unit_kerja": org.disdik.pk, "capaian": "istimewa"}, format="json")
    assert CapaianUnit.objects.get(periode=periode, unit_kerja=org.disdik).capaian == "istimewa"
    # A unit of another pemda, an unknown capaian, a non-manager.
    response = api.staf_bkpsdm.post(url, {"unit_kerja": org.dinas_b.pk, "capaian": "baik"}, format="json")
    assert response.status_code == 400
    assert "unit_kerja" in response.json()
    response = api.staf_bkpsdm.post(url, {"unit_kerja": org.disdik.pk, "capaian": "luar biasa"}, format="json")
    assert response.status_code == 400
    assert "capaian" in response.json()
    assert api.atasan.post(url, {"unit_kerja": org.disdik.pk, "capaian": "kurang"}, format="json").status_code == 403
    assert CapaianUnit.objects.get(periode=periode, unit_kerja=org.disdik).capaian == "istimewa"


# ---------------------------------------------------------------------------------------------
# Distribution


def test_the_distribution_counts_predikat_per_unit_with_the_warnings(api, org, persona, periode, skp, skp_dinkes):
    """Dinas Pendidikan, rated Baik by its own result: 4 of 5 rated SKPs Baik or better (80% > 70%)
    and none below Baik: two warnings. Dinas Kesehatan has no capaian: counts only."""
    extra = add_skps(org, periode, 5)
    for s, predikat in zip(extra, [1, 2, 2, 2, None], strict=True):
        set_state(s, Status.DINILAI if predikat else Status.BERJALAN, predikat=predikat)
    set_state(skp, Status.FINAL, predikat=Predikat.BAIK)
    set_state(skp_dinkes, Status.FINAL, predikat=Predikat.BUTUH_PERBAIKAN)
    services.capaian_unit_set(actor=persona.staf_bkpsdm, periode=periode, unit_kerja=org.disdik, capaian="baik")

    response = api.staf_bkpsdm.get(f"{PERIODE}{periode.pk}/distribusi/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["periode"]["id"] == periode.pk
    by_unit = {row["unit_kerja"]["nama"]: row for row in body["unit"]}
    assert list(by_unit) == ["Dinas Kesehatan", "Dinas Pendidikan"]
    disdik = by_unit["Dinas Pendidikan"]
    assert (disdik["total"], disdik["belum"], disdik["capaian"]) == (6, 1, "baik")
    assert {p["id"]: p["jumlah"] for p in disdik["predikat"]} == {1: 1, 2: 4, 3: 0, 4: 0, 5: 0}
    assert disdik["predikat"][0]["label"] == "Sangat Baik"
    assert disdik["peringatan"] == [
        "Sangat Baik + Baik: 5 dari 5 (100%), melebihi 70% untuk organisasi dengan capaian Baik.",
        "Belum ada pegawai dengan predikat Butuh Perbaikan/Kurang/Misconduct/Sangat Kurang, "
        "padahal capaian organisasi Baik.",
    ]
    dinkes = by_unit["Dinas Kesehatan"]
    assert (dinkes["total"], dinkes["belum"], dinkes["capaian"], dinkes["peringatan"]) == (1, 0, None, [])
    assert {p["id"]: p["jumlah"] for p in dinkes["predikat"]}[3] == 1


def test_the_distribution_counts_only_the_skps_the_reader_sees(api, org, periode, skp, skp_dinkes):
    body = api.atasan.get(f"{PERIODE}{periode.pk}/distribusi/").json()
    assert [(r["unit_kerja"]["nama"], r["total"]) for r in body["unit"]] == [("Dinas Pendidikan", 1)]
    assert api.staf_bkpsdm_b.get(f"{PERIODE}{periode.pk}/distribusi/").status_code == 404


def test_the_distribution_query_count_does_not_grow_with_skps(api, org, periode, skp_dinkes):
    url = f"{PERIODE}{periode.pk}/distribusi/"
    few = count_queries(lambda: api.staf_bkpsdm.get(url))
    add_skps(org, periode, 10)
    add_skps(org, periode, 5, unit=org.dinkes, atasan=org.j_kadinkes, nama="Pegawai Dinkes")
    assert count_queries(lambda: api.staf_bkpsdm.get(url)) == few


# ---------------------------------------------------------------------------------------------
# Schema


def test_the_schema_documents_the_appraisal_endpoints(api):
    schema = api.atasan.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/periode-penilaian/{id}/distribusi/",
        "/api/v1/penilaian/{id}/nilai/",
        "/api/v1/penilaian/{id}/putuskan-keberatan/",
        "/api/v1/penilaian/{id}/rencana/{rencana_id}/",
    ):
        assert path in paths, path
    nilai = paths["/api/v1/penilaian/{id}/nilai/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(nilai["responses"])
    hasil = schema["components"]["schemas"]["Hasil"]["properties"]
    assert set(hasil) == {"rating_hasil_kerja", "rating_perilaku", "predikat"}


def test_periods_filter_by_year_and_refuse_a_bad_one(api, org, periode):
    assert len(results(api.superuser.get(PERIODE, {"tahun": 2026, "instansi": org.pemda.pk}))) == 1
    assert results(api.superuser.get(PERIODE, {"tahun": 2027})) == []
    for params in ({"tahun": "dua"}, {"tahun": "1999"}, {"status": "setengah"}, {"instansi": "x"}):
        response = api.superuser.get(PERIODE, params)
        assert response.status_code == 400
        assert set(params) <= set(response.json())


def test_every_workflow_step_offered_has_its_api_action(api, skp):
    from django.urls import resolve

    from apps.penilaian.serializers import STEP_ACTIONS
    from apps.penilaian.workflow import STEPS

    assert set(STEP_ACTIONS) == set(STEPS)
    for aksi in STEP_ACTIONS.values():
        match = resolve(f"{URL}{skp.pk}/{aksi}/")
        assert match.url_name.startswith("penilaian-"), aksi


def test_a_read_only_token_reads_skps_but_takes_no_step(org, persona, skp):
    from .conftest import make_token, token_client

    _, key = make_token(persona.bawahan, read_only=True)
    client = token_client(key)
    assert client.get(detail(skp)).status_code == 200
    response = client.post(f"{detail(skp)}ajukan/", {"version": skp.version}, format="json")
    assert response.status_code == 403
    assert Penilaian.objects.get(pk=skp.pk).status == Status.DRAF
    _, key = make_token(persona.bawahan, read_only=False)
    response = token_client(key).post(f"{detail(skp)}ajukan/", {"version": skp.version}, format="json")
    assert response.status_code == 200
