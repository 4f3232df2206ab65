"""Demo competency development, called by ``manage.py seed_demo`` through its ``demo`` module
hook. Per demo instansi: its partner institutions (LAN, the provincial BPSDM, a university,
LKPP and its LSP, its own BKPSDM); a catalogue of this and next year's trainings with the
competencies they develop; the training records of its pegawai (some under 20 JP this year,
most over, leadership training for most managers, last year's too); registrations waiting on
an atasan and on BKPSDM; outside trainings awaiting verification, each with a small PDF as
evidence; and competency assessments for the pegawai whose jabatan has a standar kompetensi,
so that gaps and the job-person match show.

Rows are built consistent here and written with bulk_create, as seed_demo does. The demo
accounts' own pending items go through the services, so their audit trail is the real one.
Above ``GENERATE_LIMIT`` pegawai in an instansi only the partners, the catalogue and the demo
accounts' items are made: records at benchmark size are bench/bench_pelatihan.py's job.
"""

import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apps.pegawai.models import JenisJabatan, Pegawai, UnitKerja
from apps.standar_kinerja.models import Kompetensi, StandarKompetensi

from . import services
from .models import AsesmenKompetensi, Pelatihan, Penyelenggara, RiwayatPelatihan, Status, jalur_for

GENERATE_LIMIT = 5000
BATCH = 2000

# Per demo instansi (the key of its ``demo:`` siasn_id).
WILAYAH = {
    "sabang": {
        "provinsi": "Aceh",
        "univ": "Universitas Syiah Kuala",
        "sendiri": "BKPSDM Kota Sabang",
        "kota": "Sabang",
        "asesor": "Kantor Regional XIII BKN Banda Aceh",
    },
    "tebingtinggi": {
        "provinsi": "Sumatera Utara",
        "univ": "Universitas Sumatera Utara",
        "sendiri": "BKPSDM Kota Tebing Tinggi",
        "kota": "Tebing Tinggi",
        "asesor": "Kantor Regional VI BKN Medan",
    },
    "bengkulu": {
        "provinsi": "Bengkulu",
        "univ": "Universitas Bengkulu",
        "sendiri": "BKPSDM Provinsi Bengkulu",
        "kota": "Bengkulu",
        "asesor": "Kantor Regional VII BKN Palembang",
    },
}
WILAYAH_LAIN = {
    "provinsi": "Sumatera Barat",
    "univ": "Universitas Andalas",
    "sendiri": "BKPSDM",
    "kota": "Padang",
    "asesor": "UPT Penilaian Kompetensi",
}

# key: (nama, jenis, alamat, situs)
PENYELENGGARA = {
    "lan": ("Lembaga Administrasi Negara (LAN) RI", "lan", "Jl. Veteran No. 10, Jakarta Pusat", "https://lan.go.id"),
    "bpsdm": ("BPSDM Provinsi {provinsi}", "bpsdm", "{kota}", ""),
    "univ": ("{univ}", "perguruan_tinggi", "{kota}", ""),
    "lkpp": (
        "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah (LKPP)",
        "kementerian",
        "Jl. Epicentrum Tengah Lot 11B, Jakarta Selatan",
        "https://lkpp.go.id",
    ),
    "lsp": ("LSP Pengadaan Barang/Jasa Pemerintah LKPP", "profesi", "Jakarta", ""),
    "sendiri": ("{sendiri}", "instansi", "{kota}", ""),
}

