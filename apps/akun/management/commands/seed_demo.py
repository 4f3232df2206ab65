"""Demo data: the three instansi of our first users, their perangkat daerah, jabatan chains and
pegawai with riwayat, and one demo account per role.

    manage.py seed_demo                      about 600 pegawai (idempotent: exits if present)
    manage.py seed_demo --reset              delete the demo data and build it again
    manage.py seed_demo --pegawai 100000     benchmark size; the organisation grows with it

Rows are written with bulk_create in batches, not through the services (which are for edits by
people, one at a time), so every row is built consistent here: the current jabatan, golongan and
pendidikan of a pegawai are exactly what ``services._sync_current`` derives from the riwayat.
The same ``--seed`` on the same day gives the same data; the demo accounts' NIPs never change.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from apps.akun.models import User
from apps.pegawai.models import (
    Golongan,
    Jabatan,
    Pegawai,
    RiwayatJabatan,
    RiwayatPangkat,
    RiwayatPendidikan,
    UnitKerja,
)
from apps.pegawai.services import TINGKAT_ORDER, mkg_mulai

DEMO_PASSWORD = "demo-asnkarier-2026"  # noqa: S105 - documented demo password, refused without DEBUG
BATCH = 2000
CHUNK = 5000  # pegawai built and written per round, to keep memory flat at 100,000

# ---------------------------------------------------------------------------------------------
# Places and people


@dataclass
class Wilayah:
    key: str
    nama: str
    singkatan: str
    provinsi: bool
    kota: str  # as written in school names and addresses
    weight: float
    names: str  # which name pool
    kecamatan: list
    puskesmas: list
    univ: list
    poltekkes: str
    fk: str
    sma: list
    tempat_lahir: list
    nik_wilayah: list  # (provinsi, kab/kota, [kecamatan]) codes for NIK
    jalan: list
    kelurahan: list
    domain: str
    kabupaten: list = field(default_factory=list)  # provinsi: where its SMA/SMK stand


WILAYAH = [
    Wilayah(
        key="sabang",
        nama="Pemerintah Kota Sabang",
        singkatan="Pemko Sabang",
        provinsi=False,
        kota="Sabang",
        weight=0.2,
        names="aceh",
        kecamatan=["Sukajaya", "Sukakarya"],
        puskesmas=["Sukajaya", "Sukakarya", "Cot Ba'u", "Iboih", "Balohan", "Ie Meulee", "Anoi Itam", "Jaboi"]
        + ["Paya Seunara", "Batee Shok", "Beurawang", "Keuneukai", "Kuta Ateuh", "Kuta Barat", "Aneuk Laot"],
        univ=["Universitas Syiah Kuala", "UIN Ar-Raniry Banda Aceh", "Universitas Malikussaleh"]
        + ["Universitas Serambi Mekkah", "Universitas Abulyatama", "Universitas Muhammadiyah Aceh"],
        poltekkes="Poltekkes Kemenkes Aceh",
        fk="Universitas Syiah Kuala",
        sma=["SMA Negeri 1 Sabang", "SMA Negeri 2 Sabang", "MAN Sabang", "SMK Negeri 1 Sabang"]
        + ["SMA Negeri 1 Banda Aceh", "SMA Negeri 3 Banda Aceh", "SMA Negeri 1 Sigli"],
        tempat_lahir=["Sabang", "Sabang", "Banda Aceh", "Aceh Besar", "Sigli", "Lhokseumawe", "Bireuen", "Meulaboh"],
        nik_wilayah=[("11", "72", ["01", "02"])],
        jalan=["Jl. Perdagangan", "Jl. Teuku Umar", "Jl. Diponegoro", "Jl. Cut Nyak Dhien", "Jl. Yos Sudarso"]
        + ["Jl. Malahayati", "Jl. Sultan Iskandar Muda", "Jl. Teuku Cik Ditiro"],
        kelurahan=["Kuta Ateuh", "Kota Bawah Timur", "Kota Bawah Barat", "Kuta Barat", "Ie Meulee", "Balohan"]
        + ["Cot Ba'u", "Anoi Itam", "Aneuk Laot", "Batee Shok", "Paya Seunara", "Iboih", "Krueng Raya"],
        domain="sabangkota.go.id",
    ),
    Wilayah(
        key="tebingtinggi",
        nama="Pemerintah Kota Tebingtinggi",
        singkatan="Pemko Tebingtinggi",
        provinsi=False,
        kota="Tebing Tinggi",
        weight=0.3,
        names="sumut",
        kecamatan=["Padang Hulu", "Padang Hilir", "Rambutan", "Bajenis", "Tebing Tinggi Kota"],
        puskesmas=["Rantau Laban", "Pabatu", "Sri Padang", "Brohol", "Rambung", "Satria", "Tanjung Marulak"]
        + ["Teluk Karang", "Bandar Sakti", "Persiakan", "Bagelen", "Durian", "Lalang", "Tualang", "Karya Jaya"],
        univ=["Universitas Sumatera Utara", "Universitas Negeri Medan", "UIN Sumatera Utara"]
        + ["Universitas Muhammadiyah Sumatera Utara", "Universitas HKBP Nommensen", "Universitas Simalungun"],
        poltekkes="Poltekkes Kemenkes Medan",
        fk="Universitas Sumatera Utara",
        sma=["SMA Negeri 1 Tebing Tinggi", "SMA Negeri 2 Tebing Tinggi", "SMA Negeri 3 Tebing Tinggi"]
        + ["SMK Negeri 1 Tebing Tinggi", "MAN Tebing Tinggi", "SMA Negeri 1 Pematangsiantar", "SMA Negeri 1 Medan"],
        tempat_lahir=["Tebing Tinggi", "Tebing Tinggi", "Medan", "Pematangsiantar", "Serdang Bedagai"]
        + ["Simalungun", "Tarutung", "Kisaran", "Padang Sidempuan"],
        nik_wilayah=[("12", "76", ["01", "02", "03", "04", "05"])],
        jalan=["Jl. Sudirman", "Jl. Imam Bonjol", "Jl. Yos Sudarso", "Jl. K.F. Tandean", "Jl. Gunung Leuser"]
        + ["Jl. Kartini", "Jl. Pahlawan", "Jl. Deblod Sundoro", "Jl. Ahmad Yani"],
        kelurahan=["Rambung", "Bandar Utama", "Tebing Tinggi Lama", "Satria", "Brohol", "Tanjung Marulak"]
        + ["Rantau Laban", "Bulian", "Pabatu", "Sri Padang", "Teluk Karang", "Persiakan", "Lalang", "Bagelen"],
        domain="tebingtinggikota.go.id",
    ),
    Wilayah(
        key="bengkulu",
        nama="Pemerintah Provinsi Bengkulu",
        singkatan="Pemprov Bengkulu",
        provinsi=True,
        kota="Bengkulu",
        weight=0.5,
        names="bengkulu",
        kecamatan=[],
        puskesmas=[],
        univ=["Universitas Bengkulu", "UIN Fatmawati Sukarno Bengkulu", "Universitas Muhammadiyah Bengkulu"]
        + ["Universitas Dehasen Bengkulu", "Universitas Prof. Dr. Hazairin", "Universitas Andalas"],
        poltekkes="Poltekkes Kemenkes Bengkulu",
        fk="Universitas Bengkulu",
        sma=["SMA Negeri 1 Kota Bengkulu", "SMA Negeri 2 Kota Bengkulu", "SMA Negeri 5 Kota Bengkulu"]
        + [
            "SMA Negeri 1 Rejang Lebong",
            "SMA Negeri 1 Kepahiang",
            "SMA Negeri 1 Bengkulu Selatan",
            "MAN 1 Kota Bengkulu",
        ],
        tempat_lahir=["Bengkulu", "Bengkulu", "Curup", "Manna", "Kepahiang", "Argamakmur", "Mukomuko", "Tais"]
        + ["Bintuhan", "Lebong"],
        nik_wilayah=[("17", "71", ["01", "02", "03", "04", "05", "06", "07", "08", "09"]), ("17", "02", ["01", "02"])]
        + [("17", "01", ["01", "02"]), ("17", "08", ["01", "02"])],
        jalan=["Jl. S. Parman", "Jl. Soekarno-Hatta", "Jl. Pembangunan", "Jl. Jenderal Sudirman", "Jl. Fatmawati"]
        + ["Jl. Salak Raya", "Jl. W.R. Supratman", "Jl. Danau", "Jl. Merapi"],
        kelurahan=["Padang Harapan", "Lingkar Barat", "Kebun Tebeng", "Sawah Lebar", "Jalan Gedang", "Bentiring"]
        + ["Pagar Dewa", "Kandang Limun", "Nusa Indah", "Tanah Patah", "Sukamerindu", "Pasar Melintang"],
        domain="bengkuluprov.go.id",
        kabupaten=["Kota Bengkulu", "Rejang Lebong", "Bengkulu Utara", "Bengkulu Selatan", "Kepahiang", "Lebong"]
        + ["Mukomuko", "Seluma", "Kaur", "Bengkulu Tengah"],
    ),
]

NATIONAL_UNIV = ["Universitas Terbuka", "Universitas Indonesia", "Universitas Gadjah Mada", "Universitas Negeri Padang"]
IPDN = "Institut Pemerintahan Dalam Negeri"

NAMES = {
    "aceh": {
        "m": ["Muhammad", "Zulfikar", "Fadli", "Rizki", "Iskandar", "Azhari", "Munawar", "Safrizal", "Mukhlis"]
        + ["Khairul", "Hasbi", "Nazaruddin", "Irwandi", "Fauzan", "Murthala", "Jailani", "Syahrul", "Mahdi"]
        + ["Ridwan", "Husaini", "Bukhari", "Zainal", "Saiful", "Marzuki", "Rusli", "Taufiq", "Furqan", "Akmal"],
        "f": ["Nurul", "Rahmawati", "Fitriani", "Mutia", "Intan", "Safrina", "Rahmi", "Nurhayati", "Yusnidar"]
        + ["Mawarni", "Maulidar", "Raihan", "Khairiyah", "Nurlaila", "Husna", "Safriana", "Rosmiati", "Ernawati"]
        + ["Dahlia", "Zahratul", "Ainul", "Rizka", "Nadia", "Masyitah", "Suryani", "Faridah", "Munawwarah"],
        "m2": ["Syahputra", "Ramadhan", "Hidayat", "Amin", "Abdullah", "Mahmud", "Ibrahim", "Yusuf", "Husin"]
        + ["Saputra", "Maulana", "Ismail", "Hasan", "Usman", "Daud", "Hanafiah", "Nurdin", "Iqbal", "Fajri"],
        "f2": ["Maulida", "Safitri", "Yanti", "Rahmah", "Zahara", "Fitria", "Hayati", "Sari", "Husna", "Aini"]
        + ["Mardhiah", "Fadhillah", "Ulfa", "Yusra", "Zuhra", "Amalia", "Munira", "Fonna"],
        "prefix": ("Teuku", "Cut"),
    },
    "bengkulu": {
        "m": ["Rohidin", "Hamdani", "Zulkifli", "Syamsul", "Rozali", "Herman", "Junaidi", "Edwar", "Darmansyah"]
        + ["Erlan", "Fahrurrozi", "Yuliansyah", "Irwan", "Ardiansyah", "Hendri", "Jonaidi", "Ferdian", "Rusdi"]
        + ["Helmi", "Dedy", "Mirza", "Apriansyah", "Rahmat", "Febri", "Sofian", "Gusril", "Zamhari", "Nopriansyah"],
        "f": ["Yulianti", "Elvi", "Desi", "Novi", "Rosmeli", "Lili", "Eka", "Herlina", "Nurhayati", "Elly"]
        + ["Deswita", "Meri", "Resi", "Erna", "Rahma", "Yusnaini", "Septi", "Juwita", "Rita", "Afrianti"]
        + ["Maya", "Leni", "Evi", "Lusi", "Helda"],
        "m2": ["Mersyah", "Saputra", "Irawan", "Hidayat", "Pratama", "Wijaya", "Putra", "Syahputra", "Kurniawan"]
        + ["Effendi", "Hasan", "Gunawan", "Firmansyah", "Ramadhan", "Sumantri", "Alamsyah", "Rosadi"],
        "f2": ["Susanti", "Haryani", "Marlina", "Yusnita", "Putri", "Wahyuni", "Sari", "Anggraini", "Lestari"]
        + ["Fitriani", "Novita", "Yanti", "Oktaviani", "Maharani", "Puspita", "Apriani"],
        "prefix": None,
    },
}
BATAK = {
    "m": ["Sahat", "Parlindungan", "Hotman", "Poltak", "Torang", "Binsar", "Martua", "Hendra", "Roy", "Sabar"]
    + ["Bonar", "Tumpal", "Rudi", "Maruli", "Togar", "Benny", "Daniel", "Robert", "Jefri", "Lamhot"],
    "f": ["Rosmawati", "Lasma", "Rotua", "Tiurma", "Sondang", "Erna", "Dameria", "Melva", "Riris", "Lamria"]
    + ["Nova", "Yohana", "Debora", "Marlina", "Hotnida", "Tetty", "Rosdiana", "Friska"],
    "marga": ["Simanjuntak", "Sinaga", "Pardede", "Sitompul", "Hutagalung", "Manurung", "Panjaitan", "Simatupang"]
    + ["Situmorang", "Sihombing", "Tampubolon", "Damanik", "Saragih", "Purba", "Girsang", "Sembiring"]
    + ["Tarigan", "Ginting", "Silalahi", "Napitupulu", "Hutapea", "Marpaung", "Siahaan", "Pasaribu"],
}
MELAYU = {
    "m": ["Ahmad", "Muhammad", "Syahrial", "Zulkarnain", "Irfan", "Rahmad", "Fauzi", "Azhar", "Ismail", "Khairul"]
    + ["Darwin", "Syafrudin", "Rizal", "Amri", "Ilham", "Arif", "Faisal", "Hamdan", "Yusri", "Zulham"],
    "f": ["Siti", "Nurhalimah", "Fitri", "Dewi", "Rina", "Yusnita", "Mardiana", "Rahmadani", "Aisyah", "Nurul"]
    + ["Laila", "Halimah", "Juliana", "Khadijah", "Ratna", "Zubaidah", "Fatimah"],
    "marga": ["Lubis", "Nasution", "Harahap", "Siregar", "Hasibuan", "Daulay", "Rangkuti", "Pohan", "Batubara"],
    "m2": ["Syahputra", "Rahman", "Hakim", "Hidayat", "Saputra", "Azmi"],
    "f2": ["Wahyuni", "Handayani", "Sari", "Purnama", "Rahayu", "Zahra"],
}
JAWA = {
    "m": ["Sugiarto", "Suparman", "Wahyudi", "Budi Santoso", "Agus Salim", "Eko Prasetyo", "Joko Susilo"]
    + ["Bambang Irawan", "Slamet Riyadi", "Hari Purnomo", "Dedi Kurniawan", "Teguh Wibowo", "Andi Setiawan"],
    "f": ["Sri Rahayu", "Suwarni", "Endang Sulastri", "Tri Wahyuni", "Dwi Lestari", "Wulandari", "Sri Mulyani"]
    + ["Siti Aminah", "Rini Astuti", "Ika Purnamasari", "Yuni Kartika", "Ning Setyowati", "Eka Susanti"],
}


def make_name(rng, pool, gender):
    """An Indonesian name as the people of the place write it (no surname law here)."""
    if pool == "sumut":
        roll = rng.random()
        if roll < 0.35:
            return f"{rng.choice(BATAK[gender])} {rng.choice(BATAK['marga'])}"
        if roll < 0.7:
            second = rng.choice(MELAYU["marga"] + MELAYU[f"{gender}2"])
            return f"{rng.choice(MELAYU[gender])} {second}" if rng.random() < 0.8 else rng.choice(MELAYU[gender])
        return rng.choice(JAWA[gender])
    names = NAMES[pool]
    name = rng.choice(names[gender])
    if rng.random() < 0.8:
        second = rng.choice(names[f"{gender}2"])
        if second != name:
            name = f"{name} {second}"
    prefix = names["prefix"]
    if prefix and rng.random() < 0.07:
        name = f"{prefix[0] if gender == 'm' else prefix[1]} {name}"
    return name


# ---------------------------------------------------------------------------------------------
# Education: per profile and level, (jurusan, gelar); "depan|belakang" where a gelar goes before
# the name (dr., drg., apt.).

PROFIL = {
    "umum": {
        "sma": [("IPS", ""), ("IPA", ""), ("Administrasi Perkantoran", "")],
        "d3": [
            ("Administrasi Perkantoran", "A.Md."),
            ("Manajemen Informatika", "A.Md.Kom."),
            ("Akuntansi", "A.Md.Ak."),
        ],
        "s1": [("Ilmu Administrasi Negara", "S.AP"), ("Ilmu Pemerintahan", "S.IP"), ("Manajemen", "S.E.")]
        + [("Sosiologi", "S.Sos."), ("Ilmu Hukum", "S.H.")],
        "s2": [("Administrasi Publik", "M.AP"), ("Manajemen", "M.M."), ("Ilmu Pemerintahan", "M.Si.")],
    },
    "sdm": {
        "s1": [
            ("Psikologi", "S.Psi."),
            ("Manajemen Sumber Daya Manusia", "S.E."),
            ("Ilmu Administrasi Negara", "S.AP"),
        ],
        "s2": [("Administrasi Publik", "M.Si."), ("Manajemen SDM", "M.M.")],
    },
    "it": {
        "d3": [("Manajemen Informatika", "A.Md.Kom."), ("Teknik Komputer", "A.Md.T.")],
        "s1": [("Teknik Informatika", "S.Kom."), ("Sistem Informasi", "S.Kom."), ("Teknik Elektro", "S.T.")],
        "s2": [("Ilmu Komputer", "M.Kom."), ("Teknologi Informasi", "M.T.")],
    },
    "humas": {"s1": [("Ilmu Komunikasi", "S.I.Kom.")], "s2": [("Ilmu Komunikasi", "M.I.Kom.")]},
    "statistik": {"s1": [("Statistika", "S.Stat."), ("Matematika", "S.Si.")], "s2": [("Statistika", "M.Si.")]},
    "pendidikan": {
        "s1": [("Pendidikan Matematika", "S.Pd."), ("Pendidikan Bahasa Indonesia", "S.Pd."), ("PGSD", "S.Pd.")],
        "s2": [("Manajemen Pendidikan", "M.Pd."), ("Administrasi Pendidikan", "M.Pd.")],
    },
    "guru_sd": {
        "sma": [("IPS", "")],
        "s1": [("Pendidikan Guru Sekolah Dasar", "S.Pd."), ("Pendidikan Agama Islam", "S.Pd.")],
        "s2": [("Pendidikan Dasar", "M.Pd.")],
    },
    "guru": {
        "sma": [("IPS", "")],
        "s1": [("Pendidikan Matematika", "S.Pd."), ("Pendidikan Bahasa Indonesia", "S.Pd.")]
        + [("Pendidikan Bahasa Inggris", "S.Pd."), ("Pendidikan Biologi", "S.Pd."), ("Pendidikan Fisika", "S.Pd.")]
        + [("Pendidikan Kimia", "S.Pd."), ("Pendidikan Sejarah", "S.Pd."), ("Pendidikan Ekonomi", "S.Pd.")]
        + [("Pendidikan Jasmani, Kesehatan dan Rekreasi", "S.Pd."), ("Pendidikan Agama Islam", "S.Pd.")]
        + [("Bimbingan dan Konseling", "S.Pd."), ("Pendidikan Geografi", "S.Pd.")],
        "s2": [("Pendidikan Matematika", "M.Pd."), ("Manajemen Pendidikan", "M.Pd."), ("Pendidikan Bahasa", "M.Pd.")],
    },
    "guru_smk": {
        "sma": [("Teknik Kendaraan Ringan", "")],
        "s1": [("Pendidikan Teknik Mesin", "S.Pd."), ("Pendidikan Teknik Elektro", "S.Pd.")]
        + [("Teknik Informatika", "S.Kom."), ("Akuntansi", "S.E."), ("Pendidikan Bahasa Inggris", "S.Pd.")],
        "s2": [("Pendidikan Teknologi dan Kejuruan", "M.Pd.")],
    },
    "guru_slb": {"s1": [("Pendidikan Luar Biasa", "S.Pd.")], "s2": [("Pendidikan Khusus", "M.Pd.")]},
    "kesmas": {
        "d3": [("Kesehatan Lingkungan", "A.Md.KL")],
        "s1": [("Kesehatan Masyarakat", "S.KM")],
        "s2": [("Kesehatan Masyarakat", "M.Kes."), ("Administrasi Rumah Sakit", "M.A.R.S.")],
    },
    "dokter": {
        "s1": [("Pendidikan Dokter", "dr.|")],
        "s2": [("Ilmu Penyakit Dalam", "Sp.PD"), ("Ilmu Kesehatan Anak", "Sp.A"), ("Obstetri dan Ginekologi", "Sp.OG")]
        + [("Ilmu Bedah", "Sp.B"), ("Anestesiologi", "Sp.An"), ("Radiologi", "Sp.Rad")],
    },
    "dokter_gigi": {"s1": [("Pendidikan Dokter Gigi", "drg.|")], "s2": [("Kesehatan Masyarakat", "M.Kes.")]},
    "perawat": {
        "d3": [("Keperawatan", "A.Md.Kep.")],
        "s1": [("Ilmu Keperawatan (Ners)", "S.Kep., Ners")],
        "s2": [("Keperawatan", "M.Kep.")],
    },
    "bidan": {
        "d3": [("Kebidanan", "A.Md.Keb.")],
        "s1": [("Kebidanan (Profesi Bidan)", "S.Keb., Bd.")],
        "s2": [("Kebidanan", "M.Keb.")],
    },
    "apoteker": {"d3": [("Farmasi", "A.Md.Farm.")], "s1": [("Farmasi (Profesi Apoteker)", "apt.|S.Farm.")]},
    "sanitarian": {"d3": [("Kesehatan Lingkungan", "A.Md.KL")], "s1": [("Kesehatan Lingkungan", "S.Tr.Kes.")]},
    "gizi": {"d3": [("Gizi", "A.Md.Gz.")], "s1": [("Gizi", "S.Gz.")]},
    "lab": {"d3": [("Teknologi Laboratorium Medis", "A.Md.AK")], "s1": [("Teknologi Laboratorium Medis", "S.Tr.Kes.")]},
    "radiografer": {"d3": [("Radiologi", "A.Md.Rad.")], "s1": [("Radiologi", "S.Tr.Rad.")]},
    "keuangan": {
        "d3": [("Akuntansi", "A.Md.Ak.")],
        "s1": [("Akuntansi", "S.Ak."), ("Ekonomi Pembangunan", "S.E."), ("Manajemen Keuangan", "S.E.")],
        "s2": [("Akuntansi", "M.Ak."), ("Manajemen Keuangan Daerah", "M.M.")],
    },
    "hukum": {"s1": [("Ilmu Hukum", "S.H.")], "s2": [("Ilmu Hukum", "M.H.")]},
    "perencana": {
        "s1": [("Perencanaan Wilayah dan Kota", "S.T."), ("Ekonomi Pembangunan", "S.E."), ("Statistika", "S.Stat.")],
        "s2": [("Perencanaan Pembangunan", "M.Si."), ("Ilmu Ekonomi", "M.E.")],
    },
    "teknik": {
        "d3": [("Teknik Sipil", "A.Md.T.")],
        "s1": [("Teknik Sipil", "S.T."), ("Arsitektur", "S.Ars."), ("Teknik Lingkungan", "S.T.")],
        "s2": [("Teknik Sipil", "M.T.")],
    },
    "pemerintahan": {
        "s1": [
            ("Ilmu Pemerintahan", "S.IP"),
            ("Manajemen Pemerintahan", "S.STP"),
            ("Ilmu Administrasi Negara", "S.AP"),
        ],
        "s2": [("Ilmu Pemerintahan", "M.Si."), ("Administrasi Publik", "M.AP")],
    },
    "sosial": {
        "s1": [("Kesejahteraan Sosial", "S.Sos."), ("Pekerjaan Sosial", "S.Tr.Sos.")],
        "s2": [("Sosiologi", "M.Si.")],
    },
    "pariwisata": {
        "d3": [("Usaha Perjalanan Wisata", "A.Md.Par.")],
        "s1": [("Pariwisata", "S.Par."), ("Manajemen", "S.E."), ("Ilmu Komunikasi", "S.I.Kom.")],
        "s2": [("Pariwisata", "M.Par.")],
    },
    "satpol": {"sma": [("IPS", "")], "d3": [("Administrasi", "A.Md.")], "s1": [("Ilmu Hukum", "S.H.")]},
    "adminduk": {"s1": [("Sistem Informasi", "S.Kom."), ("Ilmu Administrasi Negara", "S.AP")]},
    "lingkungan": {
        "s1": [("Teknik Lingkungan", "S.T."), ("Kehutanan", "S.Hut.")],
        "s2": [("Ilmu Lingkungan", "M.Si.")],
    },
    "perikanan": {
        "s1": [("Budidaya Perairan", "S.Pi."), ("Ilmu Kelautan", "S.Kel.")],
        "s2": [("Ilmu Kelautan", "M.Si.")],
    },
}
# The golongan a PNS starts in, by the education at appointment; profesi degrees start at III/b.
START_TINGKAT = {"SMA": 5, "D3": 7, "D4": 9, "S1": 9, "S2": 10}
PROFESI = {"dokter", "dokter_gigi", "apoteker"}
PPPK_START = {"SMA": 5, "D3": 7, "D4": 9, "S1": 9, "S2": 10}
PPPK_TMT = [dt.date(2021, 4, 1), dt.date(2022, 3, 1), dt.date(2022, 10, 1), dt.date(2023, 6, 1)]
PPPK_TMT += [dt.date(2024, 3, 1), dt.date(2025, 3, 1), dt.date(2025, 10, 1)]

JENJANG_LABEL = {
    "PT": "Ahli Pertama",
    "MU": "Ahli Muda",
    "MA": "Ahli Madya",
    "UT": "Ahli Utama",
    "PM": "Pemula",
    "TR": "Terampil",
    "MH": "Mahir",
    "PY": "Penyelia",
}
KEAHLIAN = ["PT", "MU", "MA", "UT"]
KETERAMPILAN = ["PM", "TR", "MH", "PY"]
# PNS golongan range (tingkat 1 = I/a … 17 = IV/e) per jabatan level (PP 13/2002 lampiran; JF rules).
JENJANG_GOLONGAN = {
    "PT": (9, 10),
    "MU": (11, 12),
    "MA": (13, 15),
    "UT": (16, 17),
    "PM": (5, 6),
    "TR": (6, 8),
    "MH": (9, 10),
    "PY": (11, 12),
}
ESELON_GOLONGAN = {"12": (16, 17), "21": (15, 16), "22": (14, 15), "31": (13, 14), "32": (12, 13), "41": (11, 12)}
ESELON_GOLONGAN["42"] = (10, 11)
RUANG = {"I": 1, "II": 2, "III": 3, "IV": 4}  # kode klasifikasi 823.x: kenaikan pangkat golongan x
OPERATOR = ["11", "12", "13", "21", "22", "52", "53", "77", "81", "82", "95"]  # mobile prefixes after 08
PELAKSANA = {
    # nama: (pendidikan level)
    "Penata Layanan Operasional": "s1",
    "Pengelola Layanan Operasional": "d3",
    "Operator Layanan Operasional": "sma",
    "Pengadministrasi Perkantoran": "sma",
}

# ---------------------------------------------------------------------------------------------
# The organisation of an instansi: perangkat daerah, bidang/bagian, seksi/subbagian, and the
# staff jabatan of each unit. Ordered by importance: a small demo keeps the first ones.


def F(base, jenjang, profil, slots=1.0, pppk=0.1):
    """Fungsional jabatan ``base`` at each jenjang in ``jenjang`` ("PT MU")."""
    return [(base, j, profil, slots, pppk) for j in jenjang.split()]


def B(nama, seksi=(), fungsional=(), kepala=None):
    return {
        "nama": nama,
        "seksi": list(seksi),
        "fungsional": [f for group in fungsional for f in group],
        "kepala": kepala,
    }


def OPD(nama, singkatan, profil, bidang, kind="dinas", kepala=None, sekretariat=True, **provinsi):
    """A perangkat daerah. ``kind``: dinas (every instansi), kota/provinsi (only there), or the
    special setda/disdik/dinkes. ``provinsi`` may rename it or its bidang for the provinsi."""
    return {
        "nama": nama,
        "singkatan": singkatan,
        "profil": profil,
        "bidang": bidang,
        "kind": kind,
        "kepala": kepala,
        "sekretariat": sekretariat,
        "provinsi_nama": provinsi.get("provinsi_nama"),
        "provinsi_bidang": provinsi.get("provinsi_bidang"),
    }


ANALIS_SDM = F("Analis SDM Aparatur", "PT MU", "sdm")
OPD_LIST = [
    OPD(
        "Sekretariat Daerah",
        "Setda",
        "pemerintahan",
        [
            B("Bagian Pemerintahan", ["Subbagian Administrasi Pemerintahan", "Subbagian Otonomi Daerah dan Kerja Sama"])
            | {"fungsional": F("Analis Kebijakan", "PT MU", "pemerintahan")},
            B("Bagian Hukum", ["Subbagian Perundang-undangan", "Subbagian Bantuan Hukum"])
            | {"fungsional": F("Perancang Peraturan Perundang-undangan", "PT MU", "hukum")},
            B("Bagian Organisasi", ["Subbagian Kelembagaan dan Analisis Jabatan", "Subbagian Reformasi Birokrasi"])
            | {"fungsional": F("Analis Kebijakan", "PT MU", "umum")},
            B("Bagian Umum", ["Subbagian Tata Usaha Pimpinan", "Subbagian Rumah Tangga"])
            | {"fungsional": F("Arsiparis", "TR", "umum")},
            B("Bagian Perekonomian dan Sumber Daya Alam", ["Subbagian Perekonomian"]),
            B("Bagian Pengadaan Barang dan Jasa", ["Subbagian Pengelolaan Pengadaan Barang dan Jasa"])
            | {"fungsional": F("Pengelola Pengadaan Barang/Jasa", "PT MU", "teknik")},
            B("Bagian Protokol dan Komunikasi Pimpinan", ["Subbagian Protokol"])
            | {"fungsional": F("Pranata Hubungan Masyarakat", "PT", "humas")},
        ],
        kind="setda",
        kepala="Sekretaris Daerah",
        sekretariat=False,
    ),
    OPD(
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        "sdm",
        [
            B(
                "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian",
                ["Subbidang Pengadaan dan Pemberhentian", "Subbidang Data dan Informasi Kepegawaian"],
                [ANALIS_SDM, F("Pranata Komputer", "PT", "it")],
            ),
            B(
                "Bidang Mutasi dan Promosi",
                ["Subbidang Mutasi", "Subbidang Promosi dan Penilaian Kinerja"],
                [ANALIS_SDM],
            ),
            B(
                "Bidang Pengembangan Kompetensi Aparatur",
                ["Subbidang Pengembangan Kompetensi Manajerial dan Fungsional"],
                [ANALIS_SDM, F("Widyaiswara", "MU", "pendidikan", 0.5)],
            ),
        ],
    ),
    OPD(
        "Dinas Pendidikan",
        "Disdik",
        "pendidikan",
        [
            B(
                "Bidang Pembinaan Sekolah Dasar",
                ["Seksi Kurikulum dan Penilaian SD", "Seksi Peserta Didik dan Pembangunan Karakter SD"]
                + ["Seksi Sarana dan Prasarana SD"],
                [F("Pengawas Sekolah", "MU MA", "pendidikan")],
            ),
            B(
                "Bidang Pembinaan Sekolah Menengah Pertama",
                ["Seksi Kurikulum dan Penilaian SMP", "Seksi Peserta Didik dan Pembangunan Karakter SMP"]
                + ["Seksi Sarana dan Prasarana SMP"],
                [F("Pengawas Sekolah", "MU MA", "pendidikan")],
            ),
            B(
                "Bidang Guru dan Tenaga Kependidikan",
                ["Seksi Pendidik dan Tenaga Kependidikan SD", "Seksi Pendidik dan Tenaga Kependidikan SMP"],
                [F("Analis SDM Aparatur", "PT", "sdm")],
            ),
            B(
                "Bidang Pembinaan PAUD dan Pendidikan Nonformal",
                ["Seksi Kurikulum PAUD", "Seksi Kelembagaan dan Pendidikan Nonformal"],
                [F("Penilik", "PT MU", "pendidikan"), F("Pamong Belajar", "PT", "pendidikan", 0.5)],
            ),
            B("Bidang Kebudayaan", ["Seksi Cagar Budaya dan Permuseuman", "Seksi Kesenian dan Tradisi"]),
        ],
        kind="disdik",
        provinsi_nama="Dinas Pendidikan dan Kebudayaan",
        provinsi_bidang=[
            B(
                "Bidang Pembinaan SMA",
                ["Seksi Kurikulum dan Penilaian SMA", "Seksi Peserta Didik SMA", "Seksi Sarana dan Prasarana SMA"],
                [F("Pengawas Sekolah", "MU MA", "pendidikan")],
            ),
            B(
                "Bidang Pembinaan SMK",
                ["Seksi Kurikulum dan Penilaian SMK", "Seksi Peserta Didik SMK", "Seksi Sarana dan Prasarana SMK"],
                [F("Pengawas Sekolah", "MU MA", "pendidikan")],
            ),
            B("Bidang Guru dan Tenaga Kependidikan", ["Seksi Pendidik dan Tenaga Kependidikan SMA dan SMK"]),
            B("Bidang Pembinaan Pendidikan Khusus", ["Seksi Kurikulum dan Peserta Didik Pendidikan Khusus"]),
            B("Bidang Kebudayaan", ["Seksi Cagar Budaya dan Permuseuman", "Seksi Kesenian dan Tradisi"]),
        ],
    ),
    OPD(
        "Dinas Kesehatan",
        "Dinkes",
        "kesmas",
        [
            B(
                "Bidang Kesehatan Masyarakat",
                ["Seksi Kesehatan Keluarga dan Gizi", "Seksi Promosi dan Pemberdayaan Masyarakat"]
                + ["Seksi Kesehatan Lingkungan, Kesehatan Kerja dan Olahraga"],
                [F("Penyuluh Kesehatan Masyarakat", "PT MU", "kesmas"), F("Nutrisionis", "PT", "gizi", 0.5)],
            ),
            B(
                "Bidang Pencegahan dan Pengendalian Penyakit",
                ["Seksi Surveilans dan Imunisasi", "Seksi Pencegahan dan Pengendalian Penyakit Menular"]
                + ["Seksi Pencegahan dan Pengendalian Penyakit Tidak Menular dan Kesehatan Jiwa"],
                [F("Epidemiolog Kesehatan", "PT MU", "kesmas"), F("Entomolog Kesehatan", "PT", "kesmas", 0.5)],
            ),
            B(
                "Bidang Pelayanan dan Sumber Daya Kesehatan",
                ["Seksi Pelayanan Kesehatan Primer dan Rujukan", "Seksi Kefarmasian dan Alat Kesehatan"]
                + ["Seksi Sumber Daya Manusia Kesehatan"],
                [F("Administrator Kesehatan", "PT MU", "kesmas"), F("Apoteker", "PT", "apoteker", 0.5)],
            ),
        ],
        kind="dinkes",
    ),
    OPD(
        "Dinas Pariwisata",
        "Dispar",
        "pariwisata",
        [
            B(
                "Bidang Destinasi Pariwisata",
                ["Seksi Pengembangan Daya Tarik Wisata", "Seksi Pengembangan Sumber Daya Pariwisata"],
                [F("Adyatama Kepariwisataan dan Ekonomi Kreatif", "PT MU", "pariwisata")],
            ),
            B(
                "Bidang Pemasaran Pariwisata",
                ["Seksi Promosi Pariwisata", "Seksi Analisis Pasar dan Kerja Sama"],
                [F("Adyatama Kepariwisataan dan Ekonomi Kreatif", "PT", "pariwisata")],
            ),
            B("Bidang Ekonomi Kreatif", ["Seksi Pengembangan Ekonomi Kreatif"]),
        ],
    ),
    OPD(
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
        "it",
        [
            B(
                "Bidang Informasi dan Komunikasi Publik",
                ["Seksi Pengelolaan Informasi Publik", "Seksi Kemitraan Media dan Komunikasi"],
                [F("Pranata Hubungan Masyarakat", "PT MU", "humas")],
            ),
            B(
                "Bidang Aplikasi Informatika",
                ["Seksi Layanan e-Government", "Seksi Infrastruktur dan Keamanan Informasi"],
                [F("Pranata Komputer", "PT MU", "it"), F("Pranata Komputer", "TR", "it")],
            ),
            B(
                "Bidang Statistik dan Persandian",
                ["Seksi Statistik Sektoral", "Seksi Persandian"],
                [F("Statistisi", "PT", "statistik"), F("Sandiman", "PT", "it", 0.5)],
            ),
        ],
        provinsi_nama="Dinas Komunikasi, Informatika dan Statistik",
    ),
    {"kind": "kecamatan"},  # the first kecamatan of a kota goes here
    OPD(
        "Inspektorat Daerah",
        "Inspektorat",
        "keuangan",
        [
            B(f"Inspektorat Pembantu Wilayah {w}", kepala=f"Inspektur Pembantu Wilayah {w}")
            | {"fungsional": F("Auditor", "PT MU MA", "keuangan") + F("Pengawas Pemerintahan", "PT", "pemerintahan")}
            for w in ("I", "II", "III", "IV")
        ],
        kepala="Inspektur",
    ),
    OPD(
        "Badan Perencanaan Pembangunan Daerah",
        "Bappeda",
        "perencana",
        [
            B(
                "Bidang Perencanaan Pemerintahan dan Pembangunan Manusia",
                ["Subbidang Pemerintahan", "Subbidang Pembangunan Manusia"],
                [F("Perencana", "PT MU MA", "perencana")],
            ),
            B(
                "Bidang Perekonomian dan Sumber Daya Alam",
                ["Subbidang Perekonomian", "Subbidang Sumber Daya Alam"],
                [F("Perencana", "PT MU", "perencana")],
            ),
            B(
                "Bidang Infrastruktur dan Kewilayahan",
                ["Subbidang Infrastruktur", "Subbidang Kewilayahan"],
                [F("Perencana", "PT MU", "perencana")],
            ),
        ],
    ),
    OPD(
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "BPKAD",
        "keuangan",
        [
            B(
                "Bidang Anggaran",
                ["Subbidang Penyusunan Anggaran"],
                [F("Analis Keuangan Pusat dan Daerah", "PT MU", "keuangan")],
            ),
            B(
                "Bidang Perbendaharaan",
                ["Subbidang Belanja Langsung", "Subbidang Belanja Tidak Langsung"],
                [F("Analis Keuangan Pusat dan Daerah", "PT", "keuangan")],
            ),
            B(
                "Bidang Akuntansi dan Pelaporan",
                ["Subbidang Akuntansi"],
                [F("Analis Keuangan Pusat dan Daerah", "PT", "keuangan")],
            ),
            B(
                "Bidang Aset",
                ["Subbidang Penatausahaan Aset"],
                [F("Penata Kelola Barang Milik Daerah", "PT", "keuangan")],
            ),
        ],
    ),
    OPD(
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "DPUPR",
        "teknik",
        [
            B(
                "Bidang Bina Marga",
                ["Seksi Pembangunan Jalan dan Jembatan", "Seksi Pemeliharaan Jalan dan Jembatan"],
                [F("Teknik Jalan dan Jembatan", "PT MU", "teknik"), F("Teknik Jalan dan Jembatan", "TR", "teknik")],
            ),
            B("Bidang Sumber Daya Air", ["Seksi Irigasi dan Rawa"], [F("Teknik Pengairan", "PT", "teknik")]),
            B(
                "Bidang Cipta Karya",
                ["Seksi Air Minum dan Sanitasi"],
                [F("Teknik Penyehatan Lingkungan", "PT", "teknik")],
            ),
            B("Bidang Penataan Ruang", ["Seksi Perencanaan Tata Ruang"], [F("Penata Ruang", "PT", "teknik")]),
        ],
    ),
    OPD(
        "Dinas Sosial",
        "Dinsos",
        "sosial",
        [
            B(
                "Bidang Rehabilitasi Sosial",
                ["Seksi Rehabilitasi Sosial Anak dan Lanjut Usia"],
                [F("Pekerja Sosial", "PT MU", "sosial")],
            ),
            B(
                "Bidang Perlindungan dan Jaminan Sosial",
                ["Seksi Penanganan Bencana"],
                [F("Penyuluh Sosial", "PT", "sosial")],
            ),
            B("Bidang Pemberdayaan Sosial dan Penanganan Fakir Miskin", ["Seksi Penanganan Fakir Miskin"]),
        ],
    ),
    OPD(
        "Satuan Polisi Pamong Praja",
        "Satpol PP",
        "satpol",
        [
            B(
                "Bidang Penegakan Peraturan Daerah",
                ["Seksi Pembinaan dan Penyuluhan", "Seksi Penyelidikan dan Penyidikan"],
                [F("Polisi Pamong Praja", "TR MH", "satpol", 2.0), F("Polisi Pamong Praja", "PT", "satpol")],
            ),
            B(
                "Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
                ["Seksi Operasi dan Pengendalian"],
                [F("Polisi Pamong Praja", "TR", "satpol", 3.0)],
            ),
            B("Bidang Perlindungan Masyarakat", ["Seksi Satuan Perlindungan Masyarakat"]),
        ],
        kepala="Kepala Satuan Polisi Pamong Praja",
    ),
    OPD(
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Disdukcapil",
        "adminduk",
        [
            B(
                "Bidang Pelayanan Pendaftaran Penduduk",
                ["Seksi Identitas Penduduk"],
                [F("Administrator Database Kependudukan", "PT", "adminduk")],
            ),
            B("Bidang Pelayanan Pencatatan Sipil", ["Seksi Kelahiran dan Kematian"]),
            B(
                "Bidang Pengelolaan Informasi Administrasi Kependudukan",
                ["Seksi Sistem Informasi Administrasi Kependudukan"],
                [F("Pranata Komputer", "TR", "it")],
            ),
        ],
        kind="kota",
    ),
    OPD(
        "Dinas Lingkungan Hidup",
        "DLH",
        "lingkungan",
        [
            B(
                "Bidang Tata Lingkungan",
                ["Seksi Kajian Dampak Lingkungan"],
                [F("Pengendali Dampak Lingkungan", "PT MU", "lingkungan")],
            ),
            B("Bidang Pengelolaan Sampah dan Limbah B3", ["Seksi Pengurangan dan Penanganan Sampah"]),
            B("Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan", ["Seksi Pemantauan Lingkungan"]),
        ],
    ),
    OPD(
        "Dinas Perhubungan",
        "Dishub",
        "teknik",
        [
            B(
                "Bidang Lalu Lintas dan Angkutan Jalan",
                ["Seksi Manajemen dan Rekayasa Lalu Lintas"],
                [F("Penguji Kendaraan Bermotor", "TR", "teknik")],
            ),
            B("Bidang Pelayaran", ["Seksi Angkutan Laut dan Penyeberangan"]),
        ],
        kind="provinsi",
    ),
    OPD(
        "Dinas Kelautan dan Perikanan",
        "DKP",
        "perikanan",
        [
            B(
                "Bidang Perikanan Tangkap",
                ["Seksi Sarana dan Prasarana Perikanan Tangkap"],
                [F("Penyuluh Perikanan", "PT MU", "perikanan")],
            ),
            B("Bidang Kelautan dan Pesisir", ["Seksi Pendayagunaan Pesisir dan Pulau-Pulau Kecil"]),
        ],
        kind="provinsi",
    ),
    OPD(
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        "umum",
        [
            B("Bidang Pencegahan dan Kesiapsiagaan", ["Seksi Pencegahan"], [F("Analis Bencana", "PT", "umum")]),
            B("Bidang Kedaruratan dan Logistik", ["Seksi Kedaruratan"]),
            B("Bidang Rehabilitasi dan Rekonstruksi", ["Seksi Rehabilitasi"]),
        ],
        kind="provinsi",
        kepala="Kepala Pelaksana Badan Penanggulangan Bencana Daerah",
    ),
]
SEKRETARIAT = ["Subbagian Umum dan Kepegawaian", "Subbagian Keuangan", "Subbagian Perencanaan dan Pelaporan"]
KECAMATAN_SEKSI = ["Seksi Pemerintahan", "Seksi Ketenteraman dan Ketertiban Umum"]
KECAMATAN_SEKSI += ["Seksi Pemberdayaan Masyarakat dan Kelurahan", "Seksi Pelayanan Umum"]

# Staff of a unit kerja that grows with the benchmark size: (nama or base, jenjang, profil, slots, pppk share).
GURU = {
    "SD": ("guru_sd", 4.0, 4.0, 2.0, 0.8, 0.0),
    "SMP": ("guru", 6.0, 8.0, 4.0, 1.5, 0.5),
    "SMA": ("guru", 8.0, 10.0, 7.0, 2.0, 1.0),
    "SMK": ("guru_smk", 9.0, 10.0, 6.0, 2.0, 1.0),
    "SLB": ("guru_slb", 3.0, 3.0, 1.0, 0.5, 0.0),
}
PUSKESMAS_STAF = [
    ("Dokter", "PT", "dokter", 1.0, 0.2),
    ("Dokter", "MU", "dokter", 1.0, 0.0),
    ("Dokter Gigi", "PT", "dokter_gigi", 0.6, 0.1),
    ("Perawat", "TR", "perawat", 4.0, 0.3),
    ("Perawat", "PT", "perawat", 2.0, 0.2),
    ("Bidan", "TR", "bidan", 4.0, 0.3),
    ("Bidan", "PT", "bidan", 1.0, 0.1),
    ("Apoteker", "PT", "apoteker", 0.6, 0.1),
    ("Asisten Apoteker", "TR", "apoteker", 0.8, 0.3),
    ("Sanitarian", "TR", "sanitarian", 0.8, 0.2),
    ("Nutrisionis", "TR", "gizi", 0.8, 0.2),
    ("Pranata Laboratorium Kesehatan", "TR", "lab", 0.8, 0.2),
    ("Penyuluh Kesehatan Masyarakat", "PT", "kesmas", 0.6, 0.1),
    ("Pengadministrasi Perkantoran", "", "umum", 1.5, 0.2),
]
RS_BIDANG = [
    (
        "Bidang Pelayanan Medik dan Keperawatan",
        [
            ("Dokter", "PT", "dokter", 2.0, 0.2),
            ("Dokter", "MU", "dokter", 3.0, 0.0),
            ("Dokter", "MA", "dokter", 3.0, 0.0),
            ("Perawat", "TR", "perawat", 15.0, 0.3),
            ("Perawat", "MH", "perawat", 4.0, 0.0),
            ("Perawat", "PT", "perawat", 10.0, 0.2),
            ("Perawat", "MU", "perawat", 3.0, 0.0),
            ("Bidan", "TR", "bidan", 5.0, 0.3),
            ("Bidan", "PT", "bidan", 1.0, 0.1),
        ],
    ),
    (
        "Bidang Penunjang Medik",
        [
            ("Apoteker", "PT", "apoteker", 2.0, 0.1),
            ("Asisten Apoteker", "TR", "apoteker", 3.0, 0.3),
            ("Pranata Laboratorium Kesehatan", "TR", "lab", 4.0, 0.2),
            ("Radiografer", "TR", "radiografer", 3.0, 0.2),
            ("Nutrisionis", "TR", "gizi", 2.0, 0.2),
            ("Perekam Medis", "TR", "umum", 3.0, 0.3),
            ("Fisioterapis", "TR", "perawat", 1.0, 0.2),
        ],
    ),
    (
        "Bagian Tata Usaha",
        [
            ("Penata Layanan Operasional", "", "umum", 3.0, 0.1),
            ("Pengadministrasi Perkantoran", "", "umum", 4.0, 0.2),
            ("Pranata Komputer", "TR", "it", 1.0, 0.1),
            ("Analis Keuangan Pusat dan Daerah", "PT", "keuangan", 1.0, 0.0),
        ],
    ),
]


# ---------------------------------------------------------------------------------------------
# Planning one instansi: units and jabatan in memory, and how many pegawai each jabatan gets.


@dataclass(eq=False)
class U:
    nama: str
    jenis: str
    parent: "U | None" = None
    singkatan: str = ""
    siasn_id: str | None = None
    depth: int = 0
    obj: UnitKerja | None = None


@dataclass(eq=False)
class J:
    nama: str
    jenis: str
    unit: U
    atasan: "J | None" = None
    jenjang: str = ""
    eselon: str = "99"
    profil: str = "umum"
    level: str = "s1"  # the education its holders have: sma, d3 or s1 (and maybe s2 on top)
    slots: float = 1.0  # how many hold it in a unit of typical size
    prio: int = 4  # 0 demo, 1 head of instansi/OPD, 2 bidang and UPT heads, 3 seksi heads, 4 staff
    base: str = ""
    pppk: float = 0.0
    reserve: int = 0
    tag: str = ""
    count: int = 0
    obj: Jabatan | None = None

    @property
    def pool(self):
        if self.jenis.startswith("jpt"):
            return "jpt"
        if self.jenis in ("administrator", "pengawas", "pelaksana"):
            return self.jenis
        return f"f:{self.base}:{self.jenjang}"


class Rencana:
    """The organisation of one instansi. Its size follows ``n``: a small demo keeps the most
    important perangkat daerah and bidang; a benchmark adds schools and puskesmas until they
    hold ``n`` pegawai at realistic sizes."""

    def __init__(self, wilayah, n, rng):
        self.w, self.n, self.rng = wilayah, n, rng
        self.prov = wilayah.provinsi
        self.units, self.jabatan, self.tags = [], [], {}
        self._capacity = 0.0
        self.root = self.unit(wilayah.nama, "instansi", None, wilayah.singkatan, siasn_id=f"demo:{wilayah.key}")
        self.kepala = {}  # "disdik", "dinkes", "bidang:<nama>" -> J, for the UPT heads' atasan
        self.sekda = None
        self.n_bidang = max(1, min(1 + n // 200, 9))
        self.n_seksi = min(n // 400, 9)
        self.sekretariat = n >= 250
        self.full = n >= 400

        wanted = []
        for opd in OPD_LIST:
            if opd["kind"] == "kecamatan":
                wanted += [("kecamatan", wilayah.kecamatan[0])] if wilayah.kecamatan else []
            elif opd["kind"] != ("kota" if self.prov else "provinsi"):
                wanted.append(("opd", opd))
        wanted += [("kecamatan", k) for k in wilayah.kecamatan[1:]]
        for kind, item in wanted[: max(5, min(5 + n // 60, len(wanted)))]:
            if kind == "opd":
                self.build_opd(item)
            else:
                self.build_kecamatan(item)
        self.build_upt()

    # -- building blocks ----------------------------------------------------------------------

    def unit(self, nama, jenis, parent, singkatan="", siasn_id=None):
        u = U(nama, jenis, parent, singkatan, siasn_id, 0 if parent is None else parent.depth + 1)
        self.units.append(u)
        return u

    def tag(self, j, tag):
        j.tag = tag
        self.tags[tag] = j

    def jab(self, nama, jenis, unit, atasan=None, **kw):
        j = J(nama, jenis, unit, atasan, **kw)
        self.jabatan.append(j)
        self._capacity += 1 if j.prio < 4 else j.slots
        return j

    def fungsional(self, base, jenjang, profil, unit, atasan, slots, pppk=0.1, prio=4):
        level = "s1" if jenjang in KEAHLIAN else ("sma" if jenjang == "PM" else "d3")
        return self.jab(
            f"{base} {JENJANG_LABEL[jenjang]}",
            "fungsional",
            unit,
            atasan,
            jenjang=jenjang,
            profil=profil,
            level=level,
            slots=slots,
            base=base,
            pppk=pppk,
            prio=prio,
        )

    def pelaksana(self, nama, unit, atasan, slots, profil="umum", pppk=0.1):
        level = PELAKSANA.get(nama, "sma")
        return self.jab(nama, "pelaksana", unit, atasan, profil=profil, level=level, slots=slots, pppk=pppk)

    def staff(self, entries, unit, atasan, scale=1.0):
        """Staff rows (base or pelaksana name, jenjang, profil, slots, pppk)."""
        for base, jenjang, profil, slots, pppk in entries:
            if jenjang:
                self.fungsional(base, jenjang, profil, unit, atasan, slots * scale, pppk)
            else:
                self.pelaksana(base, unit, atasan, slots * scale, profil, pppk)

    # -- perangkat daerah ---------------------------------------------------------------------

    def build_opd(self, opd):
        prov = self.prov
        nama = opd["provinsi_nama"] if prov and opd["provinsi_nama"] else opd["nama"]
        unit = self.unit(nama, "perangkat_daerah", self.root, opd["singkatan"])
        profil = opd["profil"]
        if opd["kind"] == "setda":
            head = self.sekda = self.jab(
                "Sekretaris Daerah",
                "jpt_madya" if prov else "jpt_pratama",
                unit,
                eselon="12" if prov else "21",
                profil="pemerintahan",
                prio=1,
            )
        else:
            head = self.jab(
                opd["kepala"] or f"Kepala {nama}",
                "jpt_pratama",
                unit,
                self.sekda,
                eselon="21" if prov else "22",
                profil=profil,
                prio=1,
            )
        self.kepala[opd["kind"]] = head
        self.pelaksana("Penata Layanan Operasional", unit, head, 0.5, profil)
        if opd["sekretariat"] and self.sekretariat:
            sekretariat = self.unit("Sekretariat", "bidang", unit)
            sekretaris = self.jab(
                f"Sekretaris {nama}", "administrator", sekretariat, head, eselon="31", profil="umum", prio=2
            )
            self.pelaksana("Penata Layanan Operasional", sekretariat, sekretaris, 0.8)
            for sub in SEKRETARIAT[: 1 + self.n_seksi]:
                sub_unit = self.unit(sub, "seksi", sekretariat)
                kasubbag = self.jab(
                    f"Kepala {sub}", "pengawas", sub_unit, sekretaris, eselon="41", profil="umum", prio=3
                )
                self.pelaksana("Pengelola Layanan Operasional", sub_unit, kasubbag, 0.8)
                self.pelaksana("Pengadministrasi Perkantoran", sub_unit, kasubbag, 0.8)
        bidang_list = opd["provinsi_bidang"] if prov and opd["provinsi_bidang"] else opd["bidang"]
        setda = opd["kind"] == "setda"
        n_bidang = self.n_bidang + (1 if setda else 0)
        for b in bidang_list[:n_bidang]:
            b_nama = b["nama"].replace("Bagian ", "Biro ", 1) if setda and prov else b["nama"]
            b_unit = self.unit(b_nama, "bidang", unit)
            if setda:
                jenis, eselon = ("jpt_pratama", "22") if prov else ("administrator", "31")
            else:
                jenis, eselon = "administrator", ("31" if prov else "32")
            kabid = self.jab(
                b["kepala"] or f"Kepala {b_nama}", jenis, b_unit, head, eselon=eselon, profil=profil, prio=2
            )
            self.kepala[f"bidang:{b['nama']}"] = kabid
            scale = 1.0 if self.n_seksi else 1.5
            penata = self.pelaksana("Penata Layanan Operasional", b_unit, kabid, 1.2 * scale, profil)
            self.pelaksana("Pengadministrasi Perkantoran", b_unit, kabid, 1.0 * scale)
            for base, jenjang, f_profil, slots, pppk in b["fungsional"]:
                f = self.fungsional(base, jenjang, f_profil, b_unit, kabid, slots * scale, pppk)
                if (
                    opd["singkatan"] == "BKPSDM"
                    and f.nama == "Analis SDM Aparatur Ahli Muda"
                    and "bkpsdm" not in self.tags
                ):
                    self.tag(f, "bkpsdm")
            if b["nama"] == "Bidang Pembinaan Sekolah Dasar":
                self.tag(kabid, "kabid_sd")
                self.tag(penata, "bawahan")
            for seksi in b["seksi"][: self.n_seksi]:
                s_nama = seksi.replace("Subbagian ", "Bagian ", 1) if setda and prov else seksi
                s_unit = self.unit(s_nama, "seksi", b_unit)
                jenis, eselon = ("administrator", "31") if setda and prov else ("pengawas", "41")
                kasi = self.jab(f"Kepala {s_nama}", jenis, s_unit, kabid, eselon=eselon, profil=profil, prio=3)
                self.pelaksana("Pengelola Layanan Operasional", s_unit, kasi, 0.8, profil)
                self.pelaksana("Operator Layanan Operasional", s_unit, kasi, 0.6)
        if opd["kind"] == "disdik":
            self.disdik = unit
        if opd["kind"] == "dinkes":
            self.dinkes = unit
            if self.full:
                self.build_rumah_sakit(unit, head)

    def build_kecamatan(self, nama):
        unit = self.unit(f"Kecamatan {nama}", "perangkat_daerah", self.root)
        camat = self.jab(f"Camat {nama}", "administrator", unit, self.sekda, eselon="31", profil="pemerintahan", prio=1)
        self.pelaksana("Penata Layanan Operasional", unit, camat, 1.0, "pemerintahan")
        if self.sekretariat:
            sek_unit = self.unit("Sekretariat Kecamatan", "bidang", unit)
            sekcam = self.jab(
                f"Sekretaris Kecamatan {nama}", "administrator", sek_unit, camat, eselon="32", profil="umum", prio=2
            )
            self.pelaksana("Pengadministrasi Perkantoran", sek_unit, sekcam, 1.0)
        for seksi in KECAMATAN_SEKSI[: 1 + self.n_seksi]:
            s_unit = self.unit(seksi, "seksi", unit)
            kasi = self.jab(f"Kepala {seksi}", "pengawas", s_unit, camat, eselon="41", profil="pemerintahan", prio=3)
            self.pelaksana("Pengelola Layanan Operasional", s_unit, kasi, 0.8)
            self.pelaksana("Operator Layanan Operasional", s_unit, kasi, 0.6)
            if "Ketertiban" in seksi:
                self.fungsional("Polisi Pamong Praja", "TR", "satpol", s_unit, kasi, 0.8)

    def build_rumah_sakit(self, dinkes, kadinkes):
        if self.prov:
            rs = [
                ("RSUD dr. M. Yunus", "jpt_pratama", "22", 4.0),
                ("Rumah Sakit Khusus Jiwa Soeprapto", "administrator", "31", 1.0),
            ]
        elif self.w.key == "tebingtinggi":
            rs = [("RSUD dr. H. Kumpulan Pane", "administrator", "31", 1.5)]
        else:
            rs = [("RSUD Kota Sabang", "administrator", "31", 1.0)]
        for nama, jenis, eselon, size in rs:
            unit = self.unit(nama, "upt", dinkes, "RSUD" if nama.startswith("RSUD") else "RSKJ")
            direktur = self.jab(f"Direktur {nama}", jenis, unit, kadinkes, eselon=eselon, profil="dokter", prio=2)
            for b_nama, staf in RS_BIDANG:
                b_unit = self.unit(b_nama, "bidang", unit)
                kabid = self.jab(
                    f"Kepala {b_nama}",
                    "administrator",
                    b_unit,
                    direktur,
                    eselon="31" if jenis.startswith("jpt") else "32",
                    profil="kesmas",
                    prio=2,
                )
                self.staff(staf, b_unit, kabid, size)

    # -- schools and puskesmas: as many as the size needs ------------------------------------

    def build_upt(self):
        kinds = ["SMA", "SMA", "SMK", "SLB"] if self.prov else ["SD", "SD", "SMP", "PKM", "PKM"]
        cycle = ["SMA", "SMA", "SMK", "SMA", "SMK", "SLB"] if self.prov else ["SD", "SD", "SD", "SMP", "PKM"]
        counters = {}
        for kind in kinds:
            self.add_upt(kind, counters)
        i = 0
        while self.capacity() < self.n:
            self.add_upt(cycle[i % len(cycle)], counters)
            i += 1

    def capacity(self):
        return self._capacity

    def add_upt(self, kind, counters):
        k = counters[kind] = counters.get(kind, 0) + 1
        size = self.rng.uniform(0.6, 1.5)  # schools and puskesmas differ in size
        if kind == "PKM":
            names = self.w.puskesmas
            suffix = "" if k <= len(names) else f" {_roman(1 + (k - 1) // len(names))}"
            nama = f"Puskesmas {names[(k - 1) % len(names)]}{suffix}"
            unit = self.unit(nama, "upt", self.dinkes)
            kepala = self.jab(
                f"Kepala {nama}",
                "pengawas",
                unit,
                self.kepala.get("dinkes"),
                eselon="41",
                profil=self.rng.choice(["kesmas", "dokter"]),
                prio=2,
            )
            self.staff(PUSKESMAS_STAF, unit, kepala, size)
            return
        profil, pt, mu, ma, admin, pelaksana = GURU[kind]
        if self.prov:
            kabupaten = self.w.kabupaten
            kab = kabupaten[(k - 1) % len(kabupaten)]
            nomor = 1 + (k - 1) // len(kabupaten)
            nama = f"{kind} Negeri {nomor} {kab}"
            bidang = {"SMA": "Bidang Pembinaan SMA", "SMK": "Bidang Pembinaan SMK"}.get(
                kind, "Bidang Pembinaan Pendidikan Khusus"
            )
        elif self.w.key == "tebingtinggi" and kind == "SD":
            nama = f"SD Negeri {163080 + k} {self.w.kota}"
            bidang = "Bidang Pembinaan Sekolah Dasar"
        else:
            nama = f"{kind} Negeri {k} {self.w.kota}"
            bidang = "Bidang Pembinaan Sekolah Dasar" if kind == "SD" else "Bidang Pembinaan Sekolah Menengah Pertama"
        atasan = self.kepala.get(f"bidang:{bidang}") or self.kepala.get("disdik")
        unit = self.unit(nama, "upt", self.disdik)
        kepala = self.jab(
            "Kepala Sekolah (Guru Ahli Madya)",
            "fungsional",
            unit,
            atasan,
            jenjang="MA",
            profil=profil,
            base="Guru",
            prio=2,
        )
        self.fungsional("Guru", "PT", profil, unit, kepala, pt * size, pppk=0.4)
        self.fungsional("Guru", "MU", profil, unit, kepala, mu * size, pppk=0.0)
        self.fungsional("Guru", "MA", profil, unit, kepala, ma * size, pppk=0.0)
        self.pelaksana("Pengadministrasi Perkantoran", unit, kepala, admin * size, pppk=0.2)
        if pelaksana:
            self.pelaksana("Penata Layanan Operasional", unit, kepala, pelaksana * size)

    # -- who fills what -----------------------------------------------------------------------

    def allocate(self, demo_tags):
        """Heads first (by priority), then staff in proportion to their usual numbers."""
        for j in self.jabatan:
            if j.tag in demo_tags:
                j.reserve = 1
        budget = self.n - sum(j.reserve for j in self.jabatan)
        for j in sorted((j for j in self.jabatan if j.prio < 4), key=lambda j: j.prio):
            j.count = j.reserve
            if not j.reserve and budget > 0:
                j.count, budget = 1, budget - 1
        staff = [j for j in self.jabatan if j.prio == 4]
        total = sum(j.slots for j in staff)
        if budget <= 0 or not total:
            for j in staff:
                j.count = j.reserve
            return
        shares = [(j, j.slots * budget / total) for j in staff]
        for j, share in shares:
            j.count = j.reserve + int(share)
        left = budget - sum(int(share) for _, share in shares)
        by_remainder = sorted(shares, key=lambda t: (t[1] - int(t[1]), self.rng.random()), reverse=True)
        for j, _ in by_remainder[:left]:
            j.count += 1

    def pools(self):
        pools = {}
        for j in self.jabatan:
            pools.setdefault(j.pool, []).append(j)
        return pools


def _roman(n):
    return ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n] if n <= 10 else str(n)


# ---------------------------------------------------------------------------------------------
# The demo accounts' pegawai: fixed, so their NIPs (their logins) never change.


@dataclass
class Demo:
    key: str  # wilayah key
    tag: str  # the jabatan they hold
    role: str
    username: str | None
    nama: str
    gelar_belakang: str
    jenis_kelamin: str
    lahir: dt.date
    tmt_cpns: dt.date
    tempat_lahir: str
    pendidikan: list  # (tingkat, jurusan, institusi, tahun)

    @property
    def nip(self):
        return f"{self.lahir:%Y%m%d}{self.tmt_cpns:%Y%m}{self.jenis_kelamin}001"


DEMO = [
    Demo(
        "sabang",
        "bkpsdm",
        "Staf BKPSDM",
        "bkpsdm.sabang",
        "Safrina Yusuf",
        "S.Psi., M.Si.",
        "2",
        dt.date(1988, 9, 3),
        dt.date(2014, 3, 1),
        "Sabang",
        [
            ("S1", "Psikologi", "Universitas Syiah Kuala", 2011),
            ("S2", "Administrasi Publik", "Universitas Syiah Kuala", 2019),
        ],
    ),
    Demo(
        "tebingtinggi",
        "bkpsdm",
        "Staf BKPSDM",
        "bkpsdm.tebingtinggi",
        "Rotua Siregar",
        "S.E.",
        "2",
        dt.date(1987, 11, 5),
        dt.date(2011, 1, 1),
        "Tebing Tinggi",
        [
            ("SMA", "IPS", "SMA Negeri 1 Tebing Tinggi", 2005),
            ("S1", "Manajemen Sumber Daya Manusia", "Universitas Sumatera Utara", 2009),
        ],
    ),
    Demo(
        "bengkulu",
        "bkpsdm",
        "Staf BKPSDM",
        "bkpsdm.bengkulu",
        "Hendri Saputra",
        "S.AP, M.Si.",
        "1",
        dt.date(1985, 6, 30),
        dt.date(2010, 3, 1),
        "Curup",
        [
            ("S1", "Ilmu Administrasi Negara", "Universitas Bengkulu", 2008),
            ("S2", "Administrasi Publik", "Universitas Bengkulu", 2016),
        ],
    ),
    Demo(
        "sabang",
        "kabid_sd",
        "Atasan",
        None,
        "Cut Rahmawati",
        "S.Pd., M.Pd.",
        "2",
        dt.date(1978, 4, 12),
        dt.date(2003, 3, 1),
        "Sabang",
        [
            ("SMA", "IPA", "SMA Negeri 1 Sabang", 1996),
            ("S1", "Pendidikan Matematika", "Universitas Syiah Kuala", 2001),
            ("S2", "Manajemen Pendidikan", "Universitas Syiah Kuala", 2012),
        ],
    ),
    Demo(
        "sabang",
        "bawahan",
        "Pegawai (bawahan atasan di atas)",
        None,
        "Muhammad Rizki Syahputra",
        "S.Kom.",
        "1",
        dt.date(1995, 8, 17),
        dt.date(2020, 3, 1),
        "Sabang",
        [("SMA", "IPA", "SMA Negeri 1 Sabang", 2013), ("S1", "Teknik Informatika", "Universitas Syiah Kuala", 2018)],
    ),
]


# ---------------------------------------------------------------------------------------------
# One pegawai with consistent NIP, dates, golongan, jabatan and riwayat.


def _years_before(date, years):
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def _age(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _kp_on_or_before(date):
    """The last kenaikan pangkat period (1 April or 1 Oktober) on or before ``date``."""
    if date.month >= 10:
        return dt.date(date.year, 10, 1)
    if date.month >= 4:
        return dt.date(date.year, 4, 1)
    return dt.date(date.year - 1, 10, 1)


def _tingkat_pendidikan(level, gelar):
    if level == "s1" and (gelar.startswith("S.Tr") or gelar == "S.STP"):
        return "D4"
    return {"sma": "SMA", "d3": "D3", "s1": "S1", "s2": "S2"}[level]


def _fast(model):
    """A constructor taking keyword arguments but calling the model with positional ones, in
    field order: Django's fast path, which matters for 700,000 rows."""
    names = [f.attname for f in model._meta.concrete_fields]
    defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields}

    def make(**values):
        return model(*[values.get(name, defaults[name]) for name in names])

    return make


