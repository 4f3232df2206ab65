"""The standar kinerja pages, through the Django test client and the personas of conftest.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditLog
from apps.standar_kinerja import selectors
from apps.standar_kinerja.models import Kompetensi

from ..factories import JabatanFactory, UnitKerjaFactory
from . import give_standar, kompetensi, levels_of, uraian_of

pytestmark = pytest.mark.django_db

INDEX = reverse("standar_kinerja:index")
KATALOG = reverse("standar_kinerja:kompetensi_list")
KOMPETENSI_BARU = reverse("standar_kinerja:kompetensi_create")


def url(name, jabatan):
    return reverse(f"standar_kinerja:{name}", kwargs={"pk": jabatan.pk})


def listed(response):
    assert response.status_code == 200
    return [j.nama for j in response.context["page"].object_list]


def count_queries(client, address):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx)


def formset_data(rows, *, versi, initial=0, prefix="indikator"):
    """POST data for the indikator formset: ``rows`` are dicts with the row's fields."""
    data = {
        "versi": versi,
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }
    for i, values in enumerate(rows):
        defaults = {"aspek": "kuantitas", "satuan": "dokumen", "target": "10", "bobot": "", "id": "", "ORDER": ""}
        for name, value in {**defaults, **values}.items():
            if name == "DELETE":
                if value:
                    data[f"{prefix}-{i}-DELETE"] = "on"
                continue
            data[f"{prefix}-{i}-{name}"] = "" if value is None else str(value)
    return data


def new_rows(*bobot):
    return [{"uraian": f"Hasil {i + 1}", "indikator": f"Indikator {i + 1}", "bobot": b} for i, b in enumerate(bobot)]


# ---------------------------------------------------------------------------------------------
# Who sees what


def test_anonymous_visitors_are_sent_to_the_login_page(client, org):
    for address in [INDEX, KATALOG, url("detail", org.j_staf), url("indikator_edit", org.j_staf)]:
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("akun:login"))


def test_staff_list_the_jabatan_of_their_pemda_with_their_counts(org, clients):
    give_standar(org.j_staf, 60, 40, levels={"M.01": 3})
    response = clients.staf_bkpsdm.get(INDEX)
    names = listed(response)
    assert org.j_staf.nama in names and org.j_kadis.nama in names
    assert org.j_b.nama not in names
    staf = next(j for j in response.context["page"].object_list if j.pk == org.j_staf.pk)
    assert (staf.jumlah_indikator, staf.jumlah_kompetensi) == (2, 1)
    assert listed(clients.staf_bkpsdm_b.get(INDEX)) == [org.j_b.nama]


def test_a_pegawai_lists_the_jabatan_of_their_own_instansi_and_finds_their_own(org, clients):
    response = clients.bawahan.get(INDEX)
    names = listed(response)
    assert org.j_staf.nama in names and org.j_b.nama not in names
    assert url("detail", org.j_staf) in response.content.decode()
    assert response.context["own_jabatan_id"] == org.j_staf.pk


def test_the_list_filters_by_unit_subtree_name_and_standard(org, clients):
    give_standar(org.j_staf, None)
    by_unit = listed(clients.staf_bkpsdm.get(INDEX, {"unit_kerja": org.disdik.pk}))
    assert sorted(by_unit) == sorted([org.j_kadis.nama, org.j_kabid.nama, org.j_staf.nama])
    assert listed(clients.staf_bkpsdm.get(INDEX, {"q": "kepala dinas"})) == [org.j_kadis.nama, org.j_kadinkes.nama]
    assert listed(clients.staf_bkpsdm.get(INDEX, {"standar": "ada"})) == [org.j_staf.nama]
    assert org.j_staf.nama not in listed(clients.staf_bkpsdm.get(INDEX, {"standar": "belum"}))
    # A unit of another pemda matches nothing, and a broken filter is ignored, not a 500.
    assert listed(clients.staf_bkpsdm.get(INDEX, {"unit_kerja": org.dinas_b.pk})) == []
    response = clients.staf_bkpsdm.get(INDEX, {"unit_kerja": "abc", "standar": "x"})
    assert response.context["filter_errors"]
    assert len(listed(response)) == 6


