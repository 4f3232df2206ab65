"""The competency development API: penyelenggara, the catalogue with registration, training
records with their workflow and evidence, competency assessments and gaps, the 20 JP report and
training needs. Every endpoint × the personas, the registration flow end to end, uploads,
stale versions, bad input and flat query counts."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.core.models import AuditLog
from apps.pelatihan import services
from apps.pelatihan.models import AsesmenKompetensi, Pelatihan, RiwayatPelatihan
from apps.standar_kinerja.models import Kompetensi, StandarKompetensi

from ..factories import (
    JabatanFactory,
    PegawaiFactory,
    PelatihanFactory,
    PenyelenggaraFactory,
    RiwayatPelatihanFactory,
    UnitKerjaFactory,
)
from .conftest import make_token, results, token_client

API = "/api/v1/"
PENYELENGGARA = API + "penyelenggara/"
PELATIHAN = API + "pelatihan/"
RIWAYAT = API + "riwayat-pelatihan/"
ASESMEN = API + "asesmen-kompetensi/"
GAP = API + "kompetensi-gap/"
REKAP = API + "rekap-jp/"
KURANG = API + "kurang-jp/"
KEBUTUHAN = API + "kebutuhan-pelatihan/"

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PERSONAS = ["staf_bkpsdm", "staf_bkpsdm_b", "atasan", "bawahan", "atasan_lain", "pegawai_b", "superuser"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def kompetensi(kode):
    return Kompetensi.objects.get(kode=kode)


@pytest.fixture
def penyelenggara(org):
    return PenyelenggaraFactory(instansi=org.pemda, nama="BPSDM Aceh")


@pytest.fixture
def pelatihan(org, penyelenggara):
    return PelatihanFactory(
        instansi=org.pemda, penyelenggara=penyelenggara, nama="Bimtek Dapodik", kompetensi=[kompetensi("M.01")]
    )


@pytest.fixture
def pelatihan_b(org):
    return PelatihanFactory(instansi=org.pemda_b, nama="Pelatihan Pariwisata")


def mandiri(**overrides):
    values = {
        "nama": "Kursus Analisis Data",
        "jenis_diklat": 11,
        "penyelenggara": "Universitas Syiah Kuala",
        "tanggal_mulai": "2026-03-02",
        "tanggal_selesai": "2026-03-04",
        "jp": 16,
    }
    values.update(overrides)
    return values


def pdf_upload(name="sttpp.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# ---------------------------------------------------------------------------------------------
# Authentication and tokens


ALL_GETS = [PENYELENGGARA, PELATIHAN, RIWAYAT, ASESMEN, REKAP, KURANG, KEBUTUHAN + "?jenis=jp"]


@pytest.mark.parametrize("url", ALL_GETS)
def test_anonymous_is_401_everywhere(api, url):
    assert api.anon.get(url).status_code == 401


def test_anonymous_is_401_on_the_detail_and_write_endpoints(api, org, pelatihan):
    assert api.anon.get(f"{GAP}{org.staf.nip}/").status_code == 401
    assert api.anon.post(PELATIHAN, {}, format="json").status_code == 401
    assert api.anon.post(f"{PELATIHAN}{pelatihan.pk}/daftar/", {}, format="json").status_code == 401
    assert api.anon.post(RIWAYAT, mandiri(), format="json").status_code == 401


def test_a_read_only_token_reads_but_may_not_write(org, persona, pelatihan):
    _, key = make_token(persona.staf_bkpsdm, read_only=True)
    client = token_client(key)
    assert client.get(PELATIHAN).status_code == 200
    assert client.get(REKAP).status_code == 200
    writes = [
        (PENYELENGGARA, {"nama": "LAN", "jenis": "lan"}),
        (PELATIHAN, {}),
        (f"{PELATIHAN}{pelatihan.pk}/daftarkan/", {"pegawai": [org.staf.nip]}),
        (RIWAYAT, mandiri(pegawai=org.staf.nip)),
        (ASESMEN, {}),
    ]
    for url, body in writes:
        assert client.post(url, body, format="json").status_code == 403, url
    assert client.patch(f"{PELATIHAN}{pelatihan.pk}/", {"version": 1, "kuota": 5}, format="json").status_code == 403
    assert not RiwayatPelatihan.objects.exists()


def test_a_writing_token_acts_as_its_account(org, persona, pelatihan):
    _, key = make_token(persona.staf_bkpsdm, read_only=False)
    response = token_client(key).post(
        f"{PELATIHAN}{pelatihan.pk}/daftarkan/", {"pegawai": [org.staf.nip]}, format="json"
    )
    assert response.status_code == 200 and response.json()["didaftarkan"] == [org.staf.nip]


# ---------------------------------------------------------------------------------------------
# Penyelenggara


def test_penyelenggara_are_seen_within_the_instansi(org, api, penyelenggara):
    PenyelenggaraFactory(instansi=org.pemda_b, nama="Dinas Pariwisata Sumut")
    for name in ("staf_bkpsdm", "atasan", "bawahan", "atasan_lain"):
        assert [row["nama"] for row in results(getattr(api, name).get(PENYELENGGARA))] == ["BPSDM Aceh"], name
    for name in ("staf_bkpsdm_b", "pegawai_b"):
        assert [row["nama"] for row in results(getattr(api, name).get(PENYELENGGARA))] == ["Dinas Pariwisata Sumut"]
    assert len(results(api.superuser.get(PENYELENGGARA))) == 2
    for name in ("staf_bkpsdm_b", "pegawai_b"):
        assert getattr(api, name).get(f"{PENYELENGGARA}{penyelenggara.pk}/").status_code == 404
    row = api.bawahan.get(f"{PENYELENGGARA}{penyelenggara.pk}/").json()
    assert row["instansi"] == org.pemda.pk and row["jenis"] == "bpsdm" and row["version"] == 1


def test_penyelenggara_filters_search_and_ordering(org, api, penyelenggara):
    PenyelenggaraFactory(instansi=org.pemda, nama="Universitas Syiah Kuala", jenis="perguruan_tinggi", aktif=False)

    def names(query):
        return [row["nama"] for row in results(api.staf_bkpsdm.get(PENYELENGGARA + query))]

    assert names("?jenis=perguruan_tinggi") == ["Universitas Syiah Kuala"]
    assert names("?aktif=true") == ["BPSDM Aceh"]
    assert names("?search=syiah") == ["Universitas Syiah Kuala"]
    assert names("?ordering=-nama") == ["Universitas Syiah Kuala", "BPSDM Aceh"]
    assert names(f"?instansi={org.pemda_b.pk}") == []
    assert len(names("?updated_since=2000-01-01T00:00:00Z")) == 2
    for bad in ("?jenis=x", "?ordering=alamat", "?instansi=abc", "?updated_since=kemarin", "?search=%00"):
        assert api.staf_bkpsdm.get(PENYELENGGARA + bad).status_code == 400, bad


def test_staff_create_and_change_penyelenggara_of_their_instansi(org, api, penyelenggara):
    body = {"nama": "LAN RI", "jenis": "lan", "situs": "https://lan.go.id"}
    response = api.staf_bkpsdm.post(PENYELENGGARA, body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["instansi"] == org.pemda.pk and created["aktif"] is True
    assert AuditLog.objects.filter(object_type="pelatihan.penyelenggara", object_id=str(created["id"])).exists()
    # The same name again; another instansi's id; roles that do not run the catalogue.
    assert "nama" in api.staf_bkpsdm.post(PENYELENGGARA, body, format="json").json()
    response = api.staf_bkpsdm.post(PENYELENGGARA, {**body, "instansi": org.pemda_b.pk}, format="json")
    assert response.status_code == 400 and "instansi" in response.json()
    for name in ("atasan", "bawahan"):
        assert getattr(api, name).post(PENYELENGGARA, {**body, "nama": "X"}, format="json").status_code == 403
    # A superuser runs every instansi, so must say which.
    response = api.superuser.post(PENYELENGGARA, {**body, "nama": "Y"}, format="json")
    assert response.status_code == 400 and "instansi" in response.json()
    response = api.superuser.post(PENYELENGGARA, {**body, "nama": "Y", "instansi": org.pemda_b.pk}, format="json")
    assert response.status_code == 201

    url = f"{PENYELENGGARA}{penyelenggara.pk}/"
    assert api.staf_bkpsdm.patch(url, {"kontak": "0651-1"}, format="json").status_code == 400  # no version
    response = api.staf_bkpsdm.patch(url, {"kontak": "0651-1", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert api.staf_bkpsdm.patch(url, {"kontak": "0651-2", "version": 1}, format="json").status_code == 409
    put = {"nama": "BPSDM Provinsi Aceh", "jenis": "bpsdm", "version": 2}
    response = api.staf_bkpsdm.put(url, put, format="json")
    assert response.status_code == 200 and response.json()["kontak"] == "0651-1"
    assert response.json()["nama"] == "BPSDM Provinsi Aceh"
    assert api.atasan.patch(url, {"kontak": "x", "version": 3}, format="json").status_code == 403
    assert api.staf_bkpsdm_b.patch(url, {"kontak": "x", "version": 3}, format="json").status_code == 404
    assert api.staf_bkpsdm.delete(url).status_code == 405


# ---------------------------------------------------------------------------------------------
# The catalogue


def pelatihan_body(oleh, **overrides):
    mulai = timezone.localdate() + dt.timedelta(days=20)
    body = {
        "nama": "Pelatihan Kepemimpinan Administrator",
        "jenis_diklat": 1,
        "kepemimpinan": "pka",
        "penyelenggara": oleh.pk,
        "jp": 90,
        "tanggal_mulai": mulai.isoformat(),
        "tanggal_selesai": (mulai + dt.timedelta(days=10)).isoformat(),
        "kuota": 30,
        "kompetensi": ["M.04", "M.08"],
    }
    body.update(overrides)
    return body


def test_the_catalogue_is_seen_within_the_instansi(org, api, pelatihan, pelatihan_b):
    for name in ("staf_bkpsdm", "atasan", "bawahan", "atasan_lain"):
        assert [row["id"] for row in results(getattr(api, name).get(PELATIHAN))] == [pelatihan.pk], name
    for name in ("staf_bkpsdm_b", "pegawai_b"):
        assert [row["id"] for row in results(getattr(api, name).get(PELATIHAN))] == [pelatihan_b.pk], name
        assert getattr(api, name).get(f"{PELATIHAN}{pelatihan.pk}/").status_code == 404
    assert len(results(api.superuser.get(PELATIHAN))) == 2
    row = api.bawahan.get(f"{PELATIHAN}{pelatihan.pk}/").json()
    assert row["penyelenggara"] == {"id": pelatihan.penyelenggara_id, "nama": "BPSDM Aceh", "jenis": "bpsdm"}
    assert row["kompetensi"] == ["M.01"] and row["jenis_diklat"] == 3 and row["jenis_diklat_label"] == "Diklat Teknis"
    assert row["peserta_terdaftar"] == 0 and row["pendaftaran_terbuka"] is True


def test_the_catalogue_filters(org, api, pelatihan, penyelenggara):
    today = timezone.localdate()
    lalu = PelatihanFactory(
        instansi=org.pemda,
        penyelenggara=penyelenggara,
        nama="Coaching Lama",
        jenis_diklat=14,
        jalur="non_klasikal",
        tanggal_mulai=dt.date(2025, 5, 1),
        tanggal_selesai=dt.date(2025, 5, 2),
    )
    pka = PelatihanFactory(instansi=org.pemda, nama="PKA Angkatan I", jenis_diklat=1, kepemimpinan="pka")
    tutup = PelatihanFactory(instansi=org.pemda, nama="Tertutup", pendaftaran_dibuka=False)
    lewat_batas = PelatihanFactory(instansi=org.pemda, nama="Lewat batas", batas_pendaftaran=today - dt.timedelta(1))

    def ids(query):
        return {row["id"] for row in results(api.staf_bkpsdm.get(PELATIHAN + query))}

    assert ids("?tahun=2025") == {lalu.pk}
    assert ids("?jenis_diklat=14") == ids("?jalur=non_klasikal") == {lalu.pk}
    assert ids("?kepemimpinan=pka") == {pka.pk}
    assert ids("?kompetensi=M.01") == {pelatihan.pk}
    assert ids(f"?penyelenggara={penyelenggara.pk}") == {pelatihan.pk, lalu.pk}
    assert ids("?pendaftaran_terbuka=true") == {pelatihan.pk, pka.pk}
    assert ids("?pendaftaran_terbuka=false") == {lalu.pk, tutup.pk, lewat_batas.pk}
    assert ids(f"?instansi={org.pemda.pk}&search=dapodik") == {pelatihan.pk}
    assert ids("?search=bpsdm aceh") == {pelatihan.pk, lalu.pk}
    assert len(ids("?updated_since=2000-01-01T00:00:00%2B07:00")) == 5
    ordered = [row["id"] for row in results(api.staf_bkpsdm.get(PELATIHAN + "?ordering=tanggal_mulai"))]
    assert ordered[0] == lalu.pk
    for bad in (
        "?tahun=abc",
        "?tahun=99999",
        "?jenis_diklat=99",
        "?kepemimpinan=x",
        "?penyelenggara=0",
        "?ordering=kuota",
    ):
        assert api.staf_bkpsdm.get(PELATIHAN + bad).status_code == 400, bad


def test_staff_add_and_change_a_training(org, api, penyelenggara):
    response = api.staf_bkpsdm.post(PELATIHAN, pelatihan_body(penyelenggara), format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["jalur"] == "klasikal" and row["kompetensi"] == ["M.04", "M.08"] and row["instansi"] == org.pemda.pk
    url = f"{PELATIHAN}{row['id']}/"
    response = api.staf_bkpsdm.patch(url, {"kompetensi": ["M.01"], "kuota": 20, "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["kompetensi"] == ["M.01"]
    assert response.json()["version"] == 2 and response.json()["kuota"] == 20
    assert api.staf_bkpsdm.patch(url, {"kuota": 25, "version": 1}, format="json").status_code == 409
    response = api.staf_bkpsdm.put(url, pelatihan_body(penyelenggara, nama="PKA Angkatan II", version=2), format="json")
    assert response.status_code == 200 and response.json()["nama"] == "PKA Angkatan II"
    assert api.staf_bkpsdm.put(url, {"nama": "X", "version": 3}, format="json").status_code == 400  # PUT is whole
    # Other roles and instansi.
    assert api.atasan.post(PELATIHAN, pelatihan_body(penyelenggara), format="json").status_code == 403
    assert api.atasan.patch(url, {"kuota": 5, "version": 3}, format="json").status_code == 403
    assert api.staf_bkpsdm_b.patch(url, {"kuota": 5, "version": 3}, format="json").status_code == 404
    response = api.staf_bkpsdm_b.post(PELATIHAN, pelatihan_body(penyelenggara), format="json")
    assert response.status_code == 400 and "penyelenggara" in response.json()  # not visible to pemda B


def test_training_input_is_checked(org, api, penyelenggara):
    other = PenyelenggaraFactory(instansi=org.pemda_b)
    cases = {
        "penyelenggara": pelatihan_body(penyelenggara, penyelenggara=10**30),
        "kompetensi": pelatihan_body(penyelenggara, kompetensi=["M.01", "X.99"]),
        "jenis_diklat": pelatihan_body(penyelenggara, jenis_diklat=26),
        "jp": pelatihan_body(penyelenggara, jp=0),
        "kuota": pelatihan_body(penyelenggara, kuota=10**12),
        "nama": pelatihan_body(penyelenggara, nama="Bim\x00tek"),
        "tanggal_mulai": pelatihan_body(penyelenggara, tanggal_mulai="2026-02-30"),
        "batas_pendaftaran": pelatihan_body(penyelenggara, batas_pendaftaran="2099-01-01"),
        "nomor": pelatihan_body(penyelenggara, nomor="unknown field"),
    }
    for field, body in cases.items():
        response = api.staf_bkpsdm.post(PELATIHAN, body, format="json")
        assert response.status_code == 400 and field in response.json(), (field, response.content)
    response = api.superuser.post(PELATIHAN, pelatihan_body(other, instansi=org.pemda.pk), format="json")
    assert response.status_code == 400 and "penyelenggara" in response.json()
    response = api.staf_bkpsdm.post(
        PELATIHAN, pelatihan_body(penyelenggara, tanggal_selesai="2020-01-01"), format="json"
    )
    assert response.status_code == 400
    response = api.staf_bkpsdm.post(PELATIHAN, pelatihan_body(penyelenggara, kompetensi=["M.01\x00"]), format="json")
    assert response.status_code == 400 and "kompetensi" in response.json()
    assert not Pelatihan.objects.exists()


# ---------------------------------------------------------------------------------------------
# Registration, end to end


def step(client, riwayat_id, name, version, **body):
    return client.post(f"{RIWAYAT}{riwayat_id}/{name}/", {"version": version, **body}, format="json")


def langkah(client, riwayat_id):
    return [s["langkah"] for s in client.get(f"{RIWAYAT}{riwayat_id}/").json()["langkah"]]


def test_the_whole_registration_flow_through_the_api(org, api, pelatihan):
    response = api.bawahan.post(f"{PELATIHAN}{pelatihan.pk}/daftar/", {"catatan": "Mohon izin."}, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["status"] == "diajukan" and row["atasan"] == org.kabid.nip and row["sumber"] == "pendaftaran"
    assert [s["langkah"] for s in row["langkah"]] == ["batalkan"]
    rid = row["id"]
    assert api.bawahan.post(f"{PELATIHAN}{pelatihan.pk}/daftar/", {}, format="json").status_code == 409
    assert langkah(api.atasan, rid) == ["atasan_setujui", "atasan_tolak"]
    assert langkah(api.staf_bkpsdm, rid) == ["konfirmasi", "tolak", "batalkan"]
    for name in ("atasan_lain", "staf_bkpsdm_b", "pegawai_b"):
        assert getattr(api, name).get(f"{RIWAYAT}{rid}/").status_code == 404
        assert step(getattr(api, name), rid, "atasan-setujui", 1).status_code == 404

    assert step(api.bawahan, rid, "atasan-setujui", 1).status_code == 403
    assert step(api.staf_bkpsdm, rid, "atasan-setujui", 1).status_code == 403
    assert step(api.atasan, rid, "atasan-setujui", 9).status_code == 409
    response = step(api.atasan, rid, "atasan-setujui", 1)
    assert response.status_code == 200 and response.json()["status"] == "disetujui_atasan"
    assert step(api.atasan, rid, "atasan-setujui", 2).status_code == 409  # no longer from this state
    assert step(api.atasan, rid, "konfirmasi", 2).status_code == 403
    response = step(api.staf_bkpsdm, rid, "konfirmasi", 2)
    assert response.status_code == 200 and response.json()["status"] == "terdaftar"
    assert api.bawahan.get(f"{PELATIHAN}{pelatihan.pk}/").json()["peserta_terdaftar"] == 1

    # Before the training ends the result cannot be recorded; afterwards BKPSDM records it.
    assert step(api.staf_bkpsdm, rid, "hasil", 3, hadir=True).status_code == 409
    # The catalogue moves the (already held) training into January; the registration follows.
    moved = {"tanggal_mulai": "2026-01-05", "tanggal_selesai": "2026-01-07", "version": 1}
    assert api.staf_bkpsdm.patch(f"{PELATIHAN}{pelatihan.pk}/", moved, format="json").status_code == 200
    assert api.bawahan.get(f"{RIWAYAT}{rid}/").json()["tanggal_selesai"] == "2026-01-07"
    assert step(api.staf_bkpsdm, rid, "hasil", 3, hadir=True).status_code == 409  # stale: the sync saved it
    assert step(api.bawahan, rid, "hasil", 4, hadir=True).status_code == 403
    response = step(api.staf_bkpsdm, rid, "hasil", 4, hadir=True, lulus=True, nomor_sertifikat="STTPP-1")
    assert response.status_code == 200, response.content
    done = response.json()
    assert done["status"] == "selesai" and done["jp_diakui"] == 24 and done["diakui"] is True
    assert done["nomor_sertifikat"] == "STTPP-1" and done["version"] == 5
    [mine] = results(api.bawahan.get(RIWAYAT + "?diakui=true&tahun=2026"))
    assert mine["id"] == rid
    assert AuditLog.objects.filter(object_type="pelatihan.riwayatpelatihan", object_id=str(rid)).count() == 5


def test_the_atasan_may_refuse_with_a_reason_and_the_pegawai_may_withdraw(org, api, pelatihan):
    rid = api.bawahan.post(f"{PELATIHAN}{pelatihan.pk}/daftar/", {}, format="json").json()["id"]
    response = step(api.atasan, rid, "atasan-tolak", 1)
    assert response.status_code == 400 and "alasan" in response.json()
    response = step(api.atasan, rid, "atasan-tolak", 1, alasan="Beban kerja bulan itu tinggi.")
    assert response.status_code == 200 and response.json()["status"] == "ditolak"
    assert response.json()["alasan_penolakan"] == "Beban kerja bulan itu tinggi."
    # Applying again is possible once refused; the pegawai then withdraws.
    rid = api.bawahan.post(f"{PELATIHAN}{pelatihan.pk}/daftar/", {}, format="json").json()["id"]
    assert step(api.atasan, rid, "batalkan", 1).status_code == 403
    response = step(api.bawahan, rid, "batalkan", 1)
    assert response.status_code == 200 and response.json()["status"] == "dibatalkan"


def test_registration_refusals(org, persona, api, pelatihan, pelatihan_b):
    assert api.pegawai_b.post(f"{PELATIHAN}{pelatihan.pk}/daftar/", {}, format="json").status_code == 404
    assert api.bawahan.post(f"{PELATIHAN}{pelatihan_b.pk}/daftar/", {}, format="json").status_code == 404
    # Staff without a pegawai of their own, and closed registration.
    assert api.staf_bkpsdm_b.post(f"{PELATIHAN}{pelatihan_b.pk}/daftar/", {}, format="json").status_code == 403
    Pelatihan.objects.filter(pk=pelatihan.pk).update(pendaftaran_dibuka=False)
    assert api.bawahan.post(f"{PELATIHAN}{pelatihan.pk}/daftar/", {}, format="json").status_code == 409
    response = api.bawahan.post(f"{PELATIHAN}{pelatihan.pk}/daftar/", {"alasan": "x"}, format="json")
    assert response.status_code == 400 and "alasan" in response.json()
    assert not RiwayatPelatihan.objects.exists()


def test_staff_enrol_pegawai_directly(org, persona, api, pelatihan):
    url = f"{PELATIHAN}{pelatihan.pk}/daftarkan/"
    response = api.staf_bkpsdm.post(url, {"pegawai": [org.staf.nip, org.staf_dinkes.nip, org.staf.nip]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"didaftarkan": [org.staf.nip, org.staf_dinkes.nip], "dilewati": []}
    response = api.staf_bkpsdm.post(url, {"pegawai": [org.staf.nip, org.kabid.nip]}, format="json")
    assert response.json() == {"didaftarkan": [org.kabid.nip], "dilewati": [org.staf.nip]}
    assert set(RiwayatPelatihan.objects.values_list("status", "sumber")) == {("terdaftar", "penugasan")}
    assert api.bawahan.get(f"{PELATIHAN}{pelatihan.pk}/").json()["peserta_terdaftar"] == 3


def test_enrolling_an_unknown_or_foreign_nip_saves_nothing_and_names_it(org, api, pelatihan):
    url = f"{PELATIHAN}{pelatihan.pk}/daftarkan/"
    unknown = "199001012015031999"
    response = api.staf_bkpsdm.post(url, {"pegawai": [org.staf.nip, unknown, org.pegawai_b.nip]}, format="json")
    assert response.status_code == 400
    message = response.json()["pegawai"][0]
    assert unknown in message and org.pegawai_b.nip in message and org.staf.nip not in message
    assert not RiwayatPelatihan.objects.exists()
    for body in ({"pegawai": []}, {"pegawai": ["123"]}, {"pegawai": org.staf.nip}, {"nip": [org.staf.nip]}):
        assert api.staf_bkpsdm.post(url, body, format="json").status_code == 400, body
    # Quota: all or nothing.
    Pelatihan.objects.filter(pk=pelatihan.pk).update(kuota=1)
    response = api.staf_bkpsdm.post(url, {"pegawai": [org.staf.nip, org.kabid.nip]}, format="json")
    assert response.status_code == 400 and "pegawai" in response.json()
    assert not RiwayatPelatihan.objects.exists()


def test_only_the_catalogue_staff_enrol(org, api, pelatihan, pelatihan_b):
    body = {"pegawai": [org.staf.nip]}
    for name in ("atasan", "bawahan"):
        assert getattr(api, name).post(f"{PELATIHAN}{pelatihan.pk}/daftarkan/", body, format="json").status_code == 403
    for name in ("staf_bkpsdm_b", "pegawai_b"):
        assert getattr(api, name).post(f"{PELATIHAN}{pelatihan.pk}/daftarkan/", body, format="json").status_code == 404
    response = api.superuser.post(f"{PELATIHAN}{pelatihan_b.pk}/daftarkan/", body, format="json")
    assert response.status_code == 400  # not a pegawai of that instansi
    response = api.superuser.post(f"{PELATIHAN}{pelatihan.pk}/daftarkan/", body, format="json")
    assert response.status_code == 200 and response.json()["didaftarkan"] == [org.staf.nip]


def test_the_results_of_a_whole_training_in_one_go(org, persona, api, pelatihan):
    rows, _ = services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=pelatihan, pegawai_list=[org.staf, org.kabid])
    a, b = sorted(rows, key=lambda r: r.pk)
    url = f"{PELATIHAN}{pelatihan.pk}/hasil/"
    good = {"hasil": [{"id": a.pk, "hadir": True, "version": 2}, {"id": b.pk, "hadir": False, "version": 2}]}
    ended = {"tanggal_mulai": "2026-02-01", "tanggal_selesai": "2026-02-03", "version": 1}
    assert api.staf_bkpsdm.post(url, good, format="json").status_code == 409  # not over yet
    assert api.staf_bkpsdm.patch(f"{PELATIHAN}{pelatihan.pk}/", ended, format="json").status_code == 200
    assert api.atasan.post(url, good, format="json").status_code == 403
    assert api.staf_bkpsdm_b.post(url, good, format="json").status_code == 404
    bad = {
        "hasil": [{"id": a.pk, "hadir": True, "version": 2}, {"id": b.pk, "hadir": False, "jp_diakui": 5, "version": 2}]
    }
    response = api.staf_bkpsdm.post(url, bad, format="json")
    assert response.status_code == 400 and "baris 2" in response.json()
    other = RiwayatPelatihanFactory(pegawai=org.staf)
    response = api.staf_bkpsdm.post(
        url, {"hasil": [*good["hasil"], {"id": other.pk, "hadir": True, "version": 2}]}, format="json"
    )
    assert response.status_code == 400 and "baris 3" in response.json()
    response = api.staf_bkpsdm.post(url, {"hasil": [good["hasil"][0], good["hasil"][0]]}, format="json")
    assert response.status_code == 400 and "baris 2" in response.json()
    response = api.staf_bkpsdm.post(url, {"hasil": [{"id": a.pk, "hadir": True, "version": 2, "x": 1}]}, format="json")
    assert response.status_code == 400 and "x" in response.json()["hasil"]["0"]
    assert set(RiwayatPelatihan.objects.filter(pelatihan=pelatihan).values_list("status", flat=True)) == {"terdaftar"}

    response = api.staf_bkpsdm.post(url, good, format="json")
    assert response.status_code == 200, response.content
    assert [(r["id"], r["jp_diakui"], r["diakui"]) for r in response.json()] == [(a.pk, 24, True), (b.pk, 0, False)]
    assert api.staf_bkpsdm.post(url, good, format="json").status_code == 409  # stale versions


# ---------------------------------------------------------------------------------------------
# Trainings done elsewhere: upload, verification, correction


def test_a_pegawai_submits_an_outside_training_with_evidence(settings, org, api):
    response = api.bawahan.post(RIWAYAT, {**mandiri(), "bukti": pdf_upload()}, format="multipart")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["status"] == "menunggu_verifikasi" and row["sumber"] == "mandiri" and row["pegawai"] == org.staf.nip
    assert row["ada_bukti"] is True and row["jalur"] == "klasikal" and row["diakui"] is False
    for name in ("bawahan", "atasan", "staf_bkpsdm", "superuser"):
        response = getattr(api, name).get(f"{RIWAYAT}{row['id']}/bukti/")
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content) == PDF
    for name in ("atasan_lain", "staf_bkpsdm_b", "pegawai_b"):
        assert getattr(api, name).get(f"{RIWAYAT}{row['id']}/bukti/").status_code == 404
    assert api.bawahan.post(RIWAYAT, mandiri(), format="json").json()["bukti"]  # evidence is required
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(lambda: pdf_upload("sttpp.pdf", b"<html><script>alert(1)</script></html>"), id="wrong-content"),
        pytest.param(lambda: pdf_upload("sttpp.pdf", PDF + b"0" * (5 * 1024 * 1024)), id="over-5-mb"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_saved(settings, api, upload):
    response = api.bawahan.post(RIWAYAT, {**mandiri(), "bukti": upload()}, format="multipart")
    assert response.status_code == 400 and "bukti" in response.json()
    assert not RiwayatPelatihan.objects.exists()
    assert stored_files(settings) == []


def test_staff_record_an_outside_training_which_counts_at_once(org, api):
    response = api.staf_bkpsdm.post(RIWAYAT, mandiri(pegawai=org.staf_dinkes.nip), format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["status"] == "terverifikasi" and row["sumber"] == "pencatatan" and row["diakui"] is True
    assert row["jp_diakui"] == 16 and row["ada_bukti"] is False
    # Outside the scope reads like an unknown NIP; visible but not managed is 403.
    response = api.staf_bkpsdm.post(RIWAYAT, mandiri(pegawai=org.pegawai_b.nip), format="json")
    assert response.status_code == 400 and "pegawai" in response.json()
    assert api.atasan.post(RIWAYAT, mandiri(pegawai=org.staf.nip), format="json").status_code == 403
    assert api.staf_bkpsdm_b.post(RIWAYAT, mandiri(), format="json").json() == {"pegawai": ["Sebutkan NIP pegawai."]}
    assert RiwayatPelatihan.objects.count() == 1


def test_verification_rejection_and_correction(org, api):
    rid = api.bawahan.post(RIWAYAT, {**mandiri(), "bukti": pdf_upload()}, format="multipart").json()["id"]
    assert langkah(api.bawahan, rid) == ["ubah", "hapus"]
    assert langkah(api.staf_bkpsdm, rid) == ["tolak", "verifikasi", "ubah", "hapus"]
    assert langkah(api.atasan, rid) == []
    assert step(api.bawahan, rid, "verifikasi", 1).status_code == 403
    response = step(api.staf_bkpsdm, rid, "tolak", 1, alasan="Sertifikat buram.")
    assert response.status_code == 200 and response.json()["status"] == "ditolak"
    # The pegawai corrects it with a new file, which submits it again.
    response = api.bawahan.patch(
        f"{RIWAYAT}{rid}/", {"jp": "12", "version": "2", "bukti": pdf_upload("baru.pdf")}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "menunggu_verifikasi" and response.json()["jp"] == 12
    assert step(api.staf_bkpsdm, rid, "verifikasi", 2).status_code == 409
    response = step(api.staf_bkpsdm, rid, "verifikasi", 3, jp_diakui=10)
    assert response.status_code == 200 and response.json()["jp_diakui"] == 10 and response.json()["diakui"] is True
    # Verified: the pegawai may no longer change it, BKPSDM may.
    assert api.bawahan.patch(f"{RIWAYAT}{rid}/", {"jp": 14, "version": 4}, format="json").status_code == 409
    assert api.atasan.patch(f"{RIWAYAT}{rid}/", {"jp": 14, "version": 4}, format="json").status_code == 403
    response = api.staf_bkpsdm.put(f"{RIWAYAT}{rid}/", {**mandiri(jp=8), "version": 4}, format="json")
    assert response.status_code == 200 and response.json()["jp_diakui"] == 8


def test_deleting_an_outside_training_needs_the_version(org, api):
    rid = api.bawahan.post(RIWAYAT, {**mandiri(), "bukti": pdf_upload()}, format="multipart").json()["id"]
    assert api.bawahan.delete(f"{RIWAYAT}{rid}/").status_code == 400
    assert api.bawahan.delete(f"{RIWAYAT}{rid}/?version=abc").status_code == 400
    assert api.bawahan.delete(f"{RIWAYAT}{rid}/?version=2").status_code == 409
    assert api.atasan.delete(f"{RIWAYAT}{rid}/?version=1").status_code == 403
    assert api.atasan_lain.delete(f"{RIWAYAT}{rid}/?version=1").status_code == 404
    assert api.bawahan.delete(f"{RIWAYAT}{rid}/?version=1").status_code == 204
    assert not RiwayatPelatihan.objects.exists()


def test_a_catalogue_record_is_not_edited_or_deleted_as_an_outside_one(org, persona, api, pelatihan):
    [row], _ = services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=pelatihan, pegawai_list=[org.staf])
    assert api.staf_bkpsdm.patch(f"{RIWAYAT}{row.pk}/", {"jp": 2, "version": 1}, format="json").status_code == 409
    assert api.staf_bkpsdm.delete(f"{RIWAYAT}{row.pk}/?version=1").status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kode": "x"}, "kode"),
        ({"jp": "banyak"}, "jp"),
        ({"jp": 10**30}, "jp"),
        ({"jenis_diklat": "3x"}, "jenis_diklat"),
        ({"nama": "Kursus\x00"}, "nama"),
        ({"penyelenggara": "x" * 201}, "penyelenggara"),
        ({"tanggal_selesai": "2026-13-01"}, "tanggal_selesai"),
        ({"tanggal_selesai": "2999-01-01"}, "tanggal_selesai"),
        ({"pegawai": "12345"}, "pegawai"),
        ({"bukti": "bukan berkas"}, "bukti"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(org, api, body, field):
    response = api.staf_bkpsdm.post(RIWAYAT, {**mandiri(pegawai=org.staf.nip), **body}, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not RiwayatPelatihan.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"version": 2**40}, {"version": "x"}, {"version": 1, "alasan": "a\x00b"}, {"version": 1, "catatan": "x"}, []],
)
def test_bad_step_input_is_a_400(org, api, body):
    rid = api.bawahan.post(RIWAYAT, {**mandiri(), "bukti": pdf_upload()}, format="multipart").json()["id"]
    assert api.staf_bkpsdm.post(f"{RIWAYAT}{rid}/tolak/", body, format="json").status_code == 400
    assert RiwayatPelatihan.objects.get().status == "menunggu_verifikasi"


# ---------------------------------------------------------------------------------------------
# Training records: list, filters and JP


def test_the_record_list_is_scoped(org, api):
    mine = RiwayatPelatihanFactory(pegawai=org.staf)
    boss = RiwayatPelatihanFactory(pegawai=org.kabid)
    dinkes = RiwayatPelatihanFactory(pegawai=org.staf_dinkes)
    b = RiwayatPelatihanFactory(pegawai=org.pegawai_b)

    def ids(client):
        return {row["id"] for row in results(client.get(RIWAYAT))}

    assert ids(api.bawahan) == {mine.pk}
    assert ids(api.atasan) == {mine.pk, boss.pk}
    assert ids(api.atasan_lain) == {dinkes.pk}
    assert ids(api.staf_bkpsdm) == {mine.pk, boss.pk, dinkes.pk}
    assert ids(api.staf_bkpsdm_b) == ids(api.pegawai_b) == {b.pk}
    assert ids(api.superuser) == {mine.pk, boss.pk, dinkes.pk, b.pk}
    assert api.staf_bkpsdm.get(f"{RIWAYAT}abc/").status_code == 404


def test_only_confirmed_jp_of_that_year_count(org, api):
    RiwayatPelatihanFactory(pegawai=org.staf, jp=10, tanggal_selesai=dt.date(2025, 12, 31))
    counted = RiwayatPelatihanFactory(pegawai=org.staf, jp=12, tanggal_selesai=dt.date(2026, 1, 1))
    RiwayatPelatihanFactory(
        pegawai=org.staf, sumber="mandiri", status="menunggu_verifikasi", jp=8, tanggal_selesai=dt.date(2026, 3, 1)
    )
    RiwayatPelatihanFactory(pegawai=org.staf, status="ditolak", jp=30, tanggal_selesai=dt.date(2026, 3, 1))
    RiwayatPelatihanFactory(pegawai=org.staf, status="selesai", hadir=False, jp=40, jp_diakui=0)

    def ids(query):
        return [row["id"] for row in results(api.staf_bkpsdm.get(RIWAYAT + query))]

    assert ids("?diakui=true&tahun=2026") == [counted.pk]
    assert len(ids("?diakui=false")) == 3
    [row] = [r for r in results(api.staf_bkpsdm.get(KURANG + "?tahun=2026")) if r["nip"] == org.staf.nip]
    assert row["jp_tahun"] == 12 and row["kekurangan_jp"] == 8
    [row] = [r for r in results(api.staf_bkpsdm.get(KURANG + "?tahun=2025")) if r["nip"] == org.staf.nip]
    assert row["jp_tahun"] == 10
    RiwayatPelatihanFactory(pegawai=org.staf, jp=8, tanggal_selesai=dt.date(2026, 11, 1))
    assert org.staf.nip not in {r["nip"] for r in results(api.staf_bkpsdm.get(KURANG + "?tahun=2026"))}
    [pemda] = api.staf_bkpsdm.get(REKAP + "?tahun=2026").json()["unit"]
    assert pemda["total_jp"] == 20 and pemda["jumlah_pegawai"] == 6 and pemda["kurang"] == 5
    assert pemda["total_kekurangan"] == 100 and pemda["memenuhi"] == 1


def test_the_record_filters(org, persona, api, pelatihan):
    services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=pelatihan, pegawai_list=[org.staf])
    pkp = RiwayatPelatihanFactory(pegawai=org.kabid, nama="PKP", jenis_diklat=1, kepemimpinan="pkp")
    dinkes = RiwayatPelatihanFactory(pegawai=org.staf_dinkes, tanggal_selesai=dt.date(2024, 8, 1))

    def ids(query):
        return {row["id"] for row in results(api.staf_bkpsdm.get(RIWAYAT + query))}

    catalogue = RiwayatPelatihan.objects.get(pelatihan=pelatihan).pk
    assert ids(f"?pegawai={org.kabid.nip}") == {pkp.pk}
    assert ids(f"?unit_kerja={org.disdik.pk}") == {catalogue, pkp.pk}
    assert ids(f"?unit_kerja={org.dinkes.pk}") == ids("?tahun=2024") == {dinkes.pk}
    assert ids("?status=terdaftar") == ids("?sumber=penugasan") == ids(f"?pelatihan={pelatihan.pk}") == {catalogue}
    assert ids("?jenis_diklat=1") == ids("?kepemimpinan=pkp") == ids("?search=pkp") == {pkp.pk}
    assert ids(f"?search={org.staf_dinkes.nip[:10]}") == {dinkes.pk}
    assert ids(f"?unit_kerja={org.dinas_b.pk}") == set()
    assert len(ids("?updated_since=2000-01-01T00:00:00Z&ordering=-pegawai__nama,tanggal_selesai")) == 3
    for bad in ("?tahun=20x", "?status=x", "?sumber=x", "?unit_kerja=-1", "?diakui=maybe&ordering=bukti"):
        assert api.staf_bkpsdm.get(RIWAYAT + bad).status_code == 400, bad


# ---------------------------------------------------------------------------------------------
# Competency assessments and gaps


def asesmen_body(org, **overrides):
    body = {
        "pegawai": org.staf.nip,
        "kompetensi": "M.01",
        "level": 2,
        "tanggal": "2026-02-10",
        "metode": "assessment_center",
        "asesor": "UPT Penilaian Kompetensi",
    }
    body.update(overrides)
    return body


def test_staff_record_assessments_and_others_may_not(org, api):
    response = api.staf_bkpsdm.post(ASESMEN, asesmen_body(org), format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["kompetensi"] == "M.01" and row["terbaru"] is True and row["pegawai"] == org.staf.nip
    newer = api.staf_bkpsdm.post(ASESMEN, asesmen_body(org, level=3, tanggal="2026-05-01"), format="json").json()
    assert api.bawahan.get(f"{ASESMEN}{row['id']}/").json()["terbaru"] is False
    assert [r["id"] for r in results(api.bawahan.get(ASESMEN + "?terbaru=true"))] == [newer["id"]]
    assert api.atasan.post(ASESMEN, asesmen_body(org, tanggal="2026-06-01"), format="json").status_code == 403
    assert api.bawahan.post(ASESMEN, asesmen_body(org, tanggal="2026-06-01"), format="json").status_code == 403
    response = api.staf_bkpsdm_b.post(ASESMEN, asesmen_body(org, tanggal="2026-06-01"), format="json")
    assert response.status_code == 400 and "pegawai" in response.json()
    for field, value in (("level", 6), ("kompetensi", "X.01"), ("kompetensi", "M\x00"), ("tanggal", "kemarin")):
        response = api.staf_bkpsdm.post(ASESMEN, asesmen_body(org, **{field: value}), format="json")
        assert response.status_code == 400 and field in response.json(), (field, value)
    response = api.staf_bkpsdm.post(ASESMEN, asesmen_body(org), format="json")
    assert response.status_code == 400 and "tanggal" in response.json()  # same day twice

    url = f"{ASESMEN}{newer['id']}/"
    assert api.atasan.patch(url, {"level": 4, "version": 1}, format="json").status_code == 403
    assert api.atasan_lain.patch(url, {"level": 4, "version": 1}, format="json").status_code == 404
    response = api.staf_bkpsdm.patch(url, {"level": 4, "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["level"] == 4
    assert api.staf_bkpsdm.patch(url, {"level": 5, "version": 1}, format="json").status_code == 409
    assert api.staf_bkpsdm.delete(url).status_code == 400
    assert api.staf_bkpsdm.delete(f"{url}?version=1").status_code == 409
    assert api.atasan.delete(f"{url}?version=2").status_code == 403
    assert api.staf_bkpsdm.delete(f"{url}?version=2").status_code == 204
    assert AsesmenKompetensi.objects.get().terbaru is True  # the older one is the latest again


def test_the_assessment_list_is_scoped_and_filtered(org, persona, api):
    for pegawai, kode in ((org.staf, "M.01"), (org.kabid, "M.02"), (org.staf_dinkes, "M.01")):
        services.asesmen_create(
            actor=persona.superuser,
            pegawai=pegawai,
            kompetensi=kompetensi(kode),
            level=3,
            tanggal=dt.date(2026, 1, 5),
            metode="cat",
            asesor="BKN",
        )
    services.asesmen_create(
        actor=persona.superuser,
        pegawai=org.pegawai_b,
        kompetensi=kompetensi("M.01"),
        level=3,
        tanggal=dt.date(2026, 1, 5),
        metode="cat",
        asesor="BKN",
    )

    def nips(client, query=""):
        return sorted(row["pegawai"] for row in results(client.get(ASESMEN + query)))

    assert nips(api.bawahan) == [org.staf.nip]
    assert nips(api.atasan) == sorted([org.staf.nip, org.kabid.nip])
    assert nips(api.atasan_lain) == [org.staf_dinkes.nip]
    assert nips(api.staf_bkpsdm_b) == nips(api.pegawai_b) == [org.pegawai_b.nip]
    assert len(nips(api.superuser)) == 4
    assert nips(api.staf_bkpsdm, "?kompetensi=M.02") == [org.kabid.nip]
    assert nips(api.staf_bkpsdm, f"?pegawai={org.staf.nip}") == [org.staf.nip]
    assert nips(api.staf_bkpsdm, f"?unit_kerja={org.dinkes.pk}&metode=cat") == [org.staf_dinkes.nip]
    assert nips(api.staf_bkpsdm, "?search=kerja sama&ordering=-level") == [org.kabid.nip]
    assert api.staf_bkpsdm.get(ASESMEN + "?metode=x").status_code == 400


def test_the_competency_gap_of_a_pegawai(org, persona, api):
    for kode, level in (("M.01", 3), ("M.02", 3)):
        StandarKompetensi.objects.create(jabatan=org.j_staf, kompetensi=kompetensi(kode), level=level)
    url = f"{GAP}{org.staf.nip}/"
    data = api.bawahan.get(url).json()
    assert data["lengkap"] is False and data["jpm"] is None and data["band"] is None
    assert [(r["kode"], r["dipersyaratkan"], r["hasil"], r["gap"]) for r in data["kompetensi"]] == [
        ("M.01", 3, None, None),
        ("M.02", 3, None, None),
    ]
    for kode, level in (("M.01", 2), ("M.02", 4)):
        services.asesmen_create(
            actor=persona.staf_bkpsdm,
            pegawai=org.staf,
            kompetensi=kompetensi(kode),
            level=level,
            tanggal=dt.date(2026, 1, 5),
            metode="cat",
            asesor="BKN",
        )
    data = api.atasan.get(url).json()
    assert data["lengkap"] is True and data["jpm"] == 83.33 and data["band"] == "Memenuhi Syarat"
    assert [(r["kode"], r["gap"], r["tanggal_asesmen"]) for r in data["kompetensi"]] == [
        ("M.01", -1, "2026-01-05"),
        ("M.02", 1, "2026-01-05"),
    ]
    assert data["nip"] == org.staf.nip and data["jabatan"] == "Pengelola Data Pendidikan"
    assert api.staf_bkpsdm.get(url).status_code == api.superuser.get(url).status_code == 200
    for name in ("atasan_lain", "staf_bkpsdm_b", "pegawai_b"):
        assert getattr(api, name).get(url).status_code == 404
    assert api.bawahan.get(f"{GAP}{org.kabid.nip}/").status_code == 404
    assert api.staf_bkpsdm.get(f"{GAP}12345/").status_code == 404
    assert api.staf_bkpsdm.post(url, {}, format="json").status_code == 405


# ---------------------------------------------------------------------------------------------
# The 20 JP report


@pytest.mark.parametrize("url", [REKAP, KURANG])
def test_the_jp_reports_are_for_staff(api, url):
    for name in ("atasan", "bawahan", "atasan_lain", "pegawai_b"):
        assert getattr(api, name).get(url).status_code == 403, name
    for name in ("staf_bkpsdm", "staf_bkpsdm_b", "superuser"):
        assert getattr(api, name).get(url).status_code == 200, name


def test_the_jp_report_per_unit(org, api):
    RiwayatPelatihanFactory(pegawai=org.staf, jp=24, tanggal_selesai=dt.date(2026, 4, 1))
    RiwayatPelatihanFactory(pegawai=org.staf_dinkes, jp=5, tanggal_selesai=dt.date(2026, 4, 1))
    data = api.staf_bkpsdm.get(REKAP + f"?tahun=2026&unit={org.pemda.pk}").json()
    assert data["tahun"] == 2026 and data["induk"] == {"id": org.pemda.pk, "nama": org.pemda.nama}
    rows = {row["unit"]["nama"]: row for row in data["unit"]}
    assert set(rows) == {"Dinas Pendidikan", "Dinas Kesehatan", "BKPSDM"}
    assert rows["Dinas Pendidikan"]["jumlah_pegawai"] == 3 and rows["Dinas Pendidikan"]["kurang"] == 2
    assert rows["Dinas Pendidikan"]["total_jp"] == 24 and rows["Dinas Pendidikan"]["persen_memenuhi"] == 33.3
    assert rows["Dinas Kesehatan"]["total_kekurangan"] == 35
    assert api.staf_bkpsdm.get(REKAP).json()["tahun"] == timezone.localdate().year
    assert api.superuser.get(REKAP + "?tahun=2026").json()["unit"][0]["unit"]["id"] in (org.pemda.pk, org.pemda_b.pk)
    assert api.staf_bkpsdm.get(REKAP + f"?unit={org.dinas_b.pk}").status_code == 404
    assert api.staf_bkpsdm.get(REKAP + "?unit=999999").status_code == 404
    for bad in ("?tahun=abc", "?tahun=10000", "?unit=0", "?unit=99999999999999999999"):
        response = api.staf_bkpsdm.get(REKAP + bad)
        assert response.status_code == 400, bad


def test_the_list_of_pegawai_under_20_jp(org, api):
    RiwayatPelatihanFactory(pegawai=org.staf, jp=15, tanggal_selesai=dt.date(2026, 4, 1))
    data = results(api.staf_bkpsdm.get(KURANG + "?tahun=2026&ordering=kekurangan_jp"))
    assert len(data) == 6 and data[0]["nip"] == org.staf.nip and data[0]["kekurangan_jp"] == 5
    assert data[0]["unit_kerja"] == {"id": org.bidang.pk, "nama": org.bidang.nama}
    nips = {row["nip"] for row in results(api.staf_bkpsdm.get(KURANG + f"?tahun=2026&unit_kerja={org.dinkes.pk}"))}
    assert nips == {org.kadinkes.nip, org.staf_dinkes.nip}
    assert [r["nip"] for r in results(api.staf_bkpsdm.get(KURANG + "?search=zulfikar"))] == [org.staf_dinkes.nip]
    assert [r["nip"] for r in results(api.staf_bkpsdm_b.get(KURANG))] == [org.pegawai_b.nip]
    for bad in ("?tahun=x", "?unit_kerja=x", "?ordering=nik"):
        assert api.staf_bkpsdm.get(KURANG + bad).status_code == 400, bad


# ---------------------------------------------------------------------------------------------
# Training needs


def test_training_needs_require_a_valid_kind(api):
    for query in ("", "?jenis=", "?jenis=gaji", "?jenis=jp&tahun=abc"):
        response = api.staf_bkpsdm.get(KEBUTUHAN + query)
        assert response.status_code == 400 and response.json(), query


def test_training_needs_by_kind_with_recommendations(org, api, penyelenggara):
    pka = PelatihanFactory(
        instansi=org.pemda, penyelenggara=penyelenggara, nama="PKA 2026", jenis_diklat=1, kepemimpinan="pka"
    )
    teknis = PelatihanFactory(
        instansi=org.pemda, penyelenggara=penyelenggara, nama="Integritas ASN", kompetensi=[kompetensi("M.01")]
    )
    StandarKompetensi.objects.create(jabatan=org.j_staf, kompetensi=kompetensi("M.01"), level=3)
    AsesmenKompetensi.objects.create(
        pegawai=org.staf, kompetensi=kompetensi("M.01"), level=1, tanggal=dt.date(2026, 1, 1), metode="cat", asesor="X"
    )

    [row] = results(api.staf_bkpsdm.get(KEBUTUHAN + "?jenis=kompetensi"))
    assert row["nip"] == org.staf.nip and row["gaps"] == [
        {
            "kode": "M.01",
            "nama": kompetensi("M.01").nama,
            "kelompok": "manajerial",
            "dipersyaratkan": 3,
            "hasil": 1,
            "gap": -2,
            "tanggal_asesmen": "2026-01-01",
        }
    ]
    assert row["jpm"] == 33.33 and row["band"] == "Kurang Memenuhi Syarat"
    assert [r["id"] for r in row["rekomendasi"]] == [teknis.pk]

    rows = {r["nip"]: r for r in results(api.staf_bkpsdm.get(KEBUTUHAN + "?jenis=kepemimpinan"))}
    assert set(rows) == {org.kadis.nip, org.kabid.nip, org.kadinkes.nip}
    assert rows[org.kabid.nip]["kepemimpinan"]["kode"] == "pka"
    # The missing leadership training first; the JP shortfall makes any open training useful too.
    assert [r["nama"] for r in rows[org.kabid.nip]["rekomendasi"]] == ["PKA 2026", "Integritas ASN"]
    assert rows[org.kadis.nip]["kepemimpinan"]["kode"] == "pkn_2"
    assert pka.pk not in [r["id"] for r in rows[org.kadis.nip]["rekomendasi"]]

    rows = results(api.staf_bkpsdm.get(KEBUTUHAN + f"?jenis=jp&tahun=2026&unit_kerja={org.bidang.pk}"))
    assert [(r["nip"], r["jp_tahun"], r["kekurangan_jp"]) for r in rows] == [
        (org.kabid.nip, 0, 20),
        (org.staf.nip, 0, 20),
    ]
    assert rows[0]["predikat"] is None
    # Scope: a pegawai sees only themself, another pemda nobody of this one.
    assert [r["nip"] for r in results(api.bawahan.get(KEBUTUHAN + "?jenis=jp"))] == [org.staf.nip]
    assert [r["nip"] for r in results(api.atasan.get(KEBUTUHAN + "?jenis=jp&search=iqbal"))] == [org.staf.nip]
    assert [r["nip"] for r in results(api.pegawai_b.get(KEBUTUHAN + "?jenis=jp"))] == [org.pegawai_b.nip]
    assert results(api.staf_bkpsdm_b.get(KEBUTUHAN + "?jenis=kompetensi")) == []


# ---------------------------------------------------------------------------------------------
# Flat query counts


def _many_pegawai(org, n):
    unit = UnitKerjaFactory(nama=f"Bidang {n}", parent=org.disdik, jenis="bidang")
    jabatan = JabatanFactory(nama=f"Kepala Seksi {n}", jenis="pengawas", unit_kerja=unit, atasan=org.j_kabid)
    StandarKompetensi.objects.create(jabatan=jabatan, kompetensi=kompetensi("M.01"), level=3)
    return [PegawaiFactory(jabatan=jabatan) for _ in range(n)]


def _world(org, persona, n):
    """``n`` more of every kind of row, for pegawai in the scope of every persona that sees lists."""
    people = _many_pegawai(org, n)
    for i, pegawai in enumerate(people):
        penyelenggara = PenyelenggaraFactory(instansi=org.pemda, nama=f"Lembaga {n}-{i}")
        pelatihan = PelatihanFactory(
            instansi=org.pemda, penyelenggara=penyelenggara, kompetensi=[kompetensi("M.01"), kompetensi("M.02")]
        )
        services.daftarkan(actor=persona.staf_bkpsdm, pelatihan=pelatihan, pegawai_list=[pegawai])
        RiwayatPelatihanFactory(pegawai=pegawai, jp=5, atasan=org.kabid, tanggal_selesai=dt.date(2026, 3, 1))
        AsesmenKompetensi.objects.create(
            pegawai=pegawai,
            kompetensi=kompetensi("M.01"),
            level=1,
            tanggal=dt.date(2026, 1, 1),
            metode="cat",
            asesor="X",
        )


LISTS = [
    PENYELENGGARA,
    PELATIHAN,
    RIWAYAT,
    ASESMEN,
    KURANG + "?tahun=2026",
    REKAP + "?tahun=2026",
    KEBUTUHAN + "?jenis=jp&tahun=2026",
    KEBUTUHAN + "?jenis=kompetensi",
    KEBUTUHAN + "?jenis=kepemimpinan",
]


@pytest.mark.parametrize("name", ["staf_bkpsdm", "atasan", "superuser"])
def test_every_list_issues_a_flat_number_of_queries(org, persona, api, name, django_assert_max_num_queries):
    client = getattr(api, name)
    urls = [url for url in LISTS if name != "atasan" or not url.startswith((KURANG, REKAP))]
    sep = {url: "&" if "?" in url else "?" for url in urls}
    _world(org, persona, 5)
    few = {}
    for url in urls:
        with django_assert_max_num_queries(30) as captured:
            response = client.get(f"{url}{sep[url]}page_size=100" if not url.startswith(REKAP) else url)
            assert response.status_code == 200, (url, response.content)
        few[url] = len(captured)
    _world(org, persona, 45)
    for url in urls:
        with django_assert_max_num_queries(few[url]) as captured:
            response = client.get(f"{url}{sep[url]}page_size=100" if not url.startswith(REKAP) else url)
            assert response.status_code == 200
        data = response.json()
        if "results" in data and not url.startswith((PENYELENGGARA, PELATIHAN)):
            assert len(data["results"]) >= 50, url  # the page really grew


def test_the_detail_endpoints_issue_a_fixed_number_of_queries(org, persona, api, django_assert_max_num_queries):
    _world(org, persona, 3)
    riwayat = RiwayatPelatihan.objects.filter(pelatihan__isnull=False).first()
    for url in (f"{RIWAYAT}{riwayat.pk}/", f"{GAP}{riwayat.pegawai.nip}/", f"{PELATIHAN}{riwayat.pelatihan_id}/"):
        with django_assert_max_num_queries(15):
            assert api.staf_bkpsdm.get(url).status_code == 200
