"""Personas of STYLE.md, shared by every test.

Pemda A (``org``): Dinas Pendidikan with Kepala Dinas → Kepala Bidang → Staf, and
Dinas Kesehatan with its own Kepala and Staf. Pemda B: one dinas with a staf.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client

from apps.akun.models import User

from .factories import (
    JabatanFactory,
    PegawaiFactory,
    UnitKerjaFactory,
    UserFactory,
    akun_for,
    ensure_reference_data,
)

PASSWORD = "rahasia-sekali-123"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _dashboard_in_the_request(settings):
    """Older dashboard figures are renewed before the answer, not in a thread: a thread has a
    connection of its own, which would not see a test's uncommitted rows and could outlive the
    test. The test of the thread turns it back on, in a transactional test."""
    settings.KARIER_DASBOR_LATAR = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """API rate-limit counts live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def org(db):
    ensure_reference_data()
    pemda = UnitKerjaFactory(nama="Pemerintah Kota Sabang", jenis="instansi")
    disdik = UnitKerjaFactory(nama="Dinas Pendidikan", parent=pemda, jenis="perangkat_daerah")
    bidang = UnitKerjaFactory(nama="Bidang Pembinaan SD", parent=disdik, jenis="bidang")
    dinkes = UnitKerjaFactory(nama="Dinas Kesehatan", parent=pemda, jenis="perangkat_daerah")
    bkpsdm = UnitKerjaFactory(nama="BKPSDM", parent=pemda, jenis="perangkat_daerah")

    j_kadis = JabatanFactory(nama="Kepala Dinas Pendidikan", jenis="jpt_pratama", eselon="22", unit_kerja=disdik)
    j_kabid = JabatanFactory(
        nama="Kepala Bidang Pembinaan SD", jenis="administrator", eselon="32", unit_kerja=bidang, atasan=j_kadis
    )
    j_staf = JabatanFactory(nama="Pengelola Data Pendidikan", unit_kerja=bidang, atasan=j_kabid)
    j_kadinkes = JabatanFactory(nama="Kepala Dinas Kesehatan", jenis="jpt_pratama", eselon="22", unit_kerja=dinkes)
    j_staf_dinkes = JabatanFactory(nama="Pengadministrasi Umum", unit_kerja=dinkes, atasan=j_kadinkes)
    j_analis = JabatanFactory(nama="Analis SDM Aparatur", unit_kerja=bkpsdm)

    kadis = PegawaiFactory(nama="Teuku Rizal", jabatan=j_kadis, tanggal_lahir=dt.date(1970, 2, 3))
    kabid = PegawaiFactory(
        nama="Cut Nyak Meutia", jabatan=j_kabid, jenis_kelamin="2", tanggal_lahir=dt.date(1978, 7, 9)
    )
    staf = PegawaiFactory(nama="Muhammad Iqbal", jabatan=j_staf, tanggal_lahir=dt.date(1990, 11, 30))
    kadinkes = PegawaiFactory(
        nama="Rahmawati", jabatan=j_kadinkes, jenis_kelamin="2", tanggal_lahir=dt.date(1972, 1, 15)
    )
    staf_dinkes = PegawaiFactory(nama="Zulfikar", jabatan=j_staf_dinkes, tanggal_lahir=dt.date(1993, 6, 1))
    analis = PegawaiFactory(
        nama="Nurul Hidayah", jabatan=j_analis, jenis_kelamin="2", tanggal_lahir=dt.date(1988, 3, 21)
    )

    pemda_b = UnitKerjaFactory(nama="Pemerintah Kota Tebingtinggi", jenis="instansi")
    dinas_b = UnitKerjaFactory(nama="Dinas Pariwisata", parent=pemda_b, jenis="perangkat_daerah")
    j_b = JabatanFactory(nama="Pengelola Destinasi", unit_kerja=dinas_b)
    pegawai_b = PegawaiFactory(nama="Sahat Simanjuntak", jabatan=j_b, tanggal_lahir=dt.date(1987, 8, 8))

    return SimpleNamespace(
        pemda=pemda,
        disdik=disdik,
        bidang=bidang,
        dinkes=dinkes,
        bkpsdm=bkpsdm,
        pemda_b=pemda_b,
        dinas_b=dinas_b,
        j_kadis=j_kadis,
        j_kabid=j_kabid,
        j_staf=j_staf,
        j_kadinkes=j_kadinkes,
        j_staf_dinkes=j_staf_dinkes,
        j_b=j_b,
        kadis=kadis,
        kabid=kabid,
        staf=staf,
        kadinkes=kadinkes,
        staf_dinkes=staf_dinkes,
        analis=analis,
        pegawai_b=pegawai_b,
    )


@pytest.fixture
def persona(org):
    """Accounts: BKPSDM staff of pemda A and of pemda B, an atasan, a subordinate, the atasan
    of another unit, a pegawai of another pemda, and a superuser."""
    staf_bkpsdm = akun_for(org.analis, role=User.Role.BKPSDM, scopes=[org.pemda])
    staf_bkpsdm_b = UserFactory(username="bkpsdm_tebingtinggi", role=User.Role.BKPSDM, scopes=[org.pemda_b])
    return SimpleNamespace(
        staf_bkpsdm=staf_bkpsdm,
        staf_bkpsdm_b=staf_bkpsdm_b,
        kadis=akun_for(org.kadis),
        atasan=akun_for(org.kabid),
        bawahan=akun_for(org.staf),
        atasan_lain=akun_for(org.kadinkes),
        pegawai_b=akun_for(org.pegawai_b),
        superuser=UserFactory(username="root", is_superuser=True, is_staff=True),
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(persona):
    """A logged-in test client per persona: ``clients.atasan.get(...)``."""
    return SimpleNamespace(**{name: client_for(user) for name, user in vars(persona).items()})


@pytest.fixture
def periode(org):
    """The open 2026 appraisal year of pemda A (quarterly), and of pemda B."""
    from apps.penilaian import services as penilaian_services

    periode = penilaian_services.periode_create(actor=None, instansi=org.pemda, tahun=2026, periodik="triwulanan")
    penilaian_services.periode_create(actor=None, instansi=org.pemda_b, tahun=2026, periodik="bulanan")
    return periode


@pytest.fixture
def skp(org, persona, periode):
    """The 2026 SKP of ``org.staf`` (penilai: the kabid, atasan penilai: the kadis), started by
    the pegawai, with the standar kinerja of the jabatan prefilled (two indicators)."""
    from apps.penilaian import services as penilaian_services
    from apps.standar_kinerja import services as standar_services

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
            {
                "uraian": "Terlaksananya verifikasi data guru",
                "indikator": "Jumlah sekolah yang diverifikasi",
                "aspek": "kuantitas",
                "target": 40,
                "satuan": "sekolah",
            },
        ],
    )
    return penilaian_services.penilaian_create(actor=persona.bawahan, periode=periode, pegawai=org.staf)
