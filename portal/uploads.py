"""Checking of uploaded files, shared by every app.

The type is read from the content, never trusted from the name or the browser's content type, and
the name must then agree with it. Word and Excel files are ZIP archives: they are opened to check
that they are what they claim and that they cannot unpack into something huge (a zip bomb):
the bytes are counted while decompressing, since the sizes an archive declares can lie. Files
that carry macros are refused. A PDF is opened as a PDF: a file that only starts like one (an
HTML page behind "%PDF-"), or one that carries JavaScript or launches programs, is refused.
"""

import logging
import struct
import zipfile
import zlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

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
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_CHUNK = 64 * 1024
# PDF keys and action types that run code or programs in a reader.
PDF_SCRIPT_KEYS = {"/JS", "/JavaScript"}
PDF_DANGEROUS_ACTIONS = {"/JavaScript", "/Launch"}
MAX_PDF_OBJECTS = 200_000

logger = logging.getLogger(__name__)


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
            if content_type == PDF:
                uploaded_file.seek(0)
                _check_pdf(uploaded_file)
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
        _check_unpacked_bytes(uploaded_file, entries)
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


def _check_unpacked_bytes(archive_file, entries) -> None:
    """Decompress every entry from its raw bytes, counting what comes out, and stop at the cap.
    zipfile itself stops at the size an entry declares, which a crafted archive sets low while
    the data unpacks into gigabytes in any other program."""
    total = 0
    for entry in entries:
        archive_file.seek(entry.header_offset)
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(archive_file.read(30))
        if signature != _ZIP_MAGIC:
            raise zipfile.BadZipFile("bad local header")
        archive_file.seek(entry.header_offset + 30 + name_length + extra_length)
        if entry.compress_type == zipfile.ZIP_STORED:
            unpacked = entry.compress_size
        elif entry.compress_type == zipfile.ZIP_DEFLATED:
            unpacked = _inflated_size(archive_file, MAX_UNPACKED_BYTES - total)
        else:
            raise NotImplementedError("compression method")
        total += unpacked
        if total > MAX_UNPACKED_BYTES:
            raise _too_large_unpacked()
        if unpacked >= RATIO_CHECKED_FROM_BYTES and (
            unpacked / max(entry.compress_size, 1) > MAX_COMPRESSION_RATIO
        ):
            raise _too_large_unpacked()


def _inflated_size(stream, budget: int) -> int:
    """The number of bytes a raw deflate stream unpacks into, reading at most budget + 1."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    pending = b""
    while not inflater.eof:
        if not pending:
            pending = stream.read(_CHUNK)
            if not pending:
                break  # the data ends before the stream does: the archive is cut short
        produced += len(inflater.decompress(pending, _CHUNK))
        pending = inflater.unconsumed_tail
        if produced > budget:
            raise _too_large_unpacked()
    return produced


def _check_pdf(uploaded_file) -> None:
    """Open the file as a PDF: refuse what does not parse, has no page, or carries JavaScript
    or launch actions anywhere in its objects."""
    try:
        reader = PdfReader(uploaded_file, strict=False)
        if len(reader.pages) == 0:
            raise PyPdfError("no pages")
        dangerous = _has_script(reader.trailer)
    except Exception as error:  # pypdf raises many kinds of errors on a damaged file
        logger.info("PDF refused: %s", type(error).__name__)
        raise ValidationError(
            _("The file is not a readable PDF. Please save it again as PDF and retry."),
            code="bad_pdf",
        ) from error
    if dangerous:
        raise ValidationError(
            _(
                "PDF files with scripts or actions that start programs are not accepted. "
                "Please print the document to a new PDF and retry."
            ),
            code="pdf_script",
        )


def _has_script(root) -> bool:
    """Walk every object reachable from the trailer (each once) looking for scripts."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise PyPdfError("too many objects")
        if isinstance(node, DictionaryObject):
            if PDF_SCRIPT_KEYS & set(node.keys()):
                return True
            if node.get("/S") in PDF_DANGEROUS_ACTIONS:
                return True
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


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
