import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from portal.uploads import DOCUMENT_TYPES, DOCX, JPEG, PDF, PNG, XLSX, validate_upload
from tests.portal.pdfs import pdf_bytes

MINIMAL_PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, kind)
    return buffer.getvalue()


def office(main_part: str, *, extra: dict[str, bytes] | None = None, content_types=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            content_types
            or b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/content-types"/>',
        )
        archive.writestr("_rels/.rels", b'<?xml version="1.0"?><Relationships/>')
        archive.writestr(main_part, b'<?xml version="1.0"?><document/>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(file, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(file, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("agreement.pdf", MINIMAL_PDF, PDF),
        ("photo.png", image("PNG"), PNG),
        ("photo.jpg", image("JPEG"), JPEG),
        ("photo.JPEG", image("JPEG"), JPEG),
        ("letter.docx", office("word/document.xml"), DOCX),
        ("budget.xlsx", office("xl/workbook.xml"), XLSX),
    ],
)
def test_documents_and_images_are_accepted_by_their_content(name, content, expected):
    file = upload(name, content)

    assert validate_upload(file) == expected
    assert file.tell() == 0


def test_the_file_is_rewound_after_a_refusal():
    file = upload("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200)

    refusal(file)

    assert file.tell() == 0


def test_a_program_renamed_to_pdf_is_refused():
    error = refusal(upload("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500))

    assert error.code == "type_not_allowed"
    assert ".pdf" in error.messages[0]
    assert ".docx" in error.messages[0]


def test_a_text_file_named_docx_is_refused():
    error = refusal(upload("letter.docx", b"Dear partners,\nplease find attached...\n"))

    assert error.code == "type_not_allowed"


def test_a_zip_that_is_not_an_office_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", b"hello")

    error = refusal(upload("letter.docx", buffer.getvalue()))

    assert error.code == "type_not_allowed"


def test_a_pdf_named_png_is_refused_with_the_accepted_types():
    error = refusal(upload("scan.png", MINIMAL_PDF))

    assert error.code == "type_not_allowed"
    message = error.messages[0]
    assert "PDF" in message
    assert ".pdf" in message
    assert ".png" in message


def test_a_spreadsheet_named_docx_is_refused():
    error = refusal(upload("letter.docx", office("xl/workbook.xml")))

    assert error.code == "type_not_allowed"


def test_a_file_over_the_limit_is_refused():
    error = refusal(upload("big.pdf", MINIMAL_PDF + b"0" * 2000), max_bytes=1024)

    assert error.code == "too_large"
    assert "1.0\xa0KB" in error.messages[0]


def test_an_empty_file_is_refused():
    error = refusal(upload("empty.pdf", b""))

    assert error.code == "empty"


def test_a_zip_bomb_disguised_as_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<document/>")
        archive.writestr("word/media/zeros.bin", b"\x00" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024

    error = refusal(upload("bomb.docx", buffer.getvalue()))

    assert error.code == "archive_too_large"


def test_an_entry_that_compresses_too_well_is_refused_even_under_the_total():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (20 * 1024 * 1024))

    error = refusal(upload("sheet.xlsx", buffer.getvalue()))

    assert error.code == "archive_too_large"


def test_an_archive_with_too_many_entries_is_refused():
    extra = {f"word/media/part{number}.xml": b"<p/>" for number in range(2001)}

    error = refusal(upload("letter.docx", office("word/document.xml", extra=extra)))

    assert error.code == "archive_too_large"


def test_a_document_with_macros_is_refused():
    content = office("word/document.xml", extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})

    error = refusal(upload("letter.docx", content))

    assert error.code == "type_not_allowed"
    assert "macros" in error.messages[0]


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused():
    content_types = (
        b'<Types><Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )

    error = refusal(upload("budget.xlsx", office("xl/workbook.xml", content_types=content_types)))

    assert error.code == "type_not_allowed"


def test_a_truncated_office_file_is_refused_as_damaged():
    content = office("word/document.xml")

    error = refusal(upload("letter.docx", content[: len(content) // 2]))

    assert error.code == "bad_archive"


def test_the_accepted_types_can_be_narrowed():
    images_only = {JPEG: DOCUMENT_TYPES[JPEG], PNG: DOCUMENT_TYPES[PNG]}

    assert validate_upload(upload("photo.png", image("PNG")), allowed=images_only) == PNG
    error = refusal(upload("cv.pdf", MINIMAL_PDF), allowed=images_only)
    assert error.code == "type_not_allowed"
    assert ".pdf" not in error.messages[0]


# --- Archives that lie about their size, files that only look like PDFs -------------------------


def lying_docx(real_bytes: int, declared: int = 1000) -> bytes:
    """A DOCX whose word/document.xml declares `declared` bytes but unpacks to `real_bytes`
    (the central directory and the local header both say so, as a crafted archive does)."""
    buffer = io.BytesIO(office("word/document.xml"))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.xml", b"<a/>" + b" " * (real_bytes - 4))
    data = bytearray(buffer.getvalue())
    entry_name = b"word/media/padding.xml"
    # Local header: uncompressed size at offset 22; central directory entry: at offset 24.
    for marker, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        position = 0
        while (position := data.find(marker, position)) != -1:
            name_offset = 30 if marker == b"PK\x03\x04" else 46
            if data[position + name_offset : position + name_offset + len(entry_name)] == (
                entry_name
            ):
                data[position + size_offset : position + size_offset + 4] = declared.to_bytes(
                    4, "little"
                )
            position += 4
    return bytes(data)


def test_an_office_file_whose_parts_unpack_beyond_what_they_declare_is_refused():
    bomb = lying_docx(31 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # it compresses well: the declared sizes are the lie
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) < 5000
    error = refusal(upload("report.docx", bomb))
    assert error.code == "archive_too_large"
    assert "unpacks into far more data" in error.messages[0]


def test_an_office_file_that_unpacks_to_what_it_declares_is_accepted():
    assert validate_upload(upload("report.docx", office("word/document.xml"))) == DOCX


def test_an_html_page_behind_a_pdf_header_is_refused():
    fake = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    error = refusal(upload("budget.pdf", fake))
    assert error.code == "bad_pdf"
    assert "not a readable PDF" in error.messages[0]


@pytest.mark.parametrize(
    "catalog_entry",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /Launch /F (calc.exe) >>",
        b"/Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (app.alert(1)) >>] >> >>",
    ],
    ids=["open-action-javascript", "launch", "document-javascript"],
)
def test_a_pdf_with_javascript_or_a_launch_action_is_refused(catalog_entry):
    error = refusal(upload("budget.pdf", pdf_bytes(catalog_extra=catalog_entry)))
    assert error.code == "pdf_script"
    assert "scripts or actions that start programs" in error.messages[0]


def test_a_pdf_that_hides_javascript_in_a_page_annotation_is_refused():
    page_extra = (
        b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /JavaScript /JS (x) >> >>]"
    )
    error = refusal(upload("budget.pdf", pdf_bytes(page_extra=page_extra)))
    assert error.code == "pdf_script"


def test_a_plain_pdf_is_accepted():
    assert validate_upload(upload("budget.pdf", pdf_bytes())) == PDF
