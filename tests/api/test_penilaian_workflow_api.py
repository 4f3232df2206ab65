"""The SKP workflow through /api/v1/penilaian/{id}/<step>/: who may take which step from which
state, the predikat matrix, final SKPs, closed periods, stale saves, and bad input."""

import pytest

from apps.core.models import AuditLog
from apps.penilaian import services
from apps.penilaian.models import BerAKHLAK, EvaluasiPeriodik, Penilaian, Realisasi, RencanaHasilKerja

URL = "/api/v1/penilaian/"

SEMUA_SESUAI = dict.fromkeys(BerAKHLAK.values, 2)

# The persona playing each role on the ``skp`` fixture (the SKP of org.staf).
ROLE_PERSONA = {"pegawai": "bawahan", "penilai": "atasan", "atasan_penilai": "kadis", "bkpsdm": "staf_bkpsdm"}

ALL_STATES = ["draf", "diajukan", "dikembalikan", "berjalan", "dinilai", "keberatan", "final"]
PLANNING = {"draf", "dikembalikan"}

# Written out from PermenPANRB 6/2022 and the issue, not read from apps.penilaian.workflow, so that
# a change to the table there shows up here. action -> (roles, states it may be taken from).
STEPS = {
    "ajukan": ({"pegawai"}, PLANNING),
    "kembalikan": ({"penilai"}, {"diajukan"}),
    "setujui": ({"penilai"}, {"diajukan"}),
    "nilai": ({"penilai"}, {"berjalan"}),
    "terima": ({"pegawai"}, {"dinilai"}),
    "keberatan": ({"pegawai"}, {"dinilai"}),
    "putuskan-keberatan": ({"atasan_penilai"}, {"keberatan"}),
    "finalkan": ({"bkpsdm"}, {"dinilai"}),
    "buka-kembali": ({"bkpsdm"}, {"final"}),
    "rencana": ({"pegawai"}, PLANNING),
    "ekspektasi": ({"penilai"}, PLANNING | {"diajukan"}),
    "realisasi": ({"pegawai"}, {"berjalan"}),
    "umpan-balik": ({"penilai"}, {"berjalan"}),
    "evaluasi-periodik": ({"penilai"}, {"berjalan"}),
    "penilai": ({"bkpsdm"}, PLANNING | {"diajukan", "berjalan"}),
}

NEXT_STATE = {
    "ajukan": "diajukan",
    "kembalikan": "dikembalikan",
    "setujui": "berjalan",
    "nilai": "dinilai",
    "terima": "final",
    "keberatan": "keberatan",
    "putuskan-keberatan": "final",
    "finalkan": "final",
    "buka-kembali": "berjalan",
}


def body_for(action, org, skp):
    """A valid body for each step (without ``version``)."""
    rencana = skp.rencana.order_by("pk").first()
    return {
        "ajukan": {},
        "kembalikan": {"catatan": "Target verifikasi terlalu rendah."},
        "setujui": {},
        "nilai": {
            "rating_hasil_kerja": 1,
            "rating_perilaku": 1,
            "rating_berakhlak": SEMUA_SESUAI,
            "umpan_balik": "Baik",
        },
        "terima": {},
        "keberatan": {"alasan": "Capaian triwulan IV belum diperhitungkan."},
        "putuskan-keberatan": {"keputusan": "Keberatan diterima sebagian.", "rating_hasil_kerja": 1},
        "finalkan": {},
        "buka-kembali": {"alasan": "Salah input rating."},
        "rencana": {
            "uraian": "Tersusunnya laporan bulanan",
            "indikator": "Jumlah laporan",
            "aspek": "kuantitas",
            "target": "12",
            "satuan": "laporan",
        },
        "ekspektasi": {"ekspektasi_khusus": {"akuntabel": "Data dilaporkan tepat waktu."}},
        "realisasi": {"rencana": rencana.pk, "periode_ke": 1, "realisasi": "90% sekolah mutakhir", "nilai": "90"},
        "umpan-balik": {"rencana": rencana.pk, "periode_ke": 1, "umpan_balik": "Pertahankan."},
        "evaluasi-periodik": {
            "periode_ke": 2,
            "rating_hasil_kerja": 2,
            "rating_perilaku": 2,
            "rating_berakhlak": SEMUA_SESUAI,
        },
        "penilai": {"nip": org.kabid.nip, "jenis_penugasan": "plt"},
    }[action]