def test_the_list_issues_the_same_number_of_queries_for_5_or_50_jabatan(org, clients):
    unit = UnitKerjaFactory(nama="Sekolah", parent=org.disdik, jenis="upt")

    def add(n, start):
        for i in range(start, start + n):
            jabatan = JabatanFactory(nama=f"Guru {i:02d}", unit_kerja=unit, atasan=org.j_kadis)
            give_standar(jabatan, None, levels={"M.01": 2})

    address = f"{INDEX}?q=guru&unit_kerja={unit.pk}"
    add(5, 0)
    few = count_queries(clients.staf_bkpsdm, address)
    few_pegawai = count_queries(clients.bawahan, address)
    add(45, 5)
    assert count_queries(clients.staf_bkpsdm, address) == few
    assert count_queries(clients.bawahan, address) == few_pegawai
    assert len(listed(clients.staf_bkpsdm.get(address))) == 25


def test_a_pegawai_sees_the_standard_expected_of_them(org, clients):
    give_standar(org.j_staf, 60, 40, levels={"M.01": 3, "SK.01": 2})
    response = clients.bawahan.get(url("detail", org.j_staf))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ini standar jabatan Anda" in html
    assert f"Hasil 1 {org.j_staf.nama}" in html and "Perekat Bangsa" in html
    assert response.context["total_bobot"] == 100
    assert not response.context["can_manage"]
    assert url("indikator_edit", org.j_staf) not in html
    assert response.context["history"] == []


def test_staff_see_the_edit_links_and_the_history(org, clients, persona):
    give_standar(org.j_staf, None)
    response = clients.staf_bkpsdm.get(url("detail", org.j_staf))
    html = response.content.decode()
    assert response.context["can_manage"]
    for name in ("indikator_edit", "kompetensi_edit", "salin"):
        assert url(name, org.j_staf) in html
    assert any("ditambahkan" in line for item in response.context["history"] for line in item["lines"])


def test_no_one_outside_the_instansi_sees_a_standard(org, clients):
    give_standar(org.j_staf, None)
    assert clients.staf_bkpsdm_b.get(url("detail", org.j_staf)).status_code == 404
    assert clients.pegawai_b.get(url("detail", org.j_staf)).status_code == 404
    assert clients.bawahan.get(url("detail", org.j_b)).status_code == 404
    assert clients.staf_bkpsdm.get("/standar-kinerja/9999999999999999999/").status_code == 404


@pytest.mark.parametrize("name", ["indikator_edit", "kompetensi_edit", "salin"])
@pytest.mark.parametrize("who", ["staf_bkpsdm_b", "atasan_lain", "atasan", "kadis", "bawahan", "pegawai_b"])
def test_only_staff_in_scope_reach_the_edit_pages(org, clients, name, who):
    give_standar(org.j_staf, None)
    client = getattr(clients, who)
    assert client.get(url(name, org.j_staf)).status_code == 404
    assert client.post(url(name, org.j_staf), {}).status_code == 404
    assert clients.staf_bkpsdm.get(url(name, org.j_staf)).status_code == 200


def test_the_catalogue_is_readable_by_everyone_and_extended_by_staff_only(org, clients):
    response = clients.bawahan.get(KATALOG, {"kelompok": "manajerial"})
    assert [k.kode for k in response.context["page"].object_list][:2] == ["M.01", "M.02"]
    assert not response.context["can_manage"]
    assert clients.bawahan.get(KOMPETENSI_BARU).status_code == 404
    assert clients.atasan.post(KOMPETENSI_BARU, {"kode": "T.X.01", "nama": "X"}).status_code == 404
    assert not Kompetensi.objects.filter(kode="T.X.01").exists()


def test_the_catalogue_issues_the_same_number_of_queries_for_a_long_list(org, clients):
    few = count_queries(clients.bawahan, KATALOG)
    for i in range(40):
        Kompetensi.objects.create(kode=f"T.UJI.{i:02d}", nama=f"Uji {i}", kelompok="teknis")
    assert count_queries(clients.bawahan, KATALOG) == few


# ---------------------------------------------------------------------------------------------
# Editing indikator


def test_staff_save_indikator_whose_bobot_total_100(org, clients, persona):
    versi = selectors.standar_versi(org.j_staf)
    response = clients.staf_bkpsdm.post(url("indikator_edit", org.j_staf), formset_data(new_rows(60, 40), versi=versi))
    assert response.status_code == 302
    assert response["Location"] == url("detail", org.j_staf)
    assert uraian_of(org.j_staf) == ["Hasil 1", "Hasil 2"]
    assert AuditLog.objects.for_object(org.j_staf).first().actor == persona.staf_bkpsdm