# The catalogue: (nama, jenis diklat, kepemimpinan, penyelenggara, JP, start in days from today,
# days it runs, kuota, daring, kompetensi, sasaran jenis jabatan). Negative starts have ended
# (their results are recorded) or are under way; the rest are open for registration.
KATALOG = [
    ("Pelatihan Kepemimpinan Pengawas (PKP) Angkatan I", 1, "pkp", "bpsdm", 330, -220, 110, 40, False,
     ["M.02", "M.07", "M.08"], "pengawas"),
    ("E-Learning ASN Unggul: Wawasan Kebangsaan dan Nilai BerAKHLAK", 16, "", "lan", 20, -160, 30, 1000, True,
     ["SK.01", "M.01"], ""),
    ("Pelatihan Pelayanan Publik Prima", 3, "", "sendiri", 24, -95, 3, 60, False, ["M.05", "M.03"], ""),
    ("Seminar Integritas dan Pencegahan Korupsi", 9, "", "sendiri", 8, -62, 1, 300, False, ["M.01"], ""),
    ("Bimbingan Teknis Pengadaan Barang/Jasa Pemerintah Tingkat Dasar", 8, "", "lkpp", 32, -40, 4, 40, False,
     ["M.01", "M.04"], ""),
    ("Coaching Kinerja bagi Pejabat Pengawas", 14, "", "sendiri", 12, -10, 30, 30, False, ["M.06"], "pengawas"),
    ("Pelatihan Manajemen Data dan Statistik Sektoral", 3, "", "univ", 30, 14, 4, 30, False,
     ["T.PKOM.01", "M.04"], ""),
    ("Workshop Analisis Kebutuhan Pengembangan Kompetensi", 4, "", "sendiri", 16, 21, 2, 30, False,
     ["T.SDM.01", "M.06"], ""),
    ("Pelatihan Kerja Sama Tim dan Komunikasi Efektif", 5, "", "bpsdm", 24, 35, 3, 40, False, ["M.02", "M.03"], ""),
    ("Pelatihan Manajemen Pelayanan Kesehatan Masyarakat", 3, "", "bpsdm", 30, 45, 4, 30, False,
     ["T.KES.01", "M.05"], ""),
    ("Pelatihan Kepemimpinan Administrator (PKA) Angkatan I", 1, "pka", "lan", 440, 60, 120, 30, False,
     ["M.06", "M.07", "M.08"], "administrator"),
    ("Pelatihan Pengelolaan Pembelajaran Kurikulum Merdeka", 3, "", "bpsdm", 32, 75, 4, 60, False,
     ["T.GURU.01", "M.06"], "fungsional"),
    ("Pelatihan Asuhan Keperawatan Gawat Darurat (BTCLS)", 3, "", "univ", 40, 90, 5, 30, False, ["T.PRW.01"], ""),
    ("Pelatihan Pengelolaan Destinasi Pariwisata Berkelanjutan", 3, "", "univ", 24, 105, 3, 30, False,
     ["T.PAR.01", "M.05"], ""),
    ("Pelatihan Kepemimpinan Pengawas (PKP) Angkatan II", 1, "pkp", "bpsdm", 330, 120, 110, 40, False,
     ["M.02", "M.07", "M.08"], "pengawas"),
    ("Pelatihan dan Uji Kompetensi Pengelola Pengadaan Barang/Jasa", 3, "", "lsp", 40, 150, 5, 30, False,
     ["M.01", "M.04"], ""),
]  # fmt: skip

# Trainings done elsewhere: (nama, jenis diklat, penyelenggara, JP).
LUAR = [
    ("Webinar Literasi Digital bagi ASN", 9, "Kementerian Komunikasi dan Digital", 4),
    ("Kursus Daring Analisis Data dengan Spreadsheet", 11, "Digital Talent Scholarship Komdigi", 16),
    ("Pelatihan Jarak Jauh Penyusunan SAKIP", 17, "Kementerian PANRB", 12),
    ("Sosialisasi Manajemen Talenta ASN", 7, "Badan Kepegawaian Negara", 6),
    ("Magang Pengelolaan Arsip Dinamis", 10, "Arsip Nasional Republik Indonesia", 24),
    ("Belajar Mandiri: MOOC Kebijakan Publik", 22, "ASN Unggul LAN", 10),
    ("Komunitas Belajar Penyusunan Standar Pelayanan", 23, "{sendiri}", 6),
    ("Mentoring Penulisan Telaahan Staf", 15, "{sendiri}", 8),
    ("Bimbingan Teknis Akuntansi Berbasis Akrual", 8, "BPKP Perwakilan Provinsi {provinsi}", 24),
    ("Workshop Penyusunan Analisis Jabatan dan Beban Kerja", 4, "Biro Organisasi Provinsi {provinsi}", 16),
]

SINGKAT = ("Sosialisasi Manajemen Talenta ASN", 7, "Badan Kepegawaian Negara", 4)