def version_of(skp):
    return Penilaian.objects.values_list("version", flat=True).get(pk=skp.pk)


def post(client, skp, action, body=None, version="current"):
    data = dict(body or {})
    if version == "current":
        data["version"] = version_of(skp)
    elif version is not None:
        data["version"] = version
    return client.post(f"{URL}{skp.pk}/{action}/", data, format="json")


def put_in(skp, state):
    """Set the SKP's state and a rated result directly (setup of the matrix; the flow tests below
    walk the real steps), with a realisasi to give feedback on."""
    Penilaian.objects.filter(pk=skp.pk).update(
        status=state,
        rating_hasil_kerja=2,
        rating_perilaku=2,
        rating_berakhlak=SEMUA_SESUAI,
        predikat=2,
    )
    rencana = skp.rencana.order_by("pk").first()
    if rencana is not None:
        Realisasi.objects.get_or_create(rencana=rencana, periode_ke=1, defaults={"realisasi": "awal"})


# ---------------------------------------------------------------------------------------------
# Every step, from every state, by every role


@pytest.mark.parametrize("action", list(STEPS))
def test_each_step_is_allowed_only_to_its_role_and_from_its_states(api, org, skp, action):
    roles, states = STEPS[action]
    outcomes = {}
    for state in ALL_STATES:
        for role, persona in ROLE_PERSONA.items():
            put_in(skp, state)
            before = version_of(skp)
            response = post(getattr(api, persona), skp, action, body_for(action, org, skp))
            if role not in roles:
                expected = 403
            elif state in states:
                expected = 200
            else:
                expected = 409
            outcomes[(state, role)] = response.status_code
            assert response.status_code == expected, (state, role, response.content)
            after = Penilaian.objects.get(pk=skp.pk)
            if expected == 200:
                body = response.json()
                assert body["version"] == after.version
                assert body["status"] == NEXT_STATE.get(action, state)
                assert after.status == NEXT_STATE.get(action, state)
            else:
                assert "detail" in response.json()
                assert after.version == before
                assert after.status == state
    assert sum(code == 200 for code in outcomes.values()) == len(states)


@pytest.mark.parametrize("action", list(STEPS))
@pytest.mark.parametrize("who", ["atasan_lain", "staf_bkpsdm_b", "pegawai_b"])
def test_every_step_on_an_skp_outside_scope_is_not_found(api, org, skp, action, who):
    for state in STEPS[action][1]:
        put_in(skp, state)
        response = post(getattr(api, who), skp, action, body_for(action, org, skp))
        assert response.status_code == 404, (state, response.content)
        assert Penilaian.objects.get(pk=skp.pk).status == state
    assert version_of(skp) == skp.version


def test_the_superuser_takes_the_bkpsdm_steps(api, org, skp):
    put_in(skp, "dinilai")
    assert post(api.superuser, skp, "finalkan").status_code == 200
    assert post(api.superuser, skp, "buka-kembali", {"alasan": "Koreksi."}).status_code == 200
    assert post(api.superuser, skp, "nilai", body_for("nilai", org, skp)).status_code == 403


def test_a_role_refusal_says_who_may_take_the_step(api, skp):
    response = post(api.atasan, skp, "ajukan")
    assert response.status_code == 403
    assert response.json()["detail"] == "Langkah “Ajukan rencana SKP” hanya dapat dilakukan oleh pegawai yang dinilai."


# ---------------------------------------------------------------------------------------------
# The whole year, through the API


