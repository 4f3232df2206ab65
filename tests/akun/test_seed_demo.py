import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.utils import timezone

from apps.akun.management.commands.seed_demo import DEMO_PASSWORD
from apps.akun.models import User
from apps.core.validators import format_nip, nik_matches, validate_nik, validate_nip_matches
from apps.pegawai import services
from apps.pegawai.models import Golongan, Jabatan, Pegawai, RiwayatJabatan, RiwayatPangkat, UnitKerja

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The demo's evidence files (outside trainings awaiting verification) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


INSTANSI = {"Pemerintah Kota Sabang", "Pemerintah Kota Tebingtinggi", "Pemerintah Provinsi Bengkulu"}
CURRENT = ("jabatan_id", "tmt_jabatan", "golongan_id", "tmt_golongan", "unit_kerja_id")
CURRENT += ("pendidikan_tingkat", "pendidikan_jurusan")


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", pegawai=options.pop("pegawai", 60), force=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def counts():
    return (UnitKerja.objects.count(), Jabatan.objects.count(), Pegawai.objects.count(), User.objects.count())


def test_it_builds_the_three_instansi_with_the_pegawai_asked_for(seeded):
    assert set(UnitKerja.objects.filter(parent=None).values_list("nama", flat=True)) == INSTANSI
    assert Pegawai.objects.count() == 60
    for root in UnitKerja.objects.filter(parent=None):
        assert Pegawai.objects.filter(unit_kerja__path__startswith=root.path).exists()


def test_every_unit_path_follows_its_parent(seeded):
    for unit in UnitKerja.objects.select_related("parent"):
        expected = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        assert (unit.path, unit.depth) == (expected, unit.parent.depth + 1 if unit.parent else 0)


def test_every_nip_is_valid_and_agrees_with_birth_date_and_gender(seeded):
    for pegawai in Pegawai.objects.all():
        validate_nip_matches(pegawai.nip, tanggal_lahir=pegawai.tanggal_lahir, jenis_kelamin=pegawai.jenis_kelamin)
        validate_nik(pegawai.nik)
        assert nik_matches(pegawai.nik, tanggal_lahir=pegawai.tanggal_lahir, jenis_kelamin=pegawai.jenis_kelamin)


def test_every_pegawai_passes_model_validation(seeded):
    for pegawai in Pegawai.objects.all():
        pegawai.full_clean()


def test_golongan_matches_jenis_asn(seeded):
    for pegawai in Pegawai.objects.select_related("golongan"):
        assert pegawai.golongan.jenis_asn == ("PPPK" if pegawai.jenis_asn == "PPPK" else "PNS")
    for riwayat in RiwayatPangkat.objects.select_related("golongan", "pegawai"):
        assert riwayat.golongan.jenis_asn == ("PPPK" if riwayat.pegawai.jenis_asn == "PPPK" else "PNS")


def test_managers_are_pns_with_a_golongan_fit_for_their_eselon(seeded):
    lowest = {"12": "IV/d", "21": "IV/c", "22": "IV/b", "31": "IV/a", "32": "III/d", "41": "III/c"}
    managers = Pegawai.objects.filter(jabatan__jenis__in=["jpt_madya", "jpt_pratama", "administrator", "pengawas"])
    assert managers.exists()
    for pegawai in managers.select_related("jabatan", "golongan"):
        assert pegawai.jenis_asn == "PNS"
        minimum = Golongan.objects.get(jenis_asn="PNS", kode=lowest[pegawai.jabatan.eselon])
        assert pegawai.golongan.tingkat >= minimum.tingkat, (pegawai, pegawai.jabatan, pegawai.golongan)


def test_the_current_jabatan_golongan_and_education_are_what_the_riwayat_say(seeded):
    for pegawai in Pegawai.objects.all():
        stored = [getattr(pegawai, name) for name in CURRENT]
        services._sync_current(pegawai)
        assert [getattr(pegawai, name) for name in CURRENT] == stored, pegawai


def test_the_riwayat_are_a_plausible_career(seeded):
    for pegawai in Pegawai.objects.prefetch_related("riwayat_pangkat", "riwayat_jabatan"):
        pangkat = sorted(pegawai.riwayat_pangkat.all(), key=lambda r: r.tmt)
        jabatan = sorted(pegawai.riwayat_jabatan.all(), key=lambda r: r.tmt)
        assert pangkat[0].jenis_kp == RiwayatPangkat.JenisKP.CPNS
        assert pangkat[0].tmt.strftime("%Y%m") == pegawai.nip[8:14]
        assert all(a.golongan.tingkat + 1 == b.golongan.tingkat for a, b in zip(pangkat, pangkat[1:], strict=False))
        assert 1 <= len(jabatan) <= 3
        assert jabatan[0].tmt >= pangkat[0].tmt
        assert all(r.tanggal_selesai is not None for r in jabatan[:-1]) and jabatan[-1].tanggal_selesai is None


def test_the_jabatan_chains_follow_the_kinds_of_jabatan(seeded):
    for jabatan in Jabatan.objects.all():
        jabatan.full_clean()
        if jabatan.jenis in ("jpt_madya", "jpt_pratama", "administrator", "pengawas"):
            assert jabatan.eselon != "99"
        else:
            assert jabatan.eselon == "99"
    assert Jabatan.objects.filter(jenis="fungsional", nama="Guru Ahli Pertama", atasan__isnull=False).exists()