new_pegawai = _fast(Pegawai)
new_riwayat_jabatan = _fast(RiwayatJabatan)
new_riwayat_pangkat = _fast(RiwayatPangkat)
new_riwayat_pendidikan = _fast(RiwayatPendidikan)


class Pembuat:
    """Builds pegawai (unsaved) with their riwayat for the jabatan of one instansi."""

    def __init__(self, rng, today, golongan, used_nip, used_nik):
        self.rng, self.today = rng, today
        self.golongan = golongan  # (jenis, tingkat) -> Golongan
        self.used_nip, self.used_nik = used_nip, used_nik
        self.sk = 0

    def pegawai_for(self, w, j, pools, demo=None):
        rng, today = self.rng, self.today
        manajerial = j.jenis in ("jpt_madya", "jpt_pratama", "administrator", "pengawas")
        entry_level = j.jenis == "pelaksana" or j.jenjang in ("PT", "TR", "PM")
        # Who: gender, kind of ASN, education.
        jenis_asn = "PNS"
        if demo:
            jk = demo.jenis_kelamin
            gelar_depan, gelar_belakang = "", demo.gelar_belakang
            at_entry = [p[0] for p in demo.pendidikan if p[3] <= demo.tmt_cpns.year]
            top_at_entry = max(at_entry, key=TINGKAT_ORDER.index)
        else:
            p_wanita = {"bidan": 1.0, "perawat": 0.7, "guru_sd": 0.75, "guru": 0.62, "gizi": 0.8, "satpol": 0.2}
            p_wanita |= {"teknik": 0.25, "kesmas": 0.65, "apoteker": 0.7, "lab": 0.6}
            jk = "2" if rng.random() < (0.38 if manajerial else p_wanita.get(j.profil, 0.5)) else "1"
            if entry_level and j.prio == 4:
                roll = rng.random()
                if roll < j.pppk:
                    jenis_asn = "PPPK"
                elif roll < j.pppk + 0.04:
                    jenis_asn = "CPNS"
            degrees, gelar_depan, gelar_belakang, s2_before = self.education(j, jenis_asn)
            top_at_entry = degrees[-1][0] if s2_before else degrees[0][0]

        # When: TMT CPNS (or PPPK), birth date, the pangkat chain.
        profesi = j.profil in PROFESI
        if jenis_asn == "PPPK":
            tmt0 = rng.choice([d for d in PPPK_TMT if d <= today] or [today.replace(day=1)])
            lahir = _years_before(tmt0, rng.randint(24, 45)) - dt.timedelta(days=rng.randint(0, 364))
            start = 10 if profesi else PPPK_START[top_at_entry]
            chain = [(start, tmt0)]
        else:
            start = 10 if profesi else START_TINGKAT[top_at_entry]
            if demo:
                lahir, tmt0 = demo.lahir, demo.tmt_cpns
                lo, hi = self.golongan_range(j, start)
                chain = [(start, tmt0)]
                while chain[-1][0] < hi:
                    nxt = dt.date(chain[-1][1].year + 4, 4, 1)
                    if nxt > today:
                        break
                    chain.append((chain[-1][0] + 1, nxt))
            elif jenis_asn == "CPNS":
                month = today.replace(day=1)
                for _ in range(rng.randint(1, 11)):
                    month = (month - dt.timedelta(days=1)).replace(day=1)
                tmt0 = month
                lahir = _years_before(tmt0, self.age_at_entry(top_at_entry, profesi)) - dt.timedelta(
                    days=rng.randint(0, 364)
                )
                chain = [(start, tmt0)]
            else:
                lahir, chain = self.pangkat_chain(j, start, top_at_entry, profesi)
                tmt0 = chain[0][1]
        golongan_jenis = "PPPK" if jenis_asn == "PPPK" else "PNS"

        # The NIP: birth date, TMT CPNS, gender, sequence.
        if demo:
            nip = demo.nip
        else:
            stem = f"{lahir:%Y%m%d}{tmt0:%Y%m}{jk}"
            seq = 1
            while f"{stem}{seq:03d}" in self.used_nip:
                seq += 1
            nip = f"{stem}{seq:03d}"
        self.used_nip.add(nip)

        riwayat_pangkat = []
        for i, (tingkat, tmt) in enumerate(chain):
            golongan = self.golongan[golongan_jenis, tingkat]
            masa = (tmt.year - tmt0.year) * 12 + tmt.month - tmt0.month
            ruang = golongan.kode.split("/")[0] if "/" in golongan.kode else "PPPK"
            self.sk += 1
            riwayat_pangkat.append(
                new_riwayat_pangkat(
                    golongan_id=golongan.pk,
                    jenis_kp=RiwayatPangkat.JenisKP.CPNS if i == 0 else self.jenis_kp(j, i, len(chain)),
                    tmt=tmt,
                    masa_kerja_tahun=masa // 12,
                    masa_kerja_bulan=masa % 12,
                    nomor_sk=(
                        f"813/{self.sk}/BKPSDM/{tmt.year}"
                        if i == 0
                        else f"823.{RUANG.get(ruang, 0)}/{self.sk}/BKPSDM/{tmt.year}"
                    ),
                    tanggal_sk=tmt - dt.timedelta(days=rng.randint(14, 75)),
                )
            )
        riwayat_jabatan = self.jabatan_chain(j, pools, tmt0, jenis_asn)

        # Education: the highest level (latest among equals) is the pegawai's pendidikan terakhir.
        if demo:
            rows = [
                new_riwayat_pendidikan(tingkat=t, jurusan=jur, institusi=ins, tahun_lulus=th)
                for t, jur, ins, th in demo.pendidikan
            ]
        else:
            rows = self.pendidikan_rows(w, j, degrees, lahir, tmt0, s2_before)
        top = max(rows, key=lambda r: (TINGKAT_ORDER.index(r.tingkat), r.tahun_lulus))

        nama = demo.nama if demo else make_name(rng, w.names, "f" if jk == "2" else "m")
        umur = _age(lahir, today)
        kedudukan = "01"
        if umur >= self.bup(j) - 1 and jenis_asn == "PNS" and rng.random() < 0.6:
            kedudukan = "20"
        elif jenis_asn == "PNS" and umur < 45 and not demo and rng.random() < 0.01:
            kedudukan = "03"
        current_rj = riwayat_jabatan[-1]
        current_rp = riwayat_pangkat[-1]
        pegawai = new_pegawai(
            nip=nip,
            nik=self.nik(w, lahir, jk),
            nama=nama,
            gelar_depan=gelar_depan,
            gelar_belakang=gelar_belakang,
            jenis_kelamin=jk,
            tempat_lahir=demo.tempat_lahir if demo else rng.choice(w.tempat_lahir),
            tanggal_lahir=lahir,
            jenis_asn=jenis_asn,
            kedudukan_hukum=kedudukan,
            golongan_id=current_rp.golongan_id,
            tmt_golongan=current_rp.tmt,
            mkg_mulai=mkg_mulai(current_rp),
            jabatan_id=j.obj.pk,
            tmt_jabatan=current_rj.tmt,
            unit_kerja_id=j.unit.obj.pk,
            pendidikan_tingkat=top.tingkat,
            pendidikan_jurusan=top.jurusan,
            email=self.email(nama, w) if rng.random() < 0.6 else "",
            telepon=f"08{rng.choice(OPERATOR)}{rng.randint(1000000, 99999999)}",
            alamat=f"{rng.choice(w.jalan)} No. {rng.randint(1, 150)}, {rng.choice(w.kelurahan)}, {w.kota}",
        )
        return pegawai, riwayat_jabatan, riwayat_pangkat, rows

    # -- pieces -------------------------------------------------------------------------------

    def bup(self, j):
        """Batas usia pensiun (PP 11/2017 Pasal 239)."""
        if j.jenis.startswith("jpt") or j.jenjang == "MA":
            return 60
        if j.jenjang == "UT":
            return 65
        return 58

    def golongan_range(self, j, start):
        if j.jenis == "fungsional":
            lo, hi = JENJANG_GOLONGAN[j.jenjang]
        elif j.jenis == "pelaksana":
            lo, hi = start, min(start + 3, 12)
        else:
            lo, hi = ESELON_GOLONGAN[j.eselon]
        lo = max(lo, start)
        return lo, max(lo, hi)

    def age_at_entry(self, tingkat, profesi):
        if profesi:
            return self.rng.randint(25, 32)
        return self.rng.randint(
            *{"SMA": (19, 27), "D3": (21, 30), "D4": (22, 31), "S1": (23, 32), "S2": (26, 35)}[tingkat]
        )

    def pangkat_chain(self, j, start, tingkat, profesi):
        """Birth date and [(golongan tingkat, TMT)] from CPNS to today, walking back from the last
        kenaikan pangkat (1 April or 1 Oktober) in steps of about four years (two to four for
        jabatan fungsional), within the golongan range of the jabatan and before the BUP."""
        rng, today = self.rng, self.today
        lo, hi = self.golongan_range(j, start)
        target = rng.randint(lo, hi)
        bup = self.bup(j)
        for _attempt in range(50):
            steps = target - start
            fungsional = j.jenis == "fungsional"
            gaps = [rng.choice([2, 3, 4, 4]) if fungsional else rng.choice([4, 4, 4, 5]) for _ in range(steps)]
            last = _kp_on_or_before(today - dt.timedelta(days=30 * rng.randint(0, 42)))
            dates = [last]
            for gap in reversed(gaps):
                dates.append(_years_before(dates[-1], gap))
            dates.reverse()
            if steps:
                dates[0] = dt.date(dates[0].year, rng.choice([1, 2, 3, 3, 3, 4]), 1)
            else:
                dates[0] = dt.date(last.year, rng.randint(1, last.month), 1)
            lahir = _years_before(dates[0], self.age_at_entry(tingkat, profesi)) - dt.timedelta(
                days=rng.randint(0, 364)
            )
            if _age(lahir, today) < bup:
                break
            target = max(lo, target - 1)
        return lahir, [(start + i, d) for i, d in enumerate(dates)]

    def jenis_kp(self, j, i, n):
        if i == n - 1 and j.jenis in ("jpt_pratama", "jpt_madya", "administrator") and self.rng.random() < 0.3:
            return RiwayatPangkat.JenisKP.PILIHAN
        return RiwayatPangkat.JenisKP.REGULER

    def jabatan_chain(self, j, pools, tmt0, jenis_asn):
        """1–3 riwayat jabatan: earlier posts of a lower level, then the current one."""
        rng, today = self.rng, self.today
        previous = []
        if jenis_asn == "PNS":
            if j.jenis.startswith("jpt"):
                kinds = ["administrator", "pengawas"]
            elif j.jenis == "administrator":
                kinds = ["pengawas", "pelaksana"][: rng.randint(1, 2)]
            elif j.profil == "dokter":
                kinds = ["f:Dokter:MU", "f:Dokter:PT"][: rng.randint(1, 2)]
            elif j.jenis == "pengawas":
                kinds = ["pelaksana"] if rng.random() < 0.8 else []
            elif j.jenis == "fungsional":
                ladder = KEAHLIAN if j.jenjang in KEAHLIAN else KETERAMPILAN
                lower = [f"f:{j.base}:{x}" for x in reversed(ladder[: ladder.index(j.jenjang)])]
                kinds = lower[: rng.randint(1, 2)] if lower else (["pelaksana"] if rng.random() < 0.15 else [])
            else:
                kinds = ["pelaksana"] if rng.random() < 0.35 else []
            for kind in kinds:
                candidates = pools.get(kind)
                if candidates:
                    pick = rng.choice(candidates)
                    if pick is not j:
                        previous.append(pick)
        previous.reverse()  # oldest first
        span = (today - tmt0).days
        if previous and span > 400 * (len(previous) + 1):
            start_current = tmt0 + dt.timedelta(days=int(span * rng.uniform(0.5, 0.92)))
            step = (start_current - tmt0).days / len(previous)
            tmts = [tmt0 + dt.timedelta(days=int(step * i)) for i in range(len(previous))] + [start_current]
            tmts = [tmts[0]] + [d.replace(day=1) for d in tmts[1:]]
            held = previous + [j]
        else:
            tmts, held = [tmt0], [j]
        rows = []
        for i, (jab, tmt) in enumerate(zip(held, tmts, strict=True)):
            self.sk += 1
            rows.append(
                new_riwayat_jabatan(
                    jabatan_id=jab.obj.pk,
                    nama_jabatan=jab.nama,
                    nama_unit_kerja=jab.unit.nama,
                    jenis_penugasan=RiwayatJabatan.JenisPenugasan.DEFINITIF,
                    tmt=tmt,
                    tanggal_selesai=tmts[i + 1] - dt.timedelta(days=1) if i + 1 < len(tmts) else None,
                    nomor_sk=f"821.2/{self.sk}/BKPSDM/{tmt.year}",
                    tanggal_sk=tmt - dt.timedelta(days=rng.randint(3, 30)),
                )
            )
        return rows

    def education(self, j, jenis_asn):
        """[(tingkat, jurusan, gelar)] from first degree to highest, the gelar, and whether an
        S2 came before the appointment (it then sets the starting golongan)."""
        rng = self.rng
        profil = PROFIL.get(j.profil, PROFIL["umum"])
        level = j.level
        options = profil.get(level) or PROFIL["umum"][level]
        jurusan, gelar = rng.choice(options)
        degrees = [(_tingkat_pendidikan(level, gelar), jurusan, gelar)]
        if level == "s1" and jenis_asn != "PPPK":
            if j.profil == "dokter" and j.jenjang == "MA":
                p_s2 = 1.0
            elif j.jenis.startswith("jpt"):
                p_s2 = 0.85
            else:
                p_s2 = {"administrator": 0.55, "pengawas": 0.3}.get(j.jenis) or {"MA": 0.6, "UT": 0.8, "MU": 0.25}.get(
                    j.jenjang, 0.06
                )
            s2_options = profil.get("s2") or PROFIL["umum"]["s2"]
            if j.profil == "dokter" and j.jenjang != "MA":  # a specialist works as one, not as a head
                s2_options = PROFIL["kesmas"]["s2"]
            if rng.random() < p_s2:
                degrees.append(("S2", *rng.choice(s2_options)))
        s2_before = len(degrees) > 1 and jenis_asn == "PNS" and rng.random() < 0.15
        depan, belakang = [], []
        for _tingkat, _jurusan, g in degrees:
            d, _, b = g.rpartition("|")
            if d:
                depan.append(d)
            if b:
                belakang.append(b)
        return degrees, " ".join(depan), ", ".join(belakang), s2_before

    def pendidikan_rows(self, w, j, degrees, lahir, tmt0, s2_before):
        rng = self.rng
        rows = []
        first_tingkat = degrees[0][0]
        if first_tingkat == "SMA" or rng.random() < 0.5:
            rows.append(
                new_riwayat_pendidikan(
                    tingkat="SMA",
                    jurusan=degrees[0][1] if first_tingkat == "SMA" else rng.choice(["IPA", "IPS"]),
                    institusi=rng.choice(w.sma),
                    tahun_lulus=lahir.year + 18,
                )
            )
        for tingkat, jurusan, gelar in degrees:
            if tingkat == "SMA":
                continue
            if tingkat == "S2":
                if s2_before:
                    tahun = max(tmt0.year - rng.randint(0, 2), lahir.year + 25)
                else:
                    tahun = min(tmt0.year + rng.randint(3, 12), self.today.year)
                institusi = rng.choice([w.univ[0], w.univ[0], w.univ[1], *NATIONAL_UNIV[:3]])
            else:
                tahun = lahir.year + {"D3": 21, "D4": 22, "S1": 22}[tingkat] + rng.randint(0, 2)
                if j.profil in ("dokter", "dokter_gigi"):
                    tahun += 2
                    institusi = w.fk
                elif tingkat == "D3" and j.profil in (
                    "perawat",
                    "bidan",
                    "gizi",
                    "lab",
                    "radiografer",
                    "sanitarian",
                    "apoteker",
                ):
                    institusi = w.poltekkes
                elif gelar == "S.STP":
                    institusi = IPDN
                elif j.profil.startswith("guru") and rng.random() < 0.2:
                    institusi = "Universitas Terbuka"
                else:
                    institusi = rng.choice(w.univ) if rng.random() < 0.85 else rng.choice(NATIONAL_UNIV)
                tahun = min(tahun, tmt0.year)
            rows.append(
                new_riwayat_pendidikan(tingkat=tingkat, jurusan=jurusan, institusi=institusi, tahun_lulus=tahun)
            )
        return rows

    def nik(self, w, lahir, jk):
        prov, kab, kecamatan = self.rng.choice(w.nik_wilayah)
        day = lahir.day + (40 if jk == "2" else 0)
        stem = f"{prov}{kab}{self.rng.choice(kecamatan)}{day:02d}{lahir:%m%y}"
        while True:
            nik = f"{stem}{self.rng.randint(1, 9999):04d}"
            if nik not in self.used_nik:
                self.used_nik.add(nik)
                return nik

    def email(self, nama, w):
        parts = [p for p in nama.lower().replace("'", "").split() if p not in ("teuku", "cut")]
        local = ".".join(parts[:2])
        return (
            f"{local}{self.rng.randint(1, 99)}@{self.rng.choice(['gmail.com', 'gmail.com', 'yahoo.co.id', w.domain])}"
        )


