"""Demo standar kinerja, called by ``manage.py seed_demo`` through its ``demo`` module hook."""

from apps.pegawai.models import Jabatan, UnitKerja

from . import services as standar_services
from .models import Kompetensi

# (match on the jabatan's name, teknis competency (kode, nama, level by jenjang), indikator rows)
# Rows: (rencana hasil kerja, indikator kinerja, aspek, target, satuan, bobot).
STANDAR_DEMO = [
    (
        lambda nama: nama.startswith("Kepala Dinas Pendidikan"),
        ("T.PDK.01", "Manajemen Layanan Pendidikan"),
        [
            (
                "Meningkatnya kualitas pendidikan yang mendukung kenaikan Indeks Pembangunan Manusia (IPM)",
                "Rata-rata lama sekolah penduduk usia 25 tahun ke atas",
                "kualitas",
                "9.80",
                "tahun",
                30,
            ),
            (
                "Meningkatnya kualitas pendidikan yang mendukung kenaikan Indeks Pembangunan Manusia (IPM)",
                "Harapan lama sekolah anak usia 7 tahun",
                "kualitas",
                "14.20",
                "tahun",
                30,
            ),
            ("Meningkatnya akses pendidikan dasar", "Angka partisipasi murni SD/MI", "kuantitas", "98", "persen", 20),
            ("Meningkatnya akses pendidikan dasar", "Angka partisipasi murni SMP/MTs", "kuantitas", "85", "persen", 20),
        ],
    ),
    (
        lambda nama: nama.startswith("Kepala Puskesmas"),
        ("T.KES.01", "Manajemen Pelayanan Kesehatan Masyarakat"),
        [
            (
                "Meningkatnya cakupan imunisasi di wilayah kerja puskesmas",
                "Persentase bayi usia 0–11 bulan yang mendapat imunisasi dasar lengkap",
                "kuantitas",
                "95",
                "persen",
                40,
            ),
            (
                "Meningkatnya cakupan imunisasi di wilayah kerja puskesmas",
                "Persentase anak usia 18–24 bulan yang mendapat imunisasi lanjutan",
                "kuantitas",
                "90",
                "persen",
                30,
            ),
            (
                "Terpantaunya cakupan imunisasi per desa/kelurahan",
                "Laporan pemantauan wilayah setempat (PWS) imunisasi disampaikan paling lambat tanggal 10",
                "waktu",
                "12",
                "laporan",
                30,
            ),
        ],
    ),
    (
        lambda nama: nama.startswith("Kepala Dinas Pariwisata"),
        ("T.PAR.01", "Pengelolaan Destinasi Pariwisata"),
        [
            (
                "Meningkatnya kualitas pelayanan destinasi pariwisata",
                "Indeks kepuasan wisatawan terhadap layanan destinasi",
                "kualitas",
                "85",
                "indeks",
                40,
            ),
            (
                "Meningkatnya kualitas pelayanan destinasi pariwisata",
                "Jumlah destinasi yang tersertifikasi CHSE (kebersihan, kesehatan, keselamatan, kelestarian)",
                "kuantitas",
                "12",
                "destinasi",
                30,
            ),
            (
                "Meningkatnya kunjungan wisatawan",
                "Jumlah kunjungan wisatawan nusantara dan mancanegara",
                "kuantitas",
                "250000",
                "orang",
                30,
            ),
        ],
    ),
    (
        lambda nama: nama.startswith("Guru "),
        ("T.GURU.01", "Pengelolaan Pembelajaran"),
        [
            (
                "Terlaksananya pembelajaran yang berpusat pada peserta didik",
                "Modul ajar disusun untuk setiap capaian pembelajaran yang diampu",
                "kuantitas",
                "12",
                "modul ajar",
                25,
            ),
            (
                "Meningkatnya hasil belajar peserta didik",
                "Persentase peserta didik yang mencapai kriteria ketercapaian tujuan pembelajaran (KKTP)",
                "kualitas",
                "85",
                "persen",
                50,
            ),
            (
                "Terlaksananya asesmen pembelajaran",
                "Nilai rapor diserahkan paling lambat akhir semester",
                "waktu",
                "2",
                "semester",
                25,
            ),
        ],
    ),
    (
        lambda nama: nama.startswith("Perawat"),
        ("T.PRW.01", "Asuhan Keperawatan"),
        [
            (
                "Terlaksananya asuhan keperawatan sesuai standar",
                "Jumlah pasien yang mendapat asuhan keperawatan terdokumentasi",
                "kuantitas",
                "600",
                "pasien",
                40,
            ),
            (
                "Terlaksananya asuhan keperawatan sesuai standar",
                "Persentase dokumentasi asuhan keperawatan yang lengkap",
                "kualitas",
                "95",
                "persen",
                35,
            ),
            (
                "Terjaganya keselamatan pasien",
                "Insiden keselamatan pasien dalam asuhan keperawatan",
                "kualitas",
                "0",
                "kejadian",
                25,
            ),
        ],
    ),
    (
        lambda nama: nama.startswith("Pranata Komputer"),
        ("T.PKOM.01", "Pengelolaan Infrastruktur dan Layanan TIK"),
        [
            (
                "Tersedianya aplikasi layanan yang andal",
                "Ketersediaan (uptime) aplikasi layanan publik",
                "kualitas",
                "99",
                "persen",
                40,
            ),
            (
                "Terselesaikannya permintaan dukungan TIK",
                "Jumlah tiket dukungan TIK yang diselesaikan",
                "kuantitas",
                "240",
                "tiket",
                30,
            ),
            (
                "Terselesaikannya permintaan dukungan TIK",
                "Rata-rata waktu penyelesaian gangguan",
                "waktu",
                "4",
                "jam",
                30,
            ),
        ],
    ),
    (
        lambda nama: nama.startswith("Analis SDM Aparatur"),
        ("T.SDM.01", "Manajemen SDM Aparatur"),
        [
            (
                "Tersusunnya analisis kebutuhan pengembangan kompetensi",
                "Dokumen analisis kebutuhan pelatihan (AKP) instansi",
                "kuantitas",
                "1",
                "dokumen",
                30,
            ),
            (
                "Terpenuhinya hak pengembangan kompetensi pegawai",
                "Persentase pegawai yang memenuhi 20 JP pengembangan kompetensi",
                "kuantitas",
                "80",
                "persen",
                40,
            ),
            (
                "Terlaksananya layanan kenaikan pangkat",
                "Usulan kenaikan pangkat diproses sebelum batas waktu",
                "waktu",
                "100",
                "persen usulan",
                30,
            ),
        ],
    ),
]

