"""Kenaikan pangkat reguler, KGB and BUP (DOMAIN §2) on their boundary dates. Every KP case is
checked twice: the explanation (``kp_kelayakan``) and the list filter (``kp_layak_q``) agree."""

import datetime as dt

import pytest
import time_machine

from apps.karier import eligibility as el
from apps.pegawai import services as pegawai_services
from apps.pegawai.models import Pegawai, UnitKerja
from apps.penilaian import services as penilaian_services
from apps.penilaian.models import Penilaian, PeriodePenilaian, Predikat
from tests.factories import JabatanFactory, PegawaiFactory, golongan

TODAY = dt.datetime(2026, 3, 1, 10)
KP = dt.date(2026, 4, 1)  # the next KP date from TODAY


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def final_skp(staff, pegawai, tahun, predikat):
    periode = PeriodePenilaian.objects.filter(instansi_id=pegawai.unit_kerja.instansi_id, tahun=tahun).first()
    if periode is None:
        periode = penilaian_services.periode_create(
            actor=None,
            instansi=UnitKerja.objects.get(pk=pegawai.unit_kerja.instansi_id),
            tahun=tahun,
            periodik="triwulanan",
        )
    skp = penilaian_services.penilaian_create(actor=staff, periode=periode, pegawai=pegawai)
    Penilaian.objects.filter(pk=skp.pk).update(status="final", predikat=predikat)
    return skp


def naik(pegawai, kode, tmt, **data):
    pegawai = Pegawai.objects.get(pk=pegawai.pk)
    pegawai_services.riwayat_pangkat_add(actor=None, pegawai=pegawai, golongan=golongan(kode), tmt=tmt, **data)
    return Pegawai.objects.select_related("jabatan", "golongan").get(pk=pegawai.pk)


@pytest.fixture
def calon(org, persona):
    """The staf of the bidang, III/b since exactly four years before the KP date, with a
    higher-ranked atasan and two Baik years: eligible."""
    naik(org.kabid, "III/d", dt.date(2023, 4, 1))
    staf = naik(org.staf, "III/b", dt.date(2022, 4, 1))
    final_skp(persona.staf_bkpsdm, staf, 2024, Predikat.BAIK)
    final_skp(persona.staf_bkpsdm, staf, 2025, Predikat.SANGAT_BAIK)
    return staf


def check(pegawai, periode=KP):
    pegawai = Pegawai.objects.select_related("jabatan", "golongan").get(pk=pegawai.pk)
    [explained] = el.kp_kelayakan([pegawai], periode)
    listed = Pegawai.objects.filter(pk=pegawai.pk).filter(el.kp_layak_q(periode)).exists()
    assert explained.layak == listed, explained.alasan
    return explained


def test_kp_dates_come_from_settings(settings):
    assert el.kp_periode_berikut(dt.date(2026, 3, 1)) == dt.date(2026, 4, 1)
    assert el.kp_periode_berikut(dt.date(2026, 4, 1)) == dt.date(2026, 4, 1)
    assert el.kp_periode_berikut(dt.date(2026, 4, 2)) == dt.date(2026, 10, 1)
    assert el.kp_periode_berikut(dt.date(2026, 10, 2)) == dt.date(2027, 4, 1)
    settings.KP_PERIODE = [(2, 1), (8, 1)]
    assert el.kp_periode_berikut(dt.date(2026, 3, 1)) == dt.date(2026, 8, 1)


def test_exactly_four_years_in_rank_is_eligible(calon):
    result = check(calon)
    assert result.layak and result.alasan == []


def test_one_day_short_of_four_years_is_not(org, persona, calon):
    staf = naik(calon, "III/b", dt.date(2022, 4, 2))
    result = check(staf)
    assert not result.layak
    assert result.alasan == ["Masa kerja dalam pangkat III/b baru cukup 4 tahun pada 02-04-2026."]


def test_one_butuh_perbaikan_year_blocks(calon):
    Penilaian.objects.filter(pegawai=calon, periode__tahun=2025).update(predikat=Predikat.BUTUH_PERBAIKAN)
    result = check(calon)
    assert result.alasan == ["Predikat SKP tahun 2025 Butuh Perbaikan, di bawah Baik."]


def test_missing_or_unfinished_skp_blocks(calon):
    Penilaian.objects.filter(pegawai=calon, periode__tahun=2024).delete()
    Penilaian.objects.filter(pegawai=calon, periode__tahun=2025).update(status="dinilai")
    assert check(calon).alasan == ["SKP tahun 2024 tidak ada.", "SKP tahun 2025 belum final."]


