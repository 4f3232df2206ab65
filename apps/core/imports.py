"""Importing rows from XLSX or CSV: the generic part.

A domain importer (``apps.pegawai.imports``, ``apps.pelatihan.imports``) describes its sheets and
columns and does the checks across rows and the saving; this module reads the file (XLSX with
openpyxl in read-only mode; CSV as UTF-8, with a comma or a semicolon), maps the headers, parses
every cell, collects every error as (sheet, row as the user sees it, column header, reason),
reports progress on the ``ImportJob`` and builds the downloadable templates.

Every row is checked first; nothing is saved unless all rows pass, and then everything in one
transaction. Core imports no domain app: importers are named by dotted path in ``IMPORTERS``.
"""

import csv
import datetime as dt
import io
import logging
import re
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import AuditLog, ImportJob

logger = logging.getLogger(__name__)

IMPORTERS = {
    "pegawai": "apps.pegawai.imports.PegawaiImporter",
    "pelatihan": "apps.pelatihan.imports.RiwayatPelatihanImporter",
}
MAX_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 500
# Kept on the job (the page and the CSV download); a file this broken needs fixing at the source.
MAX_ERRORS = 5000
CHUNK = 1000  # rows per bulk_create and per IN (...) lookup
DATE_FORMAT_HELP = "DD-MM-YYYY (mis. 17-05-1985), atau sel bertipe tanggal di Excel"


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", 100_000)


def get_importer(kind):
    """The importer class for ``kind``, or None."""
    path = IMPORTERS.get(kind)
    return import_string(path) if path else None


def importer_choices():
    return [(kind, get_importer(kind).label) for kind in IMPORTERS]


