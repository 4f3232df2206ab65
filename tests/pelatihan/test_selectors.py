"""The reading side of competency development (DOMAIN §5–6): the 20 JP rule per pegawai and per
unit, leadership training gaps, competency gaps and the job-person match, and who needs which
training."""

import datetime as dt

import pytest
import time_machine

from apps.pegawai import services as pegawai_services
from apps.pegawai.models import Pegawai
from apps.pelatihan import selectors, services
from apps.pelatihan.models import Kepemimpinan
from apps.pelatihan.selectors import Kebutuhan
from apps.penilaian import services as penilaian_services
from apps.penilaian.models import Penilaian, Predikat
from apps.penilaian.models import Status as StatusSkp
from apps.standar_kinerja import services as standar_services
from apps.standar_kinerja.models import Kompetensi

from ..factories import (
    JabatanFactory,
    PegawaiFactory,
    PelatihanFactory,
    PenyelenggaraFactory,
    RiwayatPelatihanFactory,
)

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0), tick=False):
        yield


def jp(pegawai, amount, selesai=dt.date(2026, 6, 12), **kwargs):
    """A confirmed record of ``amount`` JP ending on ``selesai`` (unless a status says otherwise)."""
    return RiwayatPelatihanFactory(
        pegawai=pegawai, jp=max(amount, 1), jp_diakui=amount, tanggal_selesai=selesai, **kwargs
    )


def kode(*codes):
    found = {k.kode: k for k in Kompetensi.objects.filter(kode__in=codes)}
    return [found[c] for c in codes]


def asesmen(actor, pegawai, kompetensi, level, tanggal=dt.date(2026, 3, 2)):
    return services.asesmen_create(
        actor=actor,
        pegawai=pegawai,
        kompetensi=kompetensi,
        level=level,
        tanggal=tanggal,
        metode="assessment_center",
        asesor="UPT Penilaian Kompetensi BKPSDM",
    )


def standar(jabatan, **levels):
    """Required levels by kode with the dot dropped: ``standar(j, M01=3, M02=3)``."""
    by_kode = {k.kode.replace(".", ""): k for k in Kompetensi.objects.all()}
    standar_services.kompetensi_save_all(
        actor=None, jabatan=jabatan, levels={by_kode[name]: level for name, level in levels.items()}
    )


def scoped(persona):
    return Pegawai.objects.manageable_by(persona.staf_bkpsdm)


# ---------------------------------------------------------------------------------------------
# JP in a year


def test_only_confirmed_records_count(org):
    jp(org.staf, 8, sumber="pendaftaran", status="selesai")
    jp(org.staf, 6, status="terverifikasi")
    # Whatever JP they carry, records BKPSDM has not confirmed do not count.
    for status in ("diajukan", "disetujui_atasan", "terdaftar", "menunggu_verifikasi", "ditolak", "dibatalkan"):
        jp(org.staf, 10, status=status)
    # Recorded as not attended: confirmed, but no JP earned.
    jp(org.staf, 0, status="selesai", hadir=False, lulus=False)

    assert selectors.jp_tahun(org.staf, 2026) == 14
    assert selectors.with_jp(Pegawai.objects.filter(pk=org.staf.pk), 2026).get().jp_tahun == 14


def test_a_record_counts_in_the_year_its_training_ended(org):
    jp(org.staf, 12, selesai=dt.date(2025, 12, 31), tanggal_mulai=dt.date(2025, 12, 29))
    jp(org.staf, 7, selesai=dt.date(2026, 1, 1), tanggal_mulai=dt.date(2025, 12, 30))

    assert (selectors.jp_tahun(org.staf, 2025), selectors.jp_tahun(org.staf, 2026)) == (12, 7)
    qs = Pegawai.objects.filter(pk=org.staf.pk)
    assert selectors.with_jp(qs, 2025).get().jp_tahun == 12
    assert selectors.with_jp(qs, 2026).get().jp_tahun == 7


