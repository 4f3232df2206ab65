"""Lists as files: XLSX and CSV of exactly the rows a list page shows with its filters (all
pages, not one), and a PDF report of the same rows.

A list defines its columns once (``Column``: a header and how to read the value from a row) and
hands the filtered queryset or rows to ``export_response``. Rows are read in chunks, so an export
of 100,000 pegawai does not hold them all at once.
"""

import csv
import datetime as dt
import decimal
import io
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

FORMATS = ("xlsx", "csv", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
MAX_PDF_ROWS = 5000  # a PDF is for reading: longer lists go to XLSX
# A cell that starts like a formula is neutralised: a spreadsheet must never run what a user typed.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Any  # attribute path "golongan.kode" or a callable row -> value
    width: int = 18

    def read(self, row):
        if callable(self.value):
            return self.value(row)
        current = row
        for part in self.value.split("."):
            if current is None:
                return None
            current = current.get(part) if isinstance(current, dict) else getattr(current, part)
            if callable(current):
                current = current()
        return current


def requested_format(request):
    """The ``format`` query parameter when it asks for a file, else None; an unknown one is 404."""
    fmt = request.GET.get("format") or request.GET.get("unduh")
    if not fmt:
        return None
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, decimal.Decimal, dt.date)):
        return value
    if hasattr(value, "label") and hasattr(value, "value"):  # a Choices member
        return str(value.label)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _iterate(rows):
    if hasattr(rows, "iterator") and not getattr(rows, "_prefetch_related_lookups", ()):
        return rows.iterator(chunk_size=2000)
    return iter(rows)


def _csv(rows, columns):
    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo(), delimiter=";")
    yield "\ufeff"  # Excel reads UTF-8 CSV only with a BOM
    yield writer.writerow([c.header for c in columns])
    for row in _iterate(rows):
        yield writer.writerow(
            [v.isoformat() if isinstance(v, dt.date) else v for v in (_plain(c.read(row)) for c in columns)]
        )


def _xlsx(rows, columns, title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    # A sheet name holds at most 31 characters and none of : \ / ? * [ ].
    name = "".join("-" if c in ":\\/?*[]" else c for c in title)[:31].strip() or "Data"
    sheet = book.create_sheet(title=name)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in _iterate(rows):
        values = []
        for column in columns:
            value = _plain(column.read(row))
            if isinstance(value, (dt.date, dt.datetime)):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD-MM-YYYY" if not isinstance(value, dt.datetime) else "DD-MM-YYYY HH:MM"
                value = cell
            values.append(value)
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf(rows, columns, title, subtitle):
    from weasyprint import HTML

    data = []
    for count, row in enumerate(_iterate(rows)):
        if count >= MAX_PDF_ROWS:
            break
        data.append([_plain(c.read(row)) for c in columns])
    html = render_to_string(
        "core/export_pdf.html",
        {
            "title": title,
            "subtitle": subtitle,
            "headers": [c.header for c in columns],
            "rows": data,
            "truncated": len(data) >= MAX_PDF_ROWS,
            "max_rows": MAX_PDF_ROWS,
            "dibuat": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


def export_response(rows, columns, fmt, *, filename, title, subtitle=""):
    """The file of ``rows`` in ``fmt`` (xlsx, csv or pdf) as a download named
    ``<filename>-<date>.<fmt>``."""
    stamp = timezone.localdate().isoformat()
    disposition = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    if fmt == "csv":
        response = StreamingHttpResponse(_csv(rows, columns), content_type=CONTENT_TYPES["csv"])
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx(rows, columns, title), content_type=CONTENT_TYPES["xlsx"])
    elif fmt == "pdf":
        response = HttpResponse(_pdf(rows, columns, title, subtitle), content_type=CONTENT_TYPES["pdf"])
    else:
        raise Http404
    response["Content-Disposition"] = disposition
    return response


def filter_summary(filters):
    """The filters of a list (a FilterSet or a plain filter form) in words, for the heading of
    an exported report."""
    form = getattr(filters, "form", filters)
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()) or value is False:
            continue
        field = form.fields[name]
        if name == "unit_kerja":
            from apps.pegawai.models import UnitKerja

            unit = UnitKerja.objects.filter(pk=value).only("nama").first()
            value = unit.nama if unit else value
        elif value is True:
            value = "ya"
        elif getattr(field, "choices", None) and not hasattr(value, "pk"):
            labels = {str(key): label for key, label in field.choices}
            value = labels.get(str(value), value)
        parts.append(f"{field.label or name}: {value}")
    return "; ".join(parts)