def test_a_bobot_total_of_99_is_shown_on_the_form_and_nothing_is_saved(org, clients):
    give_standar(org.j_staf, 100)
    versi = selectors.standar_versi(org.j_staf)
    response = clients.staf_bkpsdm.post(url("indikator_edit", org.j_staf), formset_data(new_rows(50, 49), versi=versi))
    assert response.status_code == 200
    errors = list(response.context["formset"].non_form_errors())
    assert any("Jumlah bobot harus 100" in e and "99" in e for e in errors)
    assert "Jumlah bobot harus 100" in response.content.decode()
    assert uraian_of(org.j_staf) == [f"Hasil 1 {org.j_staf.nama}"]


def test_bobot_on_some_rows_only_is_refused(org, clients):
    versi = selectors.standar_versi(org.j_staf)
    response = clients.staf_bkpsdm.post(
        url("indikator_edit", org.j_staf), formset_data(new_rows(100, None), versi=versi)
    )
    assert response.status_code == 200
    assert any("setiap indikator" in e for e in response.context["formset"].non_form_errors())
    assert uraian_of(org.j_staf) == []


def test_row_errors_stay_on_their_row(org, clients):
    versi = selectors.standar_versi(org.j_staf)
    rows = new_rows(None, None)
    rows[1].update(target="-5", bobot="")
    rows[0].update(uraian="")
    response = clients.staf_bkpsdm.post(url("indikator_edit", org.j_staf), formset_data(rows, versi=versi))
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert "uraian" in forms[0].errors and "target" in forms[1].errors
    assert uraian_of(org.j_staf) == []


def test_rows_are_edited_reordered_removed_and_blank_ones_ignored(org, clients):
    give_standar(org.j_staf, None, None, None)
    first, second, third = org.j_staf.indikator_kinerja.order_by("urutan")
    rows = [
        {"id": first.pk, "uraian": "Pertama", "indikator": "I1", "ORDER": "2"},
        {"id": second.pk, "uraian": "Kedua", "indikator": "I2", "DELETE": True},
        {"id": third.pk, "uraian": "Ketiga", "indikator": "I3", "ORDER": "1"},
        {"uraian": "", "indikator": "", "target": "", "satuan": ""},
    ]
    data = formset_data(rows, versi=selectors.standar_versi(org.j_staf), initial=3)
    response = clients.staf_bkpsdm.post(url("indikator_edit", org.j_staf), data)
    assert response.status_code == 302
    assert uraian_of(org.j_staf) == ["Ketiga", "Pertama"]