# Leadership training held long since, by jabatan (from the old Diklatpim).
KEPEMIMPINAN_LAMA = {
    "pkp": ("Diklat Kepemimpinan Tingkat IV", 285),
    "pka": ("Diklat Kepemimpinan Tingkat III", 360),
    "pkn_2": ("Diklat Kepemimpinan Tingkat II", 420),
}
KEPEMIMPINAN_JABATAN = {
    JenisJabatan.PENGAWAS: ["pkp"],
    JenisJabatan.ADMINISTRATOR: ["pkp", "pka"],
    JenisJabatan.JPT_PRATAMA: ["pkp", "pka", "pkn_2"],
    JenisJabatan.JPT_MADYA: ["pkp", "pka", "pkn_2"],
}


def _wilayah(root):
    return WILAYAH.get((root.siasn_id or "").removeprefix("demo:"), {**WILAYAH_LAIN, "sendiri": f"BKPSDM {root.nama}"})


def _subtree(root):
    return UnitKerja.objects.subtree_of(root).values("pk")


# ---------------------------------------------------------------------------------------------
# Evidence: a one-page PDF, built by hand (a few hundred bytes, no PDF library needed).


def sttpp_pdf(lines):
    def text(value):
        plain = value.encode("latin-1", "replace").decode("latin-1")
        return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 13 Tf 72 770 Td 20 TL " + " ".join(f"({text(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _bukti(row, pegawai_nama):
    lines = [
        "SURAT TANDA TAMAT PELATIHAN (STTPP)",
        "",
        f"Diberikan kepada: {pegawai_nama}",
        f"Telah mengikuti: {row.nama}",
        f"Penyelenggara: {row.penyelenggara}",
        f"Tanggal: {row.tanggal_mulai:%d-%m-%Y} s.d. {row.tanggal_selesai:%d-%m-%Y}",
        f"Jumlah: {row.jp} JP",
        f"Nomor: {row.nomor_sertifikat}",
        "",
        "(contoh bukti untuk data demo)",
    ]
    return ContentFile(sttpp_pdf(lines), name=f"sttpp-{row.tanggal_selesai:%Y%m%d}.pdf")


# ---------------------------------------------------------------------------------------------
# Partners and catalogue


def _partners(root, w):
    made = {}
    for key, (nama, jenis, alamat, situs) in PENYELENGGARA.items():
        made[key], _ = Penyelenggara.objects.get_or_create(
            instansi=root,
            nama=nama.format(**w),
            defaults={
                "jenis": jenis,
                "alamat": alamat.format(**w),
                "situs": situs,
                "kontak": "Bagian Penyelenggaraan Pelatihan",
            },
        )
    return made


def _catalogue(root, partners, today):
    kompetensi = {k.kode: k for k in Kompetensi.objects.all()}
    trainings = []
    for nama, jenis, kepemimpinan, partner, jp, start, days, kuota, daring, kodes, sasaran in KATALOG:
        mulai = today + dt.timedelta(days=start)
        training = Pelatihan.objects.create(
            instansi=root,
            nama=nama,
            jenis_diklat=jenis,
            jalur=jalur_for(jenis),
            kepemimpinan=kepemimpinan,
            penyelenggara=partners[partner],
            jp=jp,
            tanggal_mulai=mulai,
            tanggal_selesai=mulai + dt.timedelta(days=days - 1),
            daring=daring,
            lokasi="ASN Unggul (daring)" if daring else partners[partner].alamat,
            kuota=kuota,
            pendaftaran_dibuka=start > 0,
            batas_pendaftaran=mulai - dt.timedelta(days=7) if start > 7 else None,
            sasaran_jenis_jabatan=sasaran,
            deskripsi=f"{nama} bagi ASN {root.nama}, diselenggarakan oleh {partners[partner].nama}.",
        )
        training.kompetensi.set([kompetensi[k] for k in kodes if k in kompetensi])
        trainings.append(training)
    return trainings


# ---------------------------------------------------------------------------------------------
# Training records


class Catatan:
    """The records of one instansi, kept within each training's kuota."""

    def __init__(self, rng, today, w):
        self.rng = rng
        self.today = today
        self.w = w
        self.rows = []
        self.seats = defaultdict(int)
        self.files = []  # (row, pegawai name): evidence to attach before saving

    def catalogue(self, training, pegawai, status, **extra):
        if status in (Status.TERDAFTAR, Status.SELESAI):
            if self.seats[training.pk] >= training.kuota:
                return None
            self.seats[training.pk] += 1
        attended = status == Status.SELESAI
        row = RiwayatPelatihan(
            pegawai_id=pegawai.pk,
            pelatihan=training,
            sumber=extra.pop("sumber", RiwayatPelatihan.Sumber.PENUGASAN),
            status=status,
            nama=training.nama,
            jenis_diklat=training.jenis_diklat,
            jalur=training.jalur,
            kepemimpinan=training.kepemimpinan,
            penyelenggara=training.penyelenggara.nama,
            tanggal_mulai=training.tanggal_mulai,
            tanggal_selesai=training.tanggal_selesai,
            jp=training.jp,
            hadir=True if attended else None,
            lulus=True if attended else None,
            jp_diakui=training.jp if attended else 0,
            nomor_sertifikat=f"{training.pk:03d}/{pegawai.pk:06d}/{training.tanggal_selesai:%Y}" if attended else "",
            **extra,
        )
        self.rows.append(row)
        return row

    def luar(self, pegawai, selesai, *, nama=None, jenis=None, penyelenggara=None, jp=None, status=None, **extra):
        if nama is None:
            nama, jenis, penyelenggara, jp = self.rng.choice(LUAR)
        status = status or Status.TERVERIFIKASI
        verified = status == Status.TERVERIFIKASI
        row = RiwayatPelatihan(
            pegawai_id=pegawai.pk,
            sumber=RiwayatPelatihan.Sumber.PENCATATAN if verified else RiwayatPelatihan.Sumber.MANDIRI,
            status=status,
            nama=nama,
            jenis_diklat=jenis,
            jalur=jalur_for(jenis),
            penyelenggara=penyelenggara.format(**self.w),
            tanggal_mulai=selesai - dt.timedelta(days=self.rng.randint(0, 2) if jp < 30 else 20),
            tanggal_selesai=selesai,
            jp=jp,
            hadir=True if verified else None,
            lulus=True if verified else None,
            jp_diakui=jp if verified else 0,
            nomor_sertifikat=f"{self.rng.randint(100, 999)}/STTPP/{selesai:%m}/{selesai:%Y}",
            **extra,
        )
        if status != Status.TERVERIFIKASI:
            self.files.append((row, pegawai.nama))
        self.rows.append(row)
        return row

    def day_this_year(self, before):
        """A day of this year up to ``before`` days ago (or of last year early in January)."""
        start = dt.date(self.today.year, 1, 2)
        end = self.today - dt.timedelta(days=before)
        if end < start:
            start = dt.date(self.today.year - 1, 1, 2)
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def day_last_year(self):
        return dt.date(self.today.year - 1, 1, 2) + dt.timedelta(days=self.rng.randint(0, 355))

    def save(self):
        for row, nama in self.files:
            content = _bukti(row, nama)
            row.bukti.save(content.name, content, save=False)
        RiwayatPelatihan.objects.bulk_create(self.rows, batch_size=BATCH)
        return len(self.rows)


def _records(catatan, pegawai_list, trainings, atasan_of):
    """Every active pegawai's history: this year's confirmed JP (35% under 20), last year's, the
    leadership training managers hold, places in the trainings ahead, and the odd rejection."""
    rng, today = catatan.rng, catatan.today
    ended = [t for t in trainings if t.tanggal_selesai < today and not t.kepemimpinan]
    pkp_done = next((t for t in trainings if t.kepemimpinan == "pkp" and t.tanggal_selesai < today), None)
    running = [t for t in trainings if t.tanggal_mulai <= today <= t.tanggal_selesai]
    ahead = [t for t in trainings if t.tanggal_mulai > today]
    for pegawai in pegawai_list:
        jenis = pegawai.jabatan.jenis if pegawai.jabatan_id else ""
        fits = [t for t in ended if not t.sasaran_jenis_jabatan or t.sasaran_jenis_jabatan == jenis]
        # This year: 35% stay under 20 JP; the others reach 20 to 60.
        target = rng.randint(0, 19) if rng.random() < 0.35 else rng.randint(20, 60)
        limit = 19 if target < 20 else target + 6
        total = 0
        for training in rng.sample(fits, len(fits)):
            fits_in = total + training.jp <= limit and rng.random() < 0.5
            if fits_in and catatan.catalogue(training, pegawai, Status.SELESAI) is not None:
                total += training.jp
        while total < target:
            nama, jenis_diklat, penyelenggara, jp = rng.choice(LUAR)
            if total + jp > limit:
                nama, jenis_diklat, penyelenggara, jp = SINGKAT
                if total + jp > limit:
                    break
            catatan.luar(
                pegawai,
                catatan.day_this_year(7),
                nama=nama,
                jenis=jenis_diklat,
                penyelenggara=penyelenggara,
                jp=jp,
            )
            total += jp
        for _ in range(rng.randint(1, 3)):
            catatan.luar(pegawai, catatan.day_last_year())
        # Leadership: most managers hold what their jabatan needs; some only a lower level.
        held = KEPEMIMPINAN_JABATAN.get(jenis, [])
        if held and rng.random() < 0.3:
            held = held[:-1]
        for level in held:
            if level == "pkp" and pkp_done is not None and rng.random() < 0.15:
                catatan.catalogue(pkp_done, pegawai, Status.SELESAI)
                continue
            nama, jp = KEPEMIMPINAN_LAMA[level]
            selesai = dt.date(rng.randint(2008, 2018), rng.randint(3, 11), rng.randint(1, 28))
            catatan.luar(
                pegawai,
                selesai,
                nama=nama,
                jenis=1,
                penyelenggara="BPSDM Provinsi {provinsi}",
                jp=jp,
                kepemimpinan=level,
            )
        for training in running:
            if (not training.sasaran_jenis_jabatan or training.sasaran_jenis_jabatan == jenis) and rng.random() < 0.2:
                catatan.catalogue(training, pegawai, Status.TERDAFTAR)
        roll = rng.random()
        fits_ahead = [t for t in ahead if not t.sasaran_jenis_jabatan or t.sasaran_jenis_jabatan == jenis]
        if not fits_ahead:
            continue
        training = rng.choice(fits_ahead)
        if roll < 0.10:
            catatan.catalogue(training, pegawai, Status.TERDAFTAR)
        elif roll < 0.15:
            catatan.catalogue(training, pegawai, Status.DISETUJUI_ATASAN, sumber="pendaftaran")
        elif roll < 0.18 and atasan_of(pegawai) is not None:
            atasan = atasan_of(pegawai)
            catatan.catalogue(training, pegawai, Status.DIAJUKAN, sumber="pendaftaran", atasan_id=atasan.pk)
        elif roll < 0.19:
            catatan.catalogue(
                training,
                pegawai,
                Status.DITOLAK,
                sumber="pendaftaran",
                alasan_penolakan="Kuota untuk perangkat daerah Anda pada angkatan ini sudah terpenuhi.",
            )
        elif roll < 0.22:
            catatan.luar(pegawai, catatan.day_this_year(3), status=Status.MENUNGGU_VERIFIKASI)


def _assessments(pegawai_list, rng, w, today):
    """For 70% of the pegawai whose jabatan has a standard: every required competency assessed
    around its level (10% miss one: no JPM yet), a fifth with an earlier result as history."""
    standar = defaultdict(list)
    jabatan_ids = {p.jabatan_id for p in pegawai_list if p.jabatan_id}
    for jabatan_id, kompetensi_id, level in StandarKompetensi.objects.filter(jabatan_id__in=jabatan_ids).values_list(
        "jabatan_id", "kompetensi_id", "level"
    ):
        standar[jabatan_id].append((kompetensi_id, level))
    rows = []
    metode = AsesmenKompetensi.Metode
    for pegawai in pegawai_list:
        required = standar.get(pegawai.jabatan_id)
        if not required or rng.random() >= 0.7:
            continue
        if rng.random() < 0.1:
            required = required[:-1]
        tanggal = dt.date(today.year - rng.randint(0, 2), rng.randint(2, 10), rng.randint(1, 28))
        tanggal = min(tanggal, today - dt.timedelta(days=14))
        earlier = rng.random() < 0.2
        for kompetensi_id, level in required:
            shift = rng.choice([-2, -1, -1, 0, 0, 0, 0, 1])
            common = {"pegawai_id": pegawai.pk, "kompetensi_id": kompetensi_id, "asesor": w["asesor"]}
            rows.append(
                AsesmenKompetensi(
                    level=max(1, min(5, level + shift)),
                    tanggal=tanggal,
                    metode=metode.ASSESSMENT_CENTER,
                    terbaru=True,
                    **common,
                )
            )
            if earlier:
                rows.append(
                    AsesmenKompetensi(
                        level=max(1, min(5, level + shift - 1)),
                        tanggal=tanggal - dt.timedelta(days=3 * 365),
                        metode=metode.UJI_KOMPETENSI,
                        terbaru=False,
                        **common,
                    )
                )
    AsesmenKompetensi.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# The demo accounts


def _demo_accounts(root):
    """The demo accounts of ``root`` by their tag in seed_demo's DEMO list (bkpsdm, kabid_sd,
    bawahan), active and linked to their pegawai."""
    from apps.akun.management.commands.seed_demo import DEMO

    key = (root.siasn_id or "").removeprefix("demo:")
    users = {}
    for d in DEMO:
        if d.key == key:
            user = get_user_model().objects.filter(pegawai__nip=d.nip, is_active=True).select_related("pegawai")
            if user.first() is not None:
                users[d.tag] = user.first()
    return users


def _account_rows(users, named, catatan):
    """The history of the demo accounts, chosen rather than drawn: the subordinate at 8 JP this
    year; the atasan (administrator) with PKP only, 28 JP this year, their PKA registration
    agreed and waiting on BKPSDM; the staff over 20 JP and registered for the workshop."""
    from apps.penilaian.services import default_parties

    bawahan = users.get("bawahan")
    if bawahan is not None:
        catatan.catalogue(named["Seminar Integritas dan Pencegahan Korupsi"], bawahan.pegawai, Status.SELESAI)
        catatan.luar(bawahan.pegawai, dt.date(catatan.today.year - 1, 10, 17))
    atasan = users.get("kabid_sd")
    if atasan is not None:
        pegawai = atasan.pegawai
        nama, jp = KEPEMIMPINAN_LAMA["pkp"]
        catatan.luar(
            pegawai,
            dt.date(2013, 6, 14),
            nama=nama,
            jenis=1,
            penyelenggara="BPSDM Provinsi {provinsi}",
            jp=jp,
            kepemimpinan="pkp",
        )
        catatan.catalogue(named["Pelatihan Pelayanan Publik Prima"], pegawai, Status.SELESAI)
        catatan.luar(
            pegawai,
            catatan.day_this_year(30),
            nama=SINGKAT[0],
            jenis=SINGKAT[1],
            penyelenggara=SINGKAT[2],
            jp=SINGKAT[3],
        )
        penilai, _, _ = default_parties(pegawai)
        catatan.catalogue(
            named["Pelatihan Kepemimpinan Administrator (PKA) Angkatan I"],
            pegawai,
            Status.DISETUJUI_ATASAN,
            sumber="pendaftaran",
            atasan_id=penilai.pk if penilai else None,
            catatan="Persyaratan kompetensi manajerial jabatan administrator.",
        )
    staf = users.get("bkpsdm")
    if staf is not None:
        for nama in (
            "E-Learning ASN Unggul: Wawasan Kebangsaan dan Nilai BerAKHLAK",
            "Pelatihan Pelayanan Publik Prima",
        ):
            catatan.catalogue(named[nama], staf.pegawai, Status.SELESAI)
        catatan.catalogue(named["Workshop Analisis Kebutuhan Pengembangan Kompetensi"], staf.pegawai, Status.TERDAFTAR)


def _account_steps(users, named, today):
    """What the demo subordinate does through the services: an outside training submitted with
    its evidence (waiting on BKPSDM) and a registration waiting on the demo atasan."""
    bawahan = users.get("bawahan")
    if bawahan is None:
        return 0
    pegawai = bawahan.pegawai
    selesai = today - dt.timedelta(days=20) if today.timetuple().tm_yday > 30 else today - dt.timedelta(days=1)
    data = {
        "nama": "Kursus Daring Analisis Data dengan Spreadsheet",
        "jenis_diklat": 11,
        "penyelenggara": "Digital Talent Scholarship Komdigi",
        "tanggal_mulai": selesai - dt.timedelta(days=6),
        "tanggal_selesai": selesai,
        "jp": 16,
        "nomor_sertifikat": f"DTS/{selesai:%Y}/{pegawai.pk % 10000:04d}",
    }
    evidence = _bukti(RiwayatPelatihan(**data), pegawai.nama_lengkap)
    services.mandiri_ajukan(
        actor=bawahan,
        pegawai=pegawai,
        bukti=evidence,
        catatan="Kursus daring untuk mendukung pengolahan data Dapodik.",
        **data,
    )
    services.daftar(
        actor=bawahan,
        pelatihan=named["Pelatihan Manajemen Data dan Statistik Sektoral"],
        catatan="Untuk penguatan pengelolaan data pendidikan.",
    )
    return 2


# ---------------------------------------------------------------------------------------------
# The hooks


def seed(*, roots, out):
    today = timezone.localdate()
    made = {"pelatihan": 0, "riwayat": 0, "asesmen": 0}
    for root in roots:
        w = _wilayah(root)
        rng = random.Random(f"pelatihan:{root.siasn_id}:{today.isoformat()}")  # noqa: S311 - demo data
        partners = _partners(root, w)
        trainings = _catalogue(root, partners, today)
        made["pelatihan"] += len(trainings)
        pegawai_qs = Pegawai.objects.filter(unit_kerja__in=_subtree(root), kedudukan_hukum="01")
        catatan = Catatan(rng, today, w)
        users = _demo_accounts(root)
        named = {t.nama: t for t in trainings}
        accounts = {u.pegawai_id for u in users.values()}
        _account_rows(users, named, catatan)
        if pegawai_qs.count() <= GENERATE_LIMIT:
            pegawai_list = list(pegawai_qs.select_related("jabatan").order_by("pk"))
            others = [p for p in pegawai_list if p.pk not in accounts]
            _records(catatan, others, trainings, _atasan_lookup(pegawai_list))
            made["asesmen"] += _assessments(pegawai_list, rng, w, today)
        made["riwayat"] += catatan.save()
        # After the rows above are saved: the services count the seats taken.
        made["riwayat"] += _account_steps(users, named, today)
    out(
        f"  Pelatihan: {made['pelatihan']} di katalog, {made['riwayat']} riwayat pelatihan, "
        f"{made['asesmen']} hasil asesmen kompetensi"
    )


def _atasan_lookup(pegawai_list):
    """The definitif holder of each pegawai's atasan jabatan (enough for the demo's pending
    registrations; the services walk further up when it is vacant)."""
    holders = {}
    for pegawai in pegawai_list:
        holders.setdefault(pegawai.jabatan_id, pegawai)

    def atasan_of(pegawai):
        if pegawai.jabatan_id is None or pegawai.jabatan.atasan_id is None:
            return None
        return holders.get(pegawai.jabatan.atasan_id)

    return atasan_of


def delete(*, roots):
    """The ``seed_demo --reset`` hook: records and assessments of the demo pegawai (with their
    evidence files), then the catalogue and partners of the demo instansi."""
    root_ids = [r.pk for r in roots]
    units = UnitKerja.objects.none()
    for root in roots:
        units = units | UnitKerja.objects.subtree_of(root)
    pegawai = Pegawai.objects.filter(unit_kerja__in=units.values("pk")).values("pk")
    records = RiwayatPelatihan.objects.filter(pegawai__in=pegawai) | RiwayatPelatihan.objects.filter(
        pelatihan__instansi__in=root_ids
    )
    files = list(records.exclude(bukti="").values_list("bukti", flat=True))
    records.delete()
    # Only once the rows are surely gone: a reset that fails rolls back and keeps its evidence.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    AsesmenKompetensi.objects.filter(pegawai__in=pegawai).delete()
    Pelatihan.objects.filter(instansi__in=root_ids).delete()
    Penyelenggara.objects.filter(instansi__in=root_ids).delete()