# ---------------------------------------------------------------------------------------------
# Writing


def demo_roots():
    return UnitKerja.objects.filter(parent__isnull=True, siasn_id__startswith="demo:")


def demo_units():
    q = Q(pk__in=[])
    for path in demo_roots().values_list("path", flat=True):
        q |= Q(path__startswith=path)
    return UnitKerja.objects.filter(q)


def demo_pegawai():
    return Pegawai.objects.filter(unit_kerja__in=demo_units().values("pk"))


DEMO_STAFF_USERNAMES = [d.username for d in DEMO if d.username]


def delete_demo():
    """Remove what a previous run built: the three instansi and all below them, and the demo
    accounts (the ``admin`` account stays: it may be someone's real one by now)."""
    units = demo_units()
    pegawai = demo_pegawai()
    User.objects.filter(Q(username__in=DEMO_STAFF_USERNAMES) | Q(pegawai__in=pegawai.values("pk"))).filter(
        is_superuser=False
    ).delete()
    for model in (RiwayatJabatan, RiwayatPangkat, RiwayatPendidikan):
        model.objects.filter(pegawai__in=pegawai.values("pk")).delete()
    pegawai.delete()
    jabatan = Jabatan.objects.filter(unit_kerja__in=units.values("pk"))
    jabatan.update(atasan=None)
    jabatan.delete()
    for depth in sorted(set(units.values_list("depth", flat=True)), reverse=True):
        units.filter(depth=depth).delete()


