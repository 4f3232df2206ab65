import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core.exceptions import ConflictError, NotAllowedError, WorkflowError
from apps.core.models import AuditLog
from apps.pegawai import services as pegawai_services
from apps.penilaian import services
from apps.penilaian.models import PREDIKAT_MATRIX, BerAKHLAK, Penilaian, Predikat, Rating, Status, predikat_for
from apps.penilaian.selectors import distribusi_predikat
from apps.penilaian.workflow import EDITS, TRANSITIONS, Peran

from ..factories import PegawaiFactory

SEMUA_SESUAI = dict.fromkeys(BerAKHLAK.values, Rating.SESUAI)


@pytest.mark.parametrize(
    ("hasil", "perilaku", "predikat"),
    [
        (Rating.DI_ATAS, Rating.DI_BAWAH, Predikat.KURANG),
        (Rating.DI_ATAS, Rating.SESUAI, Predikat.BAIK),
        (Rating.DI_ATAS, Rating.DI_ATAS, Predikat.SANGAT_BAIK),
        (Rating.SESUAI, Rating.DI_BAWAH, Predikat.KURANG),
        (Rating.SESUAI, Rating.SESUAI, Predikat.BAIK),
        (Rating.SESUAI, Rating.DI_ATAS, Predikat.BAIK),
        (Rating.DI_BAWAH, Rating.DI_BAWAH, Predikat.SANGAT_KURANG),
        (Rating.DI_BAWAH, Rating.SESUAI, Predikat.BUTUH_PERBAIKAN),
        (Rating.DI_BAWAH, Rating.DI_ATAS, Predikat.BUTUH_PERBAIKAN),
    ],
)
def test_each_cell_of_the_predikat_matrix(hasil, perilaku, predikat):
    assert predikat_for(hasil, perilaku) == predikat
    assert predikat_for(int(hasil), int(perilaku)) == predikat


def test_the_matrix_has_exactly_nine_cells_and_uses_siasn_ids():
    assert len(PREDIKAT_MATRIX) == 9
    assert (Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH) == (1, 2, 3)
    assert [p.value for p in Predikat] == [1, 2, 3, 4, 5]


def test_no_predikat_until_both_ratings_are_given():
    assert predikat_for(None, Rating.SESUAI) is None


def test_a_new_skp_snapshots_the_parties_from_the_jabatan_chain(org, skp):
    assert (skp.penilai, skp.atasan_penilai, skp.penilai_penugasan) == (org.kabid, org.kadis, "definitif")
    assert skp.pegawai_nip == org.staf.nip
    assert skp.penilai_nip == org.kabid.nip
    assert skp.penilai_jabatan == "Kepala Bidang Pembinaan SD"
    assert skp.atasan_penilai_nama == org.kadis.nama_lengkap
    assert skp.organisasi == org.disdik
    assert skp.status == Status.DRAF


def test_a_new_skp_is_prefilled_from_the_standar_kinerja(skp):
    rows = list(skp.rencana.order_by("urutan"))
    assert [r.satuan for r in rows] == ["persen", "sekolah"]
    assert rows[0].indikator_sumber is not None


def test_a_later_move_does_not_rewrite_the_snapshot(org, skp):
    pegawai_services.riwayat_jabatan_add(
        actor=None, pegawai=org.kabid, jabatan=org.j_staf_dinkes, tmt=dt.date(2026, 2, 1)
    )
    skp.refresh_from_db()
    assert skp.penilai_jabatan == "Kepala Bidang Pembinaan SD"


def test_a_vacant_atasan_jabatan_passes_to_the_next_higher_official(org, periode, persona):
    pegawai_services.riwayat_jabatan_add(
        actor=None, pegawai=org.kabid, jabatan=org.j_staf_dinkes, tmt=dt.date(2026, 2, 1)
    )
    skp = services.penilaian_create(actor=persona.bawahan, periode=periode, pegawai=org.staf)
    assert skp.penilai == org.kadis
    assert skp.atasan_penilai is None


