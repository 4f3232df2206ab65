import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core.exceptions import ConflictError, DomainError
from apps.core.models import AuditLog
from apps.pegawai import services
from apps.pegawai.models import Pegawai, RiwayatJabatan, RiwayatPangkat, UnitKerja

from ..factories import JabatanFactory, UnitKerjaFactory, golongan, make_nip


def new_pegawai_data(**overrides):
    lahir = dt.date(1991, 4, 12)
    data = {
        "nip": make_nip(lahir, "2"),
        "nama": "Siti Aisyah",
        "jenis_kelamin": "2",
        "tanggal_lahir": lahir,
        "jenis_asn": "PNS",
        "golongan": golongan("III/a"),
        "tmt_golongan": dt.date(2016, 3, 1),
        "tmt_jabatan": dt.date(2016, 3, 1),
    }
    data.update(overrides)
    return data


def test_creating_a_pegawai_writes_the_first_riwayat_and_audit_entries(org, persona):
    pegawai = services.pegawai_create(actor=persona.staf_bkpsdm, jabatan=org.j_staf, **new_pegawai_data())

    assert pegawai.unit_kerja == org.bidang
    assert list(RiwayatJabatan.objects.filter(pegawai=pegawai).values_list("jabatan", flat=True)) == [org.j_staf.pk]
    assert list(RiwayatPangkat.objects.filter(pegawai=pegawai).values_list("golongan__kode", flat=True)) == ["III/a"]
    entries = AuditLog.objects.for_pegawai(pegawai.pk)
    assert {e.object_type for e in entries} == {"pegawai.pegawai", "pegawai.riwayatjabatan", "pegawai.riwayatpangkat"}
    assert all(e.actor == persona.staf_bkpsdm for e in entries)
    created = entries.get(object_type="pegawai.pegawai")
    assert created.changes["nama"] == [None, "Siti Aisyah"]


def test_a_pegawai_whose_birth_date_disagrees_with_the_nip_is_not_saved(org):
    data = new_pegawai_data(tanggal_lahir=dt.date(1991, 4, 13))
    with pytest.raises(ValidationError) as exc_info:
        services.pegawai_create(actor=None, jabatan=org.j_staf, **data)
    assert "tanggal_lahir" in exc_info.value.message_dict
    assert not Pegawai.objects.filter(nip=data["nip"]).exists()
    assert not AuditLog.objects.filter(object_repr__contains=data["nip"]).exists()


def test_a_pppk_cannot_hold_a_pns_golongan(org):
    with pytest.raises(ValidationError) as exc_info:
        services.pegawai_create(actor=None, jabatan=org.j_staf, **new_pegawai_data(jenis_asn="PPPK"))
    assert "golongan" in exc_info.value.message_dict


def test_a_duplicate_nip_is_a_field_error(org):
    data = new_pegawai_data()
    services.pegawai_create(actor=None, jabatan=org.j_staf, **data)
    with pytest.raises(ValidationError) as exc_info:
        services.pegawai_create(actor=None, jabatan=org.j_staf, **data)
    assert "nip" in exc_info.value.message_dict
    assert Pegawai.objects.filter(nama="Siti Aisyah").count() == 1


def test_a_newer_riwayat_jabatan_moves_the_pegawai(org, persona):
    staf = org.staf
    services.riwayat_jabatan_add(
        actor=persona.staf_bkpsdm, pegawai=staf, jabatan=org.j_staf_dinkes, tmt=dt.date(2024, 1, 2), nomor_sk="800/1"
    )
    staf.refresh_from_db()
    assert (staf.jabatan, staf.tmt_jabatan, staf.unit_kerja) == (org.j_staf_dinkes, dt.date(2024, 1, 2), org.dinkes)
    assert staf.version == 2
    change = AuditLog.objects.for_object(staf).filter(action="update").get()
    assert change.changes["jabatan"] == [org.j_staf.nama, org.j_staf_dinkes.nama]
    assert change.changes["unit_kerja"] == [org.bidang.nama, org.dinkes.nama]


def test_an_older_riwayat_jabatan_is_history_only(org):
    services.riwayat_jabatan_add(actor=None, pegawai=org.staf, jabatan=org.j_staf_dinkes, tmt=dt.date(2012, 1, 2))
    org.staf.refresh_from_db()
    assert org.staf.jabatan == org.j_staf
    assert org.staf.riwayat_jabatan.count() == 2


def test_a_plt_assignment_does_not_replace_the_definitive_jabatan(org):
    services.riwayat_jabatan_add(
        actor=None, pegawai=org.kabid, jabatan=org.j_kadis, tmt=dt.date(2025, 1, 2), jenis_penugasan="plt"
    )
    org.kabid.refresh_from_db()
    assert org.kabid.jabatan == org.j_kabid


def test_a_newer_riwayat_pangkat_raises_the_current_golongan(org):
    services.riwayat_pangkat_add(
        actor=None, pegawai=org.staf, golongan=golongan("III/b"), tmt=dt.date(2023, 4, 1), jenis_kp="reguler"
    )
    org.staf.refresh_from_db()
    assert (org.staf.golongan.kode, org.staf.tmt_golongan) == ("III/b", dt.date(2023, 4, 1))


