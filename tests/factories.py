"""factory_boy factories. NIPs are generated valid and consistent with birth date and gender."""

import datetime as dt
import itertools
from importlib import import_module

import factory

from apps.akun.models import User
from apps.pegawai import services
from apps.pegawai.models import Golongan, Jabatan, Pegawai, RiwayatJabatan, RiwayatPangkat, UnitKerja

_seq = itertools.count(1)


def make_nip(tanggal_lahir, jenis_kelamin="1", tmt=None, urut=None):
    tmt = tmt or dt.date(tanggal_lahir.year + 24, 3, 1)
    urut = urut if urut is not None else (next(_seq) % 999) + 1
    return f"{tanggal_lahir:%Y%m%d}{tmt:%Y%m}{jenis_kelamin}{urut:03d}"


def ensure_reference_data():
    """The reference rows the data migrations load (golongan, kompetensi). A transactional
    test (the browser tests) flushes the database afterwards, taking them along; put them back."""
    from django.apps import apps

    if not Golongan.objects.exists():
        import_module("apps.pegawai.migrations.0002_golongan_data_and_search_indexes").load_golongan(apps, None)
    Kompetensi = apps.get_model("standar_kinerja", "Kompetensi")
    if not Kompetensi.objects.exists():
        import_module("apps.standar_kinerja.migrations.0002_kompetensi_data").load(apps, None)


def golongan(kode, jenis_asn="PNS"):
    return Golongan.objects.get(jenis_asn=jenis_asn, kode=kode)


class UnitKerjaFactory(factory.django.DjangoModelFactory):
    """Builds through the service, so the materialised path is right."""

    class Meta:
        model = UnitKerja

    nama = factory.Sequence(lambda n: f"Unit {n}")
    jenis = factory.LazyAttribute(lambda o: "instansi" if o.parent is None else "perangkat_daerah")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.unit_kerja_create(actor=None, **kwargs)


class JabatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jabatan

    nama = factory.Sequence(lambda n: f"Jabatan {n}")
    jenis = "pelaksana"
    jenjang = ""
    eselon = "99"
    unit_kerja = factory.SubFactory(UnitKerjaFactory)
    atasan = None


class PegawaiFactory(factory.django.DjangoModelFactory):
    """A pegawai with a first riwayat jabatan and pangkat, made by ``pegawai_create``."""

    class Meta:
        model = Pegawai

    nama = factory.Sequence(lambda n: f"Pegawai {n}")
    jenis_kelamin = "1"
    tanggal_lahir = dt.date(1985, 5, 17)
    nip = factory.LazyAttribute(lambda o: make_nip(o.tanggal_lahir, o.jenis_kelamin))
    jenis_asn = "PNS"
    kedudukan_hukum = "01"
    jabatan = factory.SubFactory(JabatanFactory)
    tmt_jabatan = dt.date(2020, 1, 1)
    golongan = factory.LazyAttribute(
        lambda o: golongan("III/a" if o.jenis_asn != "PPPK" else "IX", o.jenis_asn if o.jenis_asn == "PPPK" else "PNS")
    )
    tmt_golongan = dt.date(2019, 4, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.pegawai_create(actor=None, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.PEGAWAI
    password = factory.PostGenerationMethodCall("set_password", "rahasia-sekali-123")

    @factory.post_generation
    def scopes(self, create, extracted, **kwargs):
        if create and extracted:
            self.unit_scopes.set(extracted)
        if create:
            self.save()


def akun_for(pegawai, **kwargs):
    """The login of ``pegawai`` (username = NIP)."""
    return UserFactory(username=pegawai.nip, pegawai=pegawai, **kwargs)


__all__ = [
    "JabatanFactory",
    "PegawaiFactory",
    "RiwayatJabatan",
    "RiwayatPangkat",
    "UnitKerjaFactory",
    "UserFactory",
    "akun_for",
    "golongan",
    "make_nip",
]


class PenyelenggaraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pelatihan.Penyelenggara"

    instansi = factory.SubFactory(UnitKerjaFactory, jenis="instansi")
    nama = factory.Sequence(lambda n: f"BPSDM Provinsi {n}")
    jenis = "bpsdm"


class PelatihanFactory(factory.django.DjangoModelFactory):
    """A catalogue training of ``instansi`` starting in a month, open for registration."""

    class Meta:
        model = "pelatihan.Pelatihan"
        skip_postgeneration_save = True

    instansi = factory.SubFactory(UnitKerjaFactory, jenis="instansi")
    penyelenggara = factory.SubFactory(PenyelenggaraFactory, instansi=factory.SelfAttribute("..instansi"))
    nama = factory.Sequence(lambda n: f"Pelatihan Teknis {n}")
    jenis_diklat = 3
    jalur = "klasikal"
    jp = 24
    tanggal_mulai = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    tanggal_selesai = factory.LazyAttribute(lambda o: o.tanggal_mulai + dt.timedelta(days=2))
    kuota = 30

    @factory.post_generation
    def kompetensi(self, create, extracted, **kwargs):
        if create and extracted:
            self.kompetensi.set(extracted)


class RiwayatPelatihanFactory(factory.django.DjangoModelFactory):
    """A confirmed outside training (its JP count) ending on ``tanggal_selesai``."""

    class Meta:
        model = "pelatihan.RiwayatPelatihan"

    pegawai = factory.SubFactory(PegawaiFactory)
    sumber = "pencatatan"
    status = "terverifikasi"
    nama = factory.Sequence(lambda n: f"Bimtek {n}")
    jenis_diklat = 8
    jalur = "klasikal"
    penyelenggara = "BPSDM"
    tanggal_selesai = dt.date(2026, 6, 12)
    tanggal_mulai = factory.LazyAttribute(lambda o: o.tanggal_selesai - dt.timedelta(days=2))
    jp = 10
    jp_diakui = factory.LazyAttribute(lambda o: o.jp if o.status in ("selesai", "terverifikasi") else 0)
    hadir = True
    lulus = True