def test_a_plt_of_the_vacant_jabatan_becomes_the_penilai(org, periode, persona):
    pegawai_services.riwayat_jabatan_add(
        actor=None, pegawai=org.kabid, jabatan=org.j_staf_dinkes, tmt=dt.date(2026, 2, 1)
    )
    pegawai_services.riwayat_jabatan_add(
        actor=None, pegawai=org.analis, jabatan=org.j_kabid, tmt=dt.date(2026, 2, 2), jenis_penugasan="plt"
    )
    skp = services.penilaian_create(actor=persona.bawahan, periode=periode, pegawai=org.staf)
    assert (skp.penilai, skp.penilai_penugasan) == (org.analis, "plt")


def test_one_skp_per_pegawai_per_year(org, persona, skp, periode):
    with pytest.raises(ValidationError):
        services.penilaian_create(actor=persona.bawahan, periode=periode, pegawai=org.staf)


def test_only_the_pegawai_or_staff_start_an_skp(org, persona, periode):
    with pytest.raises(NotAllowedError):
        services.penilaian_create(actor=persona.atasan, periode=periode, pegawai=org.staf)
    skp = services.penilaian_create(actor=persona.staf_bkpsdm, periode=periode, pegawai=org.staf)
    assert skp.pk


def test_an_skp_belongs_to_a_period_of_the_pegawai_own_instansi(org, persona):
    other = services.periode_create(actor=None, instansi=org.pemda_b, tahun=2025, periodik="bulanan")
    with pytest.raises(ValidationError):
        services.penilaian_create(actor=persona.staf_bkpsdm, periode=other, pegawai=org.staf)


def run_year(skp, persona, hasil=Rating.SESUAI, perilaku=Rating.SESUAI):
    """Planning, execution and the annual rating, as the parties would do it."""
    skp = services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp, expected_version=skp.version)
    skp = services.penilaian_setujui(actor=persona.atasan, penilaian=skp, expected_version=skp.version)
    rencana = skp.rencana.first()
    for ke in (1, 2, 3, 4):
        services.realisasi_save(
            actor=persona.bawahan, penilaian=skp, rencana=rencana, periode_ke=ke, realisasi=f"Triwulan {ke} tercapai"
        )
    skp.refresh_from_db()
    return services.penilaian_nilai(
        actor=persona.atasan,
        penilaian=skp,
        rating_hasil_kerja=hasil,
        rating_perilaku=perilaku,
        rating_berakhlak=SEMUA_SESUAI,
        umpan_balik="Pertahankan.",
        expected_version=skp.version,
    )


def test_a_whole_year_ends_final_with_its_predikat_and_audit_trail(skp, persona):
    skp = run_year(skp, persona, Rating.DI_ATAS, Rating.DI_ATAS)
    assert (skp.status, skp.predikat) == (Status.DINILAI, Predikat.SANGAT_BAIK)
    skp = services.penilaian_terima(actor=persona.bawahan, penilaian=skp)
    assert skp.status == Status.FINAL and skp.final_pada is not None
    steps = [e.changes.get("langkah", [None, None])[1] for e in AuditLog.objects.for_object(skp).order_by("id")]
    assert [s for s in steps if s] == [
        "Ajukan rencana SKP",
        "Setujui rencana SKP",
        "Tetapkan penilaian tahunan",
        "Terima hasil penilaian",
    ]


