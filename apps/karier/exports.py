"""The karier lists as files (``apps.core.exports``): the rows the list shows with its filters,
every page of them. What a page works out per page (eligibility reasons, KGB dates, the
succession candidates) is worked out here per chunk of rows, so memory and queries stay bounded.
The eligibility and BUP lists are also reports (PDF); the others are data (XLSX and CSV)."""

from itertools import islice

from django.http import Http404

from apps.core import exports
from apps.core.exports import Column
from apps.pegawai.models import Jabatan
from apps.pelatihan.models import KEPEMIMPINAN_UNTUK_JABATAN, Kepemimpinan

from . import eligibility, selectors, talent

CHUNK = 500
DATA = ("xlsx", "csv")


def _chunks(iterable, size=None):
    iterator = iter(iterable)
    size = size or CHUNK
    while batch := list(islice(iterator, size)):
        yield batch


def _pegawai_chunks(queryset):
    return _chunks(queryset.iterator(chunk_size=CHUNK))


def _mkg(value):
    return f"{value[0]} th {value[1]} bl" if value else ""


def _subtitle(form, *parts):
    data = form.cleaned_data
    if data.get("unit_kerja"):
        parts = (*parts, f"Unit kerja: {data['unit_kerja'].nama} (beserta sub-unit)")
    if data.get("q"):
        parts = (*parts, f"{form.fields['q'].label}: {data['q']}")
    return "; ".join(parts)


def _window(form):
    awal, akhir = form.jendela()
    return f"{awal:%d-%m-%Y} s.d. {akhir:%d-%m-%Y}"


def _response(rows, columns, fmt, *, formats=exports.FORMATS, **kwargs):
    if fmt not in formats:
        raise Http404
    return exports.export_response(rows, columns, fmt, **kwargs)


_PEGAWAI = [
    Column("NIP", "pegawai.nip", 20),
    Column("Nama", "pegawai.nama_lengkap", 30),
    Column("Unit kerja", "pegawai.unit_kerja.nama", 30),
    Column("Jabatan", "pegawai.jabatan.nama", 32),
]


# ---------------------------------------------------------------------------------------------
# Kenaikan pangkat


def kp_columns(periode):
    tahun_1, tahun_2 = eligibility.kp_tahun_skp(periode)
    return [
        *_PEGAWAI,
        Column("Golongan", "pegawai.golongan.kode", 10),
        Column("TMT golongan", "pegawai.tmt_golongan", 14),
        Column("Golongan berikut", "golongan_berikut.kode", 10),
        Column("Pangkat berikut", "golongan_berikut.pangkat", 22),
        Column("Masa kerja golongan", lambda r: _mkg(r.masa_kerja_golongan), 14),
        # ``BarisKP.skp`` holds the older year first.
        Column(f"SKP {tahun_2}", lambda r: r.skp[0].label, 18),
        Column(f"SKP {tahun_1}", lambda r: r.skp[1].label, 18),
        Column("Keterangan", lambda r: "Memenuhi syarat" if r.layak else "Belum memenuhi", 16),
        Column("Alasan", lambda r: "; ".join(r.alasan), 50),
        Column("Catatan", lambda r: "; ".join(r.catatan), 40),
    ]


def kp_rows(pegawai_qs, periode):
    """``selectors.kp_baris`` (with ``eligibility.kp_kelayakan``) of every pegawai, per chunk."""
    for batch in _pegawai_chunks(pegawai_qs):
        yield from selectors.kp_baris(batch, periode)


def kenaikan_pangkat(form, rows, fmt):
    data = form.cleaned_data
    periode, status = data["periode"], data["status"]
    return _response(
        kp_rows(rows, periode),
        kp_columns(periode),
        fmt,
        filename=f"kenaikan-pangkat-{periode.isoformat()}",
        title=f"Kenaikan pangkat periode {periode:%d-%m-%Y}",
        subtitle=_subtitle(form, dict(selectors.STATUS_KP)[status]),
    )


# ---------------------------------------------------------------------------------------------
# KGB and pensiun

KGB_COLUMNS = [
    *_PEGAWAI,
    Column("Jenis ASN", "pegawai.get_jenis_asn_display", 8),
    Column("Golongan", "pegawai.golongan.kode", 10),
    Column("Tanggal KGB", "tanggal", 14),
    Column("Masa kerja golongan", lambda r: _mkg(r.masa_kerja_golongan), 14),
    Column("Ditunda", "ditunda", 8),
    Column("Tanggal setelah ditunda", "tanggal_ditunda", 14),
    Column("Hukuman disiplin", lambda r: r.hukuman.get_jenis_display() if r.hukuman else "", 30),
]


def kgb_rows(pegawai_qs, awal):
    for batch in _pegawai_chunks(pegawai_qs):
        yield from selectors.kgb_baris(batch, awal)


def kgb(form, rows, fmt):
    awal, _ = form.jendela()
    return _response(
        kgb_rows(rows, awal),
        KGB_COLUMNS,
        fmt,
        formats=DATA,
        filename="kgb",
        title="Kenaikan gaji berkala",
        subtitle=_subtitle(form, _window(form)),
    )


