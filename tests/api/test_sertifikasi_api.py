import datetime as dt

import pytest
from django.utils import timezone

from apps.sertifikasi import services
from apps.sertifikasi.models import Sertifikasi

from ..factories import JabatanFactory, PegawaiFactory, UnitKerjaFactory
from .conftest import count_queries, results

URL = "/api/v1/sertifikasi/"


def data(**overrides):
    values = {
        "jenis": "kompetensi",
        "nama": "Sertifikat Kompetensi Pranata Komputer",
        "penerbit": "LSP Informatika",
        "nomor": "K-0001",
        "tanggal_terbit": dt.date(2024, 3, 1),
        "tanggal_kedaluwarsa": dt.date(2027, 3, 1),
    }
    values.update(overrides)
    return values


def body(**overrides):
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data(**overrides).items()}


@pytest.fixture
def row(org, persona):
    return services.sertifikasi_create(actor=persona.bawahan, pegawai=org.staf, **data())


def test_anonymous_is_401(api):
    assert api.anon.get(URL).status_code == 401


def test_the_list_is_scoped_and_carries_the_derived_status(org, persona, api, row):
    services.sertifikasi_create(actor=persona.pegawai_b, pegawai=org.pegawai_b, **data(nama="B"))
    Sertifikasi.objects.filter(pk=row.pk).update(tanggal_kedaluwarsa=timezone.localdate() + dt.timedelta(days=30))
    [item] = results(api.staf_bkpsdm.get(URL))
    assert item["pegawai"] == org.staf.nip and item["status_berlaku"] == "akan_kedaluwarsa"
    assert item["verifikasi"] == "diajukan" and item["version"] == 1 and item["unit_kerja"] == org.bidang.pk
    assert [i["nama"] for i in results(api.staf_bkpsdm_b.get(URL))] == ["B"]
    assert len(results(api.atasan.get(URL))) == 1  # a subordinate's
    assert results(api.atasan_lain.get(URL)) == []


def test_the_filters(org, persona, api, row):
    services.sertifikasi_create(
        actor=persona.staf_bkpsdm, pegawai=org.staf_dinkes, **data(nomor="X", tanggal_kedaluwarsa=None)
    )
    # Sessions expire with a travelling clock: the expiry is set relative to today instead.
    Sertifikasi.objects.filter(pk=row.pk).update(tanggal_kedaluwarsa=timezone.localdate() + dt.timedelta(days=98))

    def nips(query):
        return sorted(i["pegawai"] for i in results(api.staf_bkpsdm.get(URL + query)))

    assert nips(f"?nip={org.staf.nip}") == [org.staf.nip]
    assert nips(f"?unit_kerja={org.dinkes.pk}") == [org.staf_dinkes.nip]
    assert nips("?verifikasi=terverifikasi") == [org.staf_dinkes.nip]
    assert nips("?status_berlaku=akan_kedaluwarsa") == []
    assert nips("?akan_kedaluwarsa_dalam=100") == [org.staf.nip]
    [item] = results(api.staf_bkpsdm.get(URL + "?akan_kedaluwarsa_dalam=100"))
    assert item["status_berlaku"] == "akan_kedaluwarsa"
    assert nips("?status_berlaku=aktif") == sorted([org.staf.nip, org.staf_dinkes.nip])
    assert nips("?search=Zulfikar") == [org.staf_dinkes.nip]
    ordered = [i["pegawai"] for i in results(api.staf_bkpsdm.get(URL + "?ordering=-tanggal_terbit,nama"))]
    assert len(ordered) == 2
    assert nips("?updated_since=2000-01-01T00:00:00Z") == sorted([org.staf.nip, org.staf_dinkes.nip])
    for bad in ("?akan_kedaluwarsa_dalam=abc", "?status_berlaku=x", "?ordering=nomor", "?unit_kerja=0"):
        assert api.staf_bkpsdm.get(URL + bad).status_code == 400, bad


def test_retrieve_is_404_outside_the_scope(api, row):
    assert api.bawahan.get(f"{URL}{row.pk}/").status_code == 200
    assert api.atasan.get(f"{URL}{row.pk}/").status_code == 200
    for client in (api.atasan_lain, api.staf_bkpsdm_b, api.pegawai_b):
        assert client.get(f"{URL}{row.pk}/").status_code == 404
        assert client.patch(f"{URL}{row.pk}/", {"version": 1, "nama": "x"}, format="json").status_code == 404
        assert client.delete(f"{URL}{row.pk}/").status_code == 404
        assert client.post(f"{URL}{row.pk}/verifikasi/", {"version": 1}, format="json").status_code == 404
    assert api.staf_bkpsdm.get(f"{URL}abc/").status_code == 404