class Penulis:
    """bulk_create in batches: units level by level (a path needs the parent's), jabatan in
    order of their atasan chain, then pegawai with their riwayat in chunks."""

    def __init__(self, out):
        self.out = out
        self.counts = dict.fromkeys(("unit", "jabatan", "pegawai", "riwayat"), 0)

    def units(self, units):
        for depth in sorted({u.depth for u in units}):
            level = [u for u in units if u.depth == depth]
            objs = [
                UnitKerja(
                    nama=u.nama,
                    singkatan=u.singkatan,
                    jenis=u.jenis,
                    parent=u.parent.obj if u.parent else None,
                    siasn_id=u.siasn_id,
                    depth=depth,
                )
                for u in level
            ]
            UnitKerja.objects.bulk_create(objs, batch_size=BATCH)
            for u, obj in zip(level, objs, strict=True):
                obj.path = f"{u.parent.obj.path if u.parent else '/'}{obj.pk}/"
                u.obj = obj
            UnitKerja.objects.bulk_update(objs, ["path"], batch_size=BATCH)
        self.counts["unit"] += len(units)

    def jabatan(self, jabatan):
        def chain(j):
            n = 0
            while j.atasan is not None:
                j, n = j.atasan, n + 1
            return n

        by_level = {}
        for j in jabatan:
            by_level.setdefault(chain(j), []).append(j)
        for level in sorted(by_level):
            group = by_level[level]
            objs = [
                Jabatan(
                    nama=j.nama,
                    jenis=j.jenis,
                    jenjang=j.jenjang,
                    eselon=j.eselon,
                    unit_kerja=j.unit.obj,
                    atasan=j.atasan.obj if j.atasan else None,
                )
                for j in group
            ]
            Jabatan.objects.bulk_create(objs, batch_size=BATCH)
            for j, obj in zip(group, objs, strict=True):
                j.obj = obj
        self.counts["jabatan"] += len(jabatan)

    def pegawai(self, people):
        pegawai = [p[0] for p in people]
        Pegawai.objects.bulk_create(pegawai, batch_size=BATCH)
        rows = {RiwayatJabatan: [], RiwayatPangkat: [], RiwayatPendidikan: []}
        for obj, rj, rp, rd in people:
            for group in (rj, rp, rd):
                for row in group:
                    row.pegawai_id = obj.pk
                    rows[type(row)].append(row)
        for model, objs in rows.items():
            model.objects.bulk_create(objs, batch_size=BATCH)
            self.counts["riwayat"] += len(objs)
        self.counts["pegawai"] += len(pegawai)