@pytest.mark.parametrize(
    ("total", "kurang", "kekurangan"), [(0, True, 20), (19, True, 1), (20, False, 0), (21, False, 0)]
)
def test_the_20_jp_line(org, total, kurang, kekurangan):
    if total:
        jp(org.staf, total - 1)
        jp(org.staf, 1, selesai=dt.date(2026, 12, 31))
    jp(org.staf, 40, selesai=dt.date(2025, 12, 31))  # last year's do not help

    qs = Pegawai.objects.filter(pk=org.staf.pk)
    row = selectors.with_jp(qs, 2026).get()
    assert (row.jp_tahun, row.kekurangan_jp) == (total, kekurangan)
    assert selectors.kurang_jp(qs, 2026).exists() == kurang
    assert selectors.kebutuhan_qs(qs, Kebutuhan.JP, tahun=2026).exists() == kurang
    [item] = selectors.kebutuhan_detail(qs.select_related("jabatan", "unit_kerja"), tahun=2026)
    assert (item.jp_tahun, item.kekurangan_jp) == (total, kekurangan)


def test_kurang_jp_lists_exactly_those_under_20_in_scope(org, persona):
    jp(org.kadis, 20)
    jp(org.kabid, 19)
    jp(org.kadinkes, 32)
    # staf, staf_dinkes and analis have none; pegawai_b is outside the scope.
    rows = selectors.kurang_jp(scoped(persona), 2026).order_by("nama")

    assert [(p.nama, p.jp_tahun, p.kekurangan_jp) for p in rows] == [
        ("Cut Nyak Meutia", 19, 1),
        ("Muhammad Iqbal", 0, 20),
        ("Nurul Hidayah", 0, 20),
        ("Zulfikar", 0, 20),
    ]


# ---------------------------------------------------------------------------------------------
# The 20 JP rule per unit


@pytest.fixture
def jp_example(org):
    """Disdik: kadis 20 (in the dinas itself), kabid 5 and staf 0 (in its bidang); Dinkes:
    kadinkes 30, staf 19; BKPSDM: analis 12; pemda B: none. Plus records that must not count."""
    jp(org.kadis, 20)
    jp(org.kabid, 5)
    jp(org.kadinkes, 18)
    jp(org.kadinkes, 12, selesai=dt.date(2026, 2, 1))
    jp(org.staf_dinkes, 19)
    jp(org.analis, 12)
    jp(org.staf, 30, selesai=dt.date(2025, 7, 1))
    jp(org.staf, 30, status="menunggu_verifikasi")


def figures(rows):
    return [(r.unit.nama, r.jumlah_pegawai, r.kurang, r.total_jp, r.total_kekurangan) for r in rows]


def test_rekap_per_instansi(org, persona, jp_example, django_assert_num_queries):
    qs = scoped(persona)
    with django_assert_num_queries(3):
        rows = selectors.rekap_jp_per_unit(qs, 2026)

    assert figures(rows) == [("Pemerintah Kota Sabang", 6, 4, 86, 44)]
    assert (rows[0].memenuhi, rows[0].persen_memenuhi, rows[0].rata_jp) == (2, 33.3, 14.3)


def test_rekap_per_perangkat_daerah(org, persona, jp_example):
    rows = selectors.rekap_jp_per_unit(scoped(persona), 2026, induk=org.pemda)

    assert figures(rows) == [
        ("BKPSDM", 1, 1, 12, 8),
        ("Dinas Kesehatan", 2, 1, 49, 1),
        ("Dinas Pendidikan", 3, 2, 25, 35),
    ]


def test_rekap_of_a_unit_puts_its_own_pegawai_first_then_its_children(org, persona, jp_example):
    rows = selectors.rekap_jp_per_unit(scoped(persona), 2026, induk=org.disdik)

    assert figures(rows) == [("Dinas Pendidikan", 1, 0, 20, 0), ("Bidang Pembinaan SD", 2, 2, 5, 35)]
    assert rows[0].persen_memenuhi == 100.0 and rows[1].persen_memenuhi == 0.0