PENSIUN_COLUMNS = [
    *_PEGAWAI,
    Column("Jenis jabatan", lambda r: r.pegawai.jabatan.get_jenis_display() if r.pegawai.jabatan_id else "", 16),
    Column("Jenis ASN", "pegawai.get_jenis_asn_display", 8),
    Column("Tanggal lahir", "pegawai.tanggal_lahir", 14),
    Column("BUP (tahun)", lambda r: "PPPK" if r.pppk else r.usia, 10),
    Column("Tanggal pensiun / akhir perjanjian kerja", "tanggal", 16),
]


def pensiun_rows(pegawai_qs):
    for batch in _pegawai_chunks(pegawai_qs):
        yield from selectors.pensiun_baris(batch)


def pensiun(form, rows, fmt):
    return _response(
        pensiun_rows(rows),
        PENSIUN_COLUMNS,
        fmt,
        filename="pensiun",
        title="Pegawai yang mencapai batas usia pensiun",
        subtitle=_subtitle(form, _window(form)),
    )


# ---------------------------------------------------------------------------------------------
# Talent matrix and succession

TALENTA_COLUMNS = [
    Column("NIP", "nip", 20),
    Column("Nama", "nama_lengkap", 30),
    Column("Unit kerja", "unit_kerja.nama", 30),
    Column("Jabatan", "jabatan.nama", 32),
    Column("Golongan", "golongan.kode", 10),
    Column("Predikat kinerja terakhir", "predikat_label", 18),
    Column("JPM (%)", "jpm", 8),
]


def talenta_rows(pegawai_qs, matriks):
    for pegawai in pegawai_qs.iterator(chunk_size=CHUNK):
        pegawai.jpm = matriks.jpm.get(pegawai.pk)
        pegawai.predikat_label = selectors.predikat_label(matriks.predikat.get(pegawai.pk))
        yield pegawai


def talenta_kotak(form, rows, matriks, kotak, fmt):
    return _response(
        talenta_rows(rows, matriks),
        TALENTA_COLUMNS,
        fmt,
        formats=DATA,
        filename=f"talenta-kotak-{kotak}",
        title=f"Matriks talenta kotak {kotak}",
        subtitle=_subtitle(form),
    )


SUKSESI_COLUMNS = [
    Column("Jabatan", "jabatan", 36),
    Column("Jenis jabatan", "jenis_jabatan", 18),
    Column("Unit kerja", "unit_kerja", 30),
    Column("Pelatihan kepemimpinan yang dibutuhkan", "kepemimpinan", 22),
    Column("NIP pemangku", "pemangku_nip", 20),
    Column("Pemangku", "pemangku", 30),
    Column("Urutan kandidat", "urutan", 8),
    Column("NIP kandidat", "nip", 20),
    Column("Kandidat", "nama", 30),
    Column("Jabatan kandidat", "jabatan_kandidat", 32),
    Column("Unit kerja kandidat", "unit_kandidat", 30),
    Column("Kotak", "kotak", 6),
    Column("JPM (%)", "jpm", 8),
    Column("Sudah pelatihan kepemimpinan", "kepemimpinan_ada", 10),
]


def suksesi_rows(jabatan_qs, pegawai_qs, matriks):
    """One row per candidate of each jabatan (one without a candidate when there is none), the
    jabatan worked out per chunk."""
    for ids in _chunks(jabatan_qs.values_list("pk", flat=True).iterator(chunk_size=CHUNK)):
        for row in talent.suksesi(pegawai_qs, Jabatan.objects.filter(pk__in=ids), matriks_result=matriks):
            needed = KEPEMIMPINAN_UNTUK_JABATAN.get(row.jabatan.jenis)
            jabatan = {
                "jabatan": row.jabatan.nama,
                "jenis_jabatan": row.jabatan.get_jenis_display(),
                "unit_kerja": row.jabatan.unit_kerja.nama,
                "kepemimpinan": Kepemimpinan(needed).label.split(" (")[0] if needed else "",
                "pemangku_nip": row.pemangku.nip if row.pemangku else "",
                "pemangku": row.pemangku.nama_lengkap if row.pemangku else "Lowong",
            }
            if not row.kandidat:
                yield jabatan
            for urutan, kandidat in enumerate(row.kandidat, start=1):
                pegawai = kandidat.pegawai
                yield {
                    **jabatan,
                    "urutan": urutan,
                    "nip": pegawai.nip,
                    "nama": pegawai.nama_lengkap,
                    "jabatan_kandidat": pegawai.jabatan.nama if pegawai.jabatan_id else "",
                    "unit_kandidat": pegawai.unit_kerja.nama,
                    "kotak": kandidat.box,
                    "jpm": kandidat.jpm,
                    "kepemimpinan_ada": kandidat.kepemimpinan_ada if needed else None,
                }


def suksesi(form, jabatan_qs, pegawai_qs, fmt):
    if fmt not in DATA:
        raise Http404  # before the talent matrix is worked out
    return _response(
        suksesi_rows(jabatan_qs, pegawai_qs, talent.matriks(pegawai_qs)),
        SUKSESI_COLUMNS,
        fmt,
        formats=DATA,
        filename="suksesi",
        title="Rencana suksesi jabatan manajerial",
        subtitle=_subtitle(form),
    )
