"""The SKP pages, through the Django test client and the personas of tests/conftest.py.

In the ``skp`` fixture the SKP belongs to ``org.staf`` (persona ``bawahan``); the pejabat
penilai is the kabid (``atasan``), the atasan pejabat penilai the kadis (``kadis``), and
``staf_bkpsdm`` administers pemda A. ``atasan_lain`` (Dinas Kesehatan), ``staf_bkpsdm_b`` and
``pegawai_b`` (pemda B) have no business with it.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditLog
from apps.pegawai.models import RiwayatJabatan
from apps.penilaian import bulk, services
from apps.penilaian.models import (
    BerAKHLAK,
    CapaianUnit,
    EvaluasiPeriodik,
    Penilaian,
    PeriodePenilaian,
    Predikat,
    Rating,
    Realisasi,
    RencanaHasilKerja,
    Status,
)
from apps.penilaian.views import STEP_VIEWS
from apps.penilaian.workflow import TRANSITIONS

from ..factories import JabatanFactory, PegawaiFactory, UnitKerjaFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name, skp=None, **kwargs):
    if skp is not None:
        kwargs["pk"] = skp.pk
    return reverse(f"penilaian:{name}", kwargs=kwargs)


def fresh(skp):
    return Penilaian.objects.get(pk=skp.pk)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def ratings(hasil=Rating.SESUAI, perilaku=Rating.SESUAI, version=None, **extra):
    data = {"rating_hasil_kerja": int(hasil), "rating_perilaku": int(perilaku), "umpan_balik": "Pertahankan."}
    data.update({f"berakhlak_{kode}": int(perilaku) for kode in BerAKHLAK.values})
    if version is not None:
        data["version"] = version
    data.update(extra)
    return data


def service_ratings(hasil=Rating.SESUAI, perilaku=Rating.SESUAI):
    return {
        "rating_hasil_kerja": hasil,
        "rating_perilaku": perilaku,
        "rating_berakhlak": dict.fromkeys(BerAKHLAK.values, perilaku),
    }


def bring_to(skp, persona, status):
    """Move the SKP through the services to ``status``."""
    path = {
        Status.DRAF: [],
        Status.DIAJUKAN: ["ajukan"],
        Status.DIKEMBALIKAN: ["ajukan", "kembalikan"],
        Status.BERJALAN: ["ajukan", "setujui"],
        Status.DINILAI: ["ajukan", "setujui", "nilai"],
        Status.KEBERATAN: ["ajukan", "setujui", "nilai", "ajukan_keberatan"],
        Status.FINAL: ["ajukan", "setujui", "nilai", "terima"],
    }[status]
    calls = {
        "ajukan": lambda s: services.penilaian_ajukan(actor=persona.bawahan, penilaian=s),
        "kembalikan": lambda s: services.penilaian_kembalikan(actor=persona.atasan, penilaian=s, catatan="Perbaiki."),
        "setujui": lambda s: services.penilaian_setujui(actor=persona.atasan, penilaian=s),
        "nilai": lambda s: services.penilaian_nilai(actor=persona.atasan, penilaian=s, **service_ratings()),
        "terima": lambda s: services.penilaian_terima(actor=persona.bawahan, penilaian=s),
        "ajukan_keberatan": lambda s: services.penilaian_ajukan_keberatan(
            actor=persona.bawahan, penilaian=s, alasan="Tidak sesuai."
        ),
    }
    for name in path:
        calls[name](fresh(skp))
    return fresh(skp)


RENCANA_ROW = {
    "uraian": "Meningkatnya mutu SD",
    "indikator": "Persen SD terakreditasi B",
    "aspek": "kualitas",
    "target": 80,
    "satuan": "persen",
}


def first_rencana(skp):
    return RencanaHasilKerja.objects.filter(penilaian=skp).order_by("urutan", "pk").first()


def rencana_data(version, **extra):
    data = {
        "version": version,
        "jenis": "utama",
        "uraian": "Terlaksananya pendataan sekolah swasta",
        "aspek": "kuantitas",
        "indikator": "Jumlah sekolah swasta terdata",
        "target": "12",
        "satuan": "sekolah",
        "urutan": "3",
    }
    data.update(extra)
    return data


# ---------------------------------------------------------------------------------------------
# Landing and navigation


def test_anonymous_visitors_are_sent_to_the_login_page(client, skp):
    for target in [url("index"), url("saya"), url("daftar"), url("detail", skp), url("dokumen", skp)]:
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("akun:login"))


def test_the_skp_index_lands_each_person_where_they_work(clients, skp):
    assert clients.staf_bkpsdm.get(url("index"))["Location"] == url("daftar")
    assert clients.atasan.get(url("index"))["Location"] == url("bawahan")
    assert clients.kadis.get(url("index"))["Location"] == url("bawahan")
    assert clients.bawahan.get(url("index"))["Location"] == url("saya")
    assert clients.pegawai_b.get(url("index"))["Location"] == url("saya")


def test_every_signed_in_user_has_the_skp_link_in_the_nav_bar(clients):
    for client in (clients.bawahan, clients.atasan, clients.staf_bkpsdm, clients.pegawai_b):
        html = client.get(reverse("home")).content.decode()
        assert f'href="{url("index")}"' in html


# ---------------------------------------------------------------------------------------------
# SKP saya


def test_a_pegawai_starts_the_skp_of_an_open_period_prefilled_from_the_standar(clients, org, periode):
    from apps.standar_kinerja import services as standar_services

    standar_services.indikator_save_all(
        actor=None,
        jabatan=org.j_staf,
        rows=[
            {"uraian": "Data mutakhir", "indikator": "Persen data", "aspek": "kualitas", "target": 90, "satuan": "%"}
        ],
    )
    page = clients.bawahan.get(url("saya"))
    assert "Mulai SKP 2026" in page.content.decode()

    response = clients.bawahan.post(url("mulai"), {"periode": periode.pk})
    skp = Penilaian.objects.get(pegawai=org.staf, periode=periode)
    assert response["Location"] == url("detail", skp)
    assert skp.penilai_id == org.kabid.pk and skp.atasan_penilai_id == org.kadis.pk
    assert list(skp.rencana.values_list("uraian", flat=True)) == ["Data mutakhir"]

    page = clients.bawahan.get(url("saya")).content.decode()
    assert "Mulai SKP 2026" not in page
    assert url("detail", skp) in page


def test_starting_a_second_skp_for_the_same_year_is_refused(clients, skp, periode):
    response = clients.bawahan.post(url("mulai"), {"periode": periode.pk}, follow=True)
    assert Penilaian.objects.filter(pegawai=skp.pegawai, periode=periode).count() == 1
    assert any("sudah memiliki SKP" in m for m in messages_of(response))


def test_a_pegawai_cannot_start_an_skp_in_another_pemdas_period(clients, org, periode):
    other = PeriodePenilaian.objects.get(instansi=org.pemda_b, tahun=2026)
    clients.bawahan.post(url("mulai"), {"periode": other.pk})
    assert not Penilaian.objects.filter(pegawai=org.staf).exists()


def test_a_closed_period_offers_no_start(clients, org, periode):
    services.periode_set_status(actor=None, periode=periode, status="ditutup")
    assert "Mulai SKP" not in clients.bawahan.get(url("saya")).content.decode()
    clients.bawahan.post(url("mulai"), {"periode": periode.pk})
    assert not Penilaian.objects.filter(pegawai=org.staf).exists()


# ---------------------------------------------------------------------------------------------
# Scope


OUTSIDERS = ["atasan_lain", "staf_bkpsdm_b", "pegawai_b"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_an_skp_out_of_scope_answers_404_on_page_pdf_evidence_and_every_action(clients, persona, skp, outsider):
    skp = bring_to(skp, persona, Status.BERJALAN)
    rencana = first_rencana(skp)
    row = services.realisasi_save(
        actor=persona.bawahan,
        penilaian=skp,
        rencana=rencana,
        periode_ke=1,
        realisasi="Selesai",
        bukti_file=SimpleUploadedFile("b.pdf", PDF_BYTES),
    )
    skp = fresh(skp)
    client = getattr(clients, outsider)
    assert client.get(url("detail", skp)).status_code == 404
    assert client.get(url("dokumen", skp)).status_code == 404
    assert client.get(url("bukti", skp, realisasi_pk=row.pk)).status_code == 404
    posts = [
        url("langkah", skp, step="nilai"),
        url("langkah", skp, step="setujui"),
        url("rencana_add", skp),
        url("rencana_edit", skp, rencana_pk=rencana.pk),
        url("rencana_delete", skp, rencana_pk=rencana.pk),
        url("ekspektasi", skp),
        url("penilai", skp),
        url("realisasi", skp, rencana_pk=rencana.pk, periode_ke=1),
        url("umpan_balik", skp, rencana_pk=rencana.pk, periode_ke=1),
        url("evaluasi", skp, periode_ke=1),
    ]
    for target in posts:
        assert client.post(target, ratings(version=skp.version)).status_code == 404, target
    assert fresh(skp).version == skp.version


def test_the_parties_and_bkpsdm_staff_open_the_skp(clients, skp):
    for client in (clients.bawahan, clients.atasan, clients.kadis, clients.staf_bkpsdm, clients.superuser):
        assert client.get(url("detail", skp)).status_code == 200


def test_a_penilai_outside_the_jabatan_chain_still_sees_the_skp_they_rate(clients, persona, org, skp):
    """A Plt set by BKPSDM may sit in another unit: being the penilai is enough."""
    services.penilaian_set_penilai(actor=persona.staf_bkpsdm, penilaian=skp, penilai=org.kadinkes, penugasan="plt")
    assert clients.atasan_lain.get(url("detail", skp)).status_code == 200


def test_the_bkpsdm_list_is_for_staff_only(clients, skp):
    assert clients.staf_bkpsdm.get(url("daftar")).status_code == 200
    for name in ("bawahan", "atasan", "pegawai_b"):
        client = getattr(clients, name)
        assert client.get(url("daftar")).status_code == 404
        assert client.get(url("distribusi")).status_code == 404
        assert client.get(url("periode_list")).status_code == 404


def test_staff_of_pemda_b_do_not_see_pemda_as_skps_or_periods(clients, skp, periode):
    response = clients.staf_bkpsdm_b.get(url("daftar"), {"periode": periode.pk})
    assert response.context["page"].paginator.count == 0
    assert clients.staf_bkpsdm_b.get(url("periode_detail", pk=periode.pk)).status_code == 404
    assert clients.staf_bkpsdm_b.post(url("periode_status", pk=periode.pk), {"status": "ditutup"}).status_code == 404
    assert PeriodePenilaian.objects.get(pk=periode.pk).is_open


# ---------------------------------------------------------------------------------------------
# Workflow steps per role


PERSONA_ROLE = {"bawahan": "pegawai", "atasan": "penilai", "kadis": "atasan_penilai", "staf_bkpsdm": "bkpsdm"}


def step_data(step, version):
    data = {"version": version}
    if step in ("kembalikan",):
        data["catatan"] = "Target kurang menantang."
    if step in ("ajukan_keberatan", "buka_kembali"):
        data["alasan"] = "Alasan yang jelas."
    if step == "putuskan_keberatan":
        data.update(keputusan="Keberatan diterima sebagian.", rating_perilaku=int(Rating.DI_ATAS))
    if step == "nilai":
        data.update(ratings(version=version))
    return data


@pytest.mark.parametrize("step", sorted(TRANSITIONS))
@pytest.mark.parametrize("who", sorted(PERSONA_ROLE))
def test_each_workflow_step_is_allowed_to_its_role_and_refused_to_the_others(clients, persona, skp, step, who):
    """From the step's source state, only its role moves the SKP; anyone else gets a message
    and the SKP stays as it was (state, version)."""
    source = sorted(TRANSITIONS[step].sources)[0]
    skp = bring_to(skp, persona, source)
    client = getattr(clients, who)
    page = client.get(url("detail", skp)).content.decode()
    response = client.post(url("langkah", skp, step=step), step_data(step, skp.version), follow=True)
    after = fresh(skp)
    allowed = PERSONA_ROLE[who] in TRANSITIONS[step].roles
    if allowed:
        assert after.status == TRANSITIONS[step].target
        assert after.version == skp.version + 1
        assert STEP_VIEWS[step][2] in messages_of(response)
    else:
        assert (after.status, after.version) == (skp.status, skp.version)
        assert any("hanya dapat dilakukan oleh" in m for m in messages_of(response)), messages_of(response)
    # The page offers a step exactly when it is allowed.
    offered = f'action="{url("langkah", skp, step=step)}"' in page
    assert offered == allowed


@pytest.mark.parametrize(
    ("who", "step", "status"),
    [
        ("bawahan", "ajukan", Status.BERJALAN),
        ("atasan", "setujui", Status.DRAF),
        ("atasan", "nilai", Status.DIAJUKAN),
        ("bawahan", "terima", Status.BERJALAN),
        ("kadis", "putuskan_keberatan", Status.DINILAI),
        ("staf_bkpsdm", "buka_kembali", Status.BERJALAN),
    ],
)
def test_a_step_from_the_wrong_state_is_refused_with_a_message(clients, persona, skp, who, step, status):
    skp = bring_to(skp, persona, status)
    response = getattr(clients, who).post(url("langkah", skp, step=step), step_data(step, skp.version), follow=True)
    after = fresh(skp)
    assert (after.status, after.version) == (skp.status, skp.version)
    assert any("tidak dapat dilakukan pada SKP berstatus" in m for m in messages_of(response))


def test_an_unknown_step_is_404(clients, skp):
    assert clients.bawahan.post(url("langkah", skp, step="hapus"), {"version": skp.version}).status_code == 404


def test_submitting_without_any_hasil_kerja_utama_says_so(clients, skp):
    RencanaHasilKerja.objects.filter(penilaian=skp).delete()
    response = clients.bawahan.post(url("langkah", skp, step="ajukan"), {"version": skp.version})
    assert response.status_code == 200
    assert "paling sedikit satu rencana hasil kerja utama" in response.content.decode()
    assert fresh(skp).status == Status.DRAF


def test_returning_the_rencana_needs_a_note_and_the_pegawai_sees_it(clients, persona, skp):
    skp = bring_to(skp, persona, Status.DIAJUKAN)
    response = clients.atasan.post(url("langkah", skp, step="kembalikan"), {"version": skp.version, "catatan": " "})
    assert response.status_code == 200
    assert fresh(skp).status == Status.DIAJUKAN
    clients.atasan.post(
        url("langkah", skp, step="kembalikan"), {"version": skp.version, "catatan": "Tambahkan target waktu."}
    )
    assert fresh(skp).status == Status.DIKEMBALIKAN
    page = clients.bawahan.get(url("detail", skp)).content.decode()
    assert "Tambahkan target waktu." in page
    assert f'action="{url("rencana_add", skp)}"' in page


# ---------------------------------------------------------------------------------------------
# Editing steps


def edit_request(step, skp):
    """(state, url, data) of one edit step through its page form."""
    rencana = first_rencana(skp)
    v = skp.version
    return {
        "rencana": (Status.DRAF, url("rencana_add", skp), rencana_data(v)),
        "ekspektasi": (Status.DRAF, url("ekspektasi", skp), {"version": v, "ekspektasi_loyal": "Menjaga data."}),
        "realisasi": (
            Status.BERJALAN,
            url("realisasi", skp, rencana_pk=rencana.pk, periode_ke=1),
            {"version": v, "realisasi": "Selesai 40 sekolah"},
        ),
        "umpan_balik": (
            Status.BERJALAN,
            url("umpan_balik", skp, rencana_pk=rencana.pk, periode_ke=1),
            {"version": v, "umpan_balik": "Bagus."},
        ),
        "evaluasi_periodik": (Status.BERJALAN, url("evaluasi", skp, periode_ke=1), ratings(version=v)),
    }[step]


EDIT_ROLES = {
    "rencana": "pegawai",
    "ekspektasi": "penilai",
    "realisasi": "pegawai",
    "umpan_balik": "penilai",
    "evaluasi_periodik": "penilai",
}


@pytest.mark.parametrize("step", sorted(EDIT_ROLES))
@pytest.mark.parametrize("who", sorted(PERSONA_ROLE))
def test_each_edit_is_allowed_to_its_role_and_refused_to_the_others(clients, persona, skp, step, who):
    state, _, _ = edit_request(step, skp)
    skp = bring_to(skp, persona, state)
    if step == "umpan_balik":
        services.realisasi_save(
            actor=persona.bawahan, penilaian=skp, rencana=first_rencana(skp), periode_ke=1, realisasi="Selesai"
        )
        skp = fresh(skp)
    _, target, data = edit_request(step, skp)
    client = getattr(clients, who)
    page = client.get(url("detail", skp), {"periodik": 1}).content.decode()
    response = client.post(target, data, follow=True)
    allowed = PERSONA_ROLE[who] == EDIT_ROLES[step]
    assert fresh(skp).version == skp.version + (1 if allowed else 0)
    if not allowed:
        assert any("hanya dapat dilakukan oleh" in m for m in messages_of(response)), messages_of(response)
    assert (f'action="{target}"' in page) == allowed


def test_only_bkpsdm_sets_the_penilai(clients, org, skp):
    response = clients.atasan.post(
        url("penilai", skp), {"version": skp.version, "penilai": org.kabid.nip, "penugasan": "plh"}, follow=True
    )
    assert any("hanya dapat dilakukan oleh staf bkpsdm" in m for m in messages_of(response))
    assert fresh(skp).version == skp.version
    assert clients.atasan.get(url("detail", skp)).context["penilai_form"] is None
    assert clients.staf_bkpsdm.get(url("detail", skp)).context["penilai_form"] is not None


def test_the_pegawai_adds_edits_and_deletes_rencana_rows_while_drafting(clients, skp):
    client = clients.bawahan
    response = client.post(url("rencana_add", skp), rencana_data(skp.version))
    assert response.status_code == 302
    added = RencanaHasilKerja.objects.get(penilaian=skp, uraian="Terlaksananya pendataan sekolah swasta")
    version = fresh(skp).version
    client.post(url("rencana_edit", skp, rencana_pk=added.pk), rencana_data(version, target="15", jenis="tambahan"))
    added.refresh_from_db()
    assert (added.target, added.jenis) == (15, "tambahan")
    client.post(url("rencana_delete", skp, rencana_pk=added.pk), {"version": fresh(skp).version})
    assert not RencanaHasilKerja.objects.filter(pk=added.pk).exists()
    assert AuditLog.objects.for_object(skp).count() == 4  # created, added, changed, deleted


def test_a_rencana_row_with_bad_input_shows_the_errors_and_saves_nothing(clients, skp):
    before = skp.rencana.count()
    response = clients.bawahan.post(
        url("rencana_add", skp), rencana_data(skp.version, aspek="", target="-1", uraian="")
    )
    assert response.status_code == 200
    form = response.context["rencana_add_form"]
    assert {"uraian", "target"} <= set(form.errors)
    assert skp.rencana.count() == before
    response = clients.bawahan.post(url("rencana_add", skp), rencana_data(skp.version, aspek=""))
    assert "aspek" in response.context["rencana_add_form"].errors
    assert skp.rencana.count() == before


def test_jpt_rows_are_grouped_by_perspektif_instead_of_aspek(clients, persona, org, periode):
    skp = services.penilaian_create(actor=persona.kadis, periode=periode, pegawai=org.kadis)
    assert skp.is_jpt
    data = rencana_data(skp.version, perspektif="proses_bisnis")
    data.pop("aspek")
    clients.kadis.post(url("rencana_add", skp), data)
    page = clients.kadis.get(url("detail", skp)).content.decode()
    assert "Perspektif proses bisnis" in page
    assert 'name="aspek"' not in page


def test_the_atasan_cannot_edit_the_rencana_and_the_pegawai_cannot_set_expectations(clients, skp):
    before = (fresh(skp).version, skp.rencana.count())
    response = clients.atasan.post(url("rencana_add", skp), rencana_data(skp.version), follow=True)
    assert any("hanya dapat dilakukan oleh pegawai yang dinilai" in m for m in messages_of(response))
    response = clients.bawahan.post(
        url("ekspektasi", skp), {"version": skp.version, "ekspektasi_kompeten": "Belajar."}, follow=True
    )
    assert any("pejabat penilai" in m for m in messages_of(response))
    assert (fresh(skp).version, skp.rencana.count()) == before
    assert fresh(skp).ekspektasi_khusus == {}


def test_the_penilai_writes_ekspektasi_khusus_and_the_appendix(clients, skp):
    page = clients.atasan.get(url("detail", skp)).content.decode()
    assert "Memahami dan memenuhi kebutuhan masyarakat" in page  # PANDUAN_BERAKHLAK
    clients.atasan.post(
        url("ekspektasi", skp),
        {"version": skp.version, "ekspektasi_kompeten": "Ikut pelatihan Dapodik.", "konsekuensi": "Teguran."},
    )
    after = fresh(skp)
    assert after.ekspektasi_khusus == {"kompeten": "Ikut pelatihan Dapodik."}
    assert after.konsekuensi == "Teguran."
    assert "Ikut pelatihan Dapodik." in clients.bawahan.get(url("detail", skp)).content.decode()


def test_bkpsdm_sets_a_plt_as_penilai_by_nip(clients, org, skp):
    response = clients.staf_bkpsdm.post(
        url("penilai", skp), {"version": skp.version, "penilai": org.kadis.nip_display, "penugasan": "plt"}
    )
    assert response.status_code == 302
    after = fresh(skp)
    assert (after.penilai_id, after.penilai_penugasan, after.penilai_nama) == (org.kadis.pk, "plt", "Teuku Rizal")
    response = clients.staf_bkpsdm.post(
        url("penilai", skp), {"version": after.version, "penilai": org.pegawai_b.nip, "penugasan": "plt"}
    )
    assert "tidak ditemukan dalam lingkup Anda" in response.content.decode()
    assert fresh(skp).penilai_id == org.kadis.pk


def test_realisasi_with_a_link_and_feedback_per_row(clients, persona, skp):
    skp = bring_to(skp, persona, Status.BERJALAN)
    rencana = first_rencana(skp)
    response = clients.bawahan.post(
        url("realisasi", skp, rencana_pk=rencana.pk, periode_ke=2),
        {"version": skp.version, "realisasi": "38 sekolah", "nilai": "38", "bukti_link": "https://drive.example/x"},
    )
    assert response["Location"].startswith(url("detail", skp) + "?periodik=2")
    row = Realisasi.objects.get(rencana=rencana, periode_ke=2)
    assert (row.realisasi, row.nilai, row.bukti_link) == ("38 sekolah", 38, "https://drive.example/x")

    clients.atasan.post(
        url("umpan_balik", skp, rencana_pk=rencana.pk, periode_ke=2),
        {"version": fresh(skp).version, "umpan_balik": "Bagus, lanjutkan."},
    )
    row.refresh_from_db()
    assert row.umpan_balik == "Bagus, lanjutkan."
    page = clients.bawahan.get(url("detail", skp), {"periodik": 2}).content.decode()
    assert "38 sekolah" in page and "Bagus, lanjutkan." in page


def test_a_period_number_beyond_the_year_is_404(clients, persona, skp):
    skp = bring_to(skp, persona, Status.BERJALAN)
    rencana = first_rencana(skp)
    response = clients.bawahan.post(
        url("realisasi", skp, rencana_pk=rencana.pk, periode_ke=5), {"version": skp.version, "realisasi": "x"}
    )
    assert response.status_code == 404  # quarterly: four periods


def test_the_penilai_rates_a_periodic_evaluation(clients, persona, skp):
    skp = bring_to(skp, persona, Status.BERJALAN)
    response = clients.atasan.post(
        url("evaluasi", skp, periode_ke=1), ratings(Rating.DI_ATAS, Rating.DI_ATAS, version=skp.version)
    )
    assert response.status_code == 302
    evaluasi = EvaluasiPeriodik.objects.get(penilaian=skp, periode_ke=1)
    assert evaluasi.predikat == Predikat.SANGAT_BAIK
    response = clients.bawahan.post(
        url("evaluasi", skp, periode_ke=2), ratings(version=fresh(skp).version), follow=True
    )
    assert any("pejabat penilai" in m for m in messages_of(response))
    assert not EvaluasiPeriodik.objects.filter(penilaian=skp, periode_ke=2).exists()


# ---------------------------------------------------------------------------------------------
# The annual rating and its predikat preview


def test_the_rating_form_shows_the_predikat_it_will_give_without_saving(clients, persona, skp):
    skp = bring_to(skp, persona, Status.BERJALAN)
    page = clients.atasan.get(url("detail", skp))
    html = page.content.decode()
    assert 'id="predikat-matrix"' in html and "data-predikat-form" in html
    assert page.context["matrix"]["1"]["1"] == {"id": 1, "label": "Sangat Baik"}

    response = clients.atasan.post(
        url("langkah", skp, step="nilai"),
        ratings(Rating.DI_BAWAH, Rating.DI_ATAS, version=skp.version, pratinjau="1"),
    )
    assert response.status_code == 200
    assert response.context["nilai_predikat"] == Predikat.BUTUH_PERBAIKAN
    assert (fresh(skp).status, fresh(skp).version) == (Status.BERJALAN, skp.version)


def test_all_nine_cells_reach_the_page_as_the_matrix_says(clients, persona, skp):
    from apps.penilaian.models import PREDIKAT_MATRIX

    skp = bring_to(skp, persona, Status.BERJALAN)
    for (hasil, perilaku), predikat in PREDIKAT_MATRIX.items():
        response = clients.atasan.post(
            url("langkah", skp, step="nilai"), ratings(hasil, perilaku, version=skp.version, pratinjau="1")
        )
        assert response.context["nilai_predikat"] == predikat
        assert f'data-predikat="{int(predikat)}">{predikat.label}</output>' in response.content.decode()


def test_the_annual_rating_stores_the_predikat_and_the_pegawai_accepts(clients, persona, skp):
    skp = bring_to(skp, persona, Status.BERJALAN)
    clients.atasan.post(url("langkah", skp, step="nilai"), ratings(Rating.DI_ATAS, Rating.SESUAI, version=skp.version))
    after = fresh(skp)
    assert (after.status, after.predikat) == (Status.DINILAI, Predikat.BAIK)
    assert after.rating_berakhlak == dict.fromkeys(BerAKHLAK.values, 2)
    clients.bawahan.post(url("langkah", skp, step="terima"), {"version": after.version})
    assert fresh(skp).status == Status.FINAL


def test_a_missing_berakhlak_rating_is_a_form_error(clients, persona, skp):
    skp = bring_to(skp, persona, Status.BERJALAN)
    data = ratings(version=skp.version)
    data.pop("berakhlak_loyal")
    response = clients.atasan.post(url("langkah", skp, step="nilai"), data)
    assert response.status_code == 200
    assert "berakhlak_loyal" in response.context["nilai_form"].errors
    assert fresh(skp).status == Status.BERJALAN


def test_the_head_of_a_unit_gets_the_units_result_as_rating_hasil_kerja(clients, persona, org, periode):
    skp = services.penilaian_create(actor=persona.atasan, periode=periode, pegawai=org.kabid)
    services.rencana_add(actor=persona.atasan, penilaian=skp, **RENCANA_ROW)
    services.capaian_unit_set(actor=None, periode=periode, unit_kerja=org.bidang, capaian="istimewa")
    skp = bring_to_for(skp, persona.atasan, persona.kadis)
    page = clients.kadis.get(url("detail", skp))
    assert page.context["hasil_dari_unit"] == "Di atas ekspektasi"
    clients.kadis.post(url("langkah", skp, step="nilai"), ratings(Rating.DI_BAWAH, Rating.DI_ATAS, version=skp.version))
    assert fresh(skp).predikat == Predikat.SANGAT_BAIK


def bring_to_for(skp, pegawai_user, penilai_user):
    services.penilaian_ajukan(actor=pegawai_user, penilaian=fresh(skp))
    services.penilaian_setujui(actor=penilai_user, penilaian=fresh(skp))
    return fresh(skp)


# ---------------------------------------------------------------------------------------------
# Follow-up: keberatan, reopening


def test_the_atasan_penilai_decides_a_keberatan_and_may_change_the_result(clients, persona, skp):
    skp = bring_to(skp, persona, Status.DINILAI)
    clients.bawahan.post(
        url("langkah", skp, step="ajukan_keberatan"), {"version": skp.version, "alasan": "Realisasi melebihi target."}
    )
    skp = fresh(skp)
    assert skp.status == Status.KEBERATAN
    assert clients.atasan.get(url("detail", skp)).context["putuskan_form"] is None
    response = clients.kadis.post(
        url("langkah", skp, step="putuskan_keberatan"),
        {"version": skp.version, "keputusan": "Diterima.", "rating_hasil_kerja": "1", "rating_perilaku": ""},
    )
    assert response.status_code == 302
    after = fresh(skp)
    assert (after.status, after.rating_hasil_kerja, after.rating_perilaku) == (Status.FINAL, 1, 2)
    assert after.predikat == Predikat.BAIK
    assert "Diterima." in clients.bawahan.get(url("detail", skp)).content.decode()


def test_bkpsdm_reopens_a_final_skp_only_with_a_reason(clients, persona, skp):
    skp = bring_to(skp, persona, Status.FINAL)
    response = clients.staf_bkpsdm.post(url("langkah", skp, step="buka_kembali"), {"version": skp.version})
    assert response.status_code == 200
    assert fresh(skp).status == Status.FINAL
    clients.staf_bkpsdm.post(
        url("langkah", skp, step="buka_kembali"), {"version": skp.version, "alasan": "Salah input rating."}
    )
    after = fresh(skp)
    assert (after.status, after.predikat) == (Status.BERJALAN, None)
    history = clients.bawahan.get(url("detail", skp)).content.decode()
    assert "Salah input rating." in history


# ---------------------------------------------------------------------------------------------
# A final SKP, concurrency, closed periods


def test_a_final_skp_shows_no_edit_controls_and_refuses_edits(clients, persona, skp):
    skp = bring_to(skp, persona, Status.FINAL)
    rencana = first_rencana(skp)
    for who in ("bawahan", "atasan", "kadis"):
        page = getattr(clients, who).get(url("detail", skp))
        html = page.content.decode()
        assert page.context["allowed"] == set()
        assert 'method="post"' not in html.split('id="konten"')[1]  # the logout form sits above
        assert "sudah final" in html
    attempts = [
        (clients.bawahan, url("rencana_add", skp), rencana_data(skp.version)),
        (clients.bawahan, url("rencana_delete", skp, rencana_pk=rencana.pk), {"version": skp.version}),
        (
            clients.bawahan,
            url("realisasi", skp, rencana_pk=rencana.pk, periode_ke=1),
            {"version": skp.version, "realisasi": "x"},
        ),
        (clients.atasan, url("ekspektasi", skp), {"version": skp.version, "ekspektasi_loyal": "x"}),
        (
            clients.atasan,
            url("langkah", skp, step="nilai"),
            ratings(Rating.DI_ATAS, Rating.DI_ATAS, version=skp.version),
        ),
        (clients.atasan, url("evaluasi", skp, periode_ke=1), ratings(version=skp.version)),
    ]
    for client, target, data in attempts:
        response = client.post(target, data, follow=True)
        assert any("sudah final" in m or "hanya dapat" in m for m in messages_of(response)), target
    after = fresh(skp)
    assert (after.status, after.version, after.predikat) == (Status.FINAL, skp.version, skp.predikat)
    assert not Realisasi.objects.filter(rencana__penilaian=skp).exists()


def test_bkpsdm_sees_only_the_reopen_form_on_a_final_skp(clients, persona, skp):
    skp = bring_to(skp, persona, Status.FINAL)
    page = clients.staf_bkpsdm.get(url("detail", skp))
    assert page.context["allowed"] == {"buka_kembali"}
    assert page.context["buka_form"] is not None


def test_the_second_of_two_saves_on_the_same_version_gets_the_conflict_and_saves_nothing(clients, persona, skp):
    stale = skp.version
    first = clients.bawahan.post(url("rencana_add", skp), rencana_data(stale, uraian="Baris pertama"))
    assert first.status_code == 302
    count = skp.rencana.count()
    second = clients.bawahan.post(url("rencana_add", skp), rencana_data(stale, uraian="Baris kedua"))
    assert second.status_code == 409
    html = second.content.decode()
    assert "telah diubah oleh pengguna lain" in html
    assert "Baris kedua" in html  # what was typed is still on the page
    assert skp.rencana.count() == count
    assert not skp.rencana.filter(uraian="Baris kedua").exists()

    atasan_stale = fresh(skp).version
    clients.bawahan.post(url("langkah", skp, step="ajukan"), {"version": atasan_stale})
    clients.atasan.post(url("langkah", skp, step="setujui"), {"version": atasan_stale})
    assert fresh(skp).status == Status.DIAJUKAN


def test_a_closed_period_refuses_every_change_with_a_message(clients, persona, skp, periode):
    services.periode_set_status(actor=None, periode=periode, status="ditutup")
    page = clients.bawahan.get(url("detail", skp))
    assert page.context["allowed"] == set()
    assert "sudah ditutup" in page.content.decode()
    response = clients.bawahan.post(url("langkah", skp, step="ajukan"), {"version": skp.version}, follow=True)
    assert any("sudah ditutup" in m for m in messages_of(response))
    assert fresh(skp).status == Status.DRAF


# ---------------------------------------------------------------------------------------------
# Evidence files


def upload(client, skp, rencana, content, name, periode_ke=1):
    return client.post(
        url("realisasi", skp, rencana_pk=rencana.pk, periode_ke=periode_ke),
        {
            "version": skp.version,
            "realisasi": "Bukti terlampir",
            "bukti_file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_evidence_pdf_is_stored_outside_the_web_root_and_served_only_in_scope(clients, persona, skp, settings):
    skp = bring_to(skp, persona, Status.BERJALAN)
    rencana = first_rencana(skp)
    response = upload(clients.bawahan, skp, rencana, PDF_BYTES, "laporan akhir.pdf")
    assert response.status_code == 302
    row = Realisasi.objects.get(rencana=rencana, periode_ke=1)
    assert row.bukti_file.name.endswith(".pdf")
    assert stored_files(settings)
    for who in ("bawahan", "atasan", "kadis", "staf_bkpsdm"):
        served = getattr(clients, who).get(url("bukti", skp, realisasi_pk=row.pk))
        assert served.status_code == 200
        assert served["Content-Type"] == "application/pdf"
        assert b"".join(served.streaming_content) == PDF_BYTES
    assert clients.atasan_lain.get(url("bukti", skp, realisasi_pk=row.pk)).status_code == 404


def test_an_image_is_stored_under_the_extension_its_content_calls_for(clients, persona, skp):
    skp = bring_to(skp, persona, Status.BERJALAN)
    rencana = first_rencana(skp)
    upload(clients.bawahan, skp, rencana, PNG_BYTES, "foto.pdf")
    row = Realisasi.objects.get(rencana=rencana, periode_ke=1)
    assert row.bukti_file.name.endswith(".png")
    served = clients.bawahan.get(url("bukti", skp, realisasi_pk=row.pk))
    assert served["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Ini hanya teks biasa, bukan PDF.\n", "laporan.pdf", "bukan salah satunya"),
        (b"<html><script>alert(1)</script></html>", "bukti.png", "bukan salah satunya"),
        (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "besar.pdf", "terlalu besar"),
    ],
)
def test_a_wrong_or_too_large_evidence_file_is_refused_and_nothing_is_saved(
    clients, persona, skp, settings, content, name, message
):
    skp = bring_to(skp, persona, Status.BERJALAN)
    rencana = first_rencana(skp)
    response = upload(clients.bawahan, skp, rencana, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Realisasi.objects.filter(rencana__penilaian=skp).exists()
    assert stored_files(settings) == []
    assert fresh(skp).version == skp.version


def test_an_evidence_url_of_another_skp_is_404(clients, persona, org, skp, periode):
    skp = bring_to(skp, persona, Status.BERJALAN)
    row = services.realisasi_save(
        actor=persona.bawahan,
        penilaian=skp,
        rencana=first_rencana(skp),
        periode_ke=1,
        realisasi="x",
        bukti_file=SimpleUploadedFile("b.pdf", PDF_BYTES),
    )
    own = services.penilaian_create(actor=persona.atasan, periode=periode, pegawai=org.kabid)
    # The kabid may open their own SKP, but not reach the staf's file through it.
    assert clients.atasan.get(url("bukti", own, realisasi_pk=row.pk)).status_code == 404


# ---------------------------------------------------------------------------------------------
# Penilaian bawahan


def test_penilaian_bawahan_lists_what_awaits_the_atasan(clients, persona, skp):
    response = clients.atasan.get(url("bawahan"))
    assert [s.pk for s in response.context["page"].object_list] == [skp.pk]
    assert response.context["total_menunggu"] == 0

    skp = bring_to(skp, persona, Status.DIAJUKAN)
    response = clients.atasan.get(url("bawahan"))
    counts = {(peran, status): n for peran, status, _, n in response.context["counts"]}
    assert counts[("penilai", Status.DIAJUKAN)] == 1
    assert response.context["page"].object_list[0].menunggu == "Setujui atau kembalikan rencana"
    assert "Setujui atau kembalikan rencana" in response.content.decode()

    # The kadis is atasan penilai: nothing awaits them until a keberatan.
    response = clients.kadis.get(url("bawahan"))
    assert [s.pk for s in response.context["page"].object_list] == [skp.pk]
    assert response.context["total_menunggu"] == 0


def test_a_keberatan_awaits_the_atasan_penilai(clients, persona, skp):
    skp = bring_to(skp, persona, Status.KEBERATAN)
    response = clients.kadis.get(url("bawahan"), {"menunggu": "1"})
    assert [s.menunggu for s in response.context["page"].object_list] == ["Putuskan keberatan"]
    assert clients.atasan.get(url("bawahan"), {"menunggu": "1"}).context["page"].paginator.count == 0


def test_the_bawahan_filters_and_bad_values_do_not_break_the_page(clients, skp):
    for params in ({"status": "draf"}, {"status": "nonsense"}, {"tahun": "abc"}, {"q": "iqbal"}, {"hal": "999"}):
        response = clients.atasan.get(url("bawahan"), params)
        assert response.status_code == 200
    assert clients.atasan.get(url("bawahan"), {"status": "final"}).context["page"].paginator.count == 0


# ---------------------------------------------------------------------------------------------
# BKPSDM list and distribution


def test_the_bkpsdm_list_filters_by_period_unit_state_predikat_and_name(clients, persona, org, skp, periode):
    other = services.penilaian_create(actor=persona.staf_bkpsdm, periode=periode, pegawai=org.staf_dinkes)
    client = clients.staf_bkpsdm

    def listed(**params):
        response = client.get(url("daftar"), params)
        assert response.status_code == 200
        return {row.pk for row in response.context["page"].object_list}

    assert listed() == {skp.pk, other.pk}  # the newest period by default
    assert listed(unit_kerja=org.disdik.pk) == {skp.pk}  # subtree: the staf sits in the bidang
    assert listed(unit_kerja=org.dinkes.pk) == {other.pk}
    assert listed(q="zulfi") == {other.pk}
    assert listed(q=org.staf.nip[:10]) == {skp.pk}
    bring_to(skp, persona, Status.FINAL)
    assert listed(status="final") == {skp.pk}
    assert listed(predikat=int(Predikat.BAIK)) == {skp.pk}
    assert listed(unit_kerja="abc") == {skp.pk, other.pk}  # a bad filter is shown, not a 500
    assert listed(unit_kerja=str(10**30)) == {skp.pk, other.pk}


def test_the_distribution_shows_its_warnings_as_warnings(clients, persona, org, skp, periode):
    bring_to(skp, persona, Status.FINAL)  # Baik
    CapaianUnit.objects.create(periode=periode, unit_kerja=org.disdik, capaian="baik")
    response = clients.staf_bkpsdm.get(url("distribusi"), {"periode": periode.pk})
    assert response.status_code == 200
    rows = {row.unit_nama: row for row in response.context["rows"]}
    assert rows["Dinas Pendidikan"].counts[int(Predikat.BAIK)] == 1
    assert rows["Dinas Pendidikan"].warnings
    html = response.content.decode()
    assert 'class="alert alert-warning"' in html
    assert "melebihi 70%" in html


def add_pegawai(org, n, start=0):
    """``n`` more pegawai answering to the kabid, in their own seksi."""
    for i in range(start, start + n):
        unit = UnitKerjaFactory(nama=f"Seksi {i}", parent=org.bidang, jenis="seksi")
        jabatan = JabatanFactory(nama=f"Pengolah Data {i}", unit_kerja=unit, atasan=org.j_kabid)
        PegawaiFactory(nama=f"Tambahan {i:03d}", jabatan=jabatan, tanggal_lahir=dt.date(1980 + i % 15, 1, 1 + i % 27))


def count_queries(client, target, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target, params or {})
    assert response.status_code == 200
    return len(ctx), response


def test_list_query_counts_stay_flat_from_5_to_50_skps(clients, persona, org, periode):
    add_pegawai(org, 5)
    bulk.penilaian_generate(actor=persona.staf_bkpsdm, periode=periode, unit=org.bidang)
    pages = [
        (clients.staf_bkpsdm, url("daftar"), {}),
        (clients.staf_bkpsdm, url("daftar"), {"unit_kerja": org.bidang.pk, "status": "draf", "q": "Tambahan"}),
        (clients.atasan, url("bawahan"), {}),
        (clients.staf_bkpsdm, url("distribusi"), {}),
        (clients.staf_bkpsdm, url("periode_list"), {}),
    ]
    small = [count_queries(c, t, p)[0] for c, t, p in pages]
    add_pegawai(org, 45, start=5)
    bulk.penilaian_generate(actor=persona.staf_bkpsdm, periode=periode, unit=org.bidang)
    large = []
    for client, target, params in pages:
        n, response = count_queries(client, target, params)
        large.append(n)
    assert Penilaian.objects.count() == 52
    assert small == large
    n, response = count_queries(clients.staf_bkpsdm, url("daftar"))
    assert len(response.context["page"].object_list) == 25
    # Session (read, save), the user, the scope (unit paths, pegawai, acting jabatan, the ids
    # of self and subordinates), then periods, one COUNT and one page of rows.
    assert n <= 12


# ---------------------------------------------------------------------------------------------
# Periods and "Buat SKP massal"


def test_staff_open_a_period_and_a_duplicate_year_is_a_form_error(clients, org):
    response = clients.staf_bkpsdm.post(
        url("periode_list"), {"instansi": org.pemda.pk, "tahun": 2027, "periodik": "bulanan"}
    )
    periode = PeriodePenilaian.objects.get(instansi=org.pemda, tahun=2027)
    assert response["Location"] == url("periode_detail", pk=periode.pk)
    response = clients.staf_bkpsdm.post(
        url("periode_list"), {"instansi": org.pemda.pk, "tahun": 2027, "periodik": "triwulanan"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert PeriodePenilaian.objects.filter(instansi=org.pemda, tahun=2027).count() == 1


def test_staff_cannot_open_a_period_for_another_instansi(clients, org):
    response = clients.staf_bkpsdm.post(
        url("periode_list"), {"instansi": org.pemda_b.pk, "tahun": 2027, "periodik": "bulanan"}
    )
    assert "instansi" in response.context["form"].errors
    assert not PeriodePenilaian.objects.filter(tahun=2027).exists()


def test_staff_close_and_reopen_a_period_and_set_the_capaian(clients, org, periode):
    clients.staf_bkpsdm.post(url("periode_status", pk=periode.pk), {"status": "ditutup"})
    assert not PeriodePenilaian.objects.get(pk=periode.pk).is_open
    clients.staf_bkpsdm.post(url("periode_status", pk=periode.pk), {"status": "dibuka"})
    assert PeriodePenilaian.objects.get(pk=periode.pk).is_open
    clients.staf_bkpsdm.post(url("periode_capaian", pk=periode.pk), {"unit_kerja": org.disdik.pk, "capaian": "baik"})
    assert CapaianUnit.objects.get(periode=periode, unit_kerja=org.disdik).capaian == "baik"
    # A unit that is not a perangkat daerah of this instansi is not found.
    response = clients.staf_bkpsdm.post(
        url("periode_capaian", pk=periode.pk), {"unit_kerja": org.dinas_b.pk, "capaian": "baik"}
    )
    assert response.status_code == 404


def test_buat_skp_massal_creates_the_missing_skps_of_a_subtree(clients, persona, org, skp, periode):
    response = clients.staf_bkpsdm.post(url("periode_generate", pk=periode.pk), {"unit_kerja": org.disdik.pk})
    assert response.status_code == 302
    made = Penilaian.objects.filter(periode=periode).exclude(pk=skp.pk)
    assert {s.pegawai_id for s in made} == {org.kadis.pk, org.kabid.pk}  # the staf already had one
    kabid_skp = made.get(pegawai=org.kabid)
    assert (kabid_skp.penilai_id, kabid_skp.atasan_penilai_id) == (org.kadis.pk, None)
    assert AuditLog.objects.for_object(kabid_skp).count() == 1
    response = clients.staf_bkpsdm.post(
        url("periode_generate", pk=periode.pk), {"unit_kerja": org.disdik.pk}, follow=True
    )
    assert any("sudah memiliki SKP" in m for m in messages_of(response))


def test_buat_skp_massal_gives_the_same_parties_as_starting_one_by_one(persona, org, periode):
    """Including a vacant seksi whose Plt is one of its own staff: the Plt rates the other, and
    is rated by the kabid."""
    seksi = UnitKerjaFactory(nama="Seksi Kurikulum", parent=org.bidang, jenis="seksi")
    j_kasi = JabatanFactory(
        nama="Kepala Seksi Kurikulum", jenis="pengawas", eselon="41", unit_kerja=seksi, atasan=org.j_kabid
    )
    j_pelaksana = JabatanFactory(nama="Penyusun Kurikulum", unit_kerja=seksi, atasan=j_kasi)
    plt = PegawaiFactory(nama="Ahmad Plt", jabatan=j_pelaksana, tanggal_lahir=dt.date(1986, 4, 4))
    rekan = PegawaiFactory(nama="Budi Rekan", jabatan=j_pelaksana, tanggal_lahir=dt.date(1991, 9, 9))
    RiwayatJabatan.objects.create(
        pegawai=plt,
        jabatan=j_kasi,
        nama_jabatan=j_kasi.nama,
        nama_unit_kerja=seksi.nama,
        jenis_penugasan="plt",
        tmt=dt.date(2025, 1, 1),
    )
    bulk.penilaian_generate(actor=persona.staf_bkpsdm, periode=periode, unit=org.pemda)
    made = Penilaian.objects.filter(periode=periode).select_related("pegawai__jabatan")
    assert made.count() == 8
    for skp in made:
        penilai, penugasan, atasan = services.default_parties(skp.pegawai)
        assert (skp.penilai, skp.penilai_penugasan, skp.atasan_penilai) == (penilai, penugasan, atasan)
        assert skp.penilai_nama == (penilai.nama_lengkap if penilai else "")
    assert (made.get(pegawai=rekan).penilai_id, made.get(pegawai=rekan).penilai_penugasan) == (plt.pk, "plt")
    assert made.get(pegawai=plt).penilai_id == org.kabid.pk


def test_buat_skp_massal_refuses_a_unit_outside_the_staffs_scope(clients, org, periode):
    response = clients.staf_bkpsdm.post(url("periode_generate", pk=periode.pk), {"unit_kerja": org.dinas_b.pk})
    assert response.status_code == 200
    assert "unit_kerja" in response.context["generate_form"].errors
    assert not Penilaian.objects.exists()


def test_buat_skp_massal_refuses_a_closed_period(clients, org, periode):
    services.periode_set_status(actor=None, periode=periode, status="ditutup")
    response = clients.staf_bkpsdm.post(
        url("periode_generate", pk=periode.pk), {"unit_kerja": org.disdik.pk}, follow=True
    )
    assert any("sudah ditutup" in m for m in messages_of(response))
    assert not Penilaian.objects.exists()


# ---------------------------------------------------------------------------------------------
# History


def test_the_skp_page_shows_its_audit_history(clients, persona, skp):
    bring_to(skp, persona, Status.DIKEMBALIKAN)
    response = clients.bawahan.get(url("detail", skp))
    changes = [c for row in response.context["audit_rows"] for c in row["changes"]]
    labels = {c["label"] for c in changes}
    assert {"status", "Langkah", "catatan pengembalian"} <= labels
    assert any(c["new"] == "Dikembalikan" for c in changes)
    html = response.content.decode()
    assert "Kembalikan rencana SKP" in html and "Cut Nyak Meutia" in html


def test_a_missing_evidence_file_on_disk_is_404_not_500(clients, persona, skp, settings):
    skp = bring_to(skp, persona, Status.BERJALAN)
    rencana = first_rencana(skp)
    upload(clients.bawahan, skp, rencana, PDF_BYTES, "a.pdf")
    row = Realisasi.objects.get(rencana=rencana)
    for path in stored_files(settings):
        path.unlink()
    assert clients.bawahan.get(url("bukti", skp, realisasi_pk=row.pk)).status_code == 404


def test_huge_ids_in_urls_are_404(clients, skp):
    assert clients.bawahan.get(f"/penilaian/{10**30}/").status_code == 404
    assert clients.bawahan.get(f"/penilaian/{skp.pk}/bukti/{10**30}/").status_code == 404