def test_rekap_of_a_unit_leaves_out_pegawai_outside_it(org, persona, jp_example):
    # Those of Dinkes and BKPSDM are in the scope but not in Disdik's subtree.
    rows = selectors.rekap_jp_per_unit(scoped(persona), 2026, induk=org.disdik)

    assert sum(r.jumlah_pegawai for r in rows) == 3


def test_rekap_for_a_superuser_has_one_row_per_instansi(org, persona, jp_example):
    rows = selectors.rekap_jp_per_unit(Pegawai.objects.manageable_by(persona.superuser), 2026)

    assert figures(rows) == [
        ("Pemerintah Kota Sabang", 6, 4, 86, 44),
        ("Pemerintah Kota Tebingtinggi", 1, 1, 0, 20),
    ]


def test_rekap_of_another_year(org, persona, jp_example):
    [row] = selectors.rekap_jp_per_unit(scoped(persona), 2025)

    assert (row.jumlah_pegawai, row.kurang, row.total_jp, row.total_kekurangan) == (6, 5, 30, 100)


def test_rekap_queries_do_not_grow_with_the_units(org, persona, jp_example, django_assert_num_queries):
    for unit in (org.bidang, org.dinkes, org.bkpsdm):
        jp(PegawaiFactory(jabatan=JabatanFactory(unit_kerja=unit)), 3)

    qs = scoped(persona)
    with django_assert_num_queries(3):
        rows = selectors.rekap_jp_per_unit(qs, 2026, induk=org.pemda)
    assert sum(r.jumlah_pegawai for r in rows) == 9


# ---------------------------------------------------------------------------------------------
# Leadership training (PerLAN 5/2022)


@pytest.fixture
def pengawas(org):
    jabatan = JabatanFactory(
        nama="Kepala Seksi Kurikulum", jenis="pengawas", eselon="41", unit_kerja=org.bidang, atasan=org.j_kabid
    )
    return PegawaiFactory(nama="Ridwan Husin", jabatan=jabatan)


def kepemimpinan_gap(pegawai):
    qs = Pegawai.objects.filter(pk=pegawai.pk)
    in_qs = selectors.kebutuhan_qs(qs, Kebutuhan.KEPEMIMPINAN).exists()
    needed = selectors.kepemimpinan_dibutuhkan(list(qs.select_related("jabatan")), TODAY).get(pegawai.pk)
    assert in_qs == (needed is not None)  # the list and the detail agree
    return needed


def test_a_pengawas_without_pkp_has_a_gap(pengawas):
    assert kepemimpinan_gap(pengawas) == Kepemimpinan.PKP


def test_a_pengawas_with_pkp_has_none(pengawas):
    jp(pengawas, 40, kepemimpinan="pkp", selesai=dt.date(2019, 8, 30))

    assert kepemimpinan_gap(pengawas) is None


def test_a_higher_leadership_training_covers_a_lower_need(pengawas):
    jp(pengawas, 60, kepemimpinan="pka", selesai=dt.date(2022, 5, 20))

    assert kepemimpinan_gap(pengawas) is None


def test_an_administrator_with_only_pkp_needs_pka(org):
    jp(org.kabid, 40, kepemimpinan="pkp", selesai=dt.date(2015, 10, 9))

    assert kepemimpinan_gap(org.kabid) == Kepemimpinan.PKA


def test_a_jpt_pratama_needs_pkn_ii(org):
    jp(org.kadis, 60, kepemimpinan="pka", selesai=dt.date(2018, 10, 9))
    jp(org.kadinkes, 80, kepemimpinan="pkn_1", selesai=dt.date(2023, 10, 9))

    assert kepemimpinan_gap(org.kadis) == Kepemimpinan.PKN_II
    assert kepemimpinan_gap(org.kadinkes) is None