def test_one_skp_walks_through_the_year_with_returns_and_an_objection(api, org, skp):
    assert post(api.bawahan, skp, "ajukan").json()["status"] == "diajukan"
    response = post(api.atasan, skp, "kembalikan", {"catatan": "Tambahkan target waktu."})
    assert response.json()["status"] == "dikembalikan"
    assert response.json()["catatan_pengembalian"] == "Tambahkan target waktu."
    assert post(api.bawahan, skp, "rencana", body_for("rencana", org, skp)).status_code == 200
    assert post(api.bawahan, skp, "ajukan").status_code == 200
    response = post(api.atasan, skp, "ekspektasi", {**body_for("ekspektasi", org, skp), "konsekuensi": "Teguran."})
    akuntabel = next(p for p in response.json()["perilaku"] if p["kode"] == "akuntabel")
    assert akuntabel["ekspektasi_khusus"] == "Data dilaporkan tepat waktu."
    assert response.json()["konsekuensi"] == "Teguran."
    assert post(api.atasan, skp, "setujui").json()["status"] == "berjalan"

    rencana = skp.rencana.order_by("pk").first()
    for ke in (1, 2, 3, 4):
        body = {"rencana": rencana.pk, "periode_ke": ke, "realisasi": f"Triwulan {ke}", "bukti_link": "https://x.id/b"}
        assert post(api.bawahan, skp, "realisasi", body).status_code == 200
        body = {"rencana": rencana.pk, "periode_ke": ke, "umpan_balik": f"Catatan {ke}"}
        assert post(api.atasan, skp, "umpan-balik", body).status_code == 200
        body = {"periode_ke": ke, "rating_hasil_kerja": 2, "rating_perilaku": 2, "rating_berakhlak": SEMUA_SESUAI}
        response = post(api.atasan, skp, "evaluasi-periodik", body)
        assert response.status_code == 200
    detail = response.json()
    row = next(r for r in detail["rencana"] if r["id"] == rencana.pk)
    assert [(r["periode_label"], r["umpan_balik"]) for r in row["realisasi"]] == [
        ("Triwulan I", "Catatan 1"),
        ("Triwulan II", "Catatan 2"),
        ("Triwulan III", "Catatan 3"),
        ("Triwulan IV", "Catatan 4"),
    ]
    assert [e["predikat"]["label"] for e in detail["evaluasi_periodik"]] == ["Baik"] * 4

    nilai = {"rating_hasil_kerja": 3, "rating_perilaku": 2, "rating_berakhlak": SEMUA_SESUAI}
    response = post(api.atasan, skp, "nilai", nilai)
    assert response.json()["hasil"]["predikat"] == {"id": 3, "label": "Butuh Perbaikan"}
    response = post(api.bawahan, skp, "keberatan", {"alasan": "Realisasi triwulan IV belum dinilai."})
    assert response.json()["status"] == "keberatan"
    assert response.json()["keberatan_alasan"] == "Realisasi triwulan IV belum dinilai."
    response = post(api.kadis, skp, "putuskan-keberatan", {"keputusan": "Diterima.", "rating_hasil_kerja": 2})
    body = response.json()
    assert body["status"] == "final"
    assert body["hasil"]["rating_hasil_kerja"] == {"id": 2, "label": "Sesuai ekspektasi"}
    assert body["hasil"]["predikat"] == {"id": 2, "label": "Baik"}
    assert body["langkah"] == []
    assert Penilaian.objects.get(pk=skp.pk).predikat == 2
    # Every step left an audit entry on the SKP.
    assert AuditLog.objects.for_object(skp).count() >= 20


def test_the_pegawai_accepts_the_result_and_bkpsdm_reopens_with_a_reason(api, org, skp):
    put_in(skp, "dinilai")
    assert post(api.bawahan, skp, "terima").json()["status"] == "final"
    response = post(api.staf_bkpsdm, skp, "buka-kembali", {"alasan": "Rating perilaku salah input."})
    body = response.json()
    assert body["status"] == "berjalan"
    assert body["hasil"] == {"rating_hasil_kerja": None, "rating_perilaku": None, "predikat": None}
    entry = AuditLog.objects.for_object(skp).first()
    assert entry.changes["alasan_buka_kembali"] == [None, "Rating perilaku salah input."]


# ---------------------------------------------------------------------------------------------
# Predikat


