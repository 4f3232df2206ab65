"""The BKPSDM dashboard (apps/karier/dashboard.py, the page and /api/v1/dasbor/): the figures of
a worked example, every number leading to a list of exactly that many rows, the scope of each
persona, the API saying what the page says, and a query count that does not grow with the data."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.karier import dashboard as figures
from apps.pegawai.models import Pegawai
from apps.penilaian.models import Predikat
from apps.sertifikasi import services as sertifikasi_services
from tests.factories import JabatanFactory, PegawaiFactory, RiwayatPelatihanFactory, UnitKerjaFactory

from .test_eligibility import final_skp, naik

TODAY = dt.datetime(2026, 3, 1, 10)  # the next KP date is 1 April 2026
URL = "/karier/"
API = "/api/v1/dasbor/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_cache(settings):
    """Every request computes its figures; test_the_figures_are_kept_a_while turns the cache on."""
    settings.KARIER_DASBOR_CACHE_DETIK = 0


def sertifikat(staff, pegawai, kedaluwarsa, **extra):
    return sertifikasi_services.sertifikasi_create(
        actor=staff,
        pegawai=pegawai,
        jenis="pbj_dasar",
        nama="Sertifikat Dasar PBJ",
        penerbit="LKPP",
        nomor=f"PBJ-{pegawai.pk}-{kedaluwarsa:%Y%m%d}",
        tanggal_terbit=dt.date(2023, 3, 1),
        tanggal_kedaluwarsa=kedaluwarsa,
        **extra,
    )


@pytest.fixture
def contoh(org, persona):
    """Pemda A of the personas, plus: a CPNS in the bidang; a PPPK and a pelaksana reaching 58 in
    June (golongan not recorded) in the Dinas Kesehatan; a pegawai on leave (CLTN) reaching 58
    in September. Then:

    - the staf is III/b since 1 April 2022 under a III/d kabid, Baik 2024 and Sangat Baik 2025:
      eligible for KP on 1 April 2026, and (MKG from 2022) due for KGB on that day;
    - final SKPs 2025: kabid Baik, staf dinkes Butuh Perbaikan, kadinkes Baik;
    - certificates: the staf's verified one ends in 30 days, the analis's in 200 days (outside
      the 90-day window), the kabid's own submission (not verified) in 10 days;
    - training 2026: the staf 24 JP, the kabid 10 JP; nobody else has any.
    """
    staff = persona.staf_bkpsdm
    cpns = PegawaiFactory(nama="Calon Pegawai", jabatan=org.j_staf, jenis_asn="CPNS", tanggal_lahir=dt.date(1999, 1, 5))
    pppk = PegawaiFactory(
        nama="Pegawai Perjanjian", jabatan=org.j_staf_dinkes, jenis_asn="PPPK", tanggal_lahir=dt.date(1992, 4, 4)
    )
    purna = PegawaiFactory(nama="Hampir Purna", jabatan=org.j_staf_dinkes, tanggal_lahir=dt.date(1968, 6, 10))
    cuti = PegawaiFactory(
        nama="Sedang Cuti", jabatan=org.j_staf, kedudukan_hukum="02", tanggal_lahir=dt.date(1968, 9, 10)
    )
    Pegawai.objects.filter(pk=purna.pk).update(golongan=None, tmt_golongan=None)  # not recorded
    naik(org.kabid, "III/d", dt.date(2023, 4, 1))
    staf = naik(org.staf, "III/b", dt.date(2022, 4, 1))
    final_skp(staff, staf, 2024, Predikat.BAIK)
    final_skp(staff, staf, 2025, Predikat.SANGAT_BAIK)
    final_skp(staff, org.kabid, 2025, Predikat.BAIK)
    final_skp(staff, org.staf_dinkes, 2025, Predikat.BUTUH_PERBAIKAN)
    final_skp(staff, org.kadinkes, 2025, Predikat.BAIK)
    sertifikat(staff, org.staf, dt.date(2026, 3, 31))
    sertifikat(staff, org.analis, dt.date(2026, 9, 17))
    sertifikat(persona.atasan, org.kabid, dt.date(2026, 3, 11))  # their own: submitted, not verified
    RiwayatPelatihanFactory(pegawai=org.staf, jp=24, tanggal_selesai=dt.date(2026, 2, 10))
    RiwayatPelatihanFactory(pegawai=org.kabid, jp=10, tanggal_selesai=dt.date(2026, 2, 10))
    return {"cpns": cpns, "pppk": pppk, "purna": purna, "cuti": cuti}


def by_label(rows):
    return {row.label: row.jumlah for row in rows}


# ---- the figures --------------------------------------------------------------------------


def test_the_worked_example(org, persona, contoh):
    staff = persona.staf_bkpsdm
    board = figures.dashboard(staff, figures.default_unit(staff))
    assert board.unit == org.pemda
    # Active pegawai: the six of the fixture, the CPNS, the PPPK, the one about to retire.
    assert board.total_pegawai == 9
    assert by_label(board.per_unit) == {"Dinas Pendidikan": 4, "Dinas Kesehatan": 4, "BKPSDM": 1}
    assert [r.label for r in board.per_unit] == ["Dinas Kesehatan", "Dinas Pendidikan", "BKPSDM"]
    assert by_label(board.per_golongan) == {"III/a": 5, "III/b": 1, "III/d": 1, "IX (PPPK)": 1, "Belum tercatat": 1}
    assert by_label(board.per_jenis_jabatan) == {"JPT Pratama": 2, "Administrator": 1, "Pelaksana": 6}
    assert by_label(board.per_jenis_asn) == {"PNS": 7, "CPNS": 1, "PPPK": 1}

    assert board.predikat_tahun == 2025
    predikat = {row.label: by_label(row.segmen) for row in board.predikat_per_unit}
    assert predikat == {
        "Dinas Kesehatan": {
            "Sangat Baik": 0,
            "Baik": 1,
            "Butuh Perbaikan": 1,
            "Kurang/Misconduct": 0,
            "Sangat Kurang": 0,
        },
        "Dinas Pendidikan": {
            "Sangat Baik": 1,
            "Baik": 1,
            "Butuh Perbaikan": 0,
            "Kurang/Misconduct": 0,
            "Sangat Kurang": 0,
        },
    }

    assert (board.jp_tahun, board.jp_memenuhi.jumlah, board.jp_kurang.jumlah) == (2026, 1, 8)
    assert board.jp_persen == 11.1
    assert (board.sertifikat.jumlah, board.sertifikat_window) == (1, 90)
    assert (board.kp_periode, board.kp.jumlah) == (dt.date(2026, 4, 1), 1)
    assert (board.kgb_sampai, board.kgb.jumlah) == (dt.date(2026, 5, 31), 1)
    # The one reaching 58 in June, and the one on leave (September): pension concerns them too.
    assert (board.pensiun_sampai, board.pensiun.jumlah) == (dt.date(2027, 2, 28), 2)


def test_one_unit_shows_its_sub_units_and_those_directly_in_it(org, persona, contoh):
    staff = persona.staf_bkpsdm
    PegawaiFactory(jabatan=JabatanFactory(unit_kerja=org.disdik))  # directly in the dinas
    board = figures.dashboard(staff, org.disdik)
    rows = {row.label: row for row in board.per_unit}
    assert {label: row.jumlah for label, row in rows.items()} == {
        "Bidang Pembinaan SD": 3,
        "Dinas Pendidikan (langsung di unit ini)": 2,
    }
    # No list holds exactly "directly in this unit": that bar has no link.
    assert rows["Dinas Pendidikan (langsung di unit ini)"].url is None
    assert rows["Bidang Pembinaan SD"].url == f"/pegawai/?kedudukan_hukum=01&unit_kerja={org.bidang.pk}"
    assert board.total_pegawai == 5
    assert by_label(board.predikat_per_unit[0].segmen)["Sangat Baik"] == 1


def test_many_units_end_in_one_bar_for_the_rest(org, persona, clients, contoh, monkeypatch):
    monkeypatch.setattr(figures, "MAX_BARS", 1)
    board = figures.dashboard(persona.staf_bkpsdm, org.pemda)
    assert [(r.label, r.jumlah, r.url) for r in board.per_unit] == [
        ("Dinas Pendidikan", 4, f"/pegawai/?kedudukan_hukum=01&unit_kerja={org.disdik.pk}"),
        ("2 unit lainnya", 5, None),
    ]
    assert [(r.label, r.jumlah) for r in board.predikat_per_unit] == [("Dinas Pendidikan", 2), ("1 unit lainnya", 2)]
    assert all(s.url is None for s in board.predikat_per_unit[1].segmen)
    page = clients.staf_bkpsdm.get(URL).content.decode()
    assert "2 unit lainnya" in page and "1 unit lainnya" in page


# ---- every number leads to a list of that many rows ------------------------------------------

BAR = re.compile(
    r'<a class="bar-link" href="(?P<url>[^"]+)">\s*<span class="bar-name">(?P<label>[^<]+)</span>.*?'
    r'<span class="bar-value">(?P<n>[\d.]+)',
    re.S,
)
SEGMENT = re.compile(
    r'<a href="(?P<url>[^"]+)"\s+data-predikat="\d"\s+aria-label="(?P<label>[^"]+): (?P<n>[\d.]+) SKP"'
)
STAT = re.compile(
    r'<a class="stat[^"]*"\s+id="(?P<id>[^"]+)"\s+href="(?P<url>[^"]+)">\s*<span class="stat-value">(?P<n>[\d.]+)'
)


def listed(client, url):
    """The number of rows the list at ``url`` holds (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def links(pattern, content):
    return [
        (
            html.unescape(m["url"]),
            html.unescape(m["label"] if "label" in m.groupdict() else m["id"]),
            int(m["n"].replace(".", "")),
        )
        for m in pattern.finditer(content)
    ]


def test_every_bar_and_segment_leads_to_a_list_of_its_size(org, persona, clients, contoh):
    client = clients.staf_bkpsdm
    content = client.get(URL).content.decode()
    bars = links(BAR, content)
    # Per unit (3), golongan (4 of 5: "not recorded" has no list), jenis jabatan (3).
    assert len(bars) == 10
    for url, label, n in bars:
        assert listed(client, url) == n, (label, url)
    segments = links(SEGMENT, content)
    assert sorted(label for _, label, _ in segments) == [
        "Dinas Kesehatan, Baik",
        "Dinas Kesehatan, Butuh Perbaikan",
        "Dinas Pendidikan, Baik",
        "Dinas Pendidikan, Sangat Baik",
    ]
    for url, label, n in segments:
        assert listed(client, url) == n, (label, url)
    board = client.get(URL).context["board"]
    for row in board.per_jenis_asn:
        assert listed(client, row.url) == row.jumlah


def test_the_headline_numbers_lead_to_their_lists(org, persona, clients, contoh):
    client = clients.staf_bkpsdm
    content = client.get(URL).content.decode()
    stats = {key: (url, n) for url, key, n in links(STAT, content)}
    assert stats["angka-pegawai"][1] == 9
    assert stats["angka-sertifikat"][1] == 1
    for key in ("angka-pegawai", "angka-sertifikat", "angka-kp", "angka-kgb", "angka-pensiun"):
        url, n = stats[key]
        assert listed(client, url) == n, key
    board = client.get(URL).context["board"]
    assert listed(client, board.jp_kurang.url) == 8
    rekap = client.get(board.jp_memenuhi.url).context["total"]
    assert (rekap.memenuhi, rekap.kurang) == (1, 8)
    for name in ("Matriks talenta", "Rencana suksesi"):
        [href] = re.findall(rf'href="([^"]+)">{name}</a>', content)
        assert client.get(html.unescape(href)).status_code == 200, name


# ---- scope ----------------------------------------------------------------------------------


def test_only_staff_and_superusers_see_it(org, persona, clients, client):
    for name in ("atasan", "bawahan", "kadis", "pegawai_b"):
        assert getattr(clients, name).get(URL).status_code == 403, name
        assert getattr(clients, name).get(API).status_code == 403, name
    response = client.get(URL)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert client.get(API).status_code in (401, 403)


def test_each_staff_sees_their_own_pemda(org, persona, clients, contoh):
    b = clients.staf_bkpsdm_b.get(URL).context["board"]
    assert b.unit == org.pemda_b
    assert (b.total_pegawai, by_label(b.per_unit)) == (1, {"Dinas Pariwisata": 1})
    assert (b.sertifikat.jumlah, b.kp.jumlah, b.predikat_per_unit) == (0, 0, [])
    # Another pemda's unit is not in their scope: 404, as any record outside.
    assert clients.staf_bkpsdm_b.get(URL, {"unit_kerja": org.disdik.pk}).status_code == 404
    assert clients.staf_bkpsdm_b.get(API, {"unit_kerja": org.disdik.pk}).status_code == 404
    assert clients.staf_bkpsdm.get(URL, {"unit_kerja": "abc"}).status_code == 404
    assert clients.staf_bkpsdm.get(URL, {"unit_kerja": str(2**70)}).status_code == 404


def test_a_superuser_sees_every_instansi(org, persona, clients, contoh):
    response = clients.superuser.get(URL)
    board = response.context["board"]
    assert board.unit is None
    assert by_label(board.per_unit) == {"Pemerintah Kota Sabang": 9, "Pemerintah Kota Tebingtinggi": 1}
    assert board.total_pegawai == 10
    content = response.content.decode()
    for url, label, n in links(BAR, content):
        assert listed(clients.superuser, url) == n, (label, url)
    # And drills down into one.
    assert clients.superuser.get(URL, {"unit_kerja": org.pemda.pk}).context["board"].total_pegawai == 9


def test_staff_of_two_subtrees_see_both_as_bars(org, persona, contoh):
    from tests.factories import UserFactory

    user = UserFactory(role="bkpsdm", scopes=[org.disdik, org.dinas_b])
    assert figures.default_unit(user) is None
    board = figures.dashboard(user)
    assert by_label(board.per_unit) == {"Dinas Pendidikan": 4, "Dinas Pariwisata": 1}
    assert by_label(board.per_jenis_asn) == {"PNS": 4, "CPNS": 1}


# ---- the API ----------------------------------------------------------------------------------


def numbers(rows):
    return [(r["label"], r["jumlah"], r["tautan"]) for r in rows]


def test_the_api_says_what_the_page_says(org, persona, clients, contoh):
    for client in (clients.staf_bkpsdm, clients.superuser):
        board = client.get(URL).context["board"]
        data = client.get(API).json()
        assert data["pegawai_aktif"]["jumlah"] == board.total_pegawai
        assert data["pegawai_aktif"]["tautan"] == board.pegawai.url
        for key, rows in (
            ("per_unit_kerja", board.per_unit),
            ("per_golongan", board.per_golongan),
            ("per_jenis_jabatan", board.per_jenis_jabatan),
            ("per_jenis_asn", board.per_jenis_asn),
        ):
            assert numbers(data[key]) == [(r.label, r.jumlah, r.url) for r in rows], key
        assert data["predikat"]["tahun"] == board.predikat_tahun
        assert [(u["label"], numbers(u["predikat"])) for u in data["predikat"]["per_unit_kerja"]] == [
            (u.label, [(s.label, s.jumlah, s.url) for s in u.segmen]) for u in board.predikat_per_unit
        ]
        for key, row in (
            ("kenaikan_pangkat", board.kp),
            ("kgb", board.kgb),
            ("pensiun", board.pensiun),
            ("sertifikat_akan_kedaluwarsa", board.sertifikat),
        ):
            assert (data[key]["jumlah"], data[key]["tautan"]) == (row.jumlah, row.url), key
        assert data["jp"]["kurang"]["jumlah"] == board.jp_kurang.jumlah
        assert data["jp"]["persen_memenuhi"] == board.jp_persen
    data = clients.staf_bkpsdm.get(API, {"unit_kerja": org.dinkes.pk}).json()
    assert data["unit_kerja"] == {"id": org.dinkes.pk, "nama": "Dinas Kesehatan"}
    assert data["pegawai_aktif"]["jumlah"] == 4


def test_the_api_links_lead_to_api_lists_of_that_size(org, persona, clients, contoh):
    client = clients.staf_bkpsdm
    data = client.get(API).json()
    rows = [data["pegawai_aktif"], data["sertifikat_akan_kedaluwarsa"], data["jp"]["kurang"]]
    rows += data["per_unit_kerja"] + data["per_golongan"] + data["per_jenis_jabatan"] + data["per_jenis_asn"]
    rows += [s for u in data["predikat"]["per_unit_kerja"] for s in u["predikat"]]
    rows += [data["kenaikan_pangkat"], data["kgb"], data["pensiun"]]
    assert [row["label"] for row in rows if row["tautan_api"] is None] == ["Belum tercatat"]
    for row in rows:
        if row["tautan_api"] is None:
            continue
        answer = client.get(row["tautan_api"])
        assert answer.status_code == 200, row["tautan_api"]
        assert answer.json()["count"] == row["jumlah"], row


def test_the_api_refuses_bad_parameters(org, persona, clients):
    client = clients.staf_bkpsdm
    assert client.get(API, {"unit_kerja": "abc"}).status_code == 400
    assert "unit_kerja" in client.get(API, {"unit_kerja": "0"}).json()
    assert "unit" in client.get(API, {"unit": "1"}).json()
    assert client.get(API, {"unit_kerja": 2**62}).status_code == 404


# ---- the cache --------------------------------------------------------------------------------


def test_the_figures_are_kept_a_while(org, persona, clients, contoh, settings):
    settings.KARIER_DASBOR_CACHE_DETIK = 300
    staff = clients.staf_bkpsdm
    with CaptureQueriesContext(connection) as first:
        assert staff.get(URL).context["board"].total_pegawai == 9
    PegawaiFactory(jabatan=org.j_staf_dinkes)
    with CaptureQueriesContext(connection) as second:
        assert staff.get(URL).context["board"].total_pegawai == 9  # kept
    assert len(second) < len(first) - 5
    assert not any("COUNT" in q["sql"] and "pegawai_pegawai" in q["sql"] for q in second.captured_queries)
    # The API shares them; "segarkan" computes anew, for the page and the API alike.
    assert staff.get(API).json()["pegawai_aktif"]["jumlah"] == 9
    assert staff.get(API, {"segarkan": "true"}).json()["pegawai_aktif"]["jumlah"] == 10
    assert staff.get(URL).context["board"].total_pegawai == 10
    # Another scope, another unit: figures of their own.
    assert clients.staf_bkpsdm_b.get(URL).context["board"].total_pegawai == 1
    assert staff.get(URL, {"unit_kerja": org.dinkes.pk}).context["board"].total_pegawai == 5
    assert clients.superuser.get(URL).context["board"].total_pegawai == 11
    assert "Hitung ulang" in staff.get(URL).content.decode()


def test_older_figures_are_shown_while_new_ones_are_computed(org, persona, clients, contoh, settings):
    """After the fresh time the page answers at once with the figures it has, says so, and has
    new ones computed for the next request (here before the answer: the thread is tested below)."""
    settings.KARIER_DASBOR_CACHE_DETIK = 300
    settings.KARIER_DASBOR_LATAR = False
    staff = clients.staf_bkpsdm
    first = staff.get(URL).context["board"]
    assert first.total_pegawai == 9
    PegawaiFactory(jabatan=org.j_staf_dinkes)
    with time_machine.travel(TODAY + dt.timedelta(minutes=4), tick=False):
        assert staff.get(URL).context["board"].total_pegawai == 9  # still fresh
    with time_machine.travel(TODAY + dt.timedelta(minutes=6), tick=False):
        board = staff.get(URL).context["board"]
        assert board.total_pegawai == 10
        assert (board.dihitung_pada - first.dihitung_pada).total_seconds() == 6 * 60


def test_figures_of_an_earlier_day_are_never_shown(org, persona, clients, contoh, settings):
    settings.KARIER_DASBOR_CACHE_DETIK = 24 * 3600
    staff = clients.staf_bkpsdm
    assert staff.get(API).json()["tanggal"] == "2026-03-01"
    with time_machine.travel(TODAY + dt.timedelta(days=1), tick=False):
        staff.force_login(persona.staf_bkpsdm)  # the idle session has ended
        body = staff.get(API).json()
        assert body["tanggal"] == "2026-03-02"
        assert body["sedang_dihitung_ulang"] is False


@pytest.mark.django_db(transaction=True)
def test_a_thread_computes_the_new_figures_after_the_answer(org, persona, clients, contoh, settings):
    import threading

    settings.KARIER_DASBOR_CACHE_DETIK = 300
    settings.KARIER_DASBOR_LATAR = True
    staff = clients.staf_bkpsdm
    assert staff.get(API).json()["pegawai_aktif"]["jumlah"] == 9
    PegawaiFactory(jabatan=org.j_staf_dinkes)
    with time_machine.travel(TODAY + dt.timedelta(minutes=6), tick=False):
        body = staff.get(API).json()
        assert body["pegawai_aktif"]["jumlah"] == 9  # the older figures, at once
        assert body["sedang_dihitung_ulang"] is True
        assert "Angka baru sedang dihitung" in staff.get(URL).content.decode()  # one thread only
        threads = [t for t in threading.enumerate() if t.name == "dasbor-karier"]
        assert len(threads) == 1
        threads[0].join(30)
        body = staff.get(API).json()
        assert body["pegawai_aktif"]["jumlah"] == 10
        assert body["sedang_dihitung_ulang"] is False


def test_hitung_dasbor_computes_every_staff_scope(org, persona, clients, contoh, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.KARIER_DASBOR_CACHE_DETIK = 300
    out = StringIO()
    call_command("hitung_dasbor", stdout=out, stderr=StringIO())
    # The staff of pemda A and of pemda B, and the superuser: three scopes.
    assert "untuk 3 lingkup" in out.getvalue()
    with CaptureQueriesContext(connection) as queries:
        assert clients.staf_bkpsdm.get(URL).context["board"].total_pegawai == 9
    assert not any("COUNT" in q["sql"] and "pegawai_pegawai" in q["sql"] for q in queries.captured_queries)


# ---- queries ----------------------------------------------------------------------------------


def add_pegawai(org, staff, n):
    """``n`` more pegawai across new units of pemda A, each with a final SKP 2025, a training
    record and a certificate."""
    units = [UnitKerjaFactory(nama=f"Dinas Baru {i}", parent=org.pemda) for i in range(3)]
    for i in range(n):
        unit = units[i % 3]
        jenis, jenjang = [("pelaksana", ""), ("fungsional", "PT"), ("pengawas", "")][i % 3]
        jabatan = JabatanFactory(unit_kerja=unit, jenis=jenis, jenjang=jenjang)
        pegawai = PegawaiFactory(
            jabatan=jabatan, jenis_asn=["PNS", "PPPK", "CPNS"][i % 3], tanggal_lahir=dt.date(1968 + i % 30, 5, 1)
        )
        final_skp(staff, pegawai, 2025, [Predikat.BAIK, Predikat.SANGAT_BAIK, Predikat.KURANG][i % 3])
        RiwayatPelatihanFactory(pegawai=pegawai, jp=5 + i, tanggal_selesai=dt.date(2026, 2, 1))
        sertifikat(staff, pegawai, dt.date(2026, 3, 1) + dt.timedelta(days=10 * i))


def query_counts(clients):
    counts = {}
    for name, path in (("staf_bkpsdm", URL), ("staf_bkpsdm", API), ("superuser", URL), ("superuser", API)):
        with CaptureQueriesContext(connection) as queries:
            assert getattr(clients, name).get(path).status_code == 200
        counts[(name, path)] = len(queries)
    return counts


def test_queries_do_not_grow_with_the_data(org, persona, clients, contoh):
    before = query_counts(clients)
    assert max(before.values()) <= 30, before
    add_pegawai(org, persona.staf_bkpsdm, 45)
    assert figures.dashboard(persona.staf_bkpsdm).total_pegawai == 54
    assert query_counts(clients) == before