def test_an_unconfirmed_or_unattended_pkp_does_not_count(pengawas):
    for status in ("menunggu_verifikasi", "ditolak", "dibatalkan", "terdaftar"):
        RiwayatPelatihanFactory(pegawai=pengawas, kepemimpinan="pkp", jp=40, status=status)
    jp(pengawas, 0, kepemimpinan="pkp", status="selesai", hadir=False, lulus=False)

    assert kepemimpinan_gap(pengawas) == Kepemimpinan.PKP


def test_a_plt_of_a_managerial_jabatan_needs_its_training(org):
    vacant = JabatanFactory(nama="Kepala Seksi Sarpras", jenis="pengawas", eselon="41", unit_kerja=org.bidang)
    pegawai_services.riwayat_jabatan_add(
        actor=None, pegawai=org.staf, jabatan=vacant, tmt=dt.date(2026, 9, 1), jenis_penugasan="plt"
    )

    assert kepemimpinan_gap(org.staf) == Kepemimpinan.PKP
    jp(org.staf, 40, kepemimpinan="pkp", selesai=dt.date(2026, 10, 30))
    assert kepemimpinan_gap(org.staf) is None


def test_an_ended_plt_no_longer_counts(org):
    vacant = JabatanFactory(nama="Kepala Seksi Sarpras", jenis="pengawas", eselon="41", unit_kerja=org.bidang)
    pegawai_services.riwayat_jabatan_add(
        actor=None,
        pegawai=org.staf,
        jabatan=vacant,
        tmt=dt.date(2026, 1, 5),
        tanggal_selesai=dt.date(2026, 6, 30),
        jenis_penugasan="plt",
    )

    assert kepemimpinan_gap(org.staf) is None


def test_non_managerial_pegawai_need_no_leadership_training(org):
    assert kepemimpinan_gap(org.staf) is None
    assert kepemimpinan_gap(org.analis) is None


def test_the_leadership_need_lists_every_managerial_gap_in_scope(org, persona, pengawas):
    jp(org.kadinkes, 80, kepemimpinan="pkn_2", selesai=dt.date(2023, 10, 9))
    rows = selectors.kebutuhan_qs(scoped(persona), Kebutuhan.KEPEMIMPINAN).order_by("nama")

    assert [p.nama for p in rows] == ["Cut Nyak Meutia", "Ridwan Husin", "Teuku Rizal"]


# ---------------------------------------------------------------------------------------------
# Competency gap and job-person match (DOMAIN §5)


def assess(actor, pegawai, **levels):
    by_kode = {k.kode.replace(".", ""): k for k in Kompetensi.objects.all()}
    for name, level in levels.items():
        asesmen(actor, pegawai, by_kode[name], level)


def test_the_worked_example_of_gap_and_jpm(org, persona):
    standar(org.j_staf, M01=3, M02=3, M04=4)
    assess(persona.staf_bkpsdm, org.staf, M01=3, M02=2, M04=4)

    gap = selectors.gap_kompetensi(org.staf)

    assert [(r.kompetensi.kode, r.dipersyaratkan, r.hasil, r.gap) for r in gap.rows] == [
        ("M.01", 3, 3, 0),
        ("M.02", 3, 2, -1),
        ("M.04", 4, 4, 0),
    ]
    assert [r.kompetensi.kode for r in gap.negatif] == ["M.02"]
    assert (gap.lengkap, gap.jpm, gap.band) == (True, 90.0, "Memenuhi Syarat")