def chunked(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------------------------------------
# Cells


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user as the reason."""


def is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value):
    """A cell as text: numbers without a trailing ``.0``, dates as DD-MM-YYYY."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return re.sub(r"\s+", " ", str(value)).strip()


def normalize(text):
    """Header and choice matching: lower case, letters and digits separated by single spaces."""
    return " ".join(re.findall(r"[0-9a-z]+", str(text).lower()))


def parse_text(max_length=None):
    def parse(value):
        text = as_text(value)
        if max_length and len(text) > max_length:
            raise CellError(f"Paling banyak {max_length} karakter (terisi {len(text)}).")
        return text

    return parse


def parse_digits(length, what):
    """An identity number typed as text. A number cell cannot hold one: XLSX keeps numbers as
    floating point, exact to 15 digits, so an 18-digit NIP in a number cell is already wrong."""

    def parse(value):
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        text = as_text(value).replace(" ", "")
        if numeric and length > 15:
            raise CellError(
                f"{what} ditulis sebagai angka, yang hanya tepat sampai 15 digit (Excel membulatkan sisanya). "
                "Format kolom sebagai Teks lalu ketik ulang."
            )
        if not text.isdigit():
            raise CellError(f"{what} hanya boleh berisi angka.")
        if len(text) != length:
            raise CellError(f"{what} harus {length} digit (terisi {len(text)} digit).")
        return text

    return parse


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_date(value):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = as_text(value)
        match = _DMY.match(text)
        if match:
            d, m, y = (int(g) for g in match.groups())
        else:
            match = _YMD.match(text)
            if not match:
                raise CellError(f"Tanggal tidak dikenali: “{text}”. Gunakan format DD-MM-YYYY, mis. 17-05-1985.")
            y, m, d = (int(g) for g in match.groups())
        try:
            day = dt.date(y, m, d)
        except ValueError:
            raise CellError(f"Tanggal tidak ada di kalender: “{text}”.") from None
    if not 1900 <= day.year <= 2100:
        raise CellError("Tahun pada tanggal harus antara 1900 dan 2100.")
    return day


def parse_int(minimum, maximum):
    def parse(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = as_text(value)
        if isinstance(value, bool) or not re.fullmatch(r"-?\d+", text):
            raise CellError(f"Harus bilangan bulat {minimum} sampai {maximum}.")
        number = int(text)
        if not minimum <= number <= maximum:
            raise CellError(f"Harus {minimum} sampai {maximum} (terisi {number}).")
        return number

    return parse


def parse_choice(options, allowed):
    """``options`` maps accepted spellings (matched after ``normalize``) to the stored value;
    ``allowed`` says in words what may be written."""
    table = {normalize(key): value for key, value in options.items()}

    def parse(value):
        text = as_text(value)
        key = normalize(text)
        if key not in table:
            raise CellError(f"“{text}” tidak dikenal. Isi dengan {allowed}.")
        return table[key]

    return parse


# ---------------------------------------------------------------------------------------------
# Sheets and columns


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parse: object = None  # a function of the cell value; raises CellError
    required: bool = False
    description: str = ""
    allowed: str = ""
    example: object = ""
    aliases: tuple = ()
    text: bool = False  # the template formats the column as text (NIP, NIK, telepon)
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str  # the sheet name in the XLSX template
    columns: tuple
    description: str = ""
    # A row whose cells in these columns equal the template's example row is the example,
    # left in by mistake: it is refused instead of imported.
    example_keys: tuple = ()

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    @property
    def required_headers(self):
        return [c.header for c in self.columns if c.required]

    def slug(self):
        return self.key.replace("_", "-")


@dataclass(frozen=True)
class ImportIssue:
    sheet: str
    row: int | None
    column: str
    reason: str
    order: tuple = (-1, 0, -1)  # (sheet, row, column) positions, for the report's order

    def as_dict(self):
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


class ErrorList:
    """Every error found, in the order of sheets, rows and columns."""

    def __init__(self):
        self.items = []

    def add(self, sheet, row, column, reason, order=(-1, 0, -1)):
        self.items.append(ImportIssue(sheet, row, column, reason, order))

    def __bool__(self):
        return bool(self.items)

    def __len__(self):
        return len(self.items)

    def as_json(self, limit=MAX_ERRORS):
        """The errors by sheet, row and column (the order they were found in within a cell)."""
        return [e.as_dict() for e in sorted(self.items, key=lambda e: e.order)[:limit]]


class FileProblem(Exception):
    """The file as a whole cannot be imported (no sheet, no header, too many rows)."""


@dataclass
class Row:
    """One data row: ``values`` by column key (None when empty or unreadable). ``bad`` holds the
    keys whose cell had an error, so checks across columns skip them instead of piling up."""

    table: "Table"
    number: int
    values: dict
    bad: set = field(default_factory=set)

    def __getitem__(self, key):
        return self.values.get(key)

    def get(self, key, default=None):
        value = self.values.get(key)
        return default if value is None else value

    def error(self, key, reason):
        """Record an error on this row for column ``key`` (None: the row as a whole)."""
        table = self.table
        header = table.headers.get(key) or (table.sheet.column(key).header if key else "")
        order = (table.index, self.number, table.positions.get(key, -1))
        table.errors.add(table.title, self.number, header, reason, order)
        if key:
            self.bad.add(key)

    def ok(self, *keys):
        """True when every named cell was read without error."""
        return not (set(keys) & self.bad)


@dataclass
class Table:
    """The data rows of one sheet (or CSV file) with the headers as the user wrote them."""

    sheet: Sheet
    title: str
    headers: dict  # column key -> header text in the file
    raw_rows: list  # (row number, {column key: cell value})
    errors: ErrorList
    ignored: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    index: int = 0  # position of the sheet in the file
    positions: dict = field(default_factory=dict)  # column key -> position in the header


def _map_headers(sheet, title, header_cells, header_row, errors, index=0):
    """Column index -> Column for the header row; errors for doubled and missing columns."""
    lookup = {}
    for column in sheet.columns:
        for name in (column.header, *column.aliases):
            lookup[normalize(name)] = column
    mapping, headers, ignored = {}, {}, []
    order = (index, header_row, -1)
    for position, cell in enumerate(header_cells):
        if is_empty(cell):
            continue
        text = as_text(cell)
        column = lookup.get(normalize(text))
        if column is None:
            ignored.append(text)
        elif column.key in headers:
            errors.add(title, header_row, text, f"Kolom ini ganda (sama dengan “{headers[column.key]}”).", order)
        else:
            mapping[position] = column
            headers[column.key] = text
    for column in sheet.columns:
        if column.required and column.key not in headers:
            errors.add(title, header_row, column.header, "Kolom wajib ini tidak ada pada baris judul.", order)
    return mapping, headers, ignored


class EmptySheet(FileProblem):
    pass


def _table_from_rows(sheet, title, rows, errors, index=0):
    """Build a Table from ``(row number, cells)`` pairs: the first non-empty row is the header."""
    rows = iter(rows)
    for number, cells in rows:
        if any(not is_empty(c) for c in cells):
            header_row, header_cells = number, cells
            break
    else:
        raise EmptySheet(f"Lembar “{title}” kosong: baris judul kolom tidak ditemukan.")
    mapping, headers, ignored = _map_headers(sheet, title, header_cells, header_row, errors, index)
    limit = max_rows()
    raw_rows = []
    for number, cells in rows:
        values = {}
        for position, column in mapping.items():
            if position < len(cells) and not is_empty(cells[position]):
                values[column.key] = cells[position]
        if not values:
            continue
        raw_rows.append((number, values))
        if len(raw_rows) > limit:
            raise FileProblem(
                f"Lembar “{title}” berisi lebih dari {limit:,} baris data; pecah menjadi beberapa berkas."
            )
    positions = {column.key: position for position, column in mapping.items()}
    return Table(
        sheet=sheet,
        title=title,
        headers=headers,
        raw_rows=raw_rows,
        errors=errors,
        ignored=ignored,
        positions=positions,
        index=index,
    )


def _sheet_names(sheets):
    return ", ".join(f"“{s.title}”" for s in sheets)


def read_xlsx(content, importer_cls, errors):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure to open means "not a readable XLSX"
        raise FileProblem("Berkas tidak dapat dibuka sebagai XLSX.") from None
    try:
        by_name = {normalize(ws.title): ws for ws in workbook.worksheets}
        tables, empty = [], []
        for sheet in importer_cls.sheets:
            ws = by_name.get(normalize(sheet.title))
            if ws is None and len(importer_cls.sheets) == 1:
                data_sheets = [w for w in workbook.worksheets if not _is_help_sheet(w.title)]
                ws = data_sheets[0] if data_sheets else None
            if ws is None:
                continue
            rows = enumerate(ws.iter_rows(values_only=True), start=1)
            try:
                tables.append(_table_from_rows(sheet, ws.title, rows, errors, index=len(tables)))
            except EmptySheet as exc:
                # A sheet of the template left blank, header and all: nothing to import from it.
                empty.append(exc)
    finally:
        workbook.close()
    if not tables:
        if empty:
            raise empty[0]
        raise FileProblem(f"Lembar {_sheet_names(importer_cls.sheets)} tidak ditemukan di berkas ini.")
    return tables


def _is_help_sheet(title):
    return normalize(title).startswith(("petunjuk", "referensi"))


def decode_csv(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            "Berkas CSV harus berenkode UTF-8. Di Excel: Simpan Sebagai → “CSV UTF-8 (dipisahkan koma)”."
        ) from None
    if _CONTROL.search(text):
        raise FileProblem("Berkas ini bukan teks CSV.")
    return text


# Characters no text file has (a CSV has tabs and line breaks at most): a binary file that
# happens to decode as UTF-8 is still not a CSV.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_csv(content, importer_cls, errors, title="CSV"):
    """One kind of rows per CSV file: the sheet whose required columns are all in the header."""
    text = decode_csv(content)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = next((r for r in records if any(not is_empty(c) for c in r)), None)
    if header is None:
        raise FileProblem("Berkas CSV kosong.")
    present = {normalize(c) for c in header if not is_empty(c)}

    def matched(sheet):
        names = [{normalize(n) for n in (c.header, *c.aliases)} for c in sheet.columns if c.required]
        return all(n & present for n in names)

    candidates = [s for s in importer_cls.sheets if matched(s)]
    if not candidates:
        if len(importer_cls.sheets) == 1:
            candidates = list(importer_cls.sheets)  # the missing columns are reported below
        else:
            expected = "; ".join(f"{s.title}: {', '.join(s.required_headers)}" for s in importer_cls.sheets)
            raise FileProblem(
                f"Judul kolom CSV tidak cocok dengan jenis data mana pun. Kolom wajib per jenis — {expected}."
            )
    # The sheet that claims most of the header (Pegawai over Riwayat when both would fit).
    sheet = max(
        candidates,
        key=lambda s: sum(1 for c in s.columns if {normalize(n) for n in (c.header, *c.aliases)} & present),
    )
    return [_table_from_rows(sheet, f"{title} ({sheet.title})", enumerate(records, start=1), errors)]


def parse_tables(tables, progress):
    """Parse every cell of every table; cell errors go to the table's error list."""
    for table in tables:
        example = {k: normalize(as_text(table.sheet.column(k).example)) for k in table.sheet.example_keys}
        for number, raw in table.raw_rows:
            row = Row(table=table, number=number, values={})
            for key, value in raw.items():
                column = table.sheet.column(key)
                try:
                    row.values[key] = column.parse(value) if column.parse else as_text(value)
                except CellError as exc:
                    row.error(key, str(exc))
                except ValidationError as exc:
                    row.error(key, " ".join(exc.messages))
            for column in table.sheet.columns:
                # A required column missing from the header is reported once, on the header row.
                if column.required and column.key not in raw and column.key in table.headers:
                    row.error(column.key, "Wajib diisi.")
            if example and all(normalize(as_text(raw.get(k, ""))) == v for k, v in example.items()):
                row.error(None, "Ini baris contoh dari templat: hapus atau ganti dengan data sebenarnya.")
            table.rows.append(row)
            progress.step()


def validation_errors(row, exc, keys):
    """A model ValidationError onto the row: a field named like a column goes to that column."""
    for name, messages in exc.message_dict.items():
        key = name if name in keys else None
        for message in messages:
            row.error(key, message)


# ---------------------------------------------------------------------------------------------
# Uploads


def check_upload(upload):
    """The format of an uploaded file by its content: ``"xlsx"`` (a zip openpyxl can open) or
    ``"csv"`` (UTF-8 text). A ``forms.ValidationError`` in Indonesian otherwise."""
    from django import forms

    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            "Berkas terlalu besar (%(mb).1f MB). Ukuran maksimal %(max)d MB; pecah menjadi beberapa berkas.",
            params={"mb": upload.size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024},
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not content.strip():
        raise forms.ValidationError("Berkas kosong.")
    if content.startswith(b"%PDF"):
        raise forms.ValidationError("Berkas ini PDF. Unggah XLSX atau CSV.")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise forms.ValidationError("Format .xls (Excel 97–2003) tidak didukung. Simpan ulang sebagai .xlsx.")
    if content.startswith(b"PK\x03\x04"):
        import openpyxl

        try:
            openpyxl.load_workbook(io.BytesIO(content), read_only=True).close()
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds on foreign or broken zips
            raise forms.ValidationError(
                "Berkas ini bukan XLSX yang dapat dibaca (mungkin rusak atau berkas lain)."
            ) from None
        return "xlsx"
    try:
        decode_csv(content)
    except FileProblem:
        raise forms.ValidationError(
            "Berkas harus XLSX atau CSV berenkode UTF-8. Isi berkas ini bukan keduanya."
        ) from None
    return "csv"


# ---------------------------------------------------------------------------------------------
# Progress


class Progress:
    """Writes the status and the processed count of a job every ``PROGRESS_EVERY`` rows.

    Inside the saving transaction the job row is written through a connection of its own, so
    that the page polling it sees the count before the commit (PostgreSQL; SQLite allows one
    writer at a time, so there the count waits for the end).
    """

    def __init__(self, job=None):
        self.job_id = job.pk if job else None
        self.status = None
        self.total = 0
        self.processed = 0
        self.rows = 0  # data rows in the file
        self._side = None

    def start(self, status, total):
        self.status, self.total, self.processed = status, total, 0
        self._write()

    def step(self, n=1):
        before = self.processed
        self.processed += n
        if self.processed // PROGRESS_EVERY != before // PROGRESS_EVERY:
            self._write()

    def _write(self):
        if self.job_id is None:
            return
        values = {"status": self.status, "total": self.total, "processed": self.processed}
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id).update(updated_at=timezone.now(), **values)
            return
        if connection.vendor != "postgresql":
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self._side.ops.quote_name(ImportJob._meta.db_table)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, total = %s, processed = %s, updated_at = %s WHERE id = %s",  # noqa: S608 - table name from the model
                [self.status, self.total, self.processed, timezone.now(), self.job_id],
            )

    def close(self):
        if self._side is not None:
            self._side.close()
            self._side = None