def test_not_above_the_atasan(org, calon):
    naik(org.kabid, "III/b", dt.date(2025, 4, 1))  # the atasan's latest golongan is now III/b
    result = check(calon)
    assert result.alasan == ["Pangkat akan melebihi pangkat atasan (Cut Nyak Meutia, III/b)."]


def test_postponing_penalty_blocks_but_a_reprimand_does_not(org, calon):
    pegawai_services.riwayat_hukuman_disiplin_add(
        actor=None,
        pegawai=calon,
        jenis="teguran_tertulis",
        tanggal_mulai=dt.date(2026, 1, 5),
        nomor_sk="800/1/2026",
        tanggal_sk=dt.date(2026, 1, 5),
    )
    assert check(calon).layak
    pegawai_services.riwayat_hukuman_disiplin_add(
        actor=None,
        pegawai=Pegawai.objects.get(pk=calon.pk),
        jenis="potong_tukin_6",
        tanggal_mulai=dt.date(2026, 1, 5),
        tanggal_selesai=dt.date(2026, 7, 4),
        nomor_sk="800/2/2026",
        tanggal_sk=dt.date(2026, 1, 5),
    )
    result = check(calon)
    assert result.alasan == [
        "Sedang menjalani hukuman disiplin: Pemotongan tunjangan kinerja 25% selama 6 bulan sampai 04-07-2026."
    ]
    # Served before the KP date: no longer in the way.
    assert check(calon, dt.date(2026, 10, 1)).layak


def test_penalty_kinds_carry_their_postponement():
    from apps.pegawai.models import RiwayatHukumanDisiplin as H

    assert H.default_penundaan("teguran_lisan") == (False, False)
    assert H.default_penundaan("potong_tukin_12") == (True, False)
    assert H.default_penundaan("penundaan_kgb") == (False, True)
    assert H.default_penundaan("penundaan_kp") == (True, False)
    assert H.default_penundaan("pembebasan_jabatan") == (True, False)


def test_fungsional_needs_two_years_and_notes_angka_kredit(org, persona):
    jf = JabatanFactory(
        nama="Pranata Komputer Ahli Pertama",
        jenis="fungsional",
        jenjang="PT",
        unit_kerja=org.bidang,
        atasan=org.j_kabid,
    )
    naik(org.kabid, "III/d", dt.date(2023, 4, 1))
    pegawai = PegawaiFactory(jabatan=jf, tmt_golongan=dt.date(2024, 4, 1))
    final_skp(persona.staf_bkpsdm, pegawai, 2024, Predikat.BAIK)
    final_skp(persona.staf_bkpsdm, pegawai, 2025, Predikat.BAIK)
    result = check(pegawai)
    assert result.layak
    assert result.catatan == ["Jabatan fungsional: angka kredit kumulatif diperiksa tersendiri."]
    later = PegawaiFactory(jabatan=jf, tmt_golongan=dt.date(2024, 4, 2))
    assert not check(later).layak


def test_top_rank_pppk_and_cpns_are_not_candidates(org):
    top = PegawaiFactory(jabatan=org.j_staf_dinkes)
    top = naik(top, "IV/e", dt.date(2024, 4, 1))
    assert check(top).alasan == ["Sudah berada di golongan tertinggi (IV/e)."]
    pppk = PegawaiFactory(jabatan=org.j_staf_dinkes, jenis_asn="PPPK", tmt_golongan=dt.date(2015, 1, 1))
    assert check(pppk).alasan == ["PPPK tidak mengenal kenaikan pangkat."]
    cpns = PegawaiFactory(jabatan=org.j_staf_dinkes, jenis_asn="CPNS", tmt_golongan=dt.date(2015, 1, 1))
    assert check(cpns).alasan == ["CPNS belum dapat naik pangkat."]


def test_candidates_are_those_with_the_years(org, calon):
    short = naik(org.staf_dinkes, "II/c", dt.date(2023, 1, 1))
    ids = set(Pegawai.objects.filter(el.kp_kandidat_q(KP)).values_list("pk", flat=True))
    assert calon.pk in ids and short.pk not in ids


# ---- KGB ------------------------------------------------------------------------------------