@pytest.mark.parametrize(
    ("assessed", "jpm", "band"),
    [
        ((4, 3, 3), 100.0, "Memenuhi Syarat"),
        ((4, 3, 1), 80.0, "Memenuhi Syarat"),
        ((3, 2, 2), 70.0, "Masih Memenuhi Syarat"),
        ((2, 2, 2), 60.0, "Kurang Memenuhi Syarat"),
        ((5, 1, 1), 60.0, "Kurang Memenuhi Syarat"),  # above the standard does not make up for below
    ],
)
def test_jpm_and_its_band(org, persona, assessed, jpm, band):
    standar(org.j_staf, M01=4, M02=3, M04=3)
    assess(persona.staf_bkpsdm, org.staf, **dict(zip(("M01", "M02", "M04"), assessed, strict=True)))

    gap = selectors.gap_kompetensi(org.staf)

    assert (gap.jpm, gap.band) == (jpm, band)


def test_jpm_exactly_68_is_still_enough(org, persona):
    standar(org.j_staf, M01=5, M02=5, M03=5, M04=5, M05=5)
    assess(persona.staf_bkpsdm, org.staf, M01=5, M02=5, M03=5, M04=1, M05=1)  # 17 / 25

    gap = selectors.gap_kompetensi(org.staf)

    assert (gap.jpm, gap.band) == (68.0, "Masih Memenuhi Syarat")


@pytest.mark.parametrize(
    ("jpm", "band"),
    [
        (100, "Memenuhi Syarat"),
        (80, "Memenuhi Syarat"),
        (79.99, "Masih Memenuhi Syarat"),
        (68, "Masih Memenuhi Syarat"),
        (67.99, "Kurang Memenuhi Syarat"),
        (0, "Kurang Memenuhi Syarat"),
        (None, None),
    ],
)
def test_the_band_boundaries(jpm, band):
    assert selectors.jpm_band(jpm) == band


def test_the_band_limits_are_configurable(settings):
    settings.JPM_BATAS = {"memenuhi": 90, "masih_memenuhi": 75}

    assert [selectors.jpm_band(v) for v in (90, 89.9, 75, 74.9)] == [
        "Memenuhi Syarat",
        "Masih Memenuhi Syarat",
        "Masih Memenuhi Syarat",
        "Kurang Memenuhi Syarat",
    ]


def test_no_jpm_while_a_competency_is_not_assessed(org, persona):
    standar(org.j_staf, M01=3, M02=3, M04=4)
    assess(persona.staf_bkpsdm, org.staf, M01=3, M02=2)

    gap = selectors.gap_kompetensi(org.staf)

    assert (gap.lengkap, gap.jpm, gap.band) == (False, None, None)
    assert [r.kompetensi.kode for r in gap.belum_diases] == ["M.04"]
    assert [r.kompetensi.kode for r in gap.negatif] == ["M.02"]  # the known gap still shows


def test_a_jabatan_without_a_standard_has_no_gap_rows(org, persona):
    assess(persona.staf_bkpsdm, org.staf, M01=1)

    gap = selectors.gap_kompetensi(org.staf)

    assert (gap.rows, gap.lengkap, gap.jpm) == ([], False, None)
    assert not selectors.kebutuhan_qs(Pegawai.objects.filter(pk=org.staf.pk), Kebutuhan.KOMPETENSI).exists()


def test_the_latest_assessment_is_the_level(org, persona):
    standar(org.j_staf, M01=3, M02=3)
    m01, m02 = kode("M.01", "M.02")
    asesmen(persona.staf_bkpsdm, org.staf, m01, 3)
    old = asesmen(persona.staf_bkpsdm, org.staf, m02, 3, tanggal=dt.date(2024, 5, 6))
    new = asesmen(persona.staf_bkpsdm, org.staf, m02, 2, tanggal=dt.date(2026, 5, 6))
    qs = Pegawai.objects.filter(pk=org.staf.pk)

    assert [r.hasil for r in selectors.gap_kompetensi(org.staf).rows] == [3, 2]
    assert selectors.kebutuhan_qs(qs, Kebutuhan.KOMPETENSI).exists()

    # The later one turns out to be dated wrongly: it was before the other.
    services.asesmen_update(actor=persona.staf_bkpsdm, asesmen=new, tanggal=dt.date(2023, 5, 6))
    assert [r.hasil for r in selectors.gap_kompetensi(org.staf).rows] == [3, 3]
    assert not selectors.kebutuhan_qs(qs, Kebutuhan.KOMPETENSI).exists()

    new.refresh_from_db()
    services.asesmen_update(actor=persona.staf_bkpsdm, asesmen=new, tanggal=dt.date(2026, 5, 6))
    services.asesmen_delete(actor=persona.staf_bkpsdm, asesmen=old)
    assert [r.hasil for r in selectors.gap_kompetensi(org.staf).rows] == [3, 2]