def test_a_pegawai_submits_for_self_without_a_file(org, api):
    response = api.bawahan.post(URL, body(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["verifikasi"] == "diajukan" and response.json()["pegawai"] == org.staf.nip


def test_staff_record_for_a_managed_pegawai_and_others_may_not(org, api):
    response = api.staf_bkpsdm.post(URL, body(pegawai=org.staf_dinkes.nip), format="json")
    assert response.status_code == 201 and response.json()["verifikasi"] == "terverifikasi"
    # Outside the scope reads like a NIP that does not exist; visible but not managed is 403.
    assert api.staf_bkpsdm.post(URL, body(pegawai=org.pegawai_b.nip), format="json").status_code == 400
    assert api.atasan.post(URL, body(pegawai=org.staf.nip, nomor="Z"), format="json").status_code == 403
    assert Sertifikasi.objects.count() == 1


def test_create_validates_the_dates_and_the_number(org, api, row):
    response = api.bawahan.post(URL, body(tanggal_kedaluwarsa="2020-01-01"), format="json")
    assert response.status_code == 400
    response = api.bawahan.post(URL, body(), format="json")
    assert response.status_code == 400 and "nomor" in response.json()


def test_patch_needs_the_version_and_refuses_a_stale_one(api, row):
    assert api.bawahan.patch(f"{URL}{row.pk}/", {"nama": "Baru"}, format="json").status_code == 400
    response = api.bawahan.patch(f"{URL}{row.pk}/", {"nama": "Baru", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert api.bawahan.patch(f"{URL}{row.pk}/", {"nama": "Lama", "version": 1}, format="json").status_code == 409
    row.refresh_from_db()
    assert row.nama == "Baru"
    assert api.atasan.patch(f"{URL}{row.pk}/", {"nama": "x", "version": 2}, format="json").status_code == 403


def test_verify_and_reject(persona, api, row):
    assert api.atasan.post(f"{URL}{row.pk}/verifikasi/", {"version": 1}, format="json").status_code == 403
    assert api.staf_bkpsdm.post(f"{URL}{row.pk}/tolak/", {"version": 1}, format="json").status_code == 400
    response = api.staf_bkpsdm.post(f"{URL}{row.pk}/tolak/", {"version": 1, "alasan": "Buram."}, format="json")
    assert response.status_code == 200
    assert response.json()["verifikasi"] == "ditolak" and response.json()["alasan_penolakan"] == "Buram."
    assert api.staf_bkpsdm.post(f"{URL}{row.pk}/verifikasi/", {"version": 2}, format="json").status_code == 409
    # The pegawai corrects it, which submits it again; a stale verification is refused.
    api.bawahan.patch(f"{URL}{row.pk}/", {"nomor": "K-0002", "version": 2}, format="json")
    assert api.staf_bkpsdm.post(f"{URL}{row.pk}/verifikasi/", {"version": 2}, format="json").status_code == 409
    response = api.staf_bkpsdm.post(f"{URL}{row.pk}/verifikasi/", {"version": 3}, format="json")
    assert response.status_code == 200 and response.json()["verifikasi"] == "terverifikasi"
    assert api.bawahan.delete(f"{URL}{row.pk}/").status_code == 409  # verified: staff only


def test_delete(api, row):
    assert api.bawahan.delete(f"{URL}{row.pk}/?version=9").status_code == 409
    assert api.bawahan.delete(f"{URL}{row.pk}/?version=1").status_code == 204
    assert not Sertifikasi.objects.exists()


def _many(org, persona, n):
    unit = UnitKerjaFactory(nama=f"Bidang {n}", parent=org.disdik, jenis="bidang")
    jabatan = JabatanFactory(nama=f"Pelaksana {n}", unit_kerja=unit)
    for i in range(n):
        pegawai = PegawaiFactory(jabatan=jabatan)
        services.sertifikasi_create(actor=persona.staf_bkpsdm, pegawai=pegawai, **data(nomor=f"N{n}-{i}"))


def test_the_list_issues_a_flat_number_of_queries(org, persona, api):
    _many(org, persona, 5)
    few = count_queries(lambda: api.staf_bkpsdm.get(URL + "?page_size=100"))
    _many(org, persona, 45)
    many = count_queries(lambda: api.staf_bkpsdm.get(URL + "?page_size=100"))
    assert few == many, (few, many)
