"""The pelatihan lists as files, and the training-record lists of apps/pelatihan/views_riwayat.py.

Each export holds exactly the rows the list shows with its filters (every page), stays within
the user's scope, and reads its rows in a fixed number of queries. The clock stands at
24 November 2026."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.pelatihan import exports as pelatihan_exports
from apps.pelatihan.models import RiwayatPelatihan

from ..factories import JabatanFactory, PegawaiFactory, PelatihanFactory, RiwayatPelatihanFactory, UnitKerjaFactory

DAFTAR = reverse("pelatihan:riwayat_daftar")
KATALOG = reverse("pelatihan:katalog")
REKAP = reverse("pelatihan:rekap_jp")
KURANG = reverse("pelatihan:rekap_jp_kurang")
KEBUTUHAN = reverse("pelatihan:kebutuhan")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        yield


def riwayat_pegawai_url(pegawai):
    return reverse("pelatihan:riwayat_pegawai", kwargs={"nip": pegawai.nip})


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def is_pdf(response):
    return response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.fixture
def records(org):
    """Training records of pemda A (staf, kabid, staf_dinkes) and of pemda B."""

    def rec(pegawai, tahun, bulan=6, **kwargs):
        return RiwayatPelatihanFactory(pegawai=pegawai, tanggal_selesai=dt.date(tahun, bulan, 12), **kwargs)

    return {
        "staf_2026": rec(org.staf, 2026, nama="Bimtek Dapodik", jp=10),
        "staf_2025": rec(org.staf, 2025, nama="Pelatihan Statistik", status="selesai", jenis_diklat=3, jp=24),
        "kabid_pka": rec(
            org.kabid,
            2025,
            9,
            nama="PKA Angkatan V",
            status="selesai",
            sumber="penugasan",
            jenis_diklat=1,
            jp=40,
            kepemimpinan="pka",
        ),  # fmt: skip
        "kabid_ditolak": rec(org.kabid, 2026, nama="Seminar Kurikulum", status="ditolak", sumber="mandiri"),
        "dinkes": rec(org.staf_dinkes, 2026, nama="Kursus Gizi", status="menunggu_verifikasi", sumber="mandiri"),
        "b": rec(org.pegawai_b, 2026, nama="Pelatihan Pemandu Wisata"),
    }


def names(rows):
    """The training names of the data rows of an export of the staff list (column 4)."""
    return {row[3] for row in rows[1:]}


# ---------------------------------------------------------------------------------------------
# The staff list of training records


@pytest.mark.parametrize(
    ("name", "status", "expected"),
    [
        ("staf_bkpsdm", 200, {"staf_2026", "staf_2025", "kabid_pka", "kabid_ditolak", "dinkes"}),
        ("staf_bkpsdm_b", 200, {"b"}),
        ("superuser", 200, {"staf_2026", "staf_2025", "kabid_pka", "kabid_ditolak", "dinkes", "b"}),
        ("atasan", 403, None),
        ("bawahan", 403, None),
        ("atasan_lain", 403, None),
        ("pegawai_b", 403, None),
    ],
)
def test_the_staff_list_shows_the_records_of_the_pegawai_the_user_manages(clients, records, name, status, expected):
    client = getattr(clients, name)
    response = client.get(DAFTAR)
    assert response.status_code == status
    assert client.get(DAFTAR, {"format": "csv"}).status_code == status
    if expected is None:
        return
    assert {r.pk for r in response.context["page"].object_list} == {records[key].pk for key in expected}
    assert names(csv_rows(client.get(DAFTAR, {"format": "csv"}))) == {records[key].nama for key in expected}
    page = response.content.decode()
    for key in expected:
        assert reverse("pelatihan:riwayat", kwargs={"pk": records[key].pk}) in page
        assert riwayat_pegawai_url(records[key].pegawai) in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda org: {"unit_kerja": org.bidang.pk}, {"staf_2026", "staf_2025", "kabid_pka", "kabid_ditolak"}),
        (lambda org: {"unit_kerja": org.disdik.pk}, {"staf_2026", "staf_2025", "kabid_pka", "kabid_ditolak"}),
        (lambda org: {"unit_kerja": org.dinkes.pk}, {"dinkes"}),
        (lambda org: {"unit_kerja": org.dinas_b.pk}, set()),  # another pemda's unit: nothing
        (lambda org: {"tahun": 2025}, {"staf_2025", "kabid_pka"}),
        (lambda org: {"status": "ditolak"}, {"kabid_ditolak"}),
        (lambda org: {"sumber": "mandiri"}, {"kabid_ditolak", "dinkes"}),
        (lambda org: {"jenis_diklat": 1}, {"kabid_pka"}),
        (lambda org: {"kepemimpinan": "pka"}, {"kabid_pka"}),
        (lambda org: {"diakui": "ya"}, {"staf_2026", "staf_2025", "kabid_pka"}),
        (lambda org: {"diakui": "tidak"}, {"kabid_ditolak", "dinkes"}),
        (lambda org: {"q": "Iqbal"}, {"staf_2026", "staf_2025"}),
        (lambda org: {"q": org.staf_dinkes.nip[:12]}, {"dinkes"}),
        (lambda org: {"unit_kerja": org.bidang.pk, "tahun": 2026, "diakui": "ya"}, {"staf_2026"}),
    ],
)
def test_each_filter_narrows_the_page_and_its_export_alike(org, clients, records, params, expected):
    params = params(org)
    response = clients.staf_bkpsdm.get(DAFTAR, params)
    assert response.status_code == 200
    assert {r.pk for r in response.context["page"].object_list} == {records[key].pk for key in expected}
    want = {records[key].nama for key in expected}
    assert names(csv_rows(clients.staf_bkpsdm.get(DAFTAR, {**params, "format": "csv"}))) == want
    assert {row[3] for row in xlsx_rows(clients.staf_bkpsdm.get(DAFTAR, {**params, "format": "xlsx"}))[1:]} == want


def test_the_export_holds_every_page_of_the_filtered_list(org, clients, records):
    for n in range(30):
        RiwayatPelatihanFactory(pegawai=org.staf, nama=f"Webinar {n:02d}", jenis_diklat=16, jalur="non_klasikal")
    params = {"unit_kerja": org.bidang.pk, "jenis_diklat": 16}
    page = clients.staf_bkpsdm.get(DAFTAR, params).context["page"]
    assert page.paginator.count == 30 and len(page.object_list) == 25
    rows = xlsx_rows(clients.staf_bkpsdm.get(DAFTAR, {**params, "format": "xlsx", "hal": 2}))
    assert rows[0][:5] == ["NIP", "Nama", "Unit kerja", "Pelatihan", "Jenis diklat"]
    assert len(rows) == 1 + 30 and {r[0] for r in rows[1:]} == {org.staf.nip}
    assert {r[3] for r in rows[1:]} == {f"Webinar {n:02d}" for n in range(30)}
    webinar = rows[1]
    assert webinar[4] == "E-Learning" and webinar[6] == "Non-klasikal" and webinar[9] == dt.datetime(2026, 6, 10)


def test_the_staff_list_exports_a_pdf_and_refuses_an_unknown_format(clients, records):
    response = clients.staf_bkpsdm.get(DAFTAR, {"status": "selesai", "format": "pdf"})
    assert is_pdf(response) and 'filename="riwayat-pelatihan-2026-11-24.pdf"' in response["Content-Disposition"]
    assert clients.staf_bkpsdm.get(DAFTAR, {"format": "docx"}).status_code == 404
    page = clients.staf_bkpsdm.get(DAFTAR, {"status": "selesai"}).content.decode()
    assert "format=xlsx" in page and "format=pdf" in page and "status=selesai" in page


def test_the_report_heading_names_the_filters_in_words(org, persona):
    from apps.core.exports import filter_summary
    from apps.pelatihan.views_riwayat import RiwayatDaftarFilter

    data = {"q": "Iqbal", "unit_kerja": org.bidang.pk, "tahun": "2025", "jenis_diklat": "1", "diakui": "tidak"}
    filterset = RiwayatDaftarFilter(data, queryset=RiwayatPelatihan.objects.manageable_by(persona.staf_bkpsdm))
    assert filter_summary(filterset) == (
        "Cari nama atau NIP pegawai: Iqbal; Unit kerja (beserta sub-unit): Bidang Pembinaan SD; Tahun selesai: 2025; "
        "Jenis diklat: Diklat Struktural; JP diakui: Tidak"
    )


def test_a_bad_filter_is_ignored_with_a_message_not_an_error(clients, records):
    response = clients.staf_bkpsdm.get(DAFTAR, {"tahun": "abc", "unit_kerja": "x", "status": "entah"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 5
    assert "Sebagian filter tidak valid" in response.content.decode()
    assert len(csv_rows(clients.staf_bkpsdm.get(DAFTAR, {"tahun": "abc", "format": "csv"}))) == 1 + 5


def test_the_staff_nav_links_to_the_list_and_others_do_not_see_it(clients):
    assert f'href="{DAFTAR}"' in clients.staf_bkpsdm.get(KATALOG).content.decode()
    assert f'href="{DAFTAR}"' not in clients.bawahan.get(KATALOG).content.decode()


# ---------------------------------------------------------------------------------------------
# One pegawai's training records


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("staf_bkpsdm", 200),
        ("superuser", 200),
        ("atasan", 200),
        ("bawahan", 200),
        ("staf_bkpsdm_b", 404),
        ("atasan_lain", 404),
        ("pegawai_b", 404),
    ],
)
def test_one_pegawais_records_are_for_whoever_sees_the_pegawai(org, clients, records, name, status):
    client = getattr(clients, name)
    url = riwayat_pegawai_url(org.staf)
    response = client.get(url)
    assert response.status_code == status
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(url, {"format": fmt}).status_code == status
    if status == 200:
        assert {r.pk for r in response.context["page"].object_list} == {
            records["staf_2026"].pk,
            records["staf_2025"].pk,
        }
        assert reverse("pelatihan:riwayat", kwargs={"pk": records["staf_2026"].pk}) in response.content.decode()


def test_an_unknown_nip_is_404(clients):
    assert clients.superuser.get(reverse("pelatihan:riwayat_pegawai", kwargs={"nip": "1" * 18})).status_code == 404


def test_the_jp_per_year_counts_confirmed_records_and_shows_this_year(org, clients, records):
    RiwayatPelatihanFactory(pegawai=org.staf, tanggal_selesai=dt.date(2026, 2, 1), jp=4, status="ditolak")
    response = clients.atasan.get(riwayat_pegawai_url(org.staf))
    per_tahun = [(t["tahun"], t["jumlah"], t["total"], t["kurang"]) for t in response.context["per_tahun"]]
    assert per_tahun == [(2026, 1, 10, 10), (2025, 1, 24, 0)]
    page = response.content.decode()
    assert "Kurang 10 JP" in page and "Memenuhi" in page
    # The kabid's only confirmed training ended in 2025: this year shows with 0 JP.
    per_tahun = clients.staf_bkpsdm.get(riwayat_pegawai_url(org.kabid)).context["per_tahun"]
    assert [(t["tahun"], t["total"]) for t in per_tahun] == [(2026, 0), (2025, 40)]


def test_one_pegawais_export_follows_the_year_and_holds_only_their_records(org, clients, records):
    url = riwayat_pegawai_url(org.staf)
    rows = csv_rows(clients.bawahan.get(url, {"format": "csv"}))
    assert rows[0][:2] == ["Tahun", "Pelatihan"] and "NIP" not in rows[0]
    assert sorted((r[0], r[1]) for r in rows[1:]) == [("2025", "Pelatihan Statistik"), ("2026", "Bimtek Dapodik")]
    response = clients.bawahan.get(url, {"tahun": 2025})
    assert [r.pk for r in response.context["page"].object_list] == [records["staf_2025"].pk]
    rows = xlsx_rows(clients.bawahan.get(url, {"tahun": 2025, "format": "xlsx"}))
    assert [r[1] for r in rows[1:]] == ["Pelatihan Statistik"]
    for bad in ("abc", 1800):
        assert clients.bawahan.get(url, {"tahun": bad}).context["page"].paginator.count == 2
    response = clients.bawahan.get(url, {"format": "pdf"})
    assert is_pdf(response) and f"riwayat-pelatihan-{org.staf.nip}-" in response["Content-Disposition"]
    assert clients.bawahan.get(url, {"format": "exe"}).status_code == 404


def test_the_pegawai_detail_panel_links_to_the_records_page(org, clients):
    url = riwayat_pegawai_url(org.staf)
    for client in (clients.staf_bkpsdm, clients.atasan, clients.bawahan):
        assert f'href="{url}"' in client.get(reverse("pegawai:detail", kwargs={"nip": org.staf.nip})).content.decode()


# ---------------------------------------------------------------------------------------------
# The catalogue


def test_the_catalogue_exports_its_filtered_trainings_within_the_instansi(org, clients):
    for n in range(3):
        PelatihanFactory(instansi=org.pemda, nama=f"Pelatihan Teknis A{n}")
    PelatihanFactory(instansi=org.pemda, nama="PKP Angkatan I", jenis_diklat=1, kepemimpinan="pkp")
    PelatihanFactory(instansi=org.pemda_b, nama="Pelatihan Pariwisata")
    rows = csv_rows(clients.bawahan.get(KATALOG, {"format": "csv"}))
    assert rows[0][:3] == ["Pelatihan", "Jenis diklat", "Jalur"]
    assert {r[0] for r in rows[1:]} == {
        "Pelatihan Teknis A0",
        "Pelatihan Teknis A1",
        "Pelatihan Teknis A2",
        "PKP Angkatan I",
    }
    assert clients.bawahan.get(KATALOG).context["page"].paginator.count == len(rows) - 1
    rows = xlsx_rows(clients.staf_bkpsdm.get(KATALOG, {"jenis_diklat": 1, "format": "xlsx"}))
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("PKP Angkatan I", "Diklat Struktural", "PKP – Pelatihan Kepemimpinan Pengawas (dahulu Diklatpim IV)")
    ]
    assert [r[0] for r in csv_rows(clients.pegawai_b.get(KATALOG, {"format": "csv"}))[1:]] == ["Pelatihan Pariwisata"]
    assert is_pdf(clients.staf_bkpsdm.get(KATALOG, {"terbuka": "on", "format": "pdf"}))
    assert clients.staf_bkpsdm.get(KATALOG, {"format": "html"}).status_code == 404
    assert "format=csv" in clients.staf_bkpsdm.get(KATALOG).content.decode()


def test_the_catalogue_summary_names_the_filters_in_words(db):
    from apps.pelatihan import forms
    from apps.pelatihan.models import Penyelenggara

    form = forms.KatalogFilterForm(
        {"q": "data", "jenis_diklat": "1", "jalur": "klasikal", "terbuka": ""},
        penyelenggara=Penyelenggara.objects.none(),
        tahun_choices=[2026],
    )
    from apps.core.exports import filter_summary

    assert filter_summary(form) == ("Cari nama pelatihan: data; Jenis diklat: Diklat Struktural; Jalur: Klasikal")


# ---------------------------------------------------------------------------------------------
# The 20 JP report and the list of pegawai under 20 JP


def test_the_list_under_20_jp_exports_exactly_its_rows(org, clients, records):
    RiwayatPelatihanFactory(pegawai=org.kadis, jp=20)
    response = clients.staf_bkpsdm.get(KURANG)
    expected = {p.nip for p in response.context["page"].object_list}
    assert expected == {org.kabid.nip, org.staf.nip, org.kadinkes.nip, org.staf_dinkes.nip, org.analis.nip}
    rows = csv_rows(clients.staf_bkpsdm.get(KURANG, {"format": "csv"}))
    assert rows[0] == ["NIP", "Nama", "Unit kerja", "Jabatan", "JP diakui", "Kekurangan JP"]
    assert {r[0] for r in rows[1:]} == expected
    assert [r[4:] for r in rows[1:] if r[0] == org.staf.nip] == [["10", "10"]]
    rows = xlsx_rows(clients.staf_bkpsdm.get(KURANG, {"unit": org.bidang.pk, "format": "xlsx"}))
    assert {r[0] for r in rows[1:]} == {org.kabid.nip, org.staf.nip}
    rows = xlsx_rows(clients.staf_bkpsdm.get(KURANG, {"tahun": 2025, "format": "xlsx"}))
    assert org.kabid.nip not in {r[0] for r in rows[1:]} and org.staf.nip not in {r[0] for r in rows[1:]}
    assert {r[0] for r in csv_rows(clients.staf_bkpsdm_b.get(KURANG, {"format": "csv"}))[1:]} == {org.pegawai_b.nip}
    assert is_pdf(clients.staf_bkpsdm.get(KURANG, {"format": "pdf"}))
    assert clients.staf_bkpsdm.get(KURANG, {"format": "zip"}).status_code == 404
    assert clients.staf_bkpsdm.get(KURANG, {"unit": org.dinas_b.pk, "format": "csv"}).status_code == 404
    for name in ("atasan", "bawahan", "pegawai_b"):
        assert getattr(clients, name).get(KURANG, {"format": "csv"}).status_code == 403


def test_the_rekap_per_unit_exports_its_rows_and_the_pdf_adds_the_total(org, clients, records):
    page = clients.staf_bkpsdm.get(REKAP)
    shown = [(r.unit.nama, r.jumlah_pegawai, r.memenuhi, r.kurang) for r in page.context["rows"]]
    rows = xlsx_rows(clients.staf_bkpsdm.get(REKAP, {"format": "xlsx"}))
    assert rows[0][:4] == ["Unit kerja", "Pegawai aktif", "Memenuhi 20 JP", "Kurang 20 JP"]
    assert [tuple(r[:4]) for r in rows[1:]] == shown
    assert {r[0] for r in rows[1:]} == {"Dinas Pendidikan", "Dinas Kesehatan", "BKPSDM"}
    rows = csv_rows(clients.staf_bkpsdm.get(REKAP, {"unit": org.disdik.pk, "format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Dinas Pendidikan (pegawai langsung di unit ini)", "Bidang Pembinaan SD"]
    assert [r[0] for r in csv_rows(clients.staf_bkpsdm_b.get(REKAP, {"format": "csv"}))[1:]] == ["Dinas Pariwisata"]
    response = clients.staf_bkpsdm.get(REKAP, {"format": "pdf"})
    assert is_pdf(response) and 'filename="rekap-jp-2026-' in response["Content-Disposition"]
    assert clients.atasan.get(REKAP, {"format": "pdf"}).status_code == 403


def test_the_rekap_total_row_reads_jumlah():
    from apps.pelatihan.selectors import RekapUnit

    total = RekapUnit(unit=None, jumlah_pegawai=4, kurang=1, total_jp=50)
    total.is_total = True
    assert [c.read(total) for c in pelatihan_exports.REKAP_JP_COLUMNS[:6]] == ["Jumlah", 4, 3, 1, 75.0, 12.5]


# ---------------------------------------------------------------------------------------------
# Training needs


def test_each_needs_tab_exports_the_need_detail_of_all_its_pegawai(org, clients, records):
    response = clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "jp"})
    count = {kind: n for kind, _label, n in response.context["tabs"]}["jp"]
    rows = csv_rows(clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "jp", "format": "csv"}))
    assert rows[0][:2] == ["NIP", "Nama"] and "Pelatihan yang dianjurkan" in rows[0]
    assert len(rows) == 1 + count == 1 + 6
    staf = next(r for r in rows[1:] if r[0] == org.staf.nip)
    assert staf[rows[0].index("JP diakui tahun ini")] == "10" and staf[rows[0].index("Kekurangan JP")] == "10"

    rows = xlsx_rows(clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "kepemimpinan", "format": "xlsx"}))
    lacking = {r[0]: r[rows[0].index("Pelatihan kepemimpinan yang belum diikuti")] for r in rows[1:]}
    assert set(lacking) == {org.kadis.nip, org.kadinkes.nip}  # the kabid holds the PKA
    assert lacking[org.kadis.nip].startswith("PKN Tingkat II")

    rows = csv_rows(clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "jp", "q": "Iqbal", "format": "csv"}))
    assert [r[0] for r in rows[1:]] == [org.staf.nip]
    rows = csv_rows(clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "jp", "unit_kerja": org.dinkes.pk, "format": "csv"}))
    assert {r[0] for r in rows[1:]} == {org.kadinkes.nip, org.staf_dinkes.nip}
    assert is_pdf(clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "kepemimpinan", "format": "pdf"}))
    assert clients.staf_bkpsdm.get(KEBUTUHAN, {"format": "odt"}).status_code == 404
    page = clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "jp"}).content.decode()
    assert "format=xlsx" in page and "jenis=jp" in page


def test_the_needs_export_follows_the_scope(org, clients, records):
    # The kabid sees their subordinates' needs (read only); a pegawai without any and another pemda do not.
    rows = csv_rows(clients.atasan.get(KEBUTUHAN, {"jenis": "jp", "format": "csv"}))
    assert {r[0] for r in rows[1:]} == {org.staf.nip}
    rows = csv_rows(clients.staf_bkpsdm_b.get(KEBUTUHAN, {"jenis": "jp", "format": "csv"}))
    assert {r[0] for r in rows[1:]} == {org.pegawai_b.nip}
    for name in ("bawahan", "pegawai_b"):
        assert getattr(clients, name).get(KEBUTUHAN, {"jenis": "jp", "format": "csv"}).status_code == 403


def test_the_needs_are_worked_out_in_chunks_with_the_same_result(org, clients, records, monkeypatch):
    whole = csv_rows(clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "jp", "format": "csv"}))
    monkeypatch.setattr(pelatihan_exports, "KEBUTUHAN_CHUNK", 2)
    calls = []
    real = pelatihan_exports.selectors.kebutuhan_detail
    monkeypatch.setattr(
        pelatihan_exports.selectors,
        "kebutuhan_detail",
        lambda batch, **kw: calls.append(len(batch)) or real(batch, **kw),
    )
    chunked = csv_rows(clients.staf_bkpsdm.get(KEBUTUHAN, {"jenis": "jp", "format": "csv"}))
    assert chunked == whole and calls == [2, 2, 2]


# ---------------------------------------------------------------------------------------------
# Query counts: an export reads its rows in a fixed number of queries, whatever their number


def _many(org, n):
    """``n`` active pegawai in a new bidang of Disdik, each with a confirmed 2026 record of 5 JP,
    and a catalogue training of pemda A."""
    unit = UnitKerjaFactory(nama=f"Bidang {n}", parent=org.disdik, jenis="bidang")
    jabatan = JabatanFactory(nama=f"Pelaksana {n}", unit_kerja=unit, atasan=org.j_kabid)
    PelatihanFactory(instansi=org.pemda)
    for _ in range(n):
        RiwayatPelatihanFactory(pegawai=PegawaiFactory(jabatan=jabatan), jp=5)


def _queries(client, path, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and body
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (DAFTAR, {"format": "csv"}),
        (DAFTAR, {"format": "xlsx", "diakui": "ya"}),
        (DAFTAR, {}),
        (KATALOG, {"format": "csv"}),
        (KURANG, {"format": "csv"}),
        (REKAP, {"format": "csv"}),
        (KEBUTUHAN, {"jenis": "jp", "format": "csv"}),
        (KEBUTUHAN, {"jenis": "kepemimpinan", "format": "xlsx"}),
    ],
)
def test_the_exports_issue_a_flat_number_of_queries(org, clients, path, params):
    _many(org, 5)
    few = _queries(clients.staf_bkpsdm, path, params)
    _many(org, 50)
    assert _queries(clients.staf_bkpsdm, path, params) == few


@pytest.mark.parametrize("params", [{}, {"format": "csv"}, {"tahun": 2026}])
def test_one_pegawais_page_and_export_issue_a_flat_number_of_queries(org, clients, params):
    url = riwayat_pegawai_url(org.staf)
    for n in range(5):
        RiwayatPelatihanFactory(pegawai=org.staf, tanggal_selesai=dt.date(2022 + n, 3, 1))
    few = _queries(clients.atasan, url, params)
    for n in range(45):
        RiwayatPelatihanFactory(pegawai=org.staf, tanggal_selesai=dt.date(2015 + n % 12, 3, 1))
    assert _queries(clients.atasan, url, params) == few
    assert RiwayatPelatihan.objects.filter(pegawai=org.staf).count() == 50