def test_the_competency_need_lists_those_with_a_negative_gap(org, persona):
    standar(org.j_staf, M01=3, M02=3)
    standar(org.j_staf_dinkes, M01=2)
    standar(org.j_kabid, M01=3)
    assess(persona.staf_bkpsdm, org.staf, M01=4, M02=2)  # one above, one below: a need
    assess(persona.staf_bkpsdm, org.staf_dinkes, M01=4)  # above only
    assess(persona.staf_bkpsdm, org.kabid, M02=1)  # below, but M.02 is not in the kabid's standard
    assess(persona.staf_bkpsdm, org.kadis, M01=1)  # no standard for the kadis

    rows = selectors.kebutuhan_qs(scoped(persona), Kebutuhan.KOMPETENSI)

    assert [p.nama for p in rows] == ["Muhammad Iqbal"]


def test_gaps_for_a_page_take_two_queries(org, persona, django_assert_num_queries):
    standar(org.j_staf, M01=3, M02=3)
    standar(org.j_kabid, M01=3, M04=3)
    assess(persona.staf_bkpsdm, org.staf, M01=3, M02=2)
    assess(persona.staf_bkpsdm, org.kabid, M01=3, M04=4)
    people = list(scoped(persona).select_related("jabatan"))

    with django_assert_num_queries(2):
        gaps = selectors.gap_kompetensi_bulk(people)

    assert (gaps[org.staf.pk].jpm, gaps[org.kabid.pk].jpm, gaps[org.kadis.pk].rows) == (83.33, 100.0, [])


# ---------------------------------------------------------------------------------------------
# Predikat: the latest final SKP only


def final_skp(org, persona, tahun, predikat, status=StatusSkp.FINAL):
    periode = penilaian_services.periode_create(actor=None, instansi=org.pemda, tahun=tahun, periodik="triwulanan")
    skp = penilaian_services.penilaian_create(actor=persona.staf_bkpsdm, periode=periode, pegawai=org.staf)
    Penilaian.objects.filter(pk=skp.pk).update(status=status, predikat=predikat)
    return skp


def butuh_perbaikan(org):
    return selectors.kebutuhan_qs(Pegawai.objects.filter(pk=org.staf.pk), Kebutuhan.PREDIKAT).exists()


@pytest.mark.parametrize(
    ("predikat", "need"),
    [
        (Predikat.SANGAT_BAIK, False),
        (Predikat.BAIK, False),
        (Predikat.BUTUH_PERBAIKAN, True),
        (Predikat.KURANG, True),
        (Predikat.SANGAT_KURANG, True),
    ],
)
def test_a_final_predikat_of_butuh_perbaikan_or_below_is_a_need(org, persona, skp, predikat, need):
    Penilaian.objects.filter(pk=skp.pk).update(status=StatusSkp.FINAL, predikat=predikat)

    assert butuh_perbaikan(org) == need


def test_a_predikat_not_yet_final_is_not_used(org, persona, skp):
    Penilaian.objects.filter(pk=skp.pk).update(status=StatusSkp.DINILAI, predikat=Predikat.KURANG)

    assert not butuh_perbaikan(org)


