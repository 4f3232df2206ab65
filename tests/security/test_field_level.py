"""Personal data (NIK, birth date and place, address, phone, email, disciplinary penalties) of a
pegawai reaches only the staff who manage them and the pegawai themself (``Scope.personal_data_q``):
never their atasan, the atasan above (kadis), another unit, another pemda or another pemda's
staff, in any API answer or page that shows the pegawai, including the audit trail of a change
to those fields.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from apps.pegawai import services as pegawai_services
from apps.pegawai.models import PERSONAL_FIELDS, Pegawai
from apps.penilaian import pdf

from .conftest import HUKUMAN_NOMOR_SK, HUKUMAN_PELANGGARAN, PERSONAS

PERSONAL = {
    "nik": "1171013011900007",
    "tempat_lahir": "Lhokseumawe",
    "alamat": "Jalan Teuku Umar Nomor 17, Banda Aceh",
    "telepon": "081260001234",
    "email": "iqbal.rahasia@sabangkota.go.id",
}
# How org.staf's birth date (1990-11-30) may be written; the NIP carries it only as 19901130.
BIRTH_DATE = ("1990-11-30", "30 November 1990", "30-11-1990", "30/11/1990", "30 Nov 1990")
# A disciplinary penalty follows the same rule.
MARKERS = (*PERSONAL.values(), *BIRTH_DATE, HUKUMAN_PELANGGARAN, HUKUMAN_NOMOR_SK)

# Who may see org.staf's personal data, and who may see org.staf but not it.
SEE_PERSONAL = {"staf_bkpsdm", "bawahan", "superuser"}
SEE_ONLY_PUBLIC = {"atasan", "kadis"}
EVERYONE = (*PERSONAS[1:], "kadis")


@pytest.fixture(scope="module")
def personal(world, django_db_blocker):
    """org.staf's personal data, entered by BKPSDM: the audit trail now holds it too."""
    with django_db_blocker.unblock():
        staf = pegawai_services.pegawai_update(
            actor=world.persona.staf_bkpsdm, pegawai=world.org.staf, expected_version=world.org.staf.version, **PERSONAL
        )
    world.org.staf = staf
    return world


@pytest.fixture
def clients(personal, world_clients, db):
    clients = {name: getattr(world_clients, name) for name in PERSONAS[1:]}
    kadis = Client()
    kadis.force_login(personal.persona.kadis)
    return {**clients, "kadis": kadis}


def leaked(response):
    text = response.content.decode()
    return [marker for marker in MARKERS if marker in text]


def staf_urls(w):
    """Every page and API answer that shows org.staf or something of theirs."""
    nip = w.org.staf.nip
    return [
        reverse("pegawai:detail", kwargs={"nip": nip}),
        reverse("pegawai:audit", kwargs={"nip": nip}),
        reverse("pegawai:list") + f"?q={nip}",
        reverse("pegawai:jabatan_detail", kwargs={"pk": w.org.j_staf.pk}),
        reverse("home"),
        reverse("penilaian:detail", kwargs={"pk": w.skp.pk}),
        reverse("penilaian:bawahan"),
        reverse("penilaian:daftar"),
        reverse("sertifikasi:detail", kwargs={"pk": w.sertifikasi.pk}),
        reverse("sertifikasi:daftar"),
        reverse("sertifikasi:antrean"),
        reverse("pegawai-detail", kwargs={"nip": nip}),
        reverse("pegawai-list") + f"?search={nip}",
        reverse("pegawai-list"),
        reverse("riwayat-jabatan-list") + f"?nip={nip}",
        reverse("riwayat-pangkat-list") + f"?nip={nip}",
        reverse("riwayat-pendidikan-list") + f"?nip={nip}",
        reverse("riwayat-hukuman-disiplin-list") + f"?nip={nip}",
        reverse("riwayat-hukuman-disiplin-list"),
        reverse("penilaian-list"),
        reverse("penilaian-detail", kwargs={"pk": w.skp.pk}),
        reverse("sertifikasi-list"),
        reverse("sertifikasi-detail", kwargs={"pk": w.sertifikasi.pk}),
        reverse("core:audit"),
        reverse("core:audit") + f"?pegawai={nip}",
        reverse("pelatihan:riwayat", kwargs={"pk": w.mandiri.pk}),
        reverse("pelatihan:riwayat", kwargs={"pk": w.pendaftaran.pk}),
        reverse("pelatihan:persetujuan"),
        reverse("pelatihan:antrean"),
        reverse("pelatihan:kebutuhan"),
        reverse("pelatihan:asesmen_pegawai", kwargs={"nip": nip}),
        reverse("riwayat-pelatihan-list"),
        reverse("riwayat-pelatihan-detail", kwargs={"pk": w.mandiri.pk}),
        reverse("asesmen-kompetensi-list"),
        reverse("kompetensi-gap-detail", kwargs={"nip": nip}),
        reverse("kebutuhan-pelatihan-list") + "?jenis=jp",
        reverse("kurang-jp-list"),
    ]


