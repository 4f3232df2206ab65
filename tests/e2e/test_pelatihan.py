import pytest

from apps.pelatihan.models import RiwayatPelatihan

from ..conftest import PASSWORD
from ..factories import PelatihanFactory
from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def switch_to(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")


def test_a_pegawai_applies_the_atasan_agrees_and_staff_confirm(page, live_server, org, persona):
    pelatihan = PelatihanFactory(instansi=org.pemda, nama="Pelatihan Pengelolaan Data")

    switch_to(page, live_server, org.staf.nip)
    page.goto(f"{live_server.url}/pelatihan/")
    page.wait_for_url(f"{live_server.url}/pelatihan/saya/")
    page.click("text=Cari pelatihan")
    page.click("#katalog >> text=Pelatihan Pengelolaan Data")
    page.wait_for_url(f"{live_server.url}/pelatihan/katalog/{pelatihan.pk}/")
    page.fill("#form-daftar textarea[name=catatan]", "Untuk tugas pendataan sekolah.")
    page.click("#form-daftar button[type=submit]")
    assert "menunggu persetujuan Cut Nyak Meutia" in page.locator(".messages").inner_text()
    assert "Menunggu persetujuan atasan" in page.locator("#status-saya").inner_text()

    switch_to(page, live_server, org.kabid.nip)
    page.goto(f"{live_server.url}/pelatihan/persetujuan/")
    row = page.locator("#persetujuan tbody tr", has_text="Muhammad Iqbal")
    assert "Untuk tugas pendataan sekolah." in row.inner_text()
    row.locator("button", has_text="Setujui").click()
    page.wait_for_url(f"{live_server.url}/pelatihan/persetujuan/")
    assert "disetujui" in page.locator(".messages").inner_text()
    assert page.locator("#persetujuan tbody tr").count() == 0

    switch_to(page, live_server, persona.staf_bkpsdm.username)
    page.goto(f"{live_server.url}/pelatihan/antrean/")
    row = page.locator("#antrean tbody tr", has_text="Muhammad Iqbal")
    assert "Menunggu konfirmasi BKPSDM" in row.inner_text()
    row.locator("button", has_text="Konfirmasi peserta").click()
    page.wait_for_url(f"{live_server.url}/pelatihan/antrean/")
    assert "terdaftar sebagai peserta" in page.locator(".messages").inner_text()

    switch_to(page, live_server, org.staf.nip)
    page.goto(f"{live_server.url}/pelatihan/saya/")
    mine = page.locator("#pelatihan-saya tbody tr", has_text="Pelatihan Pengelolaan Data")
    assert mine.locator("[data-status=terdaftar]").count() == 1
    assert RiwayatPelatihan.objects.get().status == "terdaftar"