def test_a_returned_plan_carries_the_note_and_can_be_resubmitted(skp, persona):
    skp = services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp)
    with pytest.raises(ValidationError):
        services.penilaian_kembalikan(actor=persona.atasan, penilaian=skp, catatan="  ")
    skp = services.penilaian_kembalikan(actor=persona.atasan, penilaian=skp, catatan="Tambahkan target waktu.")
    assert (skp.status, skp.catatan_pengembalian) == (Status.DIKEMBALIKAN, "Tambahkan target waktu.")
    services.rencana_add(
        actor=persona.bawahan,
        penilaian=skp,
        uraian="Laporan bulanan tepat waktu",
        indikator="Laporan disampaikan paling lambat tanggal 5",
        aspek="waktu",
        target=12,
        satuan="laporan",
    )
    skp = services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp)
    assert skp.status == Status.DIAJUKAN


@pytest.mark.parametrize("step", sorted(TRANSITIONS))
def test_every_transition_refuses_a_role_not_in_the_table(step, org, persona, skp):
    """For each step, a party not listed in the table is refused before anything changes."""
    all_personas = {
        Peran.PEGAWAI: persona.bawahan,
        Peran.PENILAI: persona.atasan,
        Peran.ATASAN_PENILAI: persona.kadis,
        Peran.BKPSDM: persona.staf_bkpsdm,
    }
    # Put the SKP in a state the step starts from, through the real steps.
    source = sorted(TRANSITIONS[step].sources)[0]
    _bring_to(skp, source, persona)
    skp.refresh_from_db()
    for role, user in all_personas.items():
        if role in TRANSITIONS[step].roles:
            continue
        version = skp.version
        with pytest.raises(NotAllowedError):
            _do(step, user, skp)
        skp.refresh_from_db()
        assert (skp.status, skp.version) == (source, version)


def _bring_to(skp, status, persona):
    path = {
        Status.DRAF: [],
        Status.DIKEMBALIKAN: ["ajukan", "kembalikan"],
        Status.DIAJUKAN: ["ajukan"],
        Status.BERJALAN: ["ajukan", "setujui"],
        Status.DINILAI: ["ajukan", "setujui", "nilai"],
        Status.KEBERATAN: ["ajukan", "setujui", "nilai", "ajukan_keberatan"],
        Status.FINAL: ["ajukan", "setujui", "nilai", "terima"],
    }[status]
    actors = {
        "ajukan": persona.bawahan,
        "kembalikan": persona.atasan,
        "setujui": persona.atasan,
        "nilai": persona.atasan,
        "ajukan_keberatan": persona.bawahan,
        "terima": persona.bawahan,
    }
    for step in path:
        skp.refresh_from_db()
        _do(step, actors[step], skp)


def _do(step, user, skp):
    kwargs = {"actor": user, "penilaian": skp}
    extra = {
        "kembalikan": {"catatan": "Perbaiki."},
        "nilai": {"rating_hasil_kerja": 2, "rating_perilaku": 2, "rating_berakhlak": SEMUA_SESUAI},
        "ajukan_keberatan": {"alasan": "Realisasi saya melampaui target."},
        "putuskan_keberatan": {"keputusan": "Keberatan diterima sebagian.", "rating_hasil_kerja": 1},
        "buka_kembali": {"alasan": "Salah input rating."},
    }.get(step, {})
    return getattr(services, f"penilaian_{step}")(**kwargs, **extra)


@pytest.mark.parametrize("step", sorted(TRANSITIONS))
def test_every_transition_is_refused_from_a_state_not_in_the_table(step, persona, skp):
    role_user = {
        Peran.PEGAWAI: persona.bawahan,
        Peran.PENILAI: persona.atasan,
        Peran.ATASAN_PENILAI: persona.kadis,
        Peran.BKPSDM: persona.staf_bkpsdm,
    }[sorted(TRANSITIONS[step].roles)[0]]
    wrong = next(s for s in Status if s not in TRANSITIONS[step].sources)
    _bring_to(skp, wrong, persona)
    skp.refresh_from_db()
    with pytest.raises(WorkflowError):
        _do(step, role_user, skp)


