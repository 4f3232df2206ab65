import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def _imports_inline(settings, tmp_path):
    """Imports run inside the upload request, and uploads land in a temporary folder."""
    settings.IMPORT_SYNC = True
    settings.MEDIA_ROOT = tmp_path


def xlsx(sheets, name="impor.xlsx"):
    """An uploaded XLSX with ``{sheet title: [header row, data rows...]}``."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def csv_file(rows, delimiter=";", name="impor.csv", bom=True):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
