"""Exports of a list: exactly the filtered rows, every page, in XLSX, CSV and PDF; within scope."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from apps.pegawai.models import Pegawai
from tests.factories import PegawaiFactory

URL = reverse("pegawai:list")


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_xlsx_holds_exactly_the_filtered_rows_of_every_page(clients, org):
    for n in range(30):  # more than one page
        PegawaiFactory(nama=f"Guru {n:02d}", jabatan=org.j_staf)
    response = clients.staf_bkpsdm.get(URL, {"unit_kerja": org.bidang.pk, "format": "xlsx"})
    rows = xlsx_rows(response)
    expected = Pegawai.objects.filter(unit_kerja=org.bidang).count()
    assert expected == 32  # kabid, staf and the 30
    assert rows[0][:3] == ["NIP", "Nama", "Jenis ASN"]
    assert len(rows) == 1 + expected
    assert {r[0] for r in rows[1:]} == set(Pegawai.objects.filter(unit_kerja=org.bidang).values_list("nip", flat=True))
    assert 'filename="pegawai-' in response["Content-Disposition"]


def test_csv_follows_the_search_and_keeps_out_personal_data(clients, org):
    rows = csv_rows(clients.staf_bkpsdm.get(URL, {"q": "Iqbal", "format": "csv"}))
    assert [r[0] for r in rows[1:]] == [org.staf.nip]
    header = rows[0]
    assert "NIK" not in header and "Tanggal lahir" not in header and "Alamat" not in header


def test_exports_stay_in_scope(clients, org):
    atasan = {r[0] for r in csv_rows(clients.atasan.get(URL, {"format": "csv"}))[1:]}
    assert atasan == {org.kabid.nip, org.staf.nip}
    other = {r[0] for r in csv_rows(clients.staf_bkpsdm_b.get(URL, {"format": "csv"}))[1:]}
    assert other == {org.pegawai_b.nip}


def test_a_cell_that_looks_like_a_formula_is_neutralised(clients, org):
    PegawaiFactory(nama='=HYPERLINK("http://x")', jabatan=org.j_staf)
    rows = csv_rows(clients.staf_bkpsdm.get(URL, {"q": "HYPERLINK", "format": "csv"}))
    assert rows[1][1].startswith("'=")


def test_pdf_report_and_unknown_format(clients, org):
    response = clients.staf_bkpsdm.get(URL, {"unit_kerja": org.bidang.pk, "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert clients.staf_bkpsdm.get(URL, {"format": "exe"}).status_code == 404
    page = clients.staf_bkpsdm.get(URL, {"unit_kerja": org.bidang.pk}).text
    assert "format=xlsx" in page and f"unit_kerja={org.bidang.pk}" in page


def test_skp_and_certificate_lists_export_their_filtered_rows(clients, org, persona, skp):
    from apps.penilaian.models import Penilaian

    rows = xlsx_rows(clients.staf_bkpsdm.get(reverse("penilaian:daftar"), {"q": "Iqbal", "format": "xlsx"}))
    assert [r[1] for r in rows[1:]] == [org.staf.nip]
    assert rows[0][-1] == "Jabatan penilai" and rows[1][-4] == org.kabid.nip
    assert Penilaian.objects.count() == 1
    assert clients.atasan.get(reverse("penilaian:daftar"), {"format": "csv"}).status_code in (403, 404)

    from apps.sertifikasi import services as sertifikasi_services

    for n, pegawai in enumerate((org.staf, org.kabid)):
        sertifikasi_services.sertifikasi_create(
            actor=persona.staf_bkpsdm, pegawai=pegawai, jenis="kompetensi", nama=f"Sertifikat {n}",
            penerbit="LSP", nomor=f"N-{n}", tanggal_terbit="2025-01-01",
        )  # fmt: skip
    url = reverse("sertifikasi:daftar")
    rows = csv_rows(clients.staf_bkpsdm.get(url, {"unit_kerja": org.bidang.pk, "q": "Iqbal", "format": "csv"}))
    assert [(r[0], r[4]) for r in rows[1:]] == [(org.staf.nip, "Sertifikat 0")]
    assert clients.staf_bkpsdm.get(url, {"format": "pdf"}).content.startswith(b"%PDF-")


def test_any_title_makes_a_sheet_and_filters_read_as_words(rf):
    from apps.core import exports

    columns = [exports.Column("Nama", "nama"), exports.Column("Jumlah", "n")]
    rows = [{"nama": "Dinas: Pendidikan", "n": 3}]
    response = exports.export_response(rows, columns, "xlsx", filename="x", title="Rekap: JP / unit [2026]?*")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sheet.title == "Rekap- JP - unit -2026---"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [["Nama", "Jumlah"], ["Dinas: Pendidikan", 3]]

    import django_filters

    class F(django_filters.FilterSet):
        aktif = django_filters.BooleanFilter(label="Aktif")
        lama = django_filters.BooleanFilter(label="Lama")
        jenis = django_filters.ChoiceFilter(choices=[(3, "Diklat Teknis")], label="Jenis diklat")

        class Meta:
            model = Pegawai
            fields = []

    summary = exports.filter_summary(
        F({"aktif": "true", "lama": "false", "jenis": "3"}, queryset=Pegawai.objects.none())
    )
    assert summary == "Aktif: ya; Jenis diklat: Diklat Teknis"