def test_the_latest_final_year_decides(org, persona, skp):
    final_skp(org, persona, 2025, Predikat.KURANG)
    Penilaian.objects.filter(pk=skp.pk).update(status=StatusSkp.FINAL, predikat=Predikat.BAIK)
    assert not butuh_perbaikan(org)

    Penilaian.objects.filter(pk=skp.pk).update(status=StatusSkp.FINAL, predikat=Predikat.BUTUH_PERBAIKAN)
    assert butuh_perbaikan(org)


def test_last_year_decides_while_this_year_is_not_final(org, persona, skp):
    final_skp(org, persona, 2025, Predikat.SANGAT_KURANG)
    Penilaian.objects.filter(pk=skp.pk).update(status=StatusSkp.KEBERATAN, predikat=Predikat.BAIK)

    assert butuh_perbaikan(org)
    [item] = selectors.kebutuhan_detail(Pegawai.objects.filter(pk=org.staf.pk).select_related("jabatan", "unit_kerja"))
    assert (item.predikat, item.predikat_label) == (Predikat.SANGAT_KURANG, "Sangat Kurang")


def test_the_needs_leave_out_pegawai_no_longer_active(org, persona, pengawas):
    Pegawai.objects.filter(pk__in=[org.staf.pk, pengawas.pk]).update(kedudukan_hukum="99")

    jp_rows = selectors.kebutuhan_qs(scoped(persona), Kebutuhan.JP, tahun=2026)
    leadership = selectors.kebutuhan_qs(scoped(persona), Kebutuhan.KEPEMIMPINAN)

    assert org.staf not in jp_rows and org.kabid in jp_rows
    assert pengawas not in leadership and org.kabid in leadership


def test_an_unknown_need_is_an_error(org):
    with pytest.raises(ValueError, match="Unknown need"):
        selectors.kebutuhan_qs(Pegawai.objects.all(), "bakat")


# ---------------------------------------------------------------------------------------------
# Who needs which training: recommendations from the catalogue


@pytest.fixture
def katalog(org):
    """Trainings of pemda A (and one of pemda B), all developing M.02 unless named otherwise."""
    m01, m02 = kode("M.01", "M.02")
    lan = PenyelenggaraFactory(instansi=org.pemda, nama="LAN RI", jenis="lan")
    soon = TODAY + dt.timedelta(days=10)

    def make(nama, mulai=soon, **kwargs):
        kwargs.setdefault("kompetensi", [m02])
        return PelatihanFactory(
            instansi=kwargs.pop("instansi", org.pemda),
            penyelenggara=kwargs.pop("penyelenggara", lan),
            nama=nama,
            tanggal_mulai=mulai,
            tanggal_selesai=mulai + dt.timedelta(days=2),
            **kwargs,
        )

    other = PenyelenggaraFactory(instansi=org.pemda_b, nama="BPSDM Sumatera Utara")
    return {
        "kerja_sama": make("Pelatihan Kerja Sama Tim"),
        "kerja_sama_later": make("Kerja Sama Lintas Sektor", mulai=soon + dt.timedelta(days=40)),
        "started": make("Kolaborasi Efektif", mulai=TODAY - dt.timedelta(days=1)),
        "today": make("Kerja Sama dalam Pelayanan", mulai=TODAY),
        "pkp": make("PKP Angkatan II", jenis_diklat=1, kepemimpinan="pkp", jp=400),
        "pka": make("PKA Angkatan I", jenis_diklat=1, kepemimpinan="pka", jp=500, kompetensi=[]),
        "integritas": make("Integritas dan Antikorupsi", kompetensi=[m01]),
        "untuk_pengawas": make("Manajemen Kinerja Seksi", kompetensi=[m01], sasaran_jenis_jabatan="pengawas"),
        "pemda_b": make("Kerja Sama di Tebingtinggi", instansi=org.pemda_b, penyelenggara=other),
    }