def test_kgb_every_two_years_of_masa_kerja_golongan(org):
    pegawai = naik(org.staf, "III/b", dt.date(2020, 4, 1), masa_kerja_tahun=3, masa_kerja_bulan=0)
    assert pegawai.mkg_mulai == dt.date(2017, 4, 1)
    assert pegawai.masa_kerja_golongan(dt.date(2026, 3, 31)) == (8, 11)
    assert el.kgb_berikut(pegawai, dt.date(2026, 3, 1)) == dt.date(2027, 4, 1)
    assert el.kgb_berikut(pegawai, dt.date(2025, 4, 1)) == dt.date(2025, 4, 1)
    assert el.kgb_berikut(pegawai, dt.date(2025, 4, 2)) == dt.date(2027, 4, 1)

    def due(awal, akhir):
        qs = el.with_kgb_fields(Pegawai.objects.filter(pk=pegawai.pk)).filter(el.kgb_dalam_q(awal, akhir))
        return qs.exists()

    assert due(dt.date(2027, 4, 1), dt.date(2027, 4, 1))
    assert due(dt.date(2026, 6, 1), dt.date(2027, 5, 31))
    assert not due(dt.date(2026, 4, 2), dt.date(2027, 3, 31))
    assert not due(dt.date(2027, 4, 2), dt.date(2028, 3, 31))


def test_kgb_postponed_by_a_penalty(org):
    pegawai = naik(org.staf, "III/b", dt.date(2020, 4, 1), masa_kerja_tahun=3)
    pegawai_services.riwayat_hukuman_disiplin_add(
        actor=None,
        pegawai=pegawai,
        jenis="penundaan_kgb",
        tanggal_mulai=dt.date(2027, 1, 1),
        tanggal_selesai=dt.date(2027, 12, 31),
        nomor_sk="800/3/2026",
        tanggal_sk=dt.date(2026, 12, 20),
    )
    held = el.kgb_ditunda([pegawai], lambda p: el.kgb_berikut(p))
    assert held[pegawai.pk].jenis == "penundaan_kgb"


# ---- BUP ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jenis", "jenjang", "usia"),
    [
        ("pelaksana", "", 58),
        ("pengawas", "", 58),
        ("administrator", "", 58),
        ("fungsional", "PT", 58),
        ("fungsional", "MU", 58),
        ("fungsional", "TR", 58),
        ("fungsional", "MA", 60),
        ("jpt_pratama", "", 60),
        ("fungsional", "UT", 65),
    ],
)
def test_bup_by_jabatan(org, jenis, jenjang, usia):
    jabatan = JabatanFactory(jenis=jenis, jenjang=jenjang, unit_kerja=org.bidang)
    lahir = dt.date(2026 - usia, 5, 10)
    pegawai = PegawaiFactory(jabatan=jabatan, tanggal_lahir=lahir)
    pegawai = Pegawai.objects.select_related("jabatan").get(pk=pegawai.pk)
    assert el.bup_usia(pegawai.jabatan) == usia
    # The first day of the month after the month the age is reached.
    assert el.tanggal_pensiun(pegawai) == dt.date(2026, 6, 1)
    within = Pegawai.objects.filter(pk=pegawai.pk)
    assert within.filter(el.pensiun_dalam_q(dt.date(2026, 6, 1), dt.date(2026, 6, 1))).exists()
    assert within.filter(el.pensiun_dalam_q(dt.date(2026, 3, 1), dt.date(2027, 2, 28))).exists()
    assert not within.filter(el.pensiun_dalam_q(dt.date(2026, 3, 1), dt.date(2026, 5, 31))).exists()
    assert not within.filter(el.pensiun_dalam_q(dt.date(2026, 6, 2), dt.date(2027, 5, 31))).exists()


def test_pppk_ends_with_the_work_agreement(org):
    pegawai = PegawaiFactory(jabatan=org.j_staf_dinkes, jenis_asn="PPPK", tanggal_lahir=dt.date(1960, 1, 1))
    Pegawai.objects.filter(pk=pegawai.pk).update(akhir_perjanjian_kerja=dt.date(2026, 12, 31))
    pegawai.refresh_from_db()
    assert el.tanggal_pensiun(pegawai) == dt.date(2026, 12, 31)
    within = Pegawai.objects.filter(pk=pegawai.pk)
    assert within.filter(el.pensiun_dalam_q(dt.date(2026, 3, 1), dt.date(2027, 2, 28))).exists()
    assert not within.filter(el.pensiun_dalam_q(dt.date(2027, 1, 1), dt.date(2027, 12, 31))).exists()


def test_pppk_contract_end_refused_for_pns(org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        pegawai_services.pegawai_update(actor=None, pegawai=org.staf, akhir_perjanjian_kerja=dt.date(2030, 1, 1))
    assert "akhir_perjanjian_kerja" in exc.value.message_dict
