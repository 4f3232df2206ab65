"""Importing pegawai with their riwayat jabatan and riwayat pangkat from XLSX/CSV.

One workbook, three sheets (a CSV file holds one of them; its header says which):
- "Pegawai": new pegawai, one row each, with the current jabatan (by ID) and golongan;
- "Riwayat Jabatan" and "Riwayat Pangkat": one row per riwayat entry, for a pegawai of the
  "Pegawai" sheet or an existing pegawai the user manages.

Rows are checked with the same rules as the services (NIP against birth date and gender, NIK,
golongan against jenis ASN, jabatan within the user's scope) but against lookups loaded in a
few queries, and saved with ``bulk_create`` in chunks: the services lock and re-derive per row,
which at 10,000 rows takes minutes. The current fields are derived as ``services._sync_current``
does (latest TMT wins, a later row on the same TMT wins; jabatan from definitif rows only),
``mkg_mulai`` by the service's own function, and each new record gets the audit entry its
service writes. Existing pegawai that get riwayat go through ``services._save_pegawai_current``.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from apps.core import audit
from apps.core.imports import (
    DATE_FORMAT_HELP,
    Column,
    Importer,
    Sheet,
    as_text,
    audit_entry,
    chunked,
    parse_choice,
    parse_date,
    parse_digits,
    parse_int,
    parse_text,
    validation_errors,
)
from apps.core.models import AuditLog
from apps.core.validators import nik_matches, validate_nik, validate_nip, validate_nip_matches

from . import services
from .models import (
    Golongan,
    Jabatan,
    JenisASN,
    JenisJabatan,
    KedudukanHukum,
    Pegawai,
    RiwayatJabatan,
    RiwayatPangkat,
)

# ---------------------------------------------------------------------------------------------
# Cells


def parse_nip(value):
    nip = parse_digits(18, "NIP")(value)
    validate_nip(nip)
    return nip


def parse_nik(value):
    nik = parse_digits(16, "NIK")(value)
    validate_nik(nik)
    return nik


_GOL_PNS = re.compile(r"^([IVX]+)\s*/\s*([A-E])$")
_GOL_PPPK = re.compile(r"^[IVX]+$")


def parse_golongan(value):
    """A golongan code as the reference table writes it (``III/a``, ``IX``), or a SIASN id."""
    text = as_text(value).upper().replace(" ", "")
    match = _GOL_PNS.match(text)
    if match:
        return f"{match.group(1)}/{match.group(2).lower()}"
    if _GOL_PPPK.match(text) or text.isdigit():
        return text
    raise ValidationError(f"“{as_text(value)}” bukan kode golongan. Tulis seperti III/a (PNS) atau IX (PPPK).")


def parse_key(value):
    return as_text(value)


JENIS_KELAMIN = {
    "L": "1",
    "Laki-laki": "1",
    "Pria": "1",
    "1": "1",
    "P": "2",
    "Perempuan": "2",
    "Wanita": "2",
    "2": "2",
}
JENIS_ASN = {value: value for value in JenisASN.values}
KEDUDUKAN = {
    **{code: code for code in KedudukanHukum.values},
    **{code.lstrip("0"): code for code in KedudukanHukum.values},
    **{label: code for code, label in KedudukanHukum.choices},
}
PENUGASAN = {
    **{code: code for code in RiwayatJabatan.JenisPenugasan.values},
    **{label: code for code, label in RiwayatJabatan.JenisPenugasan.choices},
}
JENIS_KP = {
    **{code: code for code in RiwayatPangkat.JenisKP.values},
    **{label: code for code, label in RiwayatPangkat.JenisKP.choices},
    "Pengangkatan CPNS": "cpns",
    "Pengangkatan PPPK": "cpns",
}


def _codes(choices):
    return "; ".join(f"{code} ({label})" for code, label in choices)


NIP_HELP = "18 digit, diketik sebagai teks. Digit 1–8 = tanggal lahir, digit 15 = jenis kelamin (1 pria, 2 wanita)."
ID_JABATAN_HELP = (
    "ID jabatan di aplikasi ini (angka pada lembar Referensi Jabatan) atau ID SIASN jabatan. Jabatan harus "
    "berada di unit kerja dalam lingkup Anda."
)
GOLONGAN_ALLOWED = "PNS/CPNS: I/a … IV/e (mis. III/a); PPPK: I … XVII (mis. IX); atau ID SIASN golongan."
MASA_KERJA_TAHUN = Column(
    "masa_kerja_tahun",
    "Masa kerja tahun",
    parse_int(0, 60),
    description="Masa kerja golongan pada SK, tahun. Kosong = 0.",
    allowed="0–60",
    example=4,
)
MASA_KERJA_BULAN = Column(
    "masa_kerja_bulan",
    "Masa kerja bulan",
    parse_int(0, 11),
    description="Masa kerja golongan pada SK, bulan. Kosong = 0.",
    allowed="0–11",
    example=3,
)


def _date(key, header, description, *, required=False, example=""):
    return Column(
        key,
        header,
        parse_date,
        required=required,
        description=description,
        allowed=DATE_FORMAT_HELP,
        example=example,
    )


EXAMPLE_NIP = "198505172010011001"

PEGAWAI = Sheet(
    "pegawai",
    "Pegawai",
    description="Pegawai baru, satu baris per pegawai, dengan jabatan dan golongan saat ini.",
    example_keys=("nip", "nama"),
    columns=(
        Column(
            "nip",
            "NIP",
            parse_nip,
            required=True,
            description=NIP_HELP,
            allowed="18 digit",
            example=EXAMPLE_NIP,
            text=True,
            width=22,
        ),
        Column(
            "nama",
            "Nama",
            parse_text(150),
            required=True,
            description="Nama tanpa gelar.",
            example="Budi Santoso",
            width=24,
        ),
        Column("gelar_depan", "Gelar depan", parse_text(50), example="Drs."),
        Column("gelar_belakang", "Gelar belakang", parse_text(80), example="S.E., M.Si."),
        Column(
            "jenis_kelamin",
            "Jenis kelamin",
            parse_choice(JENIS_KELAMIN, "L atau P (juga 1/2, Pria/Wanita)"),
            required=True,
            description="Harus sesuai digit 15 NIP.",
            allowed="L (pria) atau P (wanita); juga 1/2",
            example="L",
        ),
        Column("tempat_lahir", "Tempat lahir", parse_text(100), example="Sabang"),
        _date(
            "tanggal_lahir", "Tanggal lahir", "Harus sesuai digit 1–8 NIP.", required=True, example=dt.date(1985, 5, 17)
        ),
        Column(
            "jenis_asn",
            "Jenis ASN",
            parse_choice(JENIS_ASN, "PNS, CPNS atau PPPK"),
            required=True,
            description="PPPK memakai golongan I–XVII; PNS dan CPNS golongan I/a–IV/e.",
            allowed="PNS, CPNS, PPPK",
            example="PNS",
        ),
        Column(
            "kedudukan_hukum",
            "Kedudukan hukum",
            parse_choice(KEDUDUKAN, "kode SIASN kedudukan hukum, mis. 01 (Aktif)"),
            description="Kosong = 01 Aktif.",
            allowed=_codes(KedudukanHukum.choices),
        ),
        Column(
            "nik",
            "NIK",
            parse_nik,
            description="16 digit, diketik sebagai teks; tanggal lahir di digit 7–12 (+40 pada tanggal untuk wanita).",
            allowed="16 digit atau kosong",
            example="1172011705850001",
            text=True,
            width=20,
        ),
        Column("email", "Email", parse_text(254), example="budi.santoso@contoh.go.id", width=26),
        Column("telepon", "Telepon", parse_text(20), example="081234567890", text=True),
        Column(
            "jabatan",
            "ID jabatan",
            parse_key,
            required=True,
            description="Jabatan saat ini (definitif). " + ID_JABATAN_HELP,
            allowed="ID atau ID SIASN jabatan dalam lingkup Anda",
            aliases=("Kode jabatan", "Jabatan ID", "ID SIASN jabatan"),
        ),
        _date("tmt_jabatan", "TMT jabatan", "TMT jabatan saat ini.", required=True, example=dt.date(2018, 1, 2)),
        Column("nomor_sk_jabatan", "Nomor SK jabatan", parse_text(100), example="821.2/017/BKPSDM/2018", width=22),
        Column(
            "golongan",
            "Golongan",
            parse_golongan,
            description="Golongan saat ini. Kosongkan bila belum ada (mis. diisi di lembar Riwayat Pangkat).",
            allowed=GOLONGAN_ALLOWED,
            example="III/b",
        ),
        _date("tmt_golongan", "TMT golongan", "Wajib bila golongan diisi.", example=dt.date(2014, 4, 1)),
        MASA_KERJA_TAHUN,
        MASA_KERJA_BULAN,
        Column(
            "jenis_kp",
            "Jenis kenaikan pangkat",
            parse_choice(JENIS_KP, "cpns, pns, reguler, pilihan, penyesuaian atau lainnya"),
            description="Dasar golongan saat ini. Kosong = reguler.",
            allowed=_codes(RiwayatPangkat.JenisKP.choices),
            example="reguler",
        ),
        Column("nomor_sk_pangkat", "Nomor SK pangkat", parse_text(100), example="823.3/045/BKPSDM/2014", width=22),
        _date(
            "akhir_perjanjian_kerja",
            "Akhir perjanjian kerja",
            "Hanya untuk PPPK: tanggal berakhirnya perjanjian kerja.",
        ),
    ),
)

RIWAYAT_JABATAN = Sheet(
    "riwayat_jabatan",
    "Riwayat Jabatan",
    description="Riwayat jabatan, satu baris per riwayat: untuk pegawai di lembar Pegawai (jabatan sebelumnya) "
    "atau pegawai yang sudah ada dalam lingkup Anda.",
    example_keys=("nip", "nomor_sk"),
    columns=(
        Column(
            "nip",
            "NIP",
            parse_nip,
            required=True,
            description=NIP_HELP,
            allowed="18 digit",
            example=EXAMPLE_NIP,
            text=True,
            width=22,
        ),
        Column(
            "jabatan",
            "ID jabatan",
            parse_key,
            required=True,
            description=ID_JABATAN_HELP,
            allowed="ID atau ID SIASN jabatan dalam lingkup Anda",
            aliases=("Kode jabatan", "Jabatan ID", "ID SIASN jabatan"),
        ),
        Column(
            "jenis_penugasan",
            "Jenis penugasan",
            parse_choice(PENUGASAN, "definitif, plt, plh, pj atau tugas_tambahan"),
            description="Kosong = definitif. Jabatan saat ini pegawai adalah riwayat definitif dengan TMT terakhir.",
            allowed=_codes(RiwayatJabatan.JenisPenugasan.choices),
            example="definitif",
        ),
        _date("tmt", "TMT", "TMT jabatan ini.", required=True, example=dt.date(2011, 3, 1)),
        _date(
            "tanggal_selesai",
            "Tanggal selesai",
            "Kosong bila masih berjalan; tidak boleh sebelum TMT.",
            example=dt.date(2018, 1, 1),
        ),
        Column("nomor_sk", "Nomor SK", parse_text(100), example="821.2/009/BKD/2011", width=22),
        _date("tanggal_sk", "Tanggal SK", "", example=dt.date(2011, 2, 20)),
    ),
)

RIWAYAT_PANGKAT = Sheet(
    "riwayat_pangkat",
    "Riwayat Pangkat",
    description="Riwayat pangkat/golongan, satu baris per riwayat: untuk pegawai di lembar Pegawai (golongan "
    "sebelumnya) atau pegawai yang sudah ada dalam lingkup Anda.",
    example_keys=("nip", "nomor_sk"),
    columns=(
        Column(
            "nip",
            "NIP",
            parse_nip,
            required=True,
            description=NIP_HELP,
            allowed="18 digit",
            example=EXAMPLE_NIP,
            text=True,
            width=22,
        ),
        Column(
            "golongan",
            "Golongan",
            parse_golongan,
            required=True,
            description="Harus sesuai jenis ASN pegawai.",
            allowed=GOLONGAN_ALLOWED,
            example="III/a",
        ),
        Column(
            "jenis_kp",
            "Jenis kenaikan pangkat",
            parse_choice(JENIS_KP, "cpns, pns, reguler, pilihan, penyesuaian atau lainnya"),
            description="Kosong = reguler.",
            allowed=_codes(RiwayatPangkat.JenisKP.choices),
            example="cpns",
        ),
        _date("tmt", "TMT", "TMT golongan ini.", required=True, example=dt.date(2010, 1, 1)),
        Column(
            "masa_kerja_tahun",
            "Masa kerja tahun",
            parse_int(0, 60),
            description="Masa kerja golongan pada SK, tahun. Kosong = 0.",
            allowed="0–60",
            example=0,
        ),
        Column(
            "masa_kerja_bulan",
            "Masa kerja bulan",
            parse_int(0, 11),
            description="Masa kerja golongan pada SK, bulan. Kosong = 0.",
            allowed="0–11",
            example=0,
        ),
        Column("nomor_sk", "Nomor SK", parse_text(100), example="813.3/001/BKD/2010", width=22),
        _date("tanggal_sk", "Tanggal SK", "", example=dt.date(2009, 12, 15)),
    ),
)

# Master-data columns of the "Pegawai" sheet checked with the model's own field validation.
MODEL_CHECKED = (
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_asn",
    "kedudukan_hukum",
    "email",
    "telepon",
)
MASTER = (*MODEL_CHECKED, "nip", "nik", "akhir_perjanjian_kerja")
GOLONGAN_PARTS = ("tmt_golongan", "masa_kerja_tahun", "masa_kerja_bulan", "jenis_kp", "nomor_sk_pangkat")


def _fmt(day):
    return day.strftime("%d-%m-%Y")


def _count(n):
    return f"{n:,}".replace(",", ".")


def _golongan_jenis(jenis_asn):
    return "PPPK" if jenis_asn == JenisASN.PPPK else "PNS"


# ---------------------------------------------------------------------------------------------
# The plan


@dataclass
class NewPegawai:
    row: int
    fields: dict
    jabatan: Jabatan | None
    tmt_jabatan: dt.date | None
    nomor_sk_jabatan: str
    golongan: Golongan | None
    pangkat: dict
    riwayat_jabatan: list = field(default_factory=list)
    riwayat_pangkat: list = field(default_factory=list)

    @property
    def jenis_asn(self):
        return self.fields.get("jenis_asn")


@dataclass
class ExistingPegawai:
    pegawai: Pegawai
    riwayat_jabatan: list = field(default_factory=list)
    riwayat_pangkat: list = field(default_factory=list)

    @property
    def jenis_asn(self):
        return self.pegawai.jenis_asn


@dataclass
class Plan:
    new: list
    existing: dict


class Lookups:
    """Everything the checks look up, loaded in a few queries per 1,000 keys."""

    def __init__(self, user, tables):
        rows = [row for table in tables for row in table.rows]

        def values(key, sheet_keys=None):
            return {
                row[key]
                for row in rows
                if row[key] is not None and (sheet_keys is None or row.table.sheet.key in sheet_keys)
            }

        self.jabatan = self._jabatan(user, values("jabatan"))
        self.golongan = {}
        for gol in Golongan.objects.all():
            self.golongan[gol.kode.upper() if gol.jenis_asn == "PPPK" else gol.kode] = gol
            if gol.siasn_id:
                self.golongan.setdefault(gol.siasn_id, gol)
        new_nips = values("nip", {"pegawai"})
        self.taken_nip = set()
        for part in chunked(new_nips):
            self.taken_nip.update(Pegawai.objects.filter(nip__in=part).values_list("nip", flat=True))
        self.taken_nik = set()
        for part in chunked(values("nik", {"pegawai"})):
            self.taken_nik.update(Pegawai.objects.filter(nik__in=part).values_list("nik", flat=True))
        self.managed = {}
        for part in chunked(values("nip", {"riwayat_jabatan", "riwayat_pangkat"}) - new_nips):
            for pegawai in Pegawai.objects.manageable_by(user).filter(nip__in=part):
                self.managed[pegawai.nip] = pegawai
        ids = [p.pk for p in self.managed.values()]
        self.riwayat_jabatan, self.riwayat_pangkat = set(), set()
        for part in chunked(ids):
            self.riwayat_jabatan.update(
                RiwayatJabatan.objects.filter(pegawai_id__in=part).values_list(
                    "pegawai_id", "jabatan_id", "tmt", "jenis_penugasan"
                )
            )
            self.riwayat_pangkat.update(
                RiwayatPangkat.objects.filter(pegawai_id__in=part).values_list("pegawai_id", "golongan_id", "tmt")
            )

    @staticmethod
    def _jabatan(user, keys):
        """Jabatan in the user's scope by SIASN id, or else by our id."""
        found = {}
        for part in chunked(keys):
            for jabatan in Jabatan.objects.manageable_by(user).filter(siasn_id__in=part):
                found[jabatan.siasn_id] = jabatan
        ids = {int(k): k for k in keys if k not in found and k.isdigit() and len(k) <= 18}
        for part in chunked(ids):
            for jabatan in Jabatan.objects.manageable_by(user).filter(pk__in=part):
                found[ids[jabatan.pk]] = jabatan
        return found

    def find_jabatan(self, row):
        key = row["jabatan"]
        if key is None or not row.ok("jabatan"):
            return None
        jabatan = self.jabatan.get(key)
        if jabatan is None:
            row.error(
                "jabatan",
                f"Jabatan dengan ID “{key}” tidak ditemukan dalam lingkup Anda. "
                "Lihat lembar Referensi Jabatan pada templat.",
            )
        return jabatan

    def find_golongan(self, row, jenis_asn):
        key = row["golongan"]
        if key is None or not row.ok("golongan"):
            return None
        golongan = self.golongan.get(key)
        if golongan is None:
            row.error("golongan", f"Golongan “{key}” tidak dikenal. {GOLONGAN_ALLOWED}")
            return None
        if jenis_asn and golongan.jenis_asn != _golongan_jenis(jenis_asn):
            row.error(
                "golongan",
                f"Golongan {golongan.kode} tidak sesuai dengan jenis ASN {jenis_asn} "
                "(PPPK memakai golongan I–XVII; PNS dan CPNS I/a–IV/e).",
            )
            return None
        return golongan


