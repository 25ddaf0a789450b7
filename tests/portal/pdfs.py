"""Small PDFs built by hand, with a cross-reference table a PDF reader checks; and what the
portal's own PDFs hold, read back."""

import io
import subprocess

from pypdf import PdfReader


def pdf_bytes(*, catalog_extra: bytes = b"", page_extra: bytes = b"") -> bytes:
    """A valid one-page PDF; extra entries go into the catalog or the page dictionary."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page_extra + b" >>",
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj %s endobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


def text_of(data: bytes) -> str:
    """The text of a PDF as pdftotext reads it (layout off: words in reading order)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def facts_of(data: bytes) -> dict:
    """What a reader and a screen reader see of a PDF: pages, title, author, language, tags,
    the embedded fonts."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.add((str(font["/BaseFont"]), embedded))
    return {
        "pages": len(reader.pages),
        "title": reader.metadata.title if reader.metadata else None,
        "author": reader.metadata.author if reader.metadata else None,
        "lang": str(root.get("/Lang", "")),
        "tagged": "/StructTreeRoot" in root and bool(root.get("/MarkInfo", {}).get("/Marked")),
        "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
        "fonts": fonts,
    }
