import pytest

from apps.sertifikasi.models import Sertifikasi

from ..conftest import PASSWORD
from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def minimal_pdf():
    """The smallest PDF a reader opens: one empty page, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj %s endobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_pegawai_submits_a_certificate_with_a_pdf_staff_verify_it_and_it_shows_up(
    page, live_server, org, persona, tmp_path
):
    pdf = tmp_path / "sertifikat-pbj.pdf"
    pdf.write_bytes(minimal_pdf())

    login(page, live_server, org.staf.nip, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/sertifikasi/")
    page.wait_for_url(f"{live_server.url}/sertifikasi/saya/")
    page.click("text=+ Ajukan sertifikat")
    page.select_option("select[name=jenis]", "pbj_dasar")
    page.fill("input[name=nama]", "Sertifikat Dasar PBJ")
    page.fill("input[name=penerbit]", "LKPP")
    page.fill("input[name=nomor]", "PBJ-0001/2024")
    page.fill("input[name=tanggal_terbit]", "2024-03-01")
    page.fill("input[name=tanggal_kedaluwarsa]", "2030-03-01")
    page.set_input_files("input[name=bukti]", str(pdf))
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/sertifikasi/*/")
    assert "Menunggu verifikasi" in page.locator("#status").inner_text()
    row = Sertifikasi.objects.get()
    assert row.bukti.name.endswith(".pdf")

    page.context.clear_cookies()
    login(page, live_server, persona.staf_bkpsdm.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/sertifikasi/antrean/")
    queue = page.locator("#antrean tbody tr", has_text="Sertifikat Dasar PBJ")
    assert queue.count() == 1
    assert "Muhammad Iqbal" in queue.inner_text()
    queue.locator("button", has_text="Verifikasi").click()
    page.wait_for_url(f"{live_server.url}/sertifikasi/antrean/")
    assert "terverifikasi" in page.locator(".messages, [role=status], .alert").first.inner_text()
    assert page.locator("#antrean tbody tr", has_text="Sertifikat Dasar PBJ").count() == 0

    page.context.clear_cookies()
    login(page, live_server, org.staf.nip, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/sertifikasi/saya/")
    mine = page.locator("#sertifikat-saya tbody tr", has_text="Sertifikat Dasar PBJ")
    assert mine.locator("[data-verifikasi=terverifikasi]").count() == 1
    row.refresh_from_db()
    assert row.verifikasi == "terverifikasi"