def detail_of(pegawai_list):
    qs = Pegawai.objects.filter(pk__in=[p.pk for p in pegawai_list]).select_related("jabatan", "unit_kerja")
    return {item.pegawai.pk: item for item in selectors.kebutuhan_detail(qs.order_by("nama"))}


def names(item):
    return [t.nama for t in item.rekomendasi]


def test_trainings_developing_the_gap_are_recommended(org, persona, katalog):
    standar(org.j_staf, M01=3, M02=3)
    assess(persona.staf_bkpsdm, org.staf, M01=3, M02=2)
    jp(org.staf, 24)  # the 20 JP are met: only the gap speaks

    item = detail_of([org.staf])[org.staf.pk]

    # M.02 trainings in date order; not started ones only; no leadership training; not pemda B's.
    assert names(item) == ["Kerja Sama dalam Pelayanan", "Pelatihan Kerja Sama Tim", "Kerja Sama Lintas Sektor"]
    assert (item.kepemimpinan, item.kekurangan_jp, [r.kompetensi.kode for r in item.gap.negatif]) == (
        None,
        0,
        ["M.02"],
    )


def test_the_leadership_training_goes_to_those_who_need_it_first(org, persona, katalog, pengawas):
    jp(pengawas, 24)

    item = detail_of([pengawas])[pengawas.pk]

    assert item.kepemimpinan == Kepemimpinan.PKP
    assert names(item) == ["PKP Angkatan II"]
    assert "PKA Angkatan I" not in names(item)


def test_without_a_need_nothing_is_recommended(org, persona, katalog):
    jp(org.staf, 20)

    assert names(detail_of([org.staf])[org.staf.pk]) == []


def test_a_jp_shortfall_gets_trainings_for_the_jabatan_then_open_ones(org, persona, katalog, pengawas):
    jp(pengawas, 40, kepemimpinan="pkp", selesai=dt.date(2019, 8, 30))  # no leadership need
    items = detail_of([org.staf, pengawas])

    # Aimed at pengawas first, then open ones by date; never a leadership training, a started
    # one or pemda B's.
    assert names(items[pengawas.pk]) == [
        "Manajemen Kinerja Seksi",
        "Kerja Sama dalam Pelayanan",
        "Pelatihan Kerja Sama Tim",
        "Integritas dan Antikorupsi",
        "Kerja Sama Lintas Sektor",
    ]
    assert names(items[org.staf.pk]) == [
        "Kerja Sama dalam Pelayanan",
        "Pelatihan Kerja Sama Tim",
        "Integritas dan Antikorupsi",
        "Kerja Sama Lintas Sektor",
    ]


def test_another_instansi_gets_only_its_own_catalogue(org, persona, katalog):
    standar(org.j_b, M02=3)
    assess(persona.staf_bkpsdm_b, org.pegawai_b, M02=1)

    item = detail_of([org.pegawai_b])[org.pegawai_b.pk]

    assert names(item) == ["Kerja Sama di Tebingtinggi"]


def test_the_detail_of_a_page_takes_a_fixed_number_of_queries(
    org, persona, katalog, pengawas, django_assert_num_queries
):
    standar(org.j_staf, M01=3, M02=3)
    assess(persona.staf_bkpsdm, org.staf, M01=3, M02=2)
    one = Pegawai.objects.filter(pk=org.staf.pk).select_related("jabatan", "unit_kerja")
    page = scoped(persona).select_related("jabatan", "unit_kerja").order_by("nama")

    # The page itself, gaps (2), leadership (2), JP, predikat, trainings with their competencies (2).
    with django_assert_num_queries(9):
        selectors.kebutuhan_detail(one)
    with django_assert_num_queries(9):
        items = selectors.kebutuhan_detail(page)
    assert len(items) == 7


def test_the_detail_of_an_empty_page_is_empty(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.kebutuhan_detail([]) == []