# ---------------------------------------------------------------------------------------------
# The importer


class PegawaiImporter(Importer):
    kind = "pegawai"
    label = "Pegawai dengan riwayat jabatan dan pangkat"
    description = (
        "Satu berkas XLSX dengan lembar Pegawai (pegawai baru), Riwayat Jabatan dan Riwayat Pangkat; "
        "lembar yang tidak dipakai boleh dihapus. CSV: satu lembar per berkas."
    )
    sheets = (PEGAWAI, RIWAYAT_JABATAN, RIWAYAT_PANGKAT)
    notes = (
        "Lembar Pegawai: pegawai baru saja (NIP yang sudah terdaftar ditolak). Jabatan dan golongan di lembar ini "
        "menjadi jabatan dan golongan saat ini.",
        "Lembar Riwayat Jabatan dan Riwayat Pangkat: satu baris per riwayat, boleh beberapa baris per NIP, untuk "
        "pegawai di lembar Pegawai atau pegawai yang sudah ada dalam lingkup Anda. Untuk pegawai baru, riwayat "
        "definitif harus ber-TMT sebelum TMT jabatan saat ini, dan riwayat pangkat sebelum TMT golongan saat ini.",
        "Untuk pegawai yang sudah ada, riwayat dengan TMT terakhir menjadi jabatan/golongan saat ini, sama seperti "
        "menambah riwayat di halaman pegawai.",
        "ID jabatan: lihat lembar Referensi Jabatan (jabatan dalam lingkup Anda). Kode golongan: lembar Referensi "
        "Golongan.",
    )

    def example_for(self, column):
        if column.key == "jabatan":
            return self._example_jabatan
        return column.example

    def __init__(self, user):
        super().__init__(user)
        self._example_jabatan_cache = None

    @property
    def _example_jabatan(self):
        if self._example_jabatan_cache is None:
            jabatan = (
                Jabatan.objects.manageable_by(self.user).filter(jenis=JenisJabatan.PELAKSANA).order_by("pk").first()
                or Jabatan.objects.manageable_by(self.user).order_by("pk").first()
            )
            self._example_jabatan_cache = str(jabatan.pk) if jabatan else "123"
        return self._example_jabatan_cache

    def references(self):
        jabatan = (
            Jabatan.objects.manageable_by(self.user)
            .order_by("unit_kerja__path", "nama", "pk")
            .values_list("pk", "siasn_id", "nama", "jenis", "unit_kerja__nama")
        )
        jenis = dict(JenisJabatan.choices)
        golongan = Golongan.objects.order_by("jenis_asn", "tingkat").values_list(
            "jenis_asn", "kode", "pangkat", "siasn_id"
        )
        return [
            (
                "Referensi Jabatan",
                ["ID jabatan", "ID SIASN", "Nama jabatan", "Jenis jabatan", "Unit kerja"],
                ((pk, siasn or "", nama, jenis.get(j, j), unit) for pk, siasn, nama, j, unit in jabatan.iterator()),
            ),
            (
                "Referensi Golongan",
                ["Jenis ASN", "Golongan", "Pangkat", "ID SIASN"],
                (
                    (("PNS/CPNS" if j == "PNS" else j), kode, pangkat, siasn or "")
                    for j, kode, pangkat, siasn in golongan
                ),
            ),
        ]

    # -- checks ---------------------------------------------------------------------------------

    def check(self, tables):
        look = Lookups(self.user, tables)
        by_sheet = {t.sheet.key: t.rows for t in tables}
        new = self._check_pegawai(by_sheet.get("pegawai", []), look)
        existing = {}
        self._check_riwayat_jabatan(by_sheet.get("riwayat_jabatan", []), look, new, existing)
        self._check_riwayat_pangkat(by_sheet.get("riwayat_pangkat", []), look, new, existing)
        return Plan(new=list(new.values()), existing=existing)

    def _check_pegawai(self, rows, look):
        new, seen_nik = {}, {}
        for row in rows:
            nip, nik = row["nip"], row["nik"]
            if nip is not None:
                if nip in new:
                    row.error("nip", f"NIP ini sudah ada di baris {new[nip].row}.")
                    nip = None
                elif nip in look.taken_nip:
                    row.error(
                        "nip",
                        "Pegawai dengan NIP ini sudah terdaftar. Lembar Pegawai hanya untuk pegawai baru; "
                        "riwayatnya dapat ditambahkan di lembar Riwayat Jabatan atau Riwayat Pangkat.",
                    )
                if row.ok("tanggal_lahir", "jenis_kelamin") and row["tanggal_lahir"] and row["jenis_kelamin"]:
                    try:
                        validate_nip_matches(
                            row["nip"], tanggal_lahir=row["tanggal_lahir"], jenis_kelamin=row["jenis_kelamin"]
                        )
                    except ValidationError as exc:
                        validation_errors(row, exc, MASTER)
            if nik is not None:
                if nik in seen_nik:
                    row.error("nik", f"NIK ini sudah ada di baris {seen_nik[nik]}.")
                elif nik in look.taken_nik:
                    row.error("nik", "NIK ini sudah dipakai pegawai lain.")
                else:
                    seen_nik[nik] = row.number
                checkable = row.ok("tanggal_lahir", "jenis_kelamin") and row["tanggal_lahir"] and row["jenis_kelamin"]
                if checkable and not nik_matches(
                    nik, tanggal_lahir=row["tanggal_lahir"], jenis_kelamin=row["jenis_kelamin"]
                ):
                    row.error(
                        "nik", "Tanggal lahir dalam NIK (digit 7–12, +40 untuk wanita) tidak sesuai data pegawai."
                    )
            jenis_asn = row["jenis_asn"]
            if row["akhir_perjanjian_kerja"] and jenis_asn and jenis_asn != JenisASN.PPPK:
                row.error(
                    "akhir_perjanjian_kerja", "Akhir perjanjian kerja hanya untuk PPPK; PNS memakai batas usia pensiun."
                )
            fields = {key: row[key] for key in MASTER if row[key] is not None}
            fields.setdefault("kedudukan_hukum", KedudukanHukum.AKTIF)
            fields["nik"] = fields.get("nik") or None
            pegawai = Pegawai(**fields)
            exclude = [
                f.name
                for f in Pegawai._meta.fields
                if f.name not in MODEL_CHECKED or f.name not in fields or f.name in row.bad
            ]
            try:
                pegawai.clean_fields(exclude=exclude)
            except ValidationError as exc:
                validation_errors(row, exc, MASTER)
            jabatan = look.find_jabatan(row)
            golongan = look.find_golongan(row, jenis_asn if row.ok("jenis_asn") else None)
            if row["golongan"] is not None and row["tmt_golongan"] is None and row.ok("tmt_golongan"):
                row.error("tmt_golongan", "TMT golongan wajib diisi bila golongan diisi.")
            if row["golongan"] is None:
                for key in GOLONGAN_PARTS:
                    if row[key] is not None:
                        row.error(key, "Isi juga kolom Golongan, atau kosongkan kolom ini.")
            if nip is not None:
                new[nip] = NewPegawai(
                    row=row.number,
                    fields=fields,
                    jabatan=jabatan,
                    tmt_jabatan=row["tmt_jabatan"],
                    nomor_sk_jabatan=row.get("nomor_sk_jabatan", ""),
                    golongan=golongan,
                    pangkat={
                        "tmt": row["tmt_golongan"],
                        "masa_kerja_tahun": row.get("masa_kerja_tahun", 0),
                        "masa_kerja_bulan": row.get("masa_kerja_bulan", 0),
                        "jenis_kp": row.get("jenis_kp", RiwayatPangkat.JenisKP.REGULER),
                        "nomor_sk": row.get("nomor_sk_pangkat", ""),
                    },
                )
        return new

    def _target(self, row, look, new, existing):
        """The pegawai a riwayat row belongs to: one of the "Pegawai" sheet, or one managed."""
        nip = row["nip"]
        if nip is None:
            return None
        if nip in new:
            return new[nip]
        pegawai = look.managed.get(nip)
        if pegawai is None:
            row.error(
                "nip", "Pegawai dengan NIP ini tidak ada di lembar Pegawai dan tidak ditemukan dalam lingkup Anda."
            )
            return None
        if pegawai.pk not in existing:
            existing[pegawai.pk] = ExistingPegawai(pegawai=pegawai)
        return existing[pegawai.pk]

    def _check_riwayat_jabatan(self, rows, look, new, existing):
        seen = {}
        for row in rows:
            target = self._target(row, look, new, existing)
            jabatan = look.find_jabatan(row)
            tmt, selesai = row["tmt"], row["tanggal_selesai"]
            jenis = row.get("jenis_penugasan", RiwayatJabatan.JenisPenugasan.DEFINITIF)
            if tmt and selesai and selesai < tmt:
                row.error("tanggal_selesai", "Tanggal selesai tidak boleh sebelum TMT.")
            if target is None or jabatan is None or tmt is None or not row.ok("jenis_penugasan"):
                continue
            key = (row["nip"], jabatan.pk, tmt, jenis)
            definitif = jenis == RiwayatJabatan.JenisPenugasan.DEFINITIF
            if key in seen:
                row.error(None, f"Riwayat jabatan ini sama dengan baris {seen[key]}.")
                continue
            seen[key] = row.number
            if isinstance(target, ExistingPegawai):
                if (target.pegawai.pk, jabatan.pk, tmt, jenis) in look.riwayat_jabatan:
                    row.error(None, "Riwayat jabatan ini sudah tercatat untuk pegawai tersebut.")
                    continue
            elif definitif and target.tmt_jabatan and tmt >= target.tmt_jabatan:
                row.error(
                    "tmt",
                    f"Riwayat jabatan definitif harus ber-TMT sebelum TMT jabatan saat ini di lembar Pegawai "
                    f"(baris {target.row}, TMT {_fmt(target.tmt_jabatan)}).",
                )
                continue
            target.riwayat_jabatan.append(
                {
                    "jabatan": jabatan,
                    "jenis_penugasan": jenis,
                    "tmt": tmt,
                    "tanggal_selesai": selesai,
                    "nomor_sk": row.get("nomor_sk", ""),
                    "tanggal_sk": row["tanggal_sk"],
                }
            )

    def _check_riwayat_pangkat(self, rows, look, new, existing):
        seen = {}
        for row in rows:
            target = self._target(row, look, new, existing)
            jenis_asn = target.jenis_asn if target is not None else None
            golongan = look.find_golongan(row, jenis_asn)
            tmt = row["tmt"]
            if target is None or golongan is None or tmt is None:
                continue
            key = (row["nip"], golongan.pk, tmt)
            if key in seen:
                row.error(None, f"Riwayat pangkat dengan golongan dan TMT ini sudah ada di baris {seen[key]}.")
                continue
            seen[key] = row.number
            if isinstance(target, ExistingPegawai):
                if (target.pegawai.pk, golongan.pk, tmt) in look.riwayat_pangkat:
                    row.error(None, "Riwayat pangkat dengan golongan dan TMT ini sudah tercatat.")
                    continue
            elif target.golongan is not None and target.pangkat["tmt"] and tmt >= target.pangkat["tmt"]:
                row.error(
                    "tmt",
                    f"Riwayat pangkat harus ber-TMT sebelum TMT golongan saat ini di lembar Pegawai "
                    f"(baris {target.row}, TMT {_fmt(target.pangkat['tmt'])}).",
                )
                continue
            target.riwayat_pangkat.append(
                {
                    "golongan": golongan,
                    "jenis_kp": row.get("jenis_kp", RiwayatPangkat.JenisKP.REGULER),
                    "tmt": tmt,
                    "masa_kerja_tahun": row.get("masa_kerja_tahun", 0),
                    "masa_kerja_bulan": row.get("masa_kerja_bulan", 0),
                    "nomor_sk": row.get("nomor_sk", ""),
                    "tanggal_sk": row["tanggal_sk"],
                }
            )

    # -- saving ---------------------------------------------------------------------------------

    def save_count(self, plan):
        return len(plan.new) + len(plan.existing)

    def save(self, plan, progress):
        actor = self.user
        counts = {"pegawai": 0, "jabatan": 0, "pangkat": 0}
        for part in chunked(plan.new):
            people, jabatan_rows, pangkat_rows = [], [], []
            for item in part:
                pegawai = Pegawai(**item.fields)
                first = RiwayatJabatan(jabatan=item.jabatan, tmt=item.tmt_jabatan, nomor_sk=item.nomor_sk_jabatan or "")
                jabatan = [first, *(RiwayatJabatan(**data) for data in item.riwayat_jabatan)]
                pangkat = [RiwayatPangkat(**data) for data in item.riwayat_pangkat]
                if item.golongan is not None:
                    # Inserted after the earlier ones: on an equal TMT it would win, as it does here.
                    pangkat.append(RiwayatPangkat(golongan=item.golongan, **item.pangkat))
                for riwayat in jabatan:
                    riwayat.pegawai = pegawai
                    riwayat.nama_jabatan = riwayat.jabatan.nama
                    riwayat.nama_unit_kerja = riwayat.jabatan.unit_kerja.nama
                for riwayat in pangkat:
                    riwayat.pegawai = pegawai
                set_current(pegawai, jabatan, pangkat)
                people.append(pegawai)
                jabatan_rows += jabatan
                pangkat_rows += pangkat
            Pegawai.objects.bulk_create(people)
            RiwayatJabatan.objects.bulk_create(jabatan_rows)
            RiwayatPangkat.objects.bulk_create(pangkat_rows)
            entries = [
                audit_entry(
                    actor=actor,
                    action=AuditLog.Action.CREATE,
                    obj=p,
                    changes=audit.created(p, services.PEGAWAI_FIELDS + services.CURRENT_FIELDS),
                    pegawai_id=p.pk,
                )
                for p in people
            ]
            entries += self._riwayat_entries(jabatan_rows, pangkat_rows)
            AuditLog.objects.bulk_create(entries)
            counts["pegawai"] += len(people)
            counts["jabatan"] += len(jabatan_rows)
            counts["pangkat"] += len(pangkat_rows)
            progress.step(len(part))
        self._save_existing(plan.existing, counts, progress)
        summary = [f"{_count(counts['pegawai'])} pegawai baru disimpan."]
        if plan.existing:
            summary.append(f"{_count(len(plan.existing))} pegawai yang sudah ada mendapat riwayat baru.")
        summary.append(
            f"{_count(counts['jabatan'])} riwayat jabatan dan {_count(counts['pangkat'])} riwayat pangkat dicatat."
        )
        return summary

    def _riwayat_entries(self, jabatan_rows, pangkat_rows):
        entries = [
            audit_entry(
                actor=self.user,
                action=AuditLog.Action.CREATE,
                obj=r,
                changes=audit.created(r, services.RIWAYAT_JABATAN_FIELDS),
                pegawai_id=r.pegawai_id,
            )
            for r in jabatan_rows
        ]
        entries += [
            audit_entry(
                actor=self.user,
                action=AuditLog.Action.CREATE,
                obj=r,
                changes=audit.created(r, services.RIWAYAT_PANGKAT_FIELDS),
                pegawai_id=r.pegawai_id,
            )
            for r in pangkat_rows
        ]
        return entries

    def _save_existing(self, existing, counts, progress):
        """Riwayat for pegawai already in the database: locked, added, and their current fields
        derived again by the service (with its audit entry), as ``riwayat_*_add`` does."""
        for part in chunked(existing):
            locked = {
                p.pk: p
                for p in Pegawai.objects.select_for_update(of=("self",))
                .select_related("golongan", "jabatan", "unit_kerja")
                .filter(pk__in=part)
                .order_by("pk")
            }
            jabatan_rows, pangkat_rows = [], []
            for pk in part:
                item, pegawai = existing[pk], locked[pk]
                for data in item.riwayat_jabatan:
                    jabatan = data["jabatan"]
                    jabatan_rows.append(
                        RiwayatJabatan(
                            pegawai=pegawai,
                            nama_jabatan=jabatan.nama,
                            nama_unit_kerja=jabatan.unit_kerja.nama,
                            **data,
                        )
                    )
                pangkat_rows += [RiwayatPangkat(pegawai=pegawai, **data) for data in item.riwayat_pangkat]
            RiwayatJabatan.objects.bulk_create(jabatan_rows)
            RiwayatPangkat.objects.bulk_create(pangkat_rows)
            AuditLog.objects.bulk_create(self._riwayat_entries(jabatan_rows, pangkat_rows))
            counts["jabatan"] += len(jabatan_rows)
            counts["pangkat"] += len(pangkat_rows)
            for pk in part:
                pegawai = locked[pk]
                before = audit.snapshot(pegawai, services.CURRENT_FIELDS)
                services._save_pegawai_current(actor=self.user, pegawai=pegawai, before=before)
                progress.step()


def set_current(pegawai, jabatan_rows, pangkat_rows):
    """The current jabatan and golongan of a new pegawai from its riwayat, in memory, as
    ``services._sync_current`` derives them from the database: the latest TMT wins and on an
    equal TMT the row inserted later (the higher id); jabatan from definitif rows only."""

    def latest(rows):
        return max(enumerate(rows), key=lambda pair: (pair[1].tmt, pair[0]))[1] if rows else None

    definitif = [r for r in jabatan_rows if r.jenis_penugasan == RiwayatJabatan.JenisPenugasan.DEFINITIF]
    jabatan = latest(definitif)
    pegawai.jabatan, pegawai.tmt_jabatan = jabatan.jabatan, jabatan.tmt
    pegawai.unit_kerja = jabatan.jabatan.unit_kerja
    pangkat = latest(pangkat_rows)
    if pangkat is not None:
        pegawai.golongan, pegawai.tmt_golongan = pangkat.golongan, pangkat.tmt
        pegawai.mkg_mulai = services.mkg_mulai(pangkat)