# Required levels of the manajerial and sosial kultural competencies (PermenPANRB 38/2017, as a
# demo approximation): by jenis jabatan, and for fungsional by jenjang.
LEVEL_JENIS = {"jpt_utama": 5, "jpt_madya": 5, "jpt_pratama": 4, "administrator": 3, "pengawas": 2, "pelaksana": 1}
LEVEL_JENJANG = {"UT": 4, "MA": 3, "MU": 2, "PT": 1, "PY": 2, "MH": 1, "TR": 1, "PM": 1}
LEVEL_TEKNIS_JENJANG = {"UT": 5, "MA": 4, "MU": 3, "PT": 2, "PY": 3, "MH": 3, "TR": 2, "PM": 1}


def seed_standar_kinerja(jabatan_list, *, actor=None):
    """Demo standar kinerja and kompetensi for the jabatan the issue names (Dinas Pendidikan
    raising the IPM, puskesmas immunisation, Dinas Pariwisata destination quality) and for Guru,
    Perawat, Pranata Komputer and Analis SDM Aparatur. The first jabatan of each kind (and
    jenjang) gets its standard through the services; the others of that kind receive a copy.
    Returns the number of jabatan that received a standard."""
    manajerial = list(Kompetensi.objects.exclude(kelompok=Kompetensi.Kelompok.TEKNIS))
    teknis = {k.kode: k for k in Kompetensi.objects.filter(kelompok=Kompetensi.Kelompok.TEKNIS)}
    groups = {}
    for jabatan in jabatan_list:
        for index, (matches, _, _) in enumerate(STANDAR_DEMO):
            if matches(jabatan.nama):
                groups.setdefault((index, jabatan.jenis, jabatan.jenjang), []).append(jabatan)
                break
    done = 0
    for (index, jenis, jenjang), members in groups.items():
        _, (kode, nama), rows = STANDAR_DEMO[index]
        if kode not in teknis:
            teknis[kode] = standar_services.kompetensi_teknis_create(actor=actor, kode=kode, nama=nama)
        source, others = members[0], members[1:]
        standar_services.indikator_save_all(
            actor=actor,
            jabatan=source,
            rows=[
                {"uraian": u, "indikator": i, "aspek": a, "target": t, "satuan": s, "bobot": b, "urutan": n + 1}
                for n, (u, i, a, t, s, b) in enumerate(rows)
            ],
        )
        level = LEVEL_JENJANG.get(jenjang) if jenis == "fungsional" else LEVEL_JENIS.get(jenis, 1)
        levels = dict.fromkeys(manajerial, level or 1)
        levels[teknis[kode]] = LEVEL_TEKNIS_JENJANG.get(jenjang, level or 1)
        standar_services.kompetensi_save_all(actor=actor, jabatan=source, levels=levels)
        if others:
            standar_services.standar_copy(actor=actor, source=source, targets=others, replace=True)
        done += len(members)
    return done


# Above this many matching jabatan only the first of each kind gets a standard: copying to
# tens of thousands of jabatan one by one would dominate a benchmark-sized seed.
COPY_LIMIT = 2000


def seed(*, roots, out):
    """The ``seed_demo`` hook: standards for the demo instansi ``roots``."""
    units = UnitKerja.objects.none()
    for root in roots:
        units = units | UnitKerja.objects.subtree_of(root)
    jabatan = list(Jabatan.objects.filter(unit_kerja__in=units.values("pk")).order_by("pk"))
    matching = [j for j in jabatan if any(match(j.nama) for match, _, _ in STANDAR_DEMO)]
    if len(matching) > COPY_LIMIT:
        seen, firsts = set(), []
        for j in matching:
            key = (next(i for i, (m, _, _) in enumerate(STANDAR_DEMO) if m(j.nama)), j.jenis, j.jenjang)
            if key not in seen:
                seen.add(key)
                firsts.append(j)
        matching = firsts
    done = seed_standar_kinerja(matching)
    out(f"  Standar kinerja: {done} jabatan")


def delete(*, roots):
    """The ``seed_demo --reset`` hook: remove the demo standards (and the teknis catalogue rows)."""
    from .models import IndikatorKinerja, StandarKompetensi

    units = UnitKerja.objects.none()
    for root in roots:
        units = units | UnitKerja.objects.subtree_of(root)
    jabatan = Jabatan.objects.filter(unit_kerja__in=units.values("pk")).values("pk")
    IndikatorKinerja.objects.filter(jabatan__in=jabatan).delete()
    StandarKompetensi.objects.filter(jabatan__in=jabatan).delete()
