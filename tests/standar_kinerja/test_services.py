"""The standar kinerja services: the bobot rule, concurrent edits, copying, the catalogue."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core.exceptions import ConflictError
from apps.core.models import AuditLog
from apps.pegawai.models import Jabatan
from apps.standar_kinerja import selectors, services
from apps.standar_kinerja.models import IndikatorKinerja, Kompetensi

from ..factories import JabatanFactory
from . import give_standar, kompetensi, levels_of, row, uraian_of

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Bobot


def test_bobot_totalling_100_is_saved(org, persona):
    services.indikator_save_all(
        actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=[row("Laporan", 60), row("Verifikasi", Decimal("40"))]
    )
    assert uraian_of(org.j_staf) == ["Laporan", "Verifikasi"]
    assert selectors.total_bobot(org.j_staf.indikator_kinerja.all()) == 100


def test_indikator_without_any_bobot_are_saved(org, persona):
    services.indikator_save_all(actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=[row("A"), row("B")])
    assert uraian_of(org.j_staf) == ["A", "B"]
    assert selectors.total_bobot(org.j_staf.indikator_kinerja.all()) is None


def test_bobot_totalling_99_is_refused_and_nothing_is_saved(org, persona):
    give_standar(org.j_staf, 50, 50)
    before = uraian_of(org.j_staf)
    with pytest.raises(ValidationError) as exc:
        services.indikator_save_all(
            actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=[row("Baru 1", 50), row("Baru 2", 49)]
        )
    assert "bobot" in exc.value.message_dict
    assert "99" in exc.value.message_dict["bobot"][0]
    assert uraian_of(org.j_staf) == before


def test_bobot_on_only_some_indikator_is_refused(org, persona):
    with pytest.raises(ValidationError) as exc:
        services.indikator_save_all(actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=[row("A", 100), row("B")])
    assert "setiap indikator" in exc.value.message_dict["bobot"][0]
    assert uraian_of(org.j_staf) == []


def test_saving_updates_adds_and_removes_rows_and_is_audited(org, persona):
    give_standar(org.j_staf, None, None)
    first, second = org.j_staf.indikator_kinerja.order_by("urutan")
    rows = [
        row("Diubah", id=second.pk, target=7, urutan=1),
        row("Ditambah", urutan=2),
    ]
    services.indikator_save_all(actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=rows)
    assert uraian_of(org.j_staf) == ["Diubah", "Ditambah"]
    assert not IndikatorKinerja.objects.filter(pk=first.pk).exists()
    entry = AuditLog.objects.for_object(org.j_staf).first()
    assert entry.actor == persona.staf_bkpsdm
    changes = entry.changes["standar_kinerja"]
    assert any(key.startswith("dihapus") for key in changes)
    assert changes["indikator[1]"]["uraian"][1] == "Diubah"


def test_an_indikator_of_another_jabatan_cannot_be_edited_through_this_one(org, persona):
    give_standar(org.j_kabid, None)
    other = org.j_kabid.indikator_kinerja.get()
    with pytest.raises(ValidationError) as exc:
        services.indikator_save_all(actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=[row("X", id=other.pk)])
    assert "id" in exc.value.message_dict
    other.refresh_from_db()
    assert other.jabatan_id == org.j_kabid.pk


# ---------------------------------------------------------------------------------------------
# Concurrent edits


def test_a_save_from_an_older_version_is_refused_with_a_conflict(org, persona):
    give_standar(org.j_staf, None)
    versi = selectors.standar_versi(org.j_staf)
    services.indikator_save_all(
        actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=[row("Orang pertama")], expected_versi=versi
    )
    with pytest.raises(ConflictError):
        services.indikator_save_all(
            actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=[row("Orang kedua")], expected_versi=versi
        )
    with pytest.raises(ConflictError):
        services.kompetensi_save_all(
            actor=persona.staf_bkpsdm, jabatan=org.j_staf, levels={kompetensi("M.01"): 3}, expected_versi=versi
        )
    assert uraian_of(org.j_staf) == ["Orang pertama"]
    assert levels_of(org.j_staf) == {}


def test_the_version_changes_with_every_change_of_the_standard(org, persona):
    seen = [selectors.standar_versi(org.j_staf)]
    give_standar(org.j_staf, None)
    seen.append(selectors.standar_versi(org.j_staf))
    services.kompetensi_save_all(actor=None, jabatan=org.j_staf, levels={kompetensi("M.01"): 2})
    seen.append(selectors.standar_versi(org.j_staf))
    services.kompetensi_save_all(actor=None, jabatan=org.j_staf, levels={kompetensi("M.01"): 3})
    seen.append(selectors.standar_versi(org.j_staf))
    assert len(set(seen)) == 4
    # Back to exactly the rows of before: nothing anyone saw is lost, so the version may repeat.
    services.kompetensi_save_all(actor=None, jabatan=org.j_staf, levels={kompetensi("M.01"): None})
    assert selectors.standar_versi(org.j_staf) == seen[1]


# ---------------------------------------------------------------------------------------------
# Copy


def test_copy_with_replace_gives_the_targets_exactly_the_source_standard(org, persona):
    give_standar(org.j_staf, 70, 30, levels={"M.01": 3, "SK.01": 2})
    give_standar(org.j_staf_dinkes, None, levels={"M.02": 4})
    copied = services.standar_copy(
        actor=persona.staf_bkpsdm, source=org.j_staf, targets=[org.j_staf_dinkes, org.j_staf], replace=True
    )
    assert copied == 1  # the source itself is skipped
    assert uraian_of(org.j_staf_dinkes) == uraian_of(org.j_staf)
    assert levels_of(org.j_staf_dinkes) == {"M.01": 3, "SK.01": 2}
    entry = AuditLog.objects.for_object(org.j_staf_dinkes).first()
    assert entry.changes["standar_disalin_dari"] == [None, org.j_staf.nama]


def test_copy_without_replace_appends_after_the_targets_own_rows(org, persona):
    give_standar(org.j_staf, None, levels={"M.01": 3, "M.02": 2})
    give_standar(org.j_staf_dinkes, None, levels={"M.01": 5})
    services.standar_copy(actor=persona.staf_bkpsdm, source=org.j_staf, targets=[org.j_staf_dinkes], replace=False)
    assert uraian_of(org.j_staf_dinkes) == [
        f"Hasil 1 {org.j_staf_dinkes.nama}",
        f"Hasil 1 {org.j_staf.nama}",
    ]
    # The target's own level of M.01 stays; M.02 is added.
    assert levels_of(org.j_staf_dinkes) == {"M.01": 5, "M.02": 2}


def test_an_append_that_breaks_the_bobot_rule_copies_nothing_anywhere(org, persona):
    give_standar(org.j_staf, 100)
    give_standar(org.j_staf_dinkes, 100)
    with pytest.raises(ValidationError) as exc:
        services.standar_copy(
            actor=persona.staf_bkpsdm, source=org.j_staf, targets=[org.j_kabid, org.j_staf_dinkes], replace=False
        )
    assert "bobot" in exc.value.message_dict
    assert uraian_of(org.j_kabid) == []
    assert len(uraian_of(org.j_staf_dinkes)) == 1


def test_copying_an_empty_standard_is_refused_so_it_wipes_nothing(org, persona):
    give_standar(org.j_staf_dinkes, None)
    with pytest.raises(ValidationError) as exc:
        services.standar_copy(actor=persona.staf_bkpsdm, source=org.j_staf, targets=[org.j_staf_dinkes])
    assert "jabatan" in exc.value.message_dict
    assert len(uraian_of(org.j_staf_dinkes)) == 1


# ---------------------------------------------------------------------------------------------
# Replace all, catalogue


def test_replacing_the_whole_standard_is_all_or_nothing(org, persona):
    give_standar(org.j_staf, None, levels={"M.01": 2})
    with pytest.raises(ValidationError):
        services.standar_replace(
            actor=persona.staf_bkpsdm,
            jabatan=org.j_staf,
            indikator=[row("Baru", 100)],
            kompetensi={kompetensi("M.02"): 9},
        )
    assert uraian_of(org.j_staf) == [f"Hasil 1 {org.j_staf.nama}"]
    assert levels_of(org.j_staf) == {"M.01": 2}
    services.standar_replace(
        actor=persona.staf_bkpsdm,
        jabatan=org.j_staf,
        indikator=[row("Baru", 100)],
        kompetensi={kompetensi("M.02"): 4},
    )
    assert uraian_of(org.j_staf) == ["Baru"]
    assert levels_of(org.j_staf) == {"M.02": 4}


def test_a_teknis_competency_is_added_to_the_catalogue_and_audited(persona):
    created = services.kompetensi_teknis_create(actor=persona.staf_bkpsdm, kode=" t.pkom.01 ", nama="Tata Kelola TIK")
    assert (created.kode, created.kelompok) == ("T.PKOM.01", Kompetensi.Kelompok.TEKNIS)
    entry = AuditLog.objects.for_object(created).get()
    assert entry.action == AuditLog.Action.CREATE
    assert entry.changes["kode"] == [None, "T.PKOM.01"]


@pytest.mark.parametrize(
    ("kode", "nama", "field"),
    [("M.09", "Bukan teknis", "kode"), ("T.", "Kosong", "kode"), ("T.A B", "Spasi", "kode"), ("T.X1", " ", "nama")],
)
def test_a_teknis_competency_needs_a_T_code_and_a_name(db, kode, nama, field):
    with pytest.raises(ValidationError) as exc:
        services.kompetensi_teknis_create(actor=None, kode=kode, nama=nama)
    assert field in exc.value.message_dict


def test_a_teknis_code_is_unique_whatever_its_case(db):
    services.kompetensi_teknis_create(actor=None, kode="T.PRW.01", nama="Asuhan Keperawatan")
    with pytest.raises(ValidationError) as exc:
        services.kompetensi_teknis_create(actor=None, kode="t.prw.01", nama="Lagi")
    assert "sudah ada" in exc.value.message_dict["kode"][0]
    assert Kompetensi.objects.filter(kode__iexact="T.PRW.01").count() == 1


def test_the_list_counts_come_in_the_same_query(org, django_assert_num_queries):
    give_standar(org.j_staf, None, None, levels={"M.01": 1})
    for i in range(3):
        JabatanFactory(nama=f"Jabatan tambahan {i}", unit_kerja=org.bidang)
    with django_assert_num_queries(1):
        listed = selectors.with_counts(Jabatan.objects.filter(unit_kerja=org.bidang))
        rows = {j.nama: (j.jumlah_indikator, j.jumlah_kompetensi) for j in listed}
    assert rows[org.j_staf.nama] == (2, 1)
    assert rows["Jabatan tambahan 0"] == (0, 0)


def test_saving_the_same_values_in_another_notation_records_no_change(org, persona):
    give_standar(org.j_staf, 100)
    existing = org.j_staf.indikator_kinerja.get()
    entries = AuditLog.objects.for_object(org.j_staf).count()
    same = row(existing.uraian, Decimal("100"), id=existing.pk, target=Decimal("10"), urutan=existing.urutan)
    services.indikator_save_all(actor=persona.staf_bkpsdm, jabatan=org.j_staf, rows=[same])
    assert AuditLog.objects.for_object(org.j_staf).count() == entries
    existing.refresh_from_db()
    assert (existing.target, existing.bobot) == (Decimal("10.00"), Decimal("100.00"))
