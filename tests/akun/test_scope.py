import datetime as dt

from apps.akun.models import User
from apps.pegawai import services
from apps.pegawai.models import Jabatan, Pegawai, UnitKerja

from ..factories import UserFactory


def visible(user):
    return set(Pegawai.objects.visible_to(user))


def test_bkpsdm_staff_see_their_whole_pemda_and_nothing_else(org, persona):
    assert visible(persona.staf_bkpsdm) == {org.kadis, org.kabid, org.staf, org.kadinkes, org.staf_dinkes, org.analis}
    assert visible(persona.staf_bkpsdm_b) == {org.pegawai_b}


def test_staff_scoped_to_one_dinas_see_only_its_subtree(org):
    user = UserFactory(role=User.Role.BKPSDM, scopes=[org.disdik])
    assert visible(user) == {org.kadis, org.kabid, org.staf}
    assert set(Pegawai.objects.manageable_by(user)) == {org.kadis, org.kabid, org.staf}
    assert set(UnitKerja.objects.visible_to(user)) == {org.disdik, org.bidang}


def test_an_atasan_sees_self_and_subordinates_but_manages_nobody(org, persona):
    assert visible(persona.atasan) == {org.kabid, org.staf}
    assert not Pegawai.objects.manageable_by(persona.atasan).exists()
    assert set(Pegawai.objects.filter(persona.atasan.scope.subordinate_q())) == {org.staf}


def test_the_atasan_of_the_atasan_sees_two_levels_down(org, persona):
    assert visible(persona.kadis) == {org.kadis, org.kabid, org.staf}
    assert set(Pegawai.objects.filter(persona.kadis.scope.subordinate_q())) == {org.kabid}


def test_an_atasan_of_another_unit_does_not_see_this_unit(org, persona):
    assert visible(persona.atasan_lain) == {org.kadinkes, org.staf_dinkes}


def test_a_pegawai_sees_only_self(org, persona):
    assert visible(persona.bawahan) == {org.staf}


def test_an_active_plt_sees_the_subordinates_of_the_acting_jabatan(org, persona):
    services.riwayat_jabatan_add(
        actor=None, pegawai=org.staf_dinkes, jabatan=org.j_kabid, tmt=dt.date(2024, 1, 1), jenis_penugasan="plt"
    )
    plt = UserFactory(username="plt", pegawai=org.staf_dinkes)
    assert org.staf in visible(plt)


def test_an_ended_plt_sees_nothing_more(org):
    services.riwayat_jabatan_add(
        actor=None,
        pegawai=org.staf_dinkes,
        jabatan=org.j_kabid,
        tmt=dt.date(2024, 1, 1),
        tanggal_selesai=dt.date(2024, 6, 30),
        jenis_penugasan="plh",
    )
    plh = UserFactory(username="plh", pegawai=org.staf_dinkes)
    assert visible(plh) == {org.staf_dinkes}


def test_an_inactive_account_sees_nothing(org, persona):
    persona.staf_bkpsdm.is_active = False
    persona.staf_bkpsdm.save()
    user = User.objects.get(pk=persona.staf_bkpsdm.pk)
    assert visible(user) == set()


def test_an_account_without_pegawai_or_scope_sees_nothing(org):
    assert visible(UserFactory()) == set()


def test_pegawai_see_the_units_and_jabatan_of_their_own_pemda_only(org, persona):
    units = set(UnitKerja.objects.visible_to(persona.bawahan))
    assert org.dinkes in units and org.pemda_b not in units and org.dinas_b not in units
    assert not Jabatan.objects.visible_to(persona.bawahan).filter(unit_kerja=org.dinas_b).exists()


def test_a_superuser_sees_everything(org, persona):
    assert len(visible(persona.superuser)) == 7