def test_the_demo_accounts_exist_with_their_roles(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    for key, instansi in [
        ("sabang", "Pemerintah Kota Sabang"),
        ("tebingtinggi", "Pemerintah Kota Tebingtinggi"),
        ("bengkulu", "Pemerintah Provinsi Bengkulu"),
    ]:
        staf = User.objects.get(username=f"bkpsdm.{key}")
        assert staf.role == User.Role.BKPSDM
        assert [u.nama for u in staf.unit_scopes.all()] == [instansi]
    atasan = User.objects.get(username="197804122003032001")
    bawahan = User.objects.get(username="199508172020031001")
    assert bawahan.pegawai.jabatan.atasan == atasan.pegawai.jabatan
    assert bawahan.pegawai in Pegawai.objects.visible_to(atasan)
    assert atasan.pegawai not in Pegawai.objects.visible_to(bawahan)
    assert DEMO_PASSWORD in seeded and "bkpsdm.sabang" in seeded and "197804122003032001" in seeded


@pytest.mark.parametrize(
    "username",
    ["admin", "bkpsdm.sabang", "bkpsdm.bengkulu", "197804122003032001", format_nip("199508172020031001")],
)
def test_the_demo_accounts_can_log_in_with_the_documented_password(seeded, client, username):
    response = client.post("/akun/masuk/", {"username": username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_the_demo_has_a_training_catalogue_records_and_work_waiting_for_the_accounts(seeded, settings):
    from apps.pelatihan import selectors
    from apps.pelatihan.models import Pelatihan, Penyelenggara, RiwayatPelatihan

    for root in UnitKerja.objects.filter(parent=None):
        assert Penyelenggara.objects.filter(instansi=root, jenis="lan").exists()
        assert Pelatihan.objects.filter(instansi=root, kepemimpinan="pka").exists()
    atasan = User.objects.get(username="197804122003032001")
    bawahan = User.objects.get(username="199508172020031001")
    waiting = RiwayatPelatihan.objects.get(pegawai=bawahan.pegawai, status="diajukan")
    assert waiting.atasan == atasan.pegawai
    outside = RiwayatPelatihan.objects.get(pegawai=bawahan.pegawai, status="menunggu_verifikasi")
    assert (settings.MEDIA_ROOT / outside.bukti.name).read_bytes().startswith(b"%PDF-")
    assert selectors.jp_tahun(bawahan.pegawai, timezone.localdate().year) < 20
    assert RiwayatPelatihan.objects.filter(pegawai=atasan.pegawai, status="disetujui_atasan").exists()
    staff = Pegawai.objects.manageable_by(User.objects.get(username="bkpsdm.bengkulu"))
    assert selectors.kurang_jp(staff, timezone.localdate().year).exists()
    assert RiwayatPelatihan.objects.filter(pegawai__in=staff, status="selesai", jp_diakui__gt=0).exists()


def test_each_bkpsdm_staff_sees_only_their_own_instansi(seeded):
    staf = User.objects.get(username="bkpsdm.tebingtinggi")
    root = UnitKerja.objects.get(nama="Pemerintah Kota Tebingtinggi")

    visible = Pegawai.objects.visible_to(staf)

    assert visible.count() == Pegawai.objects.filter(unit_kerja__path__startswith=root.path).count() > 0


def test_running_it_twice_changes_nothing(seeded):
    before = counts()
    ids = set(Pegawai.objects.values_list("pk", flat=True))

    output = seed()

    assert "tidak ada yang diubah" in output
    assert counts() == before
    assert set(Pegawai.objects.values_list("pk", flat=True)) == ids


def test_reset_rebuilds_the_same_data_without_duplicates(seeded):
    before = counts()
    nips = set(Pegawai.objects.values_list("nip", flat=True))

    seed(reset=True)

    assert counts() == before
    assert set(Pegawai.objects.values_list("nip", flat=True)) == nips
    assert RiwayatJabatan.objects.filter(pegawai__isnull=True).count() == 0


def test_a_larger_size_grows_the_organisation(db):
    seed(pegawai=600)

    assert Pegawai.objects.count() == 600
    assert UnitKerja.objects.filter(jenis="upt", nama__startswith="Puskesmas").count() >= 4
    assert Pegawai.objects.filter(jabatan__jenis="pengawas").exists()
    assert Pegawai.objects.filter(jenis_asn="PPPK").exists()


def test_it_refuses_to_run_without_debug_unless_forced(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo", pegawai=60, stdout=io.StringIO())
    assert not Pegawai.objects.exists()


def test_reset_explains_when_other_records_block_the_deletion(seeded, monkeypatch):
    from apps.akun.management.commands import seed_demo

    def blocked():
        raise ProtectedError("dipakai", {Pegawai.objects.first()})

    monkeypatch.setattr(seed_demo, "delete_demo", blocked)

    with pytest.raises(CommandError, match="tidak dapat dihapus.*pegawai"):
        seed(reset=True)
    assert Pegawai.objects.count() == 60