# ---------------------------------------------------------------------------------------------
# Saving helpers


def audit_entry(*, actor, action, obj, changes, pegawai_id=None):
    """An unsaved audit entry like ``audit.record`` writes, for ``AuditLog.objects.bulk_create``."""
    return AuditLog(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        pegawai_id=pegawai_id,
        changes=changes or {},
    )


class Importer:
    """What a domain importer provides. ``check`` sees every parsed row (also rows with cell
    errors), records errors with ``row.error`` and returns a plan; ``save`` writes the plan
    inside the transaction and returns the summary lines."""

    kind = ""
    label = ""
    description = ""
    sheets = ()
    notes = ()  # general lines for the "Petunjuk" sheet

    def __init__(self, user):
        self.user = user

    def check(self, tables):
        raise NotImplementedError

    def save(self, plan, progress):
        raise NotImplementedError

    def save_count(self, plan):
        """How many steps ``save`` reports (for the progress bar)."""
        return 0

    def references(self):
        """Extra template sheets: (title, headers, rows)."""
        return []

    def example_for(self, column):
        return column.example


# ---------------------------------------------------------------------------------------------
# Running a job


def start(job):
    """Process ``job``: inline when ``IMPORT_SYNC`` (tests), else in a background thread started
    once the job row is committed."""
    if getattr(settings, "IMPORT_SYNC", False):
        run(job.pk)
        return
    transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True).start())


