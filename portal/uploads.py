"""Checking of uploaded files, shared by every app.

The type is read from the content, never trusted from the name or the browser's content type, and
the name must then agree with it. Word and Excel files are ZIP archives: they are opened to check
that they are what they claim and that they cannot unpack into something huge (a zip bomb), and
files that carry macros are refused.
"""

import zipfile
import zlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"

# Content type -> the extensions a file of that type may have.
DOCUMENT_TYPES: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
}

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 200
# Small entries cannot unpack into much, however well they compress (short, repetitive XML
# parts do); the ratio is checked on entries above this size, the total on all of them.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# The part of an Office file that lists its parts: read to spot macro-enabled documents.
CONTENT_TYPES_PART = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
OFFICE_MAIN_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}

_MAGIC = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
]
_ZIP_MAGIC = b"PK\x03\x04"


def validate_upload(
    uploaded_file, *, max_bytes: int = 10 * 1024 * 1024, allowed=DOCUMENT_TYPES
) -> str:
    """Return the content type read from the file's content, or raise a ValidationError that
    tells the user what is wrong and what is accepted."""
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). Files can be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    try:
        uploaded_file.seek(0)
        content_type = _detect(uploaded_file, allowed)
    finally:
        uploaded_file.seek(0)

    accepted = ", ".join(ext for extensions in allowed.values() for ext in extensions)
    if content_type not in allowed:
        raise ValidationError(
            _("This type of file is not accepted. Accepted file types: %(types)s."),
            code="type_not_allowed",
            params={"types": accepted},
        )
    extension = PurePath(uploaded_file.name or "").suffix.lower()
    if extension not in allowed[content_type]:
        raise ValidationError(
            _(
                "The file name does not match its content: the file is a %(kind)s file. "
                "Please give it the right extension (%(expected)s). Accepted file types: "
                "%(types)s."
            ),
            code="type_not_allowed",
            params={
                "kind": allowed[content_type][0].lstrip(".").upper(),
                "expected": ", ".join(allowed[content_type]),
                "types": accepted,
            },
        )
    return content_type


def _detect(uploaded_file, allowed) -> str | None:
    head = uploaded_file.read(8)
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    if head.startswith(_ZIP_MAGIC) and (DOCX in allowed or XLSX in allowed):
        uploaded_file.seek(0)
        return _office_type(uploaded_file)
    return None


def _office_type(uploaded_file) -> str | None:
    """DOCX or XLSX for a safe Office file, None for any other archive; raises for archives
    that are broken, too large when unpacked or carry macros."""
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
            _check_archive_size(entries)
            names = {entry.filename for entry in entries}
            if CONTENT_TYPES_PART not in names:
                return None
            if any(PurePath(name).name.lower() == "vbaproject.bin" for name in names):
                raise _macros_refused()
            content_types_entry = archive.getinfo(CONTENT_TYPES_PART)
            if content_types_entry.file_size > MAX_CONTENT_TYPES_BYTES:
                raise _too_large_unpacked()
            if b"macroenabled" in archive.read(content_types_entry).lower():
                raise _macros_refused()
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        ValueError,
    ) as error:
        # Damaged, encrypted or using a compression method we cannot read.
        raise ValidationError(
            _("The file is damaged and cannot be opened. Please save it again and retry."),
            code="bad_archive",
        ) from error
    for content_type, main_part in OFFICE_MAIN_PARTS.items():
        if main_part in names:
            return content_type
    return None


def _check_archive_size(entries) -> None:
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise _too_large_unpacked()
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise _too_large_unpacked()
    for entry in entries:
        if entry.file_size >= RATIO_CHECKED_FROM_BYTES and (
            entry.compress_size == 0
            or entry.file_size / entry.compress_size > MAX_COMPRESSION_RATIO
        ):
            raise _too_large_unpacked()


def _too_large_unpacked() -> ValidationError:
    return ValidationError(
        _(
            "The document unpacks into far more data than a normal document does and cannot be "
            "accepted. Please save it again, or as PDF, and retry."
        ),
        code="archive_too_large",
    )


def _macros_refused() -> ValidationError:
    return ValidationError(
        _(
            "Documents with macros are not accepted. Please save the document without macros "
            "(as .docx or .xlsx) and retry."
        ),
        code="type_not_allowed",
    )