@pytest.mark.parametrize(
    "hasil, perilaku, predikat, label",
    [
        (1, 3, 4, "Kurang/Misconduct"),
        (1, 2, 2, "Baik"),
        (1, 1, 1, "Sangat Baik"),
        (2, 3, 4, "Kurang/Misconduct"),
        (2, 2, 2, "Baik"),
        (2, 1, 2, "Baik"),
        (3, 3, 5, "Sangat Kurang"),
        (3, 2, 3, "Butuh Perbaikan"),
        (3, 1, 3, "Butuh Perbaikan"),
    ],
)
def test_the_predikat_follows_the_matrix_in_every_cell(api, skp, hasil, perilaku, predikat, label):
    put_in(skp, "berjalan")
    Penilaian.objects.filter(pk=skp.pk).update(predikat=None, rating_hasil_kerja=None, rating_perilaku=None)
    body = {"rating_hasil_kerja": hasil, "rating_perilaku": perilaku, "rating_berakhlak": SEMUA_SESUAI}
    response = post(api.atasan, skp, "nilai", body)
    assert response.status_code == 200, response.content
    assert response.json()["hasil"]["predikat"] == {"id": predikat, "label": label}
    stored = Penilaian.objects.get(pk=skp.pk)
    assert (stored.rating_hasil_kerja, stored.rating_perilaku, stored.predikat) == (hasil, perilaku, predikat)


def test_for_the_head_of_a_unit_the_units_result_is_the_rating_hasil_kerja(api, org, persona, periode):
    # The kabid heads Bidang Pembinaan SD; its capaian "istimewa" makes hasil kerja "di atas".
    skp = services.penilaian_create(actor=persona.staf_bkpsdm, periode=periode, pegawai=org.kabid)
    services.capaian_unit_set(actor=persona.staf_bkpsdm, periode=periode, unit_kerja=org.bidang, capaian="istimewa")
    put_in(skp, "berjalan")
    response = post(api.kadis, skp, "nilai", {"rating_perilaku": 1, "rating_berakhlak": SEMUA_SESUAI})
    assert response.status_code == 200, response.content
    assert response.json()["hasil"]["rating_hasil_kerja"]["id"] == 1
    assert response.json()["hasil"]["predikat"] == {"id": 1, "label": "Sangat Baik"}


# ---------------------------------------------------------------------------------------------
# Final SKPs, closed periods, stale saves


@pytest.mark.parametrize(
    "who, action",
    [
        ("bawahan", "rencana"),
        ("bawahan", "realisasi"),
        ("bawahan", "ajukan"),
        ("bawahan", "keberatan"),
        ("atasan", "nilai"),
        ("atasan", "ekspektasi"),
        ("atasan", "umpan-balik"),
        ("atasan", "evaluasi-periodik"),
        ("kadis", "putuskan-keberatan"),
        ("staf_bkpsdm", "penilai"),
        ("staf_bkpsdm", "finalkan"),
    ],
)
def test_a_final_skp_refuses_every_edit(api, org, skp, who, action):
    put_in(skp, "final")
    before = Penilaian.objects.get(pk=skp.pk)
    rows = RencanaHasilKerja.objects.filter(penilaian=skp).count()
    response = post(getattr(api, who), skp, action, body_for(action, org, skp))
    assert response.status_code == 409, response.content
    assert response.json()["detail"] == (
        "SKP sudah final dan tidak dapat diubah. Staf BKPSDM dapat membukanya kembali."
    )
    after = Penilaian.objects.get(pk=skp.pk)
    assert (after.version, after.status, after.predikat) == (before.version, "final", before.predikat)
    assert RencanaHasilKerja.objects.filter(penilaian=skp).count() == rows


def test_a_final_skp_refuses_changing_and_deleting_its_rows(api, skp):
    put_in(skp, "final")
    rencana = skp.rencana.order_by("pk").first()
    url = f"{URL}{skp.pk}/rencana/{rencana.pk}/"
    response = api.bawahan.patch(url, {"version": version_of(skp), "target": "1"}, format="json")
    assert response.status_code == 409
    assert api.bawahan.delete(f"{url}?version={version_of(skp)}").status_code == 409
    rencana.refresh_from_db()
    assert rencana.target == 95


def test_a_closed_period_refuses_every_change(api, org, persona, skp, periode):
    services.periode_set_status(actor=persona.staf_bkpsdm, periode=periode, status="ditutup")
    for action, (roles, states) in STEPS.items():
        put_in(skp, sorted(states)[0])
        persona_name = ROLE_PERSONA[sorted(roles)[0]]
        response = post(getattr(api, persona_name), skp, action, body_for(action, org, skp))
        assert response.status_code == 409, (action, response.content)
        assert "ditutup" in response.json()["detail"]
    assert version_of(skp) == skp.version