def test_the_atasan_penilai_decides_a_keberatan_and_may_change_the_result(skp, persona):
    skp = run_year(skp, persona, Rating.SESUAI, Rating.SESUAI)
    skp = services.penilaian_ajukan_keberatan(actor=persona.bawahan, penilaian=skp, alasan="Target terlampaui 120%.")
    assert skp.status == Status.KEBERATAN
    with pytest.raises(NotAllowedError):
        services.penilaian_putuskan_keberatan(actor=persona.atasan, penilaian=skp, keputusan="Ditolak.")
    skp = services.penilaian_putuskan_keberatan(
        actor=persona.kadis, penilaian=skp, keputusan="Diterima.", rating_hasil_kerja=Rating.DI_ATAS, rating_perilaku=1
    )
    assert (skp.status, skp.predikat) == (Status.FINAL, Predikat.SANGAT_BAIK)


def test_a_final_skp_is_never_edited_until_bkpsdm_reopens_it(skp, persona):
    skp = run_year(skp, persona)
    skp = services.penilaian_terima(actor=persona.bawahan, penilaian=skp)
    rencana = skp.rencana.first()
    with pytest.raises(WorkflowError):
        services.realisasi_save(actor=persona.bawahan, penilaian=skp, rencana=rencana, periode_ke=1, realisasi="x")
    with pytest.raises(WorkflowError):
        services.rencana_update(actor=persona.bawahan, rencana=rencana, uraian="diubah")
    with pytest.raises(ValidationError):
        services.penilaian_buka_kembali(actor=persona.staf_bkpsdm, penilaian=skp, alasan="")
    skp = services.penilaian_buka_kembali(actor=persona.staf_bkpsdm, penilaian=skp, alasan="Rating salah input.")
    assert (skp.status, skp.predikat) == (Status.BERJALAN, None)
    entry = AuditLog.objects.for_object(skp).first()
    assert entry.actor == persona.staf_bkpsdm and entry.changes["alasan_buka_kembali"][1] == "Rating salah input."


def test_the_second_of_two_saves_on_the_same_version_is_refused(skp, persona):
    version = skp.version
    services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp, expected_version=version)
    with pytest.raises(ConflictError):
        services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp, expected_version=version)
    assert Penilaian.objects.get(pk=skp.pk).version == version + 1


def test_a_closed_period_accepts_no_change(skp, persona, periode):
    services.periode_set_status(actor=persona.staf_bkpsdm, periode=periode, status="ditutup")
    skp.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.penilaian_ajukan(actor=persona.bawahan, penilaian=skp)
    assert services.allowed_steps(persona.bawahan, skp) == set()


def test_a_periodic_evaluation_stores_its_predikat(skp, persona):
    _bring_to(skp, Status.BERJALAN, persona)
    skp.refresh_from_db()
    row = services.evaluasi_periodik_save(
        actor=persona.atasan,
        penilaian=skp,
        periode_ke=2,
        rating_hasil_kerja=3,
        rating_perilaku=2,
        rating_berakhlak=SEMUA_SESUAI,
    )
    assert row.predikat == Predikat.BUTUH_PERBAIKAN
    with pytest.raises(ValidationError) as exc_info:
        services.evaluasi_periodik_save(
            actor=persona.atasan,
            penilaian=skp,
            periode_ke=5,
            rating_hasil_kerja=2,
            rating_perilaku=2,
            rating_berakhlak=SEMUA_SESUAI,
        )
    assert "periode_ke" in exc_info.value.message_dict


def test_the_annual_rating_needs_all_seven_berakhlak_values(skp, persona):
    _bring_to(skp, Status.BERJALAN, persona)
    skp.refresh_from_db()
    partial = dict(SEMUA_SESUAI)
    partial.pop("loyal")
    with pytest.raises(ValidationError) as exc_info:
        services.penilaian_nilai(
            actor=persona.atasan, penilaian=skp, rating_hasil_kerja=2, rating_perilaku=7, rating_berakhlak=partial
        )
    assert set(exc_info.value.message_dict) == {"rating_berakhlak", "rating_perilaku"}
    assert Penilaian.objects.get(pk=skp.pk).status == Status.BERJALAN