def build(n, seed, out):
    """Build the demo organisation and ``n`` pegawai; returns the demo pegawai by tag."""
    rng = random.Random(seed)
    today = timezone.localdate()
    golongan = {(g.jenis_asn, g.tingkat): g for g in Golongan.objects.all()}
    if len(golongan) != 34:
        raise CommandError("Tabel golongan belum lengkap: jalankan `manage.py migrate` dahulu.")
    total_weight = sum(w.weight for w in WILAYAH)
    sizes = [int(n * w.weight / total_weight) for w in WILAYAH]
    sizes[-1] += n - sum(sizes)
    used_nip = set(Pegawai.objects.values_list("nip", flat=True)) | {d.nip for d in DEMO}
    used_nik = set(Pegawai.objects.exclude(nik=None).values_list("nik", flat=True))
    pembuat = Pembuat(rng, today, golongan, used_nip, used_nik)
    penulis = Penulis(out)
    demo_pegawai_by = {}
    started = time.monotonic()
    for w, size in zip(WILAYAH, sizes, strict=True):
        demos = {d.tag: d for d in DEMO if d.key == w.key}
        rencana = Rencana(w, size, rng)
        rencana.allocate(set(demos))
        penulis.units(rencana.units)
        penulis.jabatan(rencana.jabatan)
        pools = rencana.pools()
        chunk = []
        for j in rencana.jabatan:
            for i in range(j.count):
                demo = demos.get(j.tag) if i == 0 else None
                person = pembuat.pegawai_for(w, j, pools, demo)
                chunk.append(person)
                if demo:
                    demo_pegawai_by[w.key, demo.tag] = person[0]
                if len(chunk) >= CHUNK:
                    penulis.pegawai(chunk)
                    chunk = []
        if chunk:
            penulis.pegawai(chunk)
        out(
            f"  {w.nama}: {size} pegawai, {len(rencana.units)} unit kerja, {len(rencana.jabatan)} jabatan "
            f"({time.monotonic() - started:.1f} dtk)"
        )
    return demo_pegawai_by, penulis.counts