def test_the_add_rows_button_saves_nothing_and_keeps_what_was_typed(org, clients):
    data = formset_data(new_rows(None), versi=selectors.standar_versi(org.j_staf))
    data["tambah_baris"] = "1"
    response = clients.staf_bkpsdm.post(url("indikator_edit", org.j_staf), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 4
    assert formset.forms[0]["uraian"].value() == "Hasil 1"
    assert uraian_of(org.j_staf) == []


def test_a_save_over_someone_elses_change_is_refused(org, clients):
    give_standar(org.j_staf, None)
    stale = selectors.standar_versi(org.j_staf)
    give_standar(org.j_staf, None, None)  # someone else saved meanwhile
    response = clients.staf_bkpsdm.post(url("indikator_edit", org.j_staf), formset_data(new_rows(None), versi=stale))
    assert response.status_code == 200
    assert response.context["conflict"]
    assert "diubah oleh pengguna lain" in response.content.decode()
    assert len(uraian_of(org.j_staf)) == 2


def test_the_edit_form_starts_from_the_current_rows(org, clients):
    give_standar(org.j_staf, 25, 75)
    response = clients.staf_bkpsdm.get(url("indikator_edit", org.j_staf))
    formset = response.context["formset"]
    assert [f["uraian"].value() for f in formset.forms[:2]] == uraian_of(org.j_staf)
    assert len(formset.forms) == 4  # two empty rows to add to
    assert response.context["versi_form"]["versi"].value() == selectors.standar_versi(org.j_staf)


# ---------------------------------------------------------------------------------------------
# Editing kompetensi


def kompetensi_data(versi, **levels):
    data = {"versi": versi}
    for kode, level in levels.items():
        data[f"level_{kompetensi(kode.replace('_', '.')).pk}"] = "" if level is None else str(level)
    return data


def test_staff_set_and_remove_required_levels(org, clients):
    give_standar(org.j_staf, levels={"M.02": 2})
    data = kompetensi_data(selectors.standar_versi(org.j_staf), M_01=3, M_02=None, SK_01=2)
    response = clients.staf_bkpsdm.post(url("kompetensi_edit", org.j_staf), data)
    assert response.status_code == 302
    assert levels_of(org.j_staf) == {"M.01": 3, "SK.01": 2}


def test_a_level_outside_1_to_5_is_a_form_error(org, clients):
    data = kompetensi_data(selectors.standar_versi(org.j_staf), M_01=7)
    response = clients.staf_bkpsdm.post(url("kompetensi_edit", org.j_staf), data)
    assert response.status_code == 200
    assert f"level_{kompetensi('M.01').pk}" in response.context["form"].errors
    assert levels_of(org.j_staf) == {}


def test_the_form_lists_every_manajerial_competency_and_the_jabatans_teknis_ones(org, clients):
    teknis = Kompetensi.objects.create(kode="T.DAPO.01", nama="Pengelolaan Dapodik", kelompok="teknis")
    Kompetensi.objects.create(kode="T.LAIN.01", nama="Lain", kelompok="teknis")
    give_standar(org.j_staf, levels={"T.DAPO.01": 4})
    response = clients.staf_bkpsdm.get(url("kompetensi_edit", org.j_staf))
    kodes = [k.kode for k, _ in response.context["form"].level_fields()]
    assert kodes[:9] == [f"M.0{i}" for i in range(1, 9)] + ["SK.01"]
    assert kodes[9:] == ["T.DAPO.01"]
    assert response.context["form"][f"level_{teknis.pk}"].value() == "4"


def test_a_teknis_competency_from_the_catalogue_is_added_with_its_level(org, clients):
    teknis = Kompetensi.objects.create(kode="T.DAPO.01", nama="Pengelolaan Dapodik", kelompok="teknis")
    data = kompetensi_data(selectors.standar_versi(org.j_staf))
    response = clients.staf_bkpsdm.post(url("kompetensi_edit", org.j_staf), {**data, "tambah": teknis.pk})
    assert response.status_code == 200
    assert "tambah_level" in response.context["form"].errors
    response = clients.staf_bkpsdm.post(
        url("kompetensi_edit", org.j_staf), {**data, "tambah": teknis.pk, "tambah_level": "3"}
    )
    assert response.status_code == 302
    assert levels_of(org.j_staf) == {"T.DAPO.01": 3}


def test_a_new_teknis_competency_leads_back_to_the_jabatan(org, clients, persona):
    response = clients.staf_bkpsdm.post(
        f"{KOMPETENSI_BARU}?jabatan={org.j_staf.pk}", {"kode": "t.dapo.01", "nama": "Pengelolaan Dapodik"}
    )
    created = Kompetensi.objects.get(kode="T.DAPO.01")
    assert response.status_code == 302
    assert response["Location"] == f"{url('kompetensi_edit', org.j_staf)}?tambah={created.pk}"
    page = clients.staf_bkpsdm.get(response["Location"])
    assert "T.DAPO.01" in [k.kode for k, _ in page.context["form"].level_fields()]
    assert AuditLog.objects.for_object(created).get().actor == persona.staf_bkpsdm


def test_a_duplicate_teknis_code_is_shown_on_the_field(org, clients):
    Kompetensi.objects.create(kode="T.DAPO.01", nama="Pengelolaan Dapodik", kelompok="teknis")
    response = clients.staf_bkpsdm.post(KOMPETENSI_BARU, {"kode": "T.DAPO.01", "nama": "Lagi"})
    assert response.status_code == 200
    assert "sudah ada" in response.context["form"].errors["kode"][0]
    # A jabatan out of scope in ?jabatan= is simply not used.
    response = clients.staf_bkpsdm.post(f"{KOMPETENSI_BARU}?jabatan={org.j_b.pk}", {"kode": "T.B.01", "nama": "B"})
    assert response["Location"] == KATALOG


# ---------------------------------------------------------------------------------------------
# Copy


def test_the_copy_page_preselects_the_jabatan_with_the_same_name(org, clients):
    give_standar(org.j_staf, None)
    sekolah = UnitKerjaFactory(nama="SD Negeri 1", parent=org.disdik, jenis="upt")
    twin = JabatanFactory(nama=org.j_staf.nama.upper(), unit_kerja=sekolah)
    JabatanFactory(nama=org.j_staf.nama, unit_kerja=org.dinas_b)  # another pemda
    response = clients.staf_bkpsdm.get(url("salin", org.j_staf))
    assert [j.pk for j in response.context["listed"]] == [twin.pk]
    assert response.context["checked"] == {twin.pk}
    assert response.context["same_name_count"] == 1


def test_copy_with_replace_from_the_page(org, clients):
    give_standar(org.j_staf, 50, 50, levels={"M.01": 3})
    give_standar(org.j_staf_dinkes, None, levels={"M.05": 4})
    data = {"mode": "pilih", "targets": [org.j_staf_dinkes.pk, org.j_kabid.pk], "replace": "1"}
    response = clients.staf_bkpsdm.post(url("salin", org.j_staf), data)
    assert response.status_code == 302
    for target in (org.j_staf_dinkes, org.j_kabid):
        assert uraian_of(target) == uraian_of(org.j_staf)
        assert levels_of(target) == {"M.01": 3}


def test_copy_appending_from_the_page(org, clients):
    give_standar(org.j_staf, None, levels={"M.01": 3})
    give_standar(org.j_staf_dinkes, None, levels={"M.05": 4})
    data = {"mode": "pilih", "targets": [org.j_staf_dinkes.pk], "replace": "0"}
    assert clients.staf_bkpsdm.post(url("salin", org.j_staf), data).status_code == 302
    assert len(uraian_of(org.j_staf_dinkes)) == 2
    assert levels_of(org.j_staf_dinkes) == {"M.01": 3, "M.05": 4}


def test_copy_to_every_jabatan_with_the_same_name(org, clients):
    give_standar(org.j_staf, None)
    twins = [JabatanFactory(nama=org.j_staf.nama, unit_kerja=org.dinkes) for _ in range(3)]
    data = {"mode": "sama_nama", "replace": "1"}
    assert clients.staf_bkpsdm.post(url("salin", org.j_staf), data).status_code == 302
    assert all(len(uraian_of(twin)) == 1 for twin in twins)
    assert uraian_of(org.j_kabid) == []


def test_a_target_out_of_scope_is_refused_and_nothing_is_copied(org, clients):
    give_standar(org.j_staf, None)
    data = {"mode": "pilih", "targets": [org.j_staf_dinkes.pk, org.j_b.pk], "replace": "1"}
    response = clients.staf_bkpsdm.post(url("salin", org.j_staf), data)
    assert response.status_code == 200
    assert str(org.j_b.pk) in response.context["form"].errors["targets"][0]
    assert uraian_of(org.j_staf_dinkes) == [] and uraian_of(org.j_b) == []
    for bad in (["abc"], ["99999999999999999999999"], []):
        response = clients.staf_bkpsdm.post(url("salin", org.j_staf), {"mode": "pilih", "targets": bad, "replace": "1"})
        assert response.status_code == 200
        assert "targets" in response.context["form"].errors


def test_copying_an_empty_standard_shows_why(org, clients):
    data = {"mode": "pilih", "targets": [org.j_staf_dinkes.pk], "replace": "1"}
    response = clients.staf_bkpsdm.post(url("salin", org.j_staf), data)
    assert response.status_code == 200
    assert "belum memiliki standar" in response.context["form"].non_field_errors()[0]


def test_an_append_that_breaks_the_bobot_rule_is_shown_and_copies_nothing(org, clients):
    give_standar(org.j_staf, 100)
    give_standar(org.j_staf_dinkes, 100)
    data = {"mode": "pilih", "targets": [org.j_kabid.pk, org.j_staf_dinkes.pk], "replace": "0"}
    response = clients.staf_bkpsdm.post(url("salin", org.j_staf), data)
    assert response.status_code == 200
    assert "Jumlah bobot harus 100" in response.content.decode()
    assert uraian_of(org.j_kabid) == []


def test_bad_query_parameters_are_never_a_500(org, clients):
    huge = "99999999999999999999"
    for address in [
        f"{INDEX}?q=a%00b&hal=zz&unit_kerja={huge}&jenis=x",
        f"{url('salin', org.j_staf)}?cari=a%00b&unit_kerja=x",
        f"{url('kompetensi_edit', org.j_staf)}?tambah={huge}",
        f"{KATALOG}?q=%00&kelompok=x&hal=-1",
    ]:
        assert clients.staf_bkpsdm.get(address).status_code == 200, address
    data = {"versi": "x", "tambah": huge, "tambah_level": "2"}
    response = clients.staf_bkpsdm.post(url("kompetensi_edit", org.j_staf), data)
    assert "tambah" in response.context["form"].errors
    response = clients.staf_bkpsdm.post(url("indikator_edit", org.j_staf), {"versi": "x"})
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
