import pytest

from ..conftest import PASSWORD
from .conftest import login

# The live server runs in another thread: the data must be committed. The flush after each
# test takes the reference rows along; the ``org`` fixture puts them back.
pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_find_a_pegawai_by_name_and_open_the_record(page, live_server, org, persona):
    login(page, live_server, persona.staf_bkpsdm.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/pegawai/")
    assert page.locator("text=Muhammad Iqbal").count() >= 1
    assert page.locator("text=Sahat Simanjuntak").count() == 0  # another pemda

    page.fill("input[name=q]", "iqbal")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=iqbal**")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    rows.first.locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/pegawai/{org.staf.nip}/")
    assert page.locator("text=Riwayat jabatan").count() >= 1
    assert page.locator("text=Pengelola Data Pendidikan").count() >= 1


def test_the_unit_chooser_filters_the_list_by_a_subtree(page, live_server, org, persona):
    login(page, live_server, persona.staf_bkpsdm.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/pegawai/")
    chooser = page.locator("[data-chooser=unit-kerja] input[type=search], [data-chooser=unit-kerja] input[type=text]")
    chooser.first.fill("Dinas Kes")
    option = page.locator("[data-chooser=unit-kerja] [role=option]", has_text="Dinas Kesehatan")
    option.first.click()
    page.locator("form#filter button[type=submit]").first.click()
    page.wait_for_url(f"**unit_kerja={org.dinkes.pk}**")
    names = page.locator("table tbody tr").all_inner_texts()
    assert len(names) == 2
    assert all("Rahmawati" in n or "Zulfikar" in n for n in names)


def test_an_atasan_logs_in_by_nip_and_sees_only_self_and_subordinates(page, live_server, org, persona):
    login(page, live_server, org.kabid.nip_display, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/pegawai/")
    text = page.locator("table tbody").inner_text()
    assert "Muhammad Iqbal" in text and "Cut Nyak Meutia" in text
    assert "Rahmawati" not in text