def _run_in_thread(job_pk):
    try:
        run(job_pk)
    finally:
        connection.close()


def run(job_pk):
    """Read, check and (when every row passes) save one job. Never raises: every failure ends
    as a ``gagal`` job with a reason."""
    job = ImportJob.objects.select_related("user").get(pk=job_pk)
    progress = Progress(job)
    errors = ErrorList()
    started = time.monotonic()
    timings = {}
    try:
        importer_cls = get_importer(job.kind)
        importer = importer_cls(job.user)
        progress.start(ImportJob.Status.VALIDASI, 0)
        with job.file.open("rb") as handle:
            content = handle.read()
        if job.format == "xlsx":
            tables = read_xlsx(content, importer_cls, errors)
        else:
            tables = read_csv(content, importer_cls, errors, title=job.file_name)
        progress.rows = sum(len(t.raw_rows) for t in tables)
        progress.start(ImportJob.Status.VALIDASI, progress.rows)
        parse_tables(tables, progress)
        if not any(t.rows for t in tables) and not errors:
            raise FileProblem("Berkas tidak berisi baris data di bawah baris judul kolom.")
        plan = importer.check(tables)
        timings["periksa"] = round(time.monotonic() - started, 2)
        if errors:
            _finish(job, ImportJob.Status.GAGAL, errors=errors, progress=progress, result={"timings": timings})
            return
        progress.start(ImportJob.Status.MENYIMPAN, importer.save_count(plan))
        with transaction.atomic():
            summary = importer.save(plan, progress)
        timings["simpan"] = round(time.monotonic() - started - timings["periksa"], 2)
        notes = [
            f"Kolom diabaikan (tidak dikenal) di lembar “{t.title}”: {', '.join(t.ignored)}."
            for t in tables
            if t.ignored
        ]
        result = {"summary": summary, "notes": notes, "timings": timings}
        _finish(job, ImportJob.Status.SELESAI, result=result, progress=progress)
    except FileProblem as exc:
        errors.add("", None, "", str(exc))
        _finish(job, ImportJob.Status.GAGAL, errors=errors, progress=progress)
    except IntegrityError:
        logger.warning("Import job %s: integrity error while saving", job_pk, exc_info=True)
        errors.add(
            "",
            None,
            "",
            "Data berubah selama impor (mis. NIP yang sama baru saja disimpan pengguna lain). "
            "Tidak ada data yang disimpan; unggah ulang berkasnya.",
        )
        _finish(job, ImportJob.Status.GAGAL, errors=errors, progress=progress)
    except Exception:
        logger.exception("Import job %s failed", job_pk)
        errors.add("", None, "", "Terjadi kesalahan tak terduga saat impor. Tidak ada data yang disimpan.")
        _finish(job, ImportJob.Status.GAGAL, errors=errors, progress=progress)
    finally:
        progress.close()