def test_the_head_of_a_unit_is_rated_by_the_unit_result(org, persona, periode):
    services.capaian_unit_set(actor=persona.staf_bkpsdm, periode=periode, unit_kerja=org.bidang, capaian="istimewa")
    skp = services.penilaian_create(actor=persona.atasan, periode=periode, pegawai=org.kabid)
    services.rencana_add(
        actor=persona.atasan,
        penilaian=skp,
        uraian="Mutu SD meningkat",
        indikator="Rata-rata nilai AN",
        aspek="kualitas",
        target=70,
        satuan="poin",
    )
    skp = services.penilaian_ajukan(actor=persona.atasan, penilaian=skp)
    skp = services.penilaian_setujui(actor=persona.kadis, penilaian=skp)
    skp = services.penilaian_nilai(
        actor=persona.kadis, penilaian=skp, rating_hasil_kerja=2, rating_perilaku=1, rating_berakhlak=SEMUA_SESUAI
    )
    assert (skp.rating_hasil_kerja, skp.predikat) == (Rating.DI_ATAS, Predikat.SANGAT_BAIK)


def test_the_distribution_warns_when_a_baik_organisation_has_too_many_baik(org, persona, periode):
    services.capaian_unit_set(actor=persona.staf_bkpsdm, periode=periode, unit_kerja=org.disdik, capaian="baik")
    for i in range(4):  # 3 of 4 Baik: 75% > 70%
        pegawai = PegawaiFactory(jabatan=org.j_staf)
        skp = services.penilaian_create(actor=persona.staf_bkpsdm, periode=periode, pegawai=pegawai)
        Penilaian.objects.filter(pk=skp.pk).update(predikat=Predikat.BAIK if i else Predikat.BUTUH_PERBAIKAN)
    [row] = distribusi_predikat(Penilaian.objects.visible_to(persona.staf_bkpsdm), periode)
    assert (row.unit_nama, row.total, row.counts[Predikat.BAIK], row.counts[Predikat.BUTUH_PERBAIKAN]) == (
        "Dinas Pendidikan",
        4,
        3,
        1,
    )
    assert len(row.warnings) == 1 and "melebihi 70%" in row.warnings[0]


def test_a_distribution_within_the_rule_has_no_warning(org, persona, periode):
    services.capaian_unit_set(actor=persona.staf_bkpsdm, periode=periode, unit_kerja=org.disdik, capaian="baik")
    predikats = [Predikat.BAIK] * 7 + [Predikat.BUTUH_PERBAIKAN] * 3
    for p in predikats:
        skp = services.penilaian_create(
            actor=persona.staf_bkpsdm, periode=periode, pegawai=PegawaiFactory(jabatan=org.j_staf)
        )
        Penilaian.objects.filter(pk=skp.pk).update(predikat=p)
    [row] = distribusi_predikat(Penilaian.objects.visible_to(persona.staf_bkpsdm), periode)
    assert row.warnings == []


def test_skp_visibility_follows_the_parties_and_the_scope(org, persona, skp):
    assert Penilaian.objects.visible_to(persona.atasan).filter(pk=skp.pk).exists()
    assert Penilaian.objects.visible_to(persona.kadis).filter(pk=skp.pk).exists()
    assert Penilaian.objects.visible_to(persona.staf_bkpsdm).filter(pk=skp.pk).exists()
    assert not Penilaian.objects.visible_to(persona.atasan_lain).filter(pk=skp.pk).exists()
    assert not Penilaian.objects.visible_to(persona.staf_bkpsdm_b).filter(pk=skp.pk).exists()


def test_the_edit_table_names_only_known_states_and_roles():
    for step in {**TRANSITIONS, **EDITS}.values():
        assert step.sources <= set(Status.values)
        assert step.roles <= set(Peran.values)
