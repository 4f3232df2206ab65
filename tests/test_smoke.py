def test_personas_build(persona, org):
    from apps.pegawai.models import Pegawai

    assert set(Pegawai.objects.visible_to(persona.atasan)) == {org.kabid, org.staf}
    assert set(Pegawai.objects.visible_to(persona.kadis)) == {org.kadis, org.kabid, org.staf}
    assert Pegawai.objects.visible_to(persona.staf_bkpsdm).count() == 6
    assert list(Pegawai.objects.visible_to(persona.staf_bkpsdm_b)) == [org.pegawai_b]
    assert list(Pegawai.objects.visible_to(persona.bawahan)) == [org.staf]