def _finish(job, status, *, errors=None, result=None, progress):
    # The uploaded file holds personal data: it is not kept once the job has run.
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.warning("Import job %s: could not delete %s", job.pk, job.file.name)
    job.file = ""
    job.status = status
    job.errors = errors.as_json() if errors else []
    job.error_count = len(errors) if errors else 0
    job.result = result or {}
    job.total = progress.rows
    job.processed = progress.rows if status == ImportJob.Status.SELESAI else min(progress.processed, progress.rows)
    job.finished_at = timezone.now()
    job.save()


# ---------------------------------------------------------------------------------------------
# Templates


def template_xlsx(importer):
    """The XLSX template of ``importer``: one sheet per kind of rows (header and an example
    row), "Petunjuk" explaining every column, and the importer's reference sheets."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFE8B4")
    optional_fill = PatternFill("solid", fgColor="E8EEF4")
    wrap = Alignment(wrap_text=True, vertical="top")

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in importer.sheets:
        ws = workbook.create_sheet(sheet.title)
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            head = ws.cell(row=1, column=index, value=column.header)
            head.font = bold
            head.fill = required_fill if column.required else optional_fill
            example = importer.example_for(column)
            cell = ws.cell(row=2, column=index, value=example if example != "" else None)
            if column.text:
                cell.number_format = "@"
                ws.column_dimensions[letter].number_format = "@"
            elif isinstance(example, dt.date):
                cell.number_format = "DD-MM-YYYY"
            ws.column_dimensions[letter].width = max(column.width, len(column.header) + 2)
        ws.freeze_panes = "A2"

    ws = workbook.create_sheet("Petunjuk")
    ws.append([f"Templat impor: {importer.label}"])
    ws["A1"].font = Font(bold=True, size=13)
    lines = [
        "Baris 1 setiap lembar adalah judul kolom; jangan diubah. Isi data mulai baris 2 "
        "(ganti atau hapus baris contoh).",
        "Kolom berlatar jingga wajib diisi; kolom berlatar biru boleh kosong.",
        f"Tanggal: {DATE_FORMAT_HELP}.",
        "NIP dan NIK diketik sebagai teks (kolomnya sudah berformat teks); angka 18 digit dibulatkan Excel.",
        "Semua baris diperiksa lebih dulu. Bila ada satu saja kesalahan, tidak ada data yang disimpan dan "
        "daftar kesalahan (lembar, baris, kolom, alasan) ditampilkan; perbaiki lalu unggah ulang seluruh berkas.",
        "CSV: satu jenis data per berkas (judul kolom sama dengan lembar XLSX-nya), UTF-8, "
        "pemisah koma atau titik koma.",
        *importer.notes,
    ]
    for line in lines:
        ws.append([line])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(["Lembar", "Kolom", "Wajib", "Keterangan", "Nilai yang diterima", "Contoh"])
    for cell in ws[header_row]:
        cell.font = bold
    for sheet in importer.sheets:
        for column in sheet.columns:
            example = importer.example_for(column)
            ws.append(
                [
                    sheet.title,
                    column.header,
                    "Ya" if column.required else "Tidak",
                    column.description,
                    column.allowed,
                    as_text(example) if example != "" else "",
                ]
            )
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = wrap
    for letter, width in zip("ABCDEF", (18, 24, 8, 60, 50, 24), strict=True):
        ws.column_dimensions[letter].width = width

    for title, headers, rows in importer.references():
        ws = workbook.create_sheet(title)
        ws.append(headers)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(list(row))
        for index in range(1, len(headers) + 1):
            ws.column_dimensions[get_column_letter(index)].width = 24
        ws.freeze_panes = "A2"

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv(importer, sheet):
    """The CSV template of one sheet: header and example row, semicolons, UTF-8 with BOM (so
    that Excel reads it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in sheet.columns])
    writer.writerow([as_text(importer.example_for(c)) if importer.example_for(c) != "" else "" for c in sheet.columns])
    return "\ufeff" + out.getvalue()


def errors_csv(job):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Lembar", "Baris", "Kolom", "Alasan"])
    for error in job.errors:
        writer.writerow(
            [error.get("sheet", ""), error.get("row") or "", error.get("column", ""), error.get("reason", "")]
        )
    return "\ufeff" + out.getvalue()
