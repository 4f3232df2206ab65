"""The karier lists as files, on the worked examples of test_pages.py (frozen on 1 March 2026):
each export holds exactly the rows of the filtered list (every page, with the reasons worked out
per chunk), stays within the user's scope, and reads its rows in a fixed number of queries."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.karier import exports as karier_exports
from apps.penilaian.models import Predikat
from tests.factories import JabatanFactory, PegawaiFactory

from .test_eligibility import final_skp, naik
from .test_pages import TODAY, _complete_kabid, kgb, kp, pensiun, talenta  # noqa: F401 - the fixtures
from .test_talent import assess, standar  # noqa: F401 - the fixture

KP = reverse("karier:kenaikan_pangkat")
KGB = reverse("karier:kgb")
PENSIUN = reverse("karier:pensiun")
SUKSESI = reverse("karier:suksesi")


def kotak_url(n):
    return reverse("karier:talenta_kotak", kwargs={"kotak": n})


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(response):
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def page_nips(response):
    return [row.pegawai.nip for row in response.context["baris"]]


def is_pdf(response):
    return response.status_code == 200 and response.content.startswith(b"%PDF-")


# ---------------------------------------------------------------------------------------------
# Kenaikan pangkat


def test_the_kp_export_holds_each_group_with_its_reasons(org, clients, kp):  # noqa: F811 - the fixture imported above
    rows = csv_rows(clients.staf_bkpsdm.get(KP, {"format": "csv"}))
    assert rows[0][:4] == ["NIP", "Nama", "Unit kerja", "Jabatan"]
    assert "SKP 2024" in rows[0] and "SKP 2025" in rows[0]
    assert column(rows, "NIP") == [org.staf.nip]
    assert column(rows, "Golongan") == ["III/b"] and column(rows, "Golongan berikut") == ["III/c"]
    assert column(rows, "SKP 2024") == ["Baik"] and column(rows, "Keterangan") == ["Memenuhi syarat"]

    page = clients.staf_bkpsdm.get(KP, {"status": "belum"})
    rows = xlsx_rows(clients.staf_bkpsdm.get(KP, {"status": "belum", "format": "xlsx"}))
    assert column(rows, "NIP") == page_nips(page) and len(page_nips(page)) == 4
    alasan = dict(zip(column(rows, "NIP"), column(rows, "Alasan"), strict=True))
    assert "SKP tahun 2024 tidak ada." in alasan[org.kadis.nip]
    assert "Pangkat akan melebihi pangkat atasan (Rahmawati, III/a)." in alasan[org.staf_dinkes.nip]
    assert set(column(rows, "Keterangan")) == {"Belum memenuhi"}


def test_the_kp_export_follows_the_filters_and_the_scope(org, clients, kp):  # noqa: F811 - the fixture imported above
    semua = {"status": "semua", "format": "csv"}
    assert len(csv_rows(clients.staf_bkpsdm.get(KP, semua))) == 1 + 5
    dinkes = column(csv_rows(clients.staf_bkpsdm.get(KP, {**semua, "unit_kerja": org.dinkes.pk})), "NIP")
    assert sorted(dinkes) == sorted([org.kadinkes.nip, org.staf_dinkes.nip])
    assert column(csv_rows(clients.staf_bkpsdm.get(KP, {**semua, "q": "zulfi"})), "NIP") == [org.staf_dinkes.nip]
    assert column(csv_rows(clients.staf_bkpsdm_b.get(KP, semua)), "NIP") == [org.pegawai_b.nip]
    assert len(csv_rows(clients.superuser.get(KP, semua))) == 1 + 6
    # A later period changes the answer and the SKP years of the header.
    rows = csv_rows(clients.staf_bkpsdm.get(KP, {**semua, "periode": "2027-04-01"}))
    assert org.kabid.nip in column(rows, "NIP") and "SKP 2026" in rows[0]
    for name in ("atasan", "bawahan", "atasan_lain", "pegawai_b"):
        assert getattr(clients, name).get(KP, semua).status_code == 403


def test_the_kp_report_pdf_and_the_answers_to_bad_requests(org, clients, kp):  # noqa: F811 - the fixture imported above
    response = clients.staf_bkpsdm.get(KP, {"status": "semua", "format": "pdf"})
    assert is_pdf(response) and 'filename="kenaikan-pangkat-2026-04-01-' in response["Content-Disposition"]
    assert clients.staf_bkpsdm.get(KP, {"format": "exe"}).status_code == 404
    # An invalid filter shows the page with its error, not a file.
    response = clients.staf_bkpsdm.get(KP, {"unit_kerja": org.dinas_b.pk, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Unit kerja tidak ditemukan dalam lingkup Anda." in response.content.decode()
    page = clients.staf_bkpsdm.get(KP, {"status": "belum"}).content.decode()
    assert "format=pdf" in page and "status=belum" in page


def test_the_kp_export_holds_every_page_worked_out_in_chunks(org, clients, kp, monkeypatch):  # noqa: F811 - the fixture imported above
    for i in range(30):
        PegawaiFactory(nama=f"Kandidat {i:02d}", jabatan=org.j_staf_dinkes)
    assert len(page_nips(clients.staf_bkpsdm.get(KP, {"status": "belum"}))) == 25
    whole = csv_rows(clients.staf_bkpsdm.get(KP, {"status": "belum", "format": "csv"}))
    assert len(whole) == 1 + 34
    monkeypatch.setattr(karier_exports, "CHUNK", 8)
    sizes = []
    real = karier_exports.selectors.kp_baris
    monkeypatch.setattr(
        karier_exports.selectors, "kp_baris", lambda batch, periode: sizes.append(len(batch)) or real(batch, periode)
    )
    assert csv_rows(clients.staf_bkpsdm.get(KP, {"status": "belum", "format": "csv"})) == whole
    assert sizes == [8, 8, 8, 8, 2]


# ---------------------------------------------------------------------------------------------
# KGB and pensiun


def test_the_kgb_export_holds_the_window_with_what_holds_it_back(org, clients, kgb):  # noqa: F811 - the fixture imported above
    rows = csv_rows(clients.staf_bkpsdm.get(KGB, {"format": "csv"}))
    assert column(rows, "NIP") == [org.staf.nip, org.staf_dinkes.nip]
    assert column(rows, "Tanggal KGB") == ["2026-04-01", "2026-05-15"]
    assert column(rows, "Masa kerja golongan") == ["6 th 0 bl", "4 th 0 bl"]
    assert column(rows, "Ditunda") == ["Tidak", "Ya"] and column(rows, "Tanggal setelah ditunda") == ["", "2027-05-15"]
    assert column(rows, "Hukuman disiplin")[1].startswith("Penundaan kenaikan gaji berkala selama 1 tahun")
    six = xlsx_rows(clients.staf_bkpsdm.get(KGB, {"dalam": 6, "format": "xlsx"}))
    assert column(six, "NIP") == [org.staf.nip, org.staf_dinkes.nip, org.kadinkes.nip]
    assert len(csv_rows(clients.staf_bkpsdm_b.get(KGB, {"dalam": 12, "format": "csv"}))) == 1
    # Data, not a report: no PDF.
    assert clients.staf_bkpsdm.get(KGB, {"format": "pdf"}).status_code == 404
    assert clients.atasan.get(KGB, {"format": "csv"}).status_code == 403
    page = clients.staf_bkpsdm.get(KGB).content.decode()
    assert "format=xlsx" in page and "format=pdf" not in page


def test_the_bup_export_and_report(org, clients, pensiun):  # noqa: F811 - the fixture imported above
    page = clients.staf_bkpsdm.get(PENSIUN)
    rows = xlsx_rows(clients.staf_bkpsdm.get(PENSIUN, {"format": "xlsx"}))
    assert column(rows, "NIP") == page_nips(page) == [pensiun[k].nip for k in ("maret", "juli", "oktober", "pppk")]
    assert column(rows, "BUP (tahun)") == [58, 58, 60, "PPPK"]
    assert column(rows, "Tanggal pensiun / akhir perjanjian kerja")[2:] == [
        dt.datetime(2026, 10, 1),
        dt.datetime(2026, 12, 31),
    ]
    later = csv_rows(clients.staf_bkpsdm.get(PENSIUN, {"dalam": 24, "format": "csv"}))
    assert column(later, "NIP")[-1] == pensiun["nanti"].nip and len(later) == 1 + 5
    assert column(csv_rows(clients.staf_bkpsdm_b.get(PENSIUN, {"format": "csv"})), "NIP") == [pensiun["b"].nip]
    assert is_pdf(clients.staf_bkpsdm.get(PENSIUN, {"format": "pdf"}))
    assert clients.bawahan.get(PENSIUN, {"format": "pdf"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# Talent matrix and succession


def test_a_box_exports_its_pegawai_with_predikat_and_jpm(org, clients, talenta):  # noqa: F811 - the fixture imported above
    rows = csv_rows(clients.staf_bkpsdm.get(kotak_url(9), {"format": "csv"}))
    assert [(r[0], r[5], r[6]) for r in rows[1:]] == [(org.staf.nip, "Sangat Baik", "100.0")]
    rows = xlsx_rows(clients.staf_bkpsdm.get(kotak_url(5), {"format": "xlsx"}))
    assert column(rows, "NIP") == [org.staf_dinkes.nip]
    assert len(csv_rows(clients.staf_bkpsdm_b.get(kotak_url(9), {"format": "csv"}))) == 1
    assert len(csv_rows(clients.staf_bkpsdm.get(kotak_url(9), {"unit_kerja": org.dinkes.pk, "format": "csv"}))) == 1
    assert clients.staf_bkpsdm.get(kotak_url(9), {"format": "pdf"}).status_code == 404
    assert clients.atasan.get(kotak_url(9), {"format": "csv"}).status_code == 403


def test_succession_exports_a_row_per_candidate_of_every_jabatan(org, persona, clients, talenta):  # noqa: F811 - the fixture imported above
    _complete_kabid(persona, org)
    rows = csv_rows(clients.staf_bkpsdm.get(SUKSESI, {"format": "csv"}))
    by_jabatan = {}
    for row in rows[1:]:
        by_jabatan.setdefault(row[0], []).append(row)
    kadis = by_jabatan[org.j_kadis.nama]
    assert [(r[4], r[7], r[13]) for r in kadis] == [(org.kadis.nip, org.kabid.nip, "Tidak")]  # holder, candidate
    assert kadis[0][3] == "PKN Tingkat II"
    assert [(r[5], r[7]) for r in by_jabatan[org.j_kabid.nama]] == [(org.kabid.nama_lengkap, "")]  # no candidate
    assert org.j_staf.nama not in by_jabatan  # not managerial
    other = csv_rows(clients.staf_bkpsdm_b.get(SUKSESI, {"format": "csv"}))
    assert len(other) == 1
    dinkes = csv_rows(clients.staf_bkpsdm.get(SUKSESI, {"unit_kerja": org.dinkes.pk, "format": "csv"}))
    assert {r[0] for r in dinkes[1:]} == {org.j_kadinkes.nama}
    assert clients.staf_bkpsdm.get(SUKSESI, {"format": "pdf"}).status_code == 404
    # Every jabatan, not the ten of a page.
    for i in range(15):
        jabatan = JabatanFactory(nama=f"Kepala Seksi {i:02d}", jenis="pengawas", eselon="41", unit_kerja=org.bidang)
        PegawaiFactory(nama=f"Kasi {i:02d}", jabatan=jabatan)
    rows = xlsx_rows(clients.staf_bkpsdm.get(SUKSESI, {"format": "xlsx"}))
    assert len({r[0] for r in rows[1:]}) == len(by_jabatan) + 15


# ---------------------------------------------------------------------------------------------
# Query counts


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body
    return len(ctx.captured_queries)


def _flat(client, url, params, grow):
    few = _queries(client, url, params)
    grow()
    assert _queries(client, url, params) == few


def test_the_kp_export_queries_do_not_grow_with_the_rows(org, clients, kp):  # noqa: F811 - the fixture imported above
    def grow():
        for i in range(45):
            PegawaiFactory(nama=f"Kandidat {i:02d}", jabatan=org.j_staf_dinkes)

    _flat(clients.staf_bkpsdm, KP, {"status": "belum", "format": "csv"}, grow)


def test_the_kgb_export_queries_do_not_grow_with_the_rows(org, clients, kgb):  # noqa: F811 - the fixture imported above
    def grow():
        for i in range(45):
            naik(PegawaiFactory(nama=f"KGB {i:02d}", jabatan=org.j_staf_dinkes), "III/b", dt.date(2020, 4, 1))

    _flat(clients.staf_bkpsdm, KGB, {"format": "csv"}, grow)


def test_the_bup_export_queries_do_not_grow_with_the_rows(org, clients, pensiun):  # noqa: F811 - the fixture imported above
    def grow():
        for i in range(45):
            PegawaiFactory(nama=f"Pensiun {i:02d}", jabatan=org.j_staf_dinkes, tanggal_lahir=dt.date(1968, 5, 1))

    _flat(clients.staf_bkpsdm, PENSIUN, {"format": "csv"}, grow)


def test_the_box_and_succession_exports_queries_do_not_grow_with_the_rows(org, persona, clients, talenta):  # noqa: F811 - the fixture imported above
    _complete_kabid(persona, org)
    box, suksesi = (kotak_url(9), {"format": "csv"}), (SUKSESI, {"format": "csv"})
    few = [_queries(clients.staf_bkpsdm, *box), _queries(clients.staf_bkpsdm, *suksesi)]
    for i in range(45):
        pegawai = PegawaiFactory(nama=f"Talenta {i:02d}", jabatan=org.j_staf)
        assess(persona.staf_bkpsdm, pegawai, {"M.01": 3, "M.02": 3, "M.04": 4})
        final_skp(persona.staf_bkpsdm, pegawai, 2025, Predikat.SANGAT_BAIK)
        jabatan = JabatanFactory(nama=f"Kepala Seksi {i:02d}", jenis="pengawas", eselon="41", unit_kerja=org.bidang)
        PegawaiFactory(nama=f"Kasi {i:02d}", jabatan=jabatan)
    assert len(csv_rows(clients.staf_bkpsdm.get(*box))) == 1 + 46
    assert [_queries(clients.staf_bkpsdm, *box), _queries(clients.staf_bkpsdm, *suksesi)] == few
