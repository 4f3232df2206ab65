"""The dokumen evaluasi kinerja (PDF). The PDF's text is checked with ``pdftotext`` where it is
installed; everywhere, the bytes must be a PDF and the HTML it is made from must say it all."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from apps.penilaian import pdf, services
from apps.penilaian.models import BerAKHLAK, CapaianUnit, Penilaian, Rating

pytestmark = pytest.mark.django_db


def dokumen_url(skp):
    return reverse("penilaian:dokumen", kwargs={"pk": skp.pk})


@pytest.fixture
def final_skp(persona, skp):
    """The SKP rated Di atas / Di atas (Sangat Baik), with realisasi and feedback, accepted."""
    services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp)
    services.penilaian_setujui(actor=persona.atasan, penilaian=skp)
    rencana = skp.rencana.order_by("urutan", "pk").first()
    services.realisasi_save(
        actor=persona.bawahan, penilaian=skp, rencana=rencana, periode_ke=1, realisasi="97% sekolah mutakhir"
    )
    services.umpan_balik_save(
        actor=persona.atasan, penilaian=skp, rencana=rencana, periode_ke=1, umpan_balik="Lampaui target, bagus."
    )
    services.penilaian_nilai(
        actor=persona.atasan,
        penilaian=skp,
        rating_hasil_kerja=Rating.DI_ATAS,
        rating_perilaku=Rating.DI_ATAS,
        rating_berakhlak=dict.fromkeys(BerAKHLAK.values, Rating.DI_ATAS),
        umpan_balik="Kinerja istimewa sepanjang tahun.",
    )
    services.penilaian_terima(actor=persona.bawahan, penilaian=skp)
    return Penilaian.objects.get(pk=skp.pk)


def test_the_document_is_an_a4_pdf_for_the_parties(clients, final_skp):
    for client in (clients.bawahan, clients.atasan, clients.kadis, clients.staf_bkpsdm):
        response = client.get(dokumen_url(final_skp))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert f"SKP-2026-{final_skp.pegawai_nip}.pdf" in response["Content-Disposition"]


def test_the_document_states_parties_items_ratings_predikat_feedback_and_signatures(org, final_skp, periode):
    CapaianUnit.objects.create(periode=periode, unit_kerja=org.disdik, capaian="baik")
    html = pdf.dokumen_html(final_skp)
    for text in [
        "Dokumen Evaluasi Kinerja Pegawai",
        "1 Januari s.d. 31 Desember 2026",
        org.staf.nip,
        org.kabid.nip,
        org.kadis.nip,
        "Muhammad Iqbal",
        "Cut Nyak Meutia",
        "Teuku Rizal",
        "Tersedianya data pokok pendidikan yang mutakhir",
        "Persentase sekolah dengan data Dapodik mutakhir",
        "95 persen",
        "97% sekolah mutakhir",
        "Lampaui target, bagus.",
        "Kinerja istimewa sepanjang tahun.",
        "Sangat Baik",
        "Berorientasi Pelayanan",
        "Capaian kinerja organisasi",
        "Pegawai yang dinilai",
        "Pejabat penilai kinerja",
        "Atasan pejabat penilai kinerja",
    ]:
        assert text in html, text
    assert "Baik <span" in html  # the capaian of Dinas Pendidikan
    assert "size: A4" in html


def test_the_pdf_text_carries_the_nip_and_predikat(final_skp):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: the HTML test above covers the content")
    data = pdf.render_pdf(pdf.dokumen_html(final_skp))
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()  # noqa: S603, S607
    assert final_skp.pegawai_nip in text
    assert "Sangat Baik" in text


def test_a_draft_document_says_what_is_not_yet_rated(skp):
    html = pdf.dokumen_html(skp)
    assert "Belum dinilai" in html and "Belum ditetapkan" in html


def test_the_pdf_fetches_nothing_from_outside(final_skp, monkeypatch):
    """Text the users typed ends up in the HTML; nothing in it may make the renderer fetch."""
    html = pdf.dokumen_html(final_skp).replace(
        "</body>", '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="file:///etc/passwd"></body>'
    )
    fetched = []
    import urllib.request

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda *a, **k: fetched.append(a) or None)
    assert pdf.render_pdf(html).startswith(b"%PDF-")
    assert fetched == []


@pytest.mark.parametrize("outsider", ["atasan_lain", "staf_bkpsdm_b", "pegawai_b"])
def test_the_pdf_of_an_skp_out_of_scope_is_404(clients, skp, outsider):
    assert getattr(clients, outsider).get(dokumen_url(skp)).status_code == 404