def demo_hooks():
    """The ``demo`` modules of the apps built on top of this one (standards, appraisals...):
    each has ``seed(roots=, out=)`` and may have ``delete(roots=)``. Looked up by name, so that
    this command does not import the apps above it."""
    modules = []
    for config in django_apps.get_app_configs():
        if config.name.startswith("apps.") and config.label != "akun":
            try:
                modules.append(import_module(f"{config.name}.demo"))
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
    return modules


def demo_accounts(demo_pegawai_by):
    """The demo accounts: created, or reset to the documented password. ``admin`` is only
    created when missing."""
    password = make_password(DEMO_PASSWORD)  # one hash for all: they share the password anyway
    roots = {r.siasn_id.removeprefix("demo:"): r for r in demo_roots()}
    rows = []
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create(username="admin", password=password, is_superuser=True, is_staff=True, first_name="Admin")
        rows.append(("admin", "Superuser", "—", "semua data; Django admin di /admin/"))
    else:
        rows.append(("admin", "Superuser", "—", "sudah ada sebelumnya: kata sandinya tidak diubah"))
    for d in DEMO:
        pegawai = demo_pegawai_by.get((d.key, d.tag)) or Pegawai.objects.filter(nip=d.nip).first()
        if pegawai is None:
            continue
        username = d.username or pegawai.nip
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "password": password,
                "pegawai": pegawai,
                "role": User.Role.BKPSDM if d.username else User.Role.PEGAWAI,
                "first_name": pegawai.nama_lengkap[:150],
                "is_active": True,
            },
        )
        if d.username:
            user.unit_scopes.set([roots[d.key]])
            keterangan = f"lingkup {roots[d.key].nama}; juga bisa masuk dengan NIP {pegawai.nip}"
        else:
            keterangan = f"{pegawai.jabatan.nama}, {pegawai.unit_kerja.nama} ({roots[d.key].nama})"
        rows.append((username, d.role, pegawai.nama_lengkap, keterangan))
    return rows


