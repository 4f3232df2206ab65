"""Evidence files (bukti dukung): checked by content, stored under MEDIA_ROOT outside the web
root, and served only by views that have already checked the user's scope."""

import mimetypes
from pathlib import Path

from django import forms
from django.http import FileResponse, Http404

MAX_BYTES = 5 * 1024 * 1024
# What an evidence file must start with; the extension it is stored under follows the content.
SIGNATURES = (
    (b"%PDF-", ".pdf"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
)
CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def validate_evidence(upload):
    """A PDF, JPG or PNG by its content (not its name), at most 5 MB. Returns the upload with a
    safe name whose extension follows the content."""
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            "Berkas terlalu besar (%(mb).1f MB). Ukuran maksimal 5 MB.", params={"mb": upload.size / 1024 / 1024}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension in SIGNATURES:
        if head.startswith(signature):
            stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in Path(upload.name).stem)[:60] or "bukti"
            upload.name = f"{stem}{extension}"
            return upload
    raise forms.ValidationError("Berkas harus PDF, JPG, atau PNG. Isi berkas ini bukan salah satunya.")


class EvidenceField(forms.FileField):
    """A form field for an evidence file, validated by ``validate_evidence``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "PDF, JPG, atau PNG, paling besar 5 MB.")
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial and hasattr(upload, "seek"):
            return validate_evidence(upload)
        return upload


def serve_evidence(fieldfile):
    """The stored file as a download that can never act as a page of this site."""
    if not fieldfile:
        raise Http404
    name = fieldfile.name
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    content_type = CONTENT_TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, filename=name.rsplit("/", 1)[-1])
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
