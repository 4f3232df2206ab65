import re

import pytest

from ..conftest import PASSWORD
from ..factories import PegawaiFactory
from .conftest import login

# The live server runs in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_follow_a_bar_of_the_dashboard_to_its_list(page, live_server, org, persona):
    PegawaiFactory(nama="Pegawai Kedua Dinkes", jabatan=org.j_staf_dinkes)
    login(page, live_server, persona.staf_bkpsdm.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")

    page.click("nav.mainnav >> text=Dasbor")
    page.wait_for_url(f"{live_server.url}/karier/")
    assert "Pemerintah Kota Sabang" in page.locator("#lingkup").inner_text()
    assert page.locator("#angka-pegawai .stat-value").inner_text() == "7"

    bar = page.locator("#grafik-unit .bar-link", has_text="Dinas Kesehatan")
    assert bar.locator(".bar-value").inner_text().split()[0] == "3"
    bar.click()
    page.wait_for_url(re.compile(rf".*/pegawai/\?.*unit_kerja={org.dinkes.pk}"))
    assert page.locator(".page-head .lead").inner_text().startswith("3 pegawai")
    names = page.locator("table tbody tr").all_inner_texts()
    assert len(names) == 3
    assert any("Pegawai Kedua Dinkes" in row for row in names)
    # The list's unit chooser shows the unit the bar stood for.
    assert page.locator("#f-unit").input_value() == "Dinas Kesehatan"


def test_staff_open_one_unit_and_follow_a_predikat_segment(page, live_server, org, persona):
    from apps.penilaian.models import Predikat
    from tests.karier.test_eligibility import final_skp

    final_skp(persona.staf_bkpsdm, org.staf, 2025, Predikat.SANGAT_BAIK)
    final_skp(persona.staf_bkpsdm, org.kabid, 2025, Predikat.BAIK)
    login(page, live_server, persona.staf_bkpsdm.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/karier/")

    page.locator("#grafik-unit .bar-row", has_text="Dinas Pendidikan").locator(".bar-drill").click()
    page.wait_for_url(f"**/karier/?unit_kerja={org.disdik.pk}")
    assert "Dinas Pendidikan" in page.locator("#lingkup").inner_text()
    page.locator("#grafik-predikat a[data-predikat='1']").click()
    page.wait_for_url(re.compile(r".*/penilaian/daftar/\?.*predikat=1"))
    rows = page.locator("table tbody tr").all_inner_texts()
    assert len(rows) == 1 and "Muhammad Iqbal" in rows[0]
