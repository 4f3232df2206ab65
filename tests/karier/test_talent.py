"""The 9-box of DOMAIN §8: each box from a predikat and a job-person match, the matrix of a
scope, and the succession candidates from the talent pool."""

import datetime as dt

import pytest

from apps.karier import talent
from apps.pegawai.models import Jabatan, Pegawai
from apps.pelatihan import services as pelatihan_services
from apps.penilaian.models import Predikat
from apps.standar_kinerja.models import Kompetensi, StandarKompetensi
from tests.factories import PegawaiFactory, RiwayatPelatihanFactory

from .test_eligibility import final_skp

SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


@pytest.mark.parametrize(
    ("predikat", "jpm", "box"),
    [
        (SB, 90, 9),
        (B, 80, 8),
        (SB, 79.99, 7),
        (BP, 85, 6),
        (K, 95, 6),
        (B, 68, 5),
        (SB, 67.99, 4),
        (SK, 70, 3),
        (B, 50, 2),
        (BP, 10, 1),
    ],
)
def test_each_box(predikat, jpm, box):
    assert talent.box_of(predikat, jpm) == box
    assert talent.TINDAK_LANJUT[box]


def test_no_box_without_both_axes():
    assert talent.box_of(None, 90) is None
    assert talent.box_of(SB, None) is None


def assess(staff, pegawai, levels):
    for kode, level in levels.items():
        pelatihan_services.asesmen_create(
            actor=staff,
            pegawai=pegawai,
            kompetensi=Kompetensi.objects.get(kode=kode),
            level=level,
            tanggal=dt.date(2025, 11, 1),
            metode="assessment_center",
            asesor="UPT Penilaian Kompetensi",
        )


@pytest.fixture
def standar(org):
    """Pengelola Data Pendidikan and Pengadministrasi Umum require M.01 3, M.02 3, M.04 4."""
    for jabatan in (org.j_staf, org.j_staf_dinkes, org.j_kabid):
        for kode, level in {"M.01": 3, "M.02": 3, "M.04": 4}.items():
            StandarKompetensi.objects.create(jabatan=jabatan, kompetensi=Kompetensi.objects.get(kode=kode), level=level)


def test_matrix_places_each_pegawai(org, persona, standar, django_assert_max_num_queries):
    staff = persona.staf_bkpsdm
    assess(staff, org.staf, {"M.01": 3, "M.02": 3, "M.04": 4})  # 100% → tinggi
    final_skp(staff, org.staf, 2025, SB)  # → box 9
    assess(staff, org.staf_dinkes, {"M.01": 3, "M.02": 2, "M.04": 2})  # 7/10 = 70% → menengah
    final_skp(staff, org.staf_dinkes, 2025, B)  # → box 5
    assess(staff, org.kabid, {"M.01": 2, "M.02": 2})  # M.04 not assessed: no JPM
    final_skp(staff, org.kabid, 2025, SB)
    other = PegawaiFactory(jabatan=org.j_staf)
    assess(staff, other, {"M.01": 1, "M.02": 1, "M.04": 1})  # 30% → rendah, but no SKP
    scope = Pegawai.objects.visible_to(staff)
    with django_assert_max_num_queries(4):
        m = talent.matriks(scope)
    assert m.kotak[9] == [org.staf.pk]
    assert m.kotak[5] == [org.staf_dinkes.pk]
    assert m.total == 2
    assert m.jpm[org.staf_dinkes.pk] == 70.0
    assert org.kabid.pk not in m.jpm  # incomplete assessment
    assert (m.tanpa_asesmen, m.tanpa_predikat) == (1, 1)
    assert m.talent_pool == [org.staf.pk]
    # Another pemda's staff see none of it.
    assert talent.matriks(Pegawai.objects.visible_to(persona.staf_bkpsdm_b)).total == 0


def test_latest_final_predikat_decides(org, persona, standar):
    staff = persona.staf_bkpsdm
    assess(staff, org.staf, {"M.01": 3, "M.02": 3, "M.04": 4})
    final_skp(staff, org.staf, 2024, SB)
    final_skp(staff, org.staf, 2025, BP)
    m = talent.matriks(Pegawai.objects.visible_to(staff))
    assert m.kotak[6] == [org.staf.pk]


def test_succession_lists_pool_one_level_below(org, persona, standar):
    staff = persona.staf_bkpsdm
    # The staf (pelaksana) is in box 9: a candidate for pengawas jabatan, not administrator.
    assess(staff, org.staf, {"M.01": 3, "M.02": 3, "M.04": 4})
    final_skp(staff, org.staf, 2025, SB)
    # The kabid (administrator) in box 8 (Baik, 100%): a candidate for JPT pratama, with PKA only.
    assess(staff, org.kabid, {"M.01": 3, "M.02": 3, "M.04": 4})
    final_skp(staff, org.kabid, 2025, B)
    RiwayatPelatihanFactory(pegawai=org.kabid, kepemimpinan="pka", nama="PKA Angkatan I")
    scope = Pegawai.objects.visible_to(staff)
    rows = {s.jabatan.pk: s for s in talent.suksesi(scope, Jabatan.objects.visible_to(staff))}
    kadis = rows[org.j_kadis.pk]
    assert kadis.pemangku == org.kadis
    assert [(k.pegawai, k.box, k.kepemimpinan_ada) for k in kadis.kandidat] == [(org.kabid, 8, False)]
    # No pengawas jabatan in the fixture, so the staf appears nowhere; the kabid jabatan's
    # candidates would be pengawas.
    assert rows[org.j_kabid.pk].kandidat == []
    assert org.j_staf.pk not in rows  # not managerial


def test_career_page_shows_the_predikat_without_a_complete_assessment(org, persona, standar):
    from apps.karier.selectors import menuju_jenjang

    staff = persona.staf_bkpsdm
    assess(staff, org.kabid, {"M.01": 2, "M.02": 2})  # M.04 not assessed: no JPM, no box
    final_skp(staff, org.kabid, 2025, SB)
    result = menuju_jenjang(Pegawai.objects.get(pk=org.kabid.pk))
    assert (result.kotak, result.jpm, result.predikat) == (None, None, SB)