def test_the_second_of_two_saves_with_the_same_version_is_409_and_changes_nothing(api, org, skp):
    read = api.atasan.get(f"{URL}{skp.pk}/").json()["version"]
    first = post(api.atasan, skp, "ekspektasi", {"ekspektasi_khusus": {"loyal": "Menjaga rahasia data."}}, read)
    assert first.status_code == 200
    assert first.json()["version"] == read + 1
    entries = AuditLog.objects.for_object(skp).count()
    second = post(api.atasan, skp, "ekspektasi", {"ekspektasi_khusus": {"loyal": "Yang lain."}}, read)
    assert second.status_code == 409
    assert "diubah oleh pengguna lain" in second.json()["detail"]
    after = Penilaian.objects.get(pk=skp.pk)
    assert after.ekspektasi_khusus == {"loyal": "Menjaga rahasia data."}
    assert after.version == read + 1
    assert AuditLog.objects.for_object(skp).count() == entries


def test_a_stale_version_is_409_for_transitions_and_row_edits(api, org, skp):
    stale = version_of(skp)
    assert post(api.bawahan, skp, "rencana", body_for("rencana", org, skp), stale).status_code == 200
    rows = skp.rencana.count()
    assert post(api.bawahan, skp, "rencana", body_for("rencana", org, skp), stale).status_code == 409
    assert post(api.bawahan, skp, "ajukan", version=stale).status_code == 409
    rencana = skp.rencana.order_by("pk").first()
    url = f"{URL}{skp.pk}/rencana/{rencana.pk}/"
    assert api.bawahan.patch(url, {"version": stale, "target": "1"}, format="json").status_code == 409
    assert api.bawahan.delete(url, {"version": stale}, format="json").status_code == 409
    assert skp.rencana.count() == rows
    assert Penilaian.objects.get(pk=skp.pk).status == "draf"


# ---------------------------------------------------------------------------------------------
# Rencana rows


def test_the_pegawai_edits_and_deletes_a_row_while_planning(api, skp):
    rencana = skp.rencana.order_by("pk").first()
    url = f"{URL}{skp.pk}/rencana/{rencana.pk}/"
    response = api.bawahan.patch(url, {"version": version_of(skp), "target": "97.5"}, format="json")
    assert response.status_code == 200, response.content
    assert next(r for r in response.json()["rencana"] if r["id"] == rencana.pk)["target"] == 97.5
    response = api.bawahan.delete(f"{url}?version={version_of(skp)}")
    assert response.status_code == 200
    assert rencana.pk not in [r["id"] for r in response.json()["rencana"]]
    assert not RencanaHasilKerja.objects.filter(pk=rencana.pk).exists()


def test_a_row_of_another_skp_is_not_found_through_this_one(api, org, persona, periode, skp):
    other = services.penilaian_create(actor=persona.staf_bkpsdm, periode=periode, pegawai=org.kabid)
    services.rencana_add(
        actor=persona.atasan, penilaian=other, uraian="X", indikator="Y", aspek="kuantitas", target=1, satuan="z"
    )
    foreign = other.rencana.get()
    url = f"{URL}{skp.pk}/rencana/{foreign.pk}/"
    assert api.bawahan.patch(url, {"version": version_of(skp), "target": "1"}, format="json").status_code == 404
    assert api.bawahan.delete(f"{url}?version={version_of(skp)}").status_code == 404
    put_in(skp, "berjalan")
    body = {"rencana": foreign.pk, "periode_ke": 1, "realisasi": "x"}
    response = post(api.bawahan, skp, "realisasi", body)
    assert response.status_code == 400
    assert "rencana" in response.json()
    assert not Realisasi.objects.filter(rencana=foreign).exists()


def test_bkpsdm_sets_a_plt_as_penilai(api, org, skp):
    response = post(api.staf_bkpsdm, skp, "penilai", {"nip": org.kadis.nip, "jenis_penugasan": "plt"})
    assert response.status_code == 200, response.content
    assert response.json()["penilai"]["nip"] == org.kadis.nip
    assert response.json()["penilai"]["penugasan"] == "plt"
    assert Penilaian.objects.get(pk=skp.pk).penilai_id == org.kadis.pk


