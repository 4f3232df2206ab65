"""One world per test module: the personas of ``tests/conftest.py`` (``org``, ``persona``,
``periode``, ``skp``) and one record of every kind a URL can point at, built once inside a
transaction that is rolled back when the module ends. Each test runs in a savepoint of it (the
``db`` fixture), so a request that changes data changes it for that test only.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from apps.akun import services as akun_services
from apps.core.models import ImportJob
from apps.karier.models import Notifikasi
from apps.pegawai import services as pegawai_services
from apps.pelatihan import services as pelatihan_services
from apps.penilaian.models import Realisasi, RencanaHasilKerja
from apps.sertifikasi import services as sertifikasi_services
from apps.standar_kinerja.models import Kompetensi

from .. import conftest as base
from ..factories import PelatihanFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# org.staf's disciplinary penalty: shown only where their personal data is (Scope.personal_data_q).
HUKUMAN_PELANGGARAN = "Tidak masuk kerja tanpa keterangan selama 3 hari"
HUKUMAN_NOMOR_SK = "800/HD-17/2025"

# Every persona of tests/conftest.py that the matrices look at, in the order of their columns.
PERSONAS = ("anonymous", "staf_bkpsdm", "staf_bkpsdm_b", "atasan", "bawahan", "atasan_lain", "pegawai_b", "superuser")


def _fixture_function(fixture):
    """The plain function behind a pytest fixture of tests/conftest.py, to build the same data
    once per module instead of once per test."""
    return fixture.__wrapped__


def build_world():
    org = _fixture_function(base.org)(None)
    persona = _fixture_function(base.persona)(org)
    periode = _fixture_function(base.periode)(org)
    skp = _fixture_function(base.skp)(org, persona, periode)
    rencana = RencanaHasilKerja.objects.filter(penilaian=skp).order_by("urutan", "pk").first()
    # Evidence on a realisasi: the page serves it whatever the SKP's state, so it is stored as is.
    realisasi = Realisasi.objects.create(
        rencana=rencana, periode_ke=1, realisasi="Data 30 sekolah mutakhir", bukti_file=SimpleUploadedFile("b.pdf", PDF)
    )
    pendidikan = pegawai_services.riwayat_pendidikan_add(
        actor=None, pegawai=org.staf, tingkat="S1", jurusan="Pendidikan Matematika", institusi="USK", tahun_lulus=2012
    )
    sertifikasi = sertifikasi_services.sertifikasi_create(
        actor=persona.bawahan,
        pegawai=org.staf,
        jenis="pbj_dasar",
        nama="Sertifikat Dasar PBJ",
        penerbit="LKPP",
        nomor="PBJ-0001/2024",
        tanggal_terbit=dt.date(2024, 3, 1),
        tanggal_kedaluwarsa=dt.date(2027, 3, 1),
        bukti=SimpleUploadedFile("s.pdf", PDF),
    )
    penghargaan = pegawai_services.riwayat_penghargaan_add(
        actor=None,
        pegawai=org.staf,
        jenis="asn_teladan",
        nama="ASN Teladan Kota Sabang",
        pemberi="Wali Kota Sabang",
        tanggal=dt.date(2024, 8, 17),
    )
    hukuman = pegawai_services.riwayat_hukuman_disiplin_add(
        actor=None,
        pegawai=org.staf,
        jenis="teguran_lisan",
        tanggal_mulai=dt.date(2025, 3, 1),
        pelanggaran=HUKUMAN_PELANGGARAN,
        nomor_sk=HUKUMAN_NOMOR_SK,
        tanggal_sk=dt.date(2025, 2, 20),
    )
    import_job = ImportJob.objects.create(
        kind="pegawai", user=persona.staf_bkpsdm, file_name="pegawai.csv", format="csv", status="selesai"
    )
    notifikasi = Notifikasi.objects.create(
        user=persona.bawahan,
        jenis="skp",
        kunci="skp-ajukan",
        judul="SKP menunggu Anda",
        pesan="Ajukan rencana SKP 2026.",
        tautan=f"/penilaian/{skp.pk}/",
    )
    pelatihan = build_pelatihan(org, persona)
    token, _key = akun_services.token_create(
        actor=persona.superuser, user=persona.staf_bkpsdm, name="integrasi simpeg", read_only=True
    )
    org.staf.refresh_from_db()
    skp.refresh_from_db()
    return SimpleNamespace(
        org=org,
        persona=persona,
        periode=periode,
        skp=skp,
        rencana=rencana,
        realisasi=realisasi,
        pendidikan=pendidikan,
        riwayat_jabatan=org.staf.riwayat_jabatan.get(),
        riwayat_pangkat=org.staf.riwayat_pangkat.get(),
        sertifikasi=sertifikasi,
        token=token,
        penghargaan=penghargaan,
        hukuman=hukuman,
        import_job=import_job,
        notifikasi=notifikasi,
        **pelatihan,
    )


def build_pelatihan(org, persona):
    """Pemda A's training catalogue: a partner institution, an open training org.staf applied
    for (waiting for the kabid), an outside training org.staf submitted with evidence (waiting
    for BKPSDM), and an assessment result of org.staf."""
    penyelenggara = pelatihan_services.penyelenggara_create(
        actor=persona.staf_bkpsdm, instansi=org.pemda, nama="BPSDM Aceh", jenis="bpsdm"
    )
    pelatihan = PelatihanFactory(instansi=org.pemda, penyelenggara=penyelenggara, nama="Pelatihan Pengelolaan Data")
    pendaftaran = pelatihan_services.daftar(actor=persona.bawahan, pelatihan=pelatihan)
    mandiri = pelatihan_services.mandiri_ajukan(
        actor=persona.bawahan,
        pegawai=org.staf,
        bukti=SimpleUploadedFile("sttpp.pdf", PDF),
        nama="Kursus Analisis Data",
        jenis_diklat=11,
        penyelenggara="Universitas Syiah Kuala",
        tanggal_mulai=dt.date(2026, 1, 12),
        tanggal_selesai=dt.date(2026, 1, 16),
        jp=16,
    )
    asesmen = pelatihan_services.asesmen_create(
        actor=persona.staf_bkpsdm,
        pegawai=org.staf,
        kompetensi=Kompetensi.objects.order_by("kode").first(),
        level=3,
        tanggal=dt.date(2026, 2, 10),
        metode="cat",
        asesor="UPT Penilaian Kompetensi BKPSDM",
    )
    return {
        "penyelenggara": penyelenggara,
        "pelatihan": pelatihan,
        "pendaftaran": pendaftaran,
        "mandiri": mandiri,
        "asesmen": asesmen,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The module's data (see the module docstring); evidence files live in a temporary MEDIA_ROOT."""
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        media.disable()


@pytest.fixture(scope="module")
def world_clients(world, django_db_blocker):
    """A signed-in test client per persona (sessions stored in the module's transaction), and an
    anonymous one."""
    with django_db_blocker.unblock():
        clients = {"anonymous": Client()}
        for name in PERSONAS[1:]:
            client = Client()
            client.force_login(getattr(world.persona, name))
            clients[name] = client
    return SimpleNamespace(**clients)


@pytest.fixture
def w(world, world_clients, db):
    """The module's world, inside this test's savepoint."""
    return world