def test_the_same_pangkat_twice_is_refused(org):
    with pytest.raises(ValidationError) as exc_info:
        services.riwayat_pangkat_add(actor=None, pegawai=org.staf, golongan=golongan("III/a"), tmt=dt.date(2019, 4, 1))
    assert "tmt" in exc_info.value.message_dict


def test_deleting_the_latest_pangkat_restores_the_one_before(org):
    riwayat = services.riwayat_pangkat_add(
        actor=None, pegawai=org.staf, golongan=golongan("III/b"), tmt=dt.date(2023, 4, 1)
    )
    services.riwayat_delete(actor=None, riwayat=riwayat)
    org.staf.refresh_from_db()
    assert org.staf.golongan.kode == "III/a"
    assert AuditLog.objects.filter(action="delete", object_type="pegawai.riwayatpangkat").count() == 1


def test_the_only_definitive_jabatan_cannot_be_deleted(org):
    with pytest.raises(DomainError):
        services.riwayat_delete(actor=None, riwayat=org.staf.riwayat_jabatan.get())
    assert org.staf.riwayat_jabatan.count() == 1


def test_the_highest_education_becomes_pendidikan_terakhir(org):
    services.riwayat_pendidikan_add(
        actor=None, pegawai=org.staf, tingkat="S2", jurusan="Manajemen", institusi="USK", tahun_lulus=2018
    )
    services.riwayat_pendidikan_add(
        actor=None, pegawai=org.staf, tingkat="S1", jurusan="Informatika", institusi="USK", tahun_lulus=2012
    )
    org.staf.refresh_from_db()
    assert (org.staf.pendidikan_tingkat, org.staf.pendidikan_jurusan) == ("S2", "Manajemen")


def test_an_update_records_each_changed_field_from_old_to_new(org, persona):
    services.pegawai_update(
        actor=persona.staf_bkpsdm, pegawai=org.staf, expected_version=1, telepon="0812345678", nama="M. Iqbal"
    )
    entry = AuditLog.objects.for_object(org.staf).filter(action="update").get()
    assert entry.changes == {"telepon": ["", "0812345678"], "nama": ["Muhammad Iqbal", "M. Iqbal"]}
    assert Pegawai.objects.get(pk=org.staf.pk).version == 2


def test_a_stale_version_is_refused_and_nothing_changes(org):
    services.pegawai_update(actor=None, pegawai=org.staf, expected_version=1, telepon="0811")
    with pytest.raises(ConflictError):
        services.pegawai_update(actor=None, pegawai=org.staf, expected_version=1, telepon="0822")
    assert Pegawai.objects.get(pk=org.staf.pk).telepon == "0811"


def test_an_update_with_a_nik_that_disagrees_with_the_birth_date_is_refused(org):
    with pytest.raises(ValidationError) as exc_info:
        services.pegawai_update(actor=None, pegawai=org.staf, nik="1101010101900001")
    assert "nik" in exc_info.value.message_dict
    # 30-11-1990, a man
    services.pegawai_update(actor=None, pegawai=org.staf, nik="1101013011900001")
    assert Pegawai.objects.get(pk=org.staf.pk).nik == "1101013011900001"


def test_moving_a_unit_moves_its_whole_subtree(org):
    seksi = UnitKerjaFactory(nama="Seksi Kurikulum", parent=org.bidang, jenis="seksi")
    services.unit_kerja_move(actor=None, unit=org.bidang, parent=org.dinkes)
    seksi.refresh_from_db()
    assert seksi.path == f"{org.dinkes.path}{org.bidang.pk}/{seksi.pk}/"
    assert seksi.depth == 3
    assert set(UnitKerja.objects.subtree_of(org.dinkes)) == {org.dinkes, org.bidang, seksi}


def test_a_unit_cannot_move_below_itself(org):
    with pytest.raises(DomainError):
        services.unit_kerja_move(actor=None, unit=org.disdik, parent=org.bidang)


def test_an_atasan_chain_cannot_loop(org):
    with pytest.raises(DomainError):
        services.jabatan_update(actor=None, jabatan=org.j_kadis, atasan=org.j_staf)


def test_a_fungsional_jabatan_needs_its_jenjang(org):
    with pytest.raises(ValidationError):
        services.jabatan_create(actor=None, nama="Guru", jenis="fungsional", unit_kerja=org.disdik)
    jabatan = services.jabatan_create(
        actor=None, nama="Guru Ahli Muda", jenis="fungsional", jenjang="MU", unit_kerja=org.disdik
    )
    assert jabatan.is_manajerial is False


def test_the_audit_trail_is_append_only(org):
    entry = AuditLog.objects.first()
    entry.object_repr = "changed"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_a_new_unit_gets_its_materialised_path(db):
    root = UnitKerjaFactory(nama="Pemerintah Provinsi Bengkulu", jenis="instansi")
    child = UnitKerjaFactory(nama="Dinas Pariwisata", parent=root)
    assert (root.path, root.depth) == (f"/{root.pk}/", 0)
    assert (child.path, child.depth) == (f"/{root.pk}/{child.pk}/", 1)
    assert JabatanFactory(unit_kerja=child).unit_kerja.instansi_id == root.pk