def test_a_penilai_outside_the_staffs_scope_or_the_pegawai_themself_is_refused(api, org, skp):
    response = post(api.staf_bkpsdm, skp, "penilai", {"nip": org.pegawai_b.nip})
    assert response.status_code == 400
    assert "nip" in response.json()
    response = post(api.staf_bkpsdm, skp, "penilai", {"nip": org.staf.nip})
    assert response.status_code == 400
    assert "penilai" in response.json()
    assert Penilaian.objects.get(pk=skp.pk).penilai_id == org.kabid.pk


def test_no_one_without_the_step_can_probe_nips_through_it(api, org, skp):
    # The pegawai does not see the kadis, yet gets the role refusal, not "NIP not found".
    assert post(api.bawahan, skp, "penilai", {"nip": org.kadis.nip}).status_code == 403
    assert post(api.bawahan, skp, "penilai", {"nip": "199999999999999999"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# Bad input: 400 naming the field, nothing changes


@pytest.mark.parametrize(
    "state, who, action, body, field",
    [
        ("draf", "bawahan", "ajukan", {}, "version"),
        ("diajukan", "atasan", "kembalikan", {"catatan": "x"}, "version"),
        ("diajukan", "atasan", "kembalikan", {"version": "abc", "catatan": "x"}, "version"),
        ("diajukan", "atasan", "kembalikan", {"version": 0, "catatan": "x"}, "version"),
        ("diajukan", "atasan", "kembalikan", {"catatan": "   "}, "catatan"),
        ("diajukan", "atasan", "kembalikan", {"catatan": "Perbaiki\x00"}, "catatan"),
        ("berjalan", "atasan", "nilai", {"rating_hasil_kerja": 7, "rating_perilaku": 2}, "rating_hasil_kerja"),
        ("berjalan", "atasan", "nilai", {"rating_hasil_kerja": "1", "rating_perilaku": "x"}, "rating_perilaku"),
        ("berjalan", "atasan", "nilai", {"rating_hasil_kerja": 1, "rating_perilaku": 2}, "rating_berakhlak"),
        (
            "berjalan",
            "atasan",
            "nilai",
            {"rating_hasil_kerja": 1, "rating_perilaku": 2, "rating_berakhlak": {**SEMUA_SESUAI, "jujur": 1}},
            "rating_berakhlak",
        ),
        (
            "berjalan",
            "atasan",
            "nilai",
            {"rating_hasil_kerja": 1, "rating_perilaku": 2, "rating_berakhlak": {**SEMUA_SESUAI, "loyal": 4}},
            "rating_berakhlak",
        ),
        (
            "berjalan",
            "atasan",
            "nilai",
            {"rating_hasil_kerja": 1, "rating_perilaku": 2, "rating_berakhlak": {"akuntabel": 1}},
            "rating_berakhlak",
        ),
        (
            "berjalan",
            "atasan",
            "nilai",
            {"rating_hasil_kerja": 1, "rating_perilaku": 2, "rating_berakhlak": SEMUA_SESUAI, "umpan_balik": "\x00"},
            "umpan_balik",
        ),
        (
            "berjalan",
            "atasan",
            "evaluasi-periodik",
            {"periode_ke": 13, "rating_hasil_kerja": 1, "rating_perilaku": 1, "rating_berakhlak": SEMUA_SESUAI},
            "periode_ke",
        ),
        (
            "berjalan",
            "atasan",
            "evaluasi-periodik",
            {"periode_ke": 5, "rating_hasil_kerja": 1, "rating_perilaku": 1, "rating_berakhlak": SEMUA_SESUAI},
            "periode_ke",
        ),
        ("berjalan", "bawahan", "realisasi", {"periode_ke": 5, "realisasi": "x"}, "periode_ke"),
        ("berjalan", "bawahan", "realisasi", {"periode_ke": 1, "realisasi": "ada\x00nul"}, "realisasi"),
        (
            "berjalan",
            "bawahan",
            "realisasi",
            {"periode_ke": 1, "realisasi": "x", "bukti_link": "bukan url"},
            "bukti_link",
        ),
        ("berjalan", "bawahan", "realisasi", {"periode_ke": 1, "realisasi": "x", "nilai": "1e400"}, "nilai"),
        ("berjalan", "atasan", "umpan-balik", {"periode_ke": 3, "umpan_balik": "x"}, "umpan_balik"),
        ("dinilai", "bawahan", "keberatan", {"alasan": ""}, "alasan"),
        (
            "keberatan",
            "kadis",
            "putuskan-keberatan",
            {"keputusan": "Ditolak.", "rating_perilaku": 0},
            "rating_perilaku",
        ),
        ("final", "staf_bkpsdm", "buka-kembali", {}, "alasan"),
        ("draf", "atasan", "ekspektasi", {"ekspektasi_khusus": {"jujur": "x"}}, "ekspektasi_khusus"),
        ("draf", "atasan", "ekspektasi", {"ekspektasi_khusus": {"loyal": "a\x00"}}, "ekspektasi_khusus"),
        ("draf", "atasan", "ekspektasi", {"ekspektasi_khusus": ["loyal"]}, "ekspektasi_khusus"),
        ("draf", "bawahan", "rencana", {"uraian": "x", "indikator": "y", "target": "1", "satuan": "z"}, "aspek"),
        (
            "draf",
            "bawahan",
            "rencana",
            {"uraian": "x", "indikator": "y", "aspek": "kuantitas", "target": "-1", "satuan": "z"},
            "target",
        ),
        (
            "draf",
            "bawahan",
            "rencana",
            {"uraian": "x\x00", "indikator": "y", "aspek": "kuantitas", "target": "1", "satuan": "z"},
            "uraian",
        ),
        (
            "draf",
            "bawahan",
            "rencana",
            {"uraian": "x", "indikator": "y", "aspek": "mutu", "target": "1", "satuan": "z"},
            "aspek",
        ),
        ("draf", "staf_bkpsdm", "penilai", {"nip": "12345"}, "nip"),
        ("draf", "staf_bkpsdm", "penilai", {"nip": "x", "jenis_penugasan": "bupati"}, "jenis_penugasan"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_changes_nothing(api, org, skp, state, who, action, body, field):
    put_in(skp, state)
    data = dict(body)
    if action in ("realisasi", "umpan-balik"):
        data.setdefault("rencana", skp.rencana.order_by("pk").first().pk)
    if field != "version" and "version" not in data:
        data["version"] = version_of(skp)
    before = Penilaian.objects.get(pk=skp.pk)
    counts = (RencanaHasilKerja.objects.count(), Realisasi.objects.count(), EvaluasiPeriodik.objects.count())
    response = getattr(api, who).post(f"{URL}{skp.pk}/{action}/", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    after = Penilaian.objects.get(pk=skp.pk)
    assert (after.version, after.status, after.predikat) == (before.version, state, before.predikat)
    assert (RencanaHasilKerja.objects.count(), Realisasi.objects.count(), EvaluasiPeriodik.objects.count()) == counts


@pytest.mark.parametrize("payload", ["[1, 2]", '"teks"', "{", '{"version": 1, "catatan": "x"' + "]" * 1])
def test_a_body_that_is_not_a_json_object_is_400(api, skp, payload):
    put_in(skp, "diajukan")
    response = api.atasan.post(f"{URL}{skp.pk}/kembalikan/", payload, content_type="application/json")
    assert response.status_code == 400
    assert Penilaian.objects.get(pk=skp.pk).status == "diajukan"


def test_deleting_a_row_needs_the_version(api, skp):
    rencana = skp.rencana.order_by("pk").first()
    url = f"{URL}{skp.pk}/rencana/{rencana.pk}/"
    for response in (api.bawahan.delete(url), api.bawahan.delete(f"{url}?version=abc")):
        assert response.status_code == 400
        assert "version" in response.json()
    response = api.bawahan.patch(url, {"target": "1"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    assert RencanaHasilKerja.objects.filter(pk=rencana.pk).exists()


def test_a_row_id_of_the_wrong_shape_is_not_found(api, skp):
    assert api.bawahan.delete(f"{URL}{skp.pk}/rencana/abc/?version=1").status_code == 404
    assert api.bawahan.delete(f"{URL}{skp.pk}/rencana/9999999/?version=1").status_code == 404
