"""Responses the apps share: private files, downloads of personal data, error texts, and the page
that asks before an irreversible step."""

import json
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"


def private_file(handle, *, filename: str, content_type: str) -> FileResponse:
    """An uploaded file, served only after the view has checked who asks: always as a download,
    never sniffed or run as a page by the browser."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def json_download(data: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def error_text(error: ValidationError) -> str:
    """A ValidationError's messages as one sentence for a page or a flash message."""
    return " ".join(error.messages)


def form_error_text(form) -> str:
    """A bound form's errors as one sentence for a flash message, each after its field's label
    (the page the user lands on does not show the form's own error list)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        text = " ".join(errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def save_upload(request, form, save: Callable[[dict], object], *, success: str) -> bool:
    """Hands a valid upload form's data to ``save`` (a service that checks the file and may refuse
    it with a ValidationError) and tells the user the outcome as a flash message: the form's
    errors (no file, too long a description), the service's refusal, or ``success``. For the
    upload views that answer with a redirect back to the page holding the form."""
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return False
    messages.success(request, success)
    return True


def pdf_download(data: bytes, *, filename: str) -> HttpResponse:
    """A PDF the portal made, as a download; never cached by a shared cache."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def confirmed(request) -> bool:
    """Whether the POST comes from the confirmation page of an irreversible step."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def confirmation_page(
    request, *, title: str, consequences: list[str], confirm_label: str, cancel_url: str
) -> HttpResponse:
    """The page that asks before an irreversible step: what will happen and that it cannot be
    undone, one button that does it (a POST to the same address with ``confirm=yes``) and a way
    back. A plain form: it works without JavaScript, and one click alone never does the step."""
    return render(
        request,
        "portal/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "confirm_field": CONFIRM_FIELD,
        },
    )