def existing_accounts():
    rows = []
    if User.objects.filter(username="admin", is_superuser=True).exists():
        rows.append(("admin", "Superuser", "—", "semua data; Django admin di /admin/"))
    for d in DEMO:
        user = User.objects.filter(Q(username=d.username) if d.username else Q(pegawai__nip=d.nip)).first()
        if user is not None and user.pegawai is not None:
            rows.append((user.username, d.role, user.pegawai.nama_lengkap, f"{user.pegawai.jabatan}"))
    return rows


# ---------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Bangun data demo: Pemerintah Kota Sabang, Pemerintah Kota Tebingtinggi dan Pemerintah Provinsi "
        "Bengkulu dengan perangkat daerah, jabatan, pegawai beserta riwayatnya, dan akun demo per peran."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pegawai", type=int, default=600, help="jumlah pegawai (default 600)")
        parser.add_argument("--seed", type=int, default=2026, help="benih acak, untuk data yang sama setiap kali")
        parser.add_argument("--reset", action="store_true", help="hapus data demo yang ada lalu bangun ulang")
        parser.add_argument(
            "--force", action="store_true", help="jalankan juga bila DEBUG mati (bukan untuk server produksi!)"
        )

    def handle(self, *args, pegawai, seed, reset, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo membuat data contoh dan akun dengan kata sandi yang diketahui umum. Jalankan hanya di "
                "lingkungan pengembangan (DEBUG=1), atau tambahkan --force bila memang disengaja."
            )
        if pegawai < 30:
            raise CommandError("--pegawai minimal 30 (tiga instansi dengan akun demonya).")
        if demo_roots().exists():
            if not reset:
                self.stdout.write(
                    f"Data demo sudah ada ({demo_pegawai().count()} pegawai); tidak ada yang diubah. "
                    "Pakai --reset untuk membangunnya ulang."
                )
                self.print_accounts(existing_accounts())
                return
            started = time.monotonic()
            try:
                with transaction.atomic():
                    for module in reversed(demo_hooks()):
                        if hasattr(module, "delete"):
                            module.delete(roots=list(demo_roots()))
                    delete_demo()
            except (ProtectedError, RestrictedError) as exc:
                blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
                used = sorted({str(obj._meta.verbose_name) for obj in blocking})
                raise CommandError(
                    "Data demo tidak dapat dihapus: sudah dipakai data lain "
                    f"({', '.join(used) or 'data terkait'}). Hapus data itu dahulu, atau pakai database baru."
                ) from None
            self.stdout.write(f"Data demo lama dihapus ({time.monotonic() - started:.1f} dtk).")
        self.stdout.write(f"Membangun data demo: {pegawai} pegawai (benih {seed})…")
        started = time.monotonic()
        with transaction.atomic():
            demo_by, counts = build(pegawai, seed, self.stdout.write)
            rows = demo_accounts(demo_by)
            for module in demo_hooks():
                module.seed(roots=list(demo_roots()), out=self.stdout.write)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the first queries on the new rows get good plans.
            with connection.cursor() as cursor:
                for model in (UnitKerja, Jabatan, Pegawai, RiwayatJabatan, RiwayatPangkat, RiwayatPendidikan):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Selesai dalam {time.monotonic() - started:.1f} dtk: {counts['pegawai']} pegawai, "
                f"{counts['unit']} unit kerja, {counts['jabatan']} jabatan, {counts['riwayat']} riwayat."
            )
        )
        self.print_accounts(rows)

    def print_accounts(self, rows):
        self.stdout.write(f"\nAkun demo (kata sandi semua akun: {DEMO_PASSWORD})")
        header = ("Nama pengguna", "Peran", "Nama", "Keterangan")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            self.stdout.write(
                "  " + "  ".join(str(v).ljust(w) for v, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
            )
        self.stdout.write(
            "Pegawai masuk dengan NIP (boleh dengan spasi seperti tampilannya); staf dengan nama pengguna."
        )