# ---------------------------------------------------------------------------------------------
# The API


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_pegawai_detail_carries_personal_fields_only_for_the_manager_and_the_pegawai(persona, personal, clients):
    response = clients[persona].get(reverse("pegawai-detail", kwargs={"nip": personal.org.staf.nip}))
    if persona in SEE_PERSONAL:
        assert response.status_code == 200
        data = response.json()
        assert {name: data[name] for name in PERSONAL} == PERSONAL
        assert data["tanggal_lahir"] == "1990-11-30"
    elif persona in SEE_ONLY_PUBLIC:
        assert response.status_code == 200
        data = response.json()
        assert data["nama"] == personal.org.staf.nama
        assert not set(PERSONAL_FIELDS) & set(data), data
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", EVERYONE)
def test_every_row_of_the_pegawai_list_carries_personal_fields_only_where_the_reader_may_see_them(
    persona, personal, clients
):
    user = personal.persona.kadis if persona == "kadis" else getattr(personal.persona, persona)
    rows = clients[persona].get(reverse("pegawai-list"), {"page_size": 200}).json()["results"]
    assert rows
    for row in rows:
        own = user.pegawai_id is not None and row["nip"] == user.pegawai.nip
        managed = persona in ("staf_bkpsdm", "staf_bkpsdm_b", "superuser")
        present = set(PERSONAL_FIELDS) & set(row)
        if own or managed:
            assert present == set(PERSONAL_FIELDS), (persona, row["nip"])
        else:
            assert not present, (persona, row["nip"], present)


@pytest.mark.parametrize("persona", sorted(SEE_ONLY_PUBLIC))
def test_the_atasan_sees_their_own_personal_data_beside_the_subordinate_without(persona, personal, clients):
    user = personal.persona.kadis if persona == "kadis" else personal.persona.atasan
    rows = {row["nip"]: row for row in clients[persona].get(reverse("pegawai-list")).json()["results"]}
    assert "nik" in rows[user.pegawai.nip]
    assert personal.org.staf.nip in rows
    assert "nik" not in rows[personal.org.staf.nip]


def test_personal_fields_cannot_be_probed_by_ordering_or_search(personal, clients):
    atasan = clients["atasan"]
    for field in PERSONAL_FIELDS:
        response = atasan.get(reverse("pegawai-list"), {"ordering": field})
        assert response.status_code == 400, field
        assert "ordering" in response.json()
    for value in (PERSONAL["nik"], PERSONAL["email"], PERSONAL["telepon"]):
        assert atasan.get(reverse("pegawai-list"), {"search": value}).json()["results"] == []
        assert atasan.get(reverse("pegawai-list"), {"nik": value}).json()["count"] > 1  # an unknown filter is ignored
        page = atasan.get(reverse("pegawai:list"), {"q": value})
        assert personal.org.staf.nip not in page.content.decode()


# ---------------------------------------------------------------------------------------------
# Everything that shows the pegawai: pages and API


@pytest.mark.parametrize("persona", EVERYONE)
def test_no_page_or_answer_shows_the_personal_data_to_whom_it_is_not_for(persona, personal, clients):
    client = clients[persona]
    shown = {}
    for url in staf_urls(personal):
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        found = leaked(response)
        if found:
            shown[url] = found
    if persona in SEE_PERSONAL:
        # The positive control: the detail page and the API show all of it, so the scan can see it.
        detail = reverse("pegawai:detail", kwargs={"nip": personal.org.staf.nip})
        assert set(PERSONAL.values()) | {"30 November 1990", HUKUMAN_NOMOR_SK} <= set(shown[detail])
        assert set(PERSONAL.values()) | {"1990-11-30"} <= set(
            shown[reverse("pegawai-detail", kwargs={"nip": personal.org.staf.nip})]
        )
    else:
        assert not shown, f"{persona} is shown personal data of {personal.org.staf.nip}: {shown}"


@pytest.mark.parametrize("persona", sorted(SEE_ONLY_PUBLIC))
def test_the_audit_trail_of_a_personal_change_hides_the_values_from_the_atasan(persona, personal, clients):
    response = clients[persona].get(reverse("pegawai:audit", kwargs={"nip": personal.org.staf.nip}))
    assert response.status_code == 200
    labels = {Pegawai._meta.get_field(name).verbose_name for name in PERSONAL_FIELDS}
    changes = [c for row in response.context["audit_rows"] for c in row["changes"] if c["label"] in labels]
    # The five fields of the update, and the birth date of the record's creation.
    assert len(changes) == len(PERSONAL) + 1
    assert all(c["hidden"] and c["old"] is None and c["new"] is None for c in changes)
    assert not leaked(response)


def test_the_manager_reads_the_values_in_the_audit_trail(personal, clients):
    response = clients["staf_bkpsdm"].get(reverse("pegawai:audit", kwargs={"nip": personal.org.staf.nip}))
    assert set(PERSONAL.values()) <= set(leaked(response))


def test_the_skp_document_carries_no_personal_data(personal, clients):
    # Whoever may see the SKP may print it: the atasan penilai, the pegawai, BKPSDM.
    html = pdf.dokumen_html(personal.skp)
    assert personal.org.staf.nip in html
    assert not [marker for marker in MARKERS if marker in html]
