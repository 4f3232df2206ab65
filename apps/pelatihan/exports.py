"""The pelatihan lists as files (``apps.core.exports``): the columns of each list, and the rows of
the training-needs list, whose detail is worked out per chunk of pegawai rather than per page."""

from itertools import islice

from apps.core.exports import Column

from . import selectors
from .models import JP_WAJIB_PER_TAHUN

# Pegawai whose needs are worked out together: bounded memory, a fixed number of queries each.
KEBUTUHAN_CHUNK = 500


def _label(choices_cls, value):
    return choices_cls(value).label if value not in (None, "") else ""


def _kompetensi_text(pelatihan):
    return "; ".join(f"{k.kode} {k.nama}" for k in pelatihan.kompetensi.all())


# Training records of many pegawai (the staff list) and of one (the per-pegawai page).
RIWAYAT_COLUMNS = [
    Column("NIP", "pegawai.nip", 20),
    Column("Nama", "pegawai.nama_lengkap", 30),
    Column("Unit kerja", "pegawai.unit_kerja.nama", 30),
    Column("Pelatihan", "nama", 40),
    Column("Jenis diklat", "get_jenis_diklat_display", 22),
    Column("ID jenis diklat SIASN", "jenis_diklat", 10),
    Column("Jalur", "get_jalur_display", 12),
    Column("Pelatihan kepemimpinan", "get_kepemimpinan_display", 20),
    Column("Penyelenggara", "penyelenggara", 26),
    Column("Tanggal mulai", "tanggal_mulai", 14),
    Column("Tanggal selesai", "tanggal_selesai", 14),
    Column("JP", "jp", 6),
    Column("JP diakui", "jp_diakui", 8),
    Column("Status", "get_status_display", 24),
    Column("Sumber", "get_sumber_display", 24),
    Column("Nomor sertifikat/STTPP", "nomor_sertifikat", 22),
]
RIWAYAT_PEGAWAI_COLUMNS = [
    Column("Tahun", lambda r: r.tanggal_selesai.year, 8),
    *(c for c in RIWAYAT_COLUMNS if c.header not in ("NIP", "Nama", "Unit kerja")),
]

KATALOG_COLUMNS = [
    Column("Pelatihan", "nama", 40),
    Column("Jenis diklat", "get_jenis_diklat_display", 22),
    Column("Jalur", "get_jalur_display", 12),
    Column("Pelatihan kepemimpinan", "get_kepemimpinan_display", 20),
    Column("Penyelenggara", "penyelenggara.nama", 26),
    Column("Tanggal mulai", "tanggal_mulai", 14),
    Column("Tanggal selesai", "tanggal_selesai", 14),
    Column("JP", "jp", 6),
    Column("Daring", "daring", 8),
    Column("Lokasi", "lokasi", 24),
    Column("Kuota", "kuota", 8),
    Column("Peserta terdaftar", "terisi", 10),
    Column("Pendaftaran dibuka", "pendaftaran_dibuka", 10),
    Column("Batas pendaftaran", "batas_pendaftaran", 14),
    Column("Sasaran jenis jabatan", "get_sasaran_jenis_jabatan_display", 18),
    Column("Kompetensi yang dikembangkan", _kompetensi_text, 40),
]

# Pegawai under 20 JP (rows: pegawai annotated by ``selectors.kurang_jp``).
KURANG_JP_COLUMNS = [
    Column("NIP", "nip", 20),
    Column("Nama", "nama_lengkap", 30),
    Column("Unit kerja", "unit_kerja.nama", 30),
    Column("Jabatan", "jabatan.nama", 36),
    Column("JP diakui", "jp_tahun", 10),
    Column("Kekurangan JP", "kekurangan_jp", 10),
]


def _rekap_unit(row):
    if getattr(row, "is_total", False):
        return "Jumlah"
    if getattr(row, "is_induk", False):
        return f"{row.unit.nama} (pegawai langsung di unit ini)"
    return row.unit.nama


# The 20 JP rule per unit (rows: ``selectors.RekapUnit``).
REKAP_JP_COLUMNS = [
    Column("Unit kerja", _rekap_unit, 40),
    Column("Pegawai aktif", "jumlah_pegawai", 10),
    Column(f"Memenuhi {JP_WAJIB_PER_TAHUN} JP", "memenuhi", 10),
    Column(f"Kurang {JP_WAJIB_PER_TAHUN} JP", "kurang", 10),
    Column("% memenuhi", "persen_memenuhi", 10),
    Column("Rata-rata JP", "rata_jp", 10),
    Column("Jumlah kekurangan JP", "total_kekurangan", 12),
]


def _gap_text(item):
    return "; ".join(
        f"{row.kompetensi.kode} {row.kompetensi.nama}: {row.hasil} dari {row.dipersyaratkan}"
        for row in item.gap.negatif
    )


def _rekomendasi_text(item):
    return "; ".join(f"{t.nama} ({t.tanggal_mulai:%d-%m-%Y}, {t.jp} JP)" for t in item.rekomendasi)


# Training needs (rows: ``selectors.KebutuhanPegawai``).
KEBUTUHAN_COLUMNS = [
    Column("NIP", "pegawai.nip", 20),
    Column("Nama", "pegawai.nama_lengkap", 30),
    Column("Jabatan", "pegawai.jabatan.nama", 32),
    Column("Unit kerja", "pegawai.unit_kerja.nama", 30),
    Column("Kompetensi di bawah standar", _gap_text, 40),
    Column("JPM (%)", "gap.jpm", 8),
    Column("Kategori JPM", "gap.band", 20),
    Column("Predikat kinerja terakhir", "predikat_label", 18),
    Column("JP diakui tahun ini", "jp_tahun", 10),
    Column("Kekurangan JP", "kekurangan_jp", 10),
    Column("Pelatihan kepemimpinan yang belum diikuti", lambda i: i.kepemimpinan.label if i.kepemimpinan else "", 30),
    Column("Pelatihan yang dianjurkan", _rekomendasi_text, 50),
]


def kebutuhan_rows(pegawai_qs, *, tahun, chunk=None):
    """The need detail (``selectors.kebutuhan_detail``) of every pegawai of ``pegawai_qs``, in its
    order, worked out ``chunk`` pegawai at a time."""
    chunk = chunk or KEBUTUHAN_CHUNK
    pegawai = pegawai_qs.iterator(chunk_size=chunk)
    while batch := list(islice(pegawai, chunk)):
        yield from selectors.kebutuhan_detail(batch, tahun=tahun)
