"""One SKP through the whole year, as the pegawai and the atasan see it in the browser."""

import re

import pytest

from apps.penilaian.models import Penilaian, Predikat, Realisasi, Status
from apps.standar_kinerja import services as standar_services

from ..conftest import PASSWORD
from .conftest import login

# The live server runs in another thread: the data must be committed. The flush after each
# test takes the reference rows along; the ``org`` fixture puts them back.
pytestmark = pytest.mark.django_db(transaction=True)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in_as(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/penilaian/")


def press_step(page, step):
    with page.expect_navigation():
        page.locator(f"button[data-step={step}]").click()


def test_one_skp_goes_through_the_whole_year(page, live_server, org, persona, periode, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    standar_services.indikator_save_all(
        actor=None,
        jabatan=org.j_staf,
        rows=[
            {
                "uraian": "Tersedianya data pokok pendidikan yang mutakhir",
                "indikator": "Persentase sekolah dengan data Dapodik mutakhir",
                "aspek": "kualitas",
                "target": 95,
                "satuan": "persen",
            },
        ],
    )
    staf, kabid = org.staf.nip, org.kabid.nip

    # --- Planning: the pegawai starts the SKP, adjusts the target and submits.
    sign_in_as(page, live_server, staf)
    page.wait_for_url("**/penilaian/saya/")
    with page.expect_navigation():
        page.get_by_role("button", name="Mulai SKP 2026").click()
    skp = Penilaian.objects.get(pegawai=org.staf, periode=periode)
    skp_url = f"{live_server.url}/penilaian/{skp.pk}/"
    assert page.url == skp_url
    assert page.locator("#skp-status").inner_text().strip() == "Draf"
    row = page.locator("tr.row-edit").first
    row.locator("summary").click()
    row.locator("input[name=target]").fill("97")
    with page.expect_navigation():
        row.get_by_role("button", name="Simpan baris").click()
    assert "Rencana hasil kerja diubah." in page.locator(".messages").inner_text()
    assert "97 persen" in page.locator("#rencana").inner_text()
    press_step(page, "ajukan")
    assert page.locator("#skp-status").inner_text().strip() == "Diajukan"

    # --- The atasan sees it waiting and returns it with a note.
    sign_in_as(page, live_server, kabid)
    page.wait_for_url("**/penilaian/bawahan/")
    waiting = page.locator("[data-menunggu=diajukan] .await-count")
    assert waiting.inner_text().strip() == "1"
    page.get_by_role("link", name="Muhammad Iqbal").click()
    page.wait_for_url(skp_url)
    page.fill("#id_kembalikan_catatan", "Tambahkan hasil kerja verifikasi data guru.")
    with page.expect_navigation():
        page.get_by_role("button", name="Kembalikan rencana").click()
    assert page.locator("#skp-status").inner_text().strip() == "Dikembalikan"

    # --- The pegawai reads the note, adds the row and submits again.
    sign_in_as(page, live_server, staf)
    page.goto(skp_url)
    assert "Tambahkan hasil kerja verifikasi data guru." in page.locator("#catatan-pengembalian").inner_text()
    add = page.locator("#tambah-rencana")
    add.locator("summary").click()
    add.locator("select[name=aspek]").select_option("kuantitas")
    add.locator("input[name=uraian]").fill("Terlaksananya verifikasi data guru")
    add.locator("input[name=indikator]").fill("Jumlah sekolah yang diverifikasi")
    add.locator("input[name=target]").fill("40")
    add.locator("input[name=satuan]").fill("sekolah")
    with page.expect_navigation():
        add.get_by_role("button", name="Tambahkan").click()
    assert "Terlaksananya verifikasi data guru" in page.locator("#rencana").inner_text()
    press_step(page, "ajukan")

    # --- The atasan agrees.
    sign_in_as(page, live_server, kabid)
    page.goto(skp_url)
    press_step(page, "setujui")
    assert page.locator("#skp-status").inner_text().strip() == "Berjalan"

    # --- Execution: the pegawai enters realisasi for every quarter, with a file once.
    sign_in_as(page, live_server, staf)
    evidence = tmp_path / "bukti.pdf"
    evidence.write_bytes(PDF_BYTES)
    for ke in range(1, 5):
        page.goto(f"{skp_url}?periodik={ke}")
        count = page.locator("form[data-realisasi-form]").count()
        assert count == 2
        for i in range(count):
            form = page.locator("form[data-realisasi-form]").nth(i)
            form.locator("textarea[name=realisasi]").fill(f"Realisasi triwulan {ke}, baris {i + 1}")
            form.locator("input[name=nilai]").fill(str(20 + ke * 10 + i))
            if ke == 1 and i == 0:
                form.locator("input[name=bukti_file]").set_input_files(str(evidence))
            with page.expect_navigation():
                form.get_by_role("button", name="Simpan realisasi").click()
            assert "disimpan" in page.locator(".messages").inner_text()
    assert Realisasi.objects.filter(rencana__penilaian=skp).count() == 8
    page.goto(f"{skp_url}?periodik=1")
    assert page.locator("#realisasi a", has_text="Berkas").count() == 1

    # --- The atasan gives feedback and the annual rating, watching the predikat it will give.
    sign_in_as(page, live_server, kabid)
    page.goto(f"{skp_url}?periodik=4")
    feedback = page.locator("form[data-umpan-balik-form]").first
    feedback.locator("textarea[name=umpan_balik]").fill("Konsisten sepanjang tahun.")
    with page.expect_navigation():
        feedback.get_by_role("button", name="Simpan umpan balik").click()
    assert "Konsisten sepanjang tahun." in page.locator("#realisasi").inner_text()

    form = page.locator("form[data-predikat-form]", has=page.locator("#predikat-tahunan"))
    output = page.locator("#predikat-tahunan")
    for select in form.locator("select[name^=berakhlak_]").all():
        select.select_option("1")
    form.locator("select[name=rating_hasil_kerja]").select_option("1")
    form.locator("select[name=rating_perilaku]").select_option("1")
    assert output.inner_text().strip() == "Sangat Baik"
    form.locator("select[name=rating_perilaku]").select_option("2")
    assert output.inner_text().strip() == "Baik"
    form.locator("select[name=rating_hasil_kerja]").select_option("3")
    assert output.inner_text().strip() == "Butuh Perbaikan"
    # The server's preview agrees with the browser's, and saves nothing.
    with page.expect_navigation():
        form.get_by_role("button", name="Pratinjau predikat").click()
    assert page.locator("#predikat-tahunan").inner_text().strip() == "Butuh Perbaikan"
    assert Penilaian.objects.get(pk=skp.pk).status == Status.BERJALAN
    form = page.locator("form[data-predikat-form]", has=page.locator("#predikat-tahunan"))
    form.locator("select[name=rating_hasil_kerja]").select_option("1")
    assert page.locator("#predikat-tahunan").inner_text().strip() == "Baik"
    form.locator("textarea[name=umpan_balik]").fill("Pertahankan ketelitian data.")
    with page.expect_navigation():
        form.get_by_role("button", name="Tetapkan penilaian tahunan").click()
    assert page.locator("#skp-status").inner_text().strip() == "Dinilai"

    # --- The pegawai accepts: the SKP is final, with its predikat, and nothing is editable.
    sign_in_as(page, live_server, staf)
    page.goto(skp_url)
    assert page.locator("#predikat-akhir").inner_text().strip() == "Baik"
    press_step(page, "terima")
    assert page.locator("#skp-status").inner_text().strip() == "Final"
    assert page.locator("#skp-predikat").inner_text().strip() == "Predikat: Baik"
    assert "sudah final" in page.locator("#skp-final").inner_text()
    main = page.locator("main")
    assert main.locator("form[method=post]").count() == 0
    assert main.locator("input:not([type=hidden]), textarea, select").count() == 0
    assert re.search(r"Terima hasil penilaian", page.locator("#jejak").inner_text())

    final = Penilaian.objects.get(pk=skp.pk)
    assert (final.status, final.predikat) == (Status.FINAL, Predikat.BAIK)
