from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import kept
from portal import services as portal_services
from portal.decorators import login_required_keep_post, pop_pending_post
from portal.forms import EraseAccountForm
from portal.pdf import RenderTimeout
from portal.ratelimit import ratelimit
from portal.responses import error_text, json_download, pdf_download, private_file

from . import pdf, services
from .forms import DocumentForm, ExpertProfileForm, LanguageFormSet, PositionFormSet
from .models import ExpertDocument, ExpertProfile, profile_details
from .registries import profile_panels
from .selectors import (
    PROFILE_PAGE_SECONDS,
    documents_visible_to,
    own_profile,
    profile_page_version,
    profiles_visible_to,
)

CV = ExpertDocument.Kind.CV
CERTIFICATE = ExpertDocument.Kind.CERTIFICATE


def _own_profile(request) -> ExpertProfile | None:
    try:  # get(), not first(): no ordering and slicing to build (a user has one profile)
        return ExpertProfile.objects.with_details().get(user=request.user)
    except ExpertProfile.DoesNotExist:
        return None


# --- The expert's own profile ---------------------------------------------------------------------


@login_required_keep_post
@require_http_methods(["GET", "POST"])
@ratelimit("expert-profile-save", limit=300, period=3600)
def profile(request):
    """The expert's profile on one page: the form in sections, languages, previous positions and
    documents. Without a profile: the page that offers to create one."""
    data = request.POST if request.method == "POST" else pop_pending_post(request)
    if data is None:
        return _kept_profile_page(request)
    profile = _own_profile(request)
    if profile is None:
        return render(request, "experts/profile_start.html")
    # Before the forms put what was typed on the profile: the page shows what is saved.
    saved_state = services.completeness(profile)
    if request.method == "GET":
        messages.warning(
            request,
            _("Your session had ended. We kept what you typed: please check it and save again."),
        )
    form = ExpertProfileForm(data, instance=profile)
    languages = LanguageFormSet(data, instance=profile, prefix="languages")
    positions = PositionFormSet(data, instance=profile, prefix="positions")
    if request.method == "POST":
        if form.is_valid() and languages.is_valid() and positions.is_valid():
            try:
                services.save_profile(
                    profile=profile, form=form, languages=languages, positions=positions
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("experts:profile")
        messages.error(
            request, _("Please correct the errors below. Nothing you typed has been lost.")
        )
    return _profile_page(
        request,
        profile,
        form=form,
        languages=languages,
        positions=positions,
        completeness=saved_state,
        status=400 if request.method == "POST" else 200,
    )


def _kept_profile_page(request):
    """The page as saved, with no form posted: its content kept in the cache per profile,
    language and time zone (selectors.profile_page_version), rendered without the request (the
    form token put in for each request) and only when it is not kept."""
    profile = own_profile(request.user)
    if profile is None:
        return render(request, "experts/profile_start.html")
    key = ":".join(
        (
            "expert-profile-page",
            str(profile.pk),
            get_language() or "",
            timezone.get_current_timezone_name(),
            profile_page_version(profile.pk),
        )
    )
    token = get_token(request)
    content = kept.with_form_token(
        key, PROFILE_PAGE_SECONDS, lambda mark: _profile_content(profile, mark), token
    )
    # The frame's forms with the same token as the content's, as one rendering would have it.
    return render(request, "experts/profile_form.html", {"content": content, "csrf_token": token})


def _profile_content(profile: ExpertProfile, csrf_token: str) -> str:
    prefetch_related_objects([profile], *profile_details())
    context = _profile_context(profile)
    context.update(csrf_token=csrf_token, LANGUAGE_CODE=get_language())
    return render_to_string("experts/includes_profile_form.html", context)


def _profile_page(request, profile, *, status=200, **forms):
    content = render_to_string(
        "experts/includes_profile_form.html", _profile_context(profile, **forms), request=request
    )
    return render(request, "experts/profile_form.html", {"content": content}, status=status)


def _profile_context(
    profile,
    *,
    form=None,
    languages=None,
    positions=None,
    upload=None,
    completeness=None,
):
    """What the page's content shows: the forms given (as posted), the others as saved."""
    uploads = {kind: DocumentForm(kind=kind) for kind in (CV, CERTIFICATE)}
    if upload is not None:
        uploads[upload.kind] = upload
    documents = list(profile.documents.all())
    percent, missing = completeness or services.completeness(profile)
    if form is None:
        form = ExpertProfileForm(instance=profile)
    if languages is None:
        languages = LanguageFormSet(instance=profile, prefix="languages")
    if positions is None:
        positions = PositionFormSet(instance=profile, prefix="positions")
    return {
        "profile": profile,
        "form": form,
        "languages": languages,
        "positions": positions,
        "cv": next((d for d in documents if d.kind == CV), None),
        "certificates": [d for d in documents if d.kind == CERTIFICATE],
        "cv_form": uploads[CV],
        "certificate_form": uploads[CERTIFICATE],
        "max_certificates": services.MAX_CERTIFICATES,
        "percent": percent,
        "missing": missing,
    }


@login_required
@require_POST
def profile_create(request):
    try:
        services.create_profile(user=request.user)
    except ValidationError:
        pass
    else:
        messages.success(
            request,
            _("Your expert profile has been created. Fill it in as far as you can and save."),
        )
    return redirect("experts:profile")


@login_required
@require_POST
@ratelimit("expert-upload", limit=60, period=3600)
def document_upload(request, kind):
    if kind not in (CV, CERTIFICATE):
        raise Http404
    profile = _own_profile(request)
    if profile is None:
        raise Http404
    form = DocumentForm(request.POST, request.FILES, kind=kind)
    if form.is_valid():
        try:
            services.add_document(profile=profile, kind=kind, file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file has been added."))
            return redirect(reverse("experts:profile") + "#documents")
    messages.error(request, _("The file could not be added: please see below."))
    return _profile_page(request, profile, upload=form, status=400)


@login_required
@require_POST
def document_delete(request, pk):
    document = get_object_or_404(
        ExpertDocument.objects.filter(expert__user=request.user).select_related("expert"), pk=pk
    )
    services.delete_document(document=document)
    messages.success(request, _("The file has been removed."))
    return redirect(reverse("experts:profile") + "#documents")


@login_required
@require_GET
def export_json(request):
    data = portal_services.export_personal_data(user=request.user)
    return json_download(data, filename="my-expert-data.json")


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("expert-erase", limit=10, period=3600)
def erase(request):
    """Erase the profile and the account, after the password is typed again."""
    profile = ExpertProfile.objects.filter(user=request.user).first()
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        portal_services.erase_user(user=request.user)
        logout(request)
        messages.success(request, _("Your account and your personal data have been erased."))
        return redirect("home")
    return render(
        request,
        "experts/erase.html",
        {
            "form": form,
            "profile": profile,
            "keeps_records": profile is not None and services.keeps_records(profile),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Pages with an id: the expert's own, or anyone's for programme staff ----------------------


@login_required
@require_GET
def profile_detail(request, pk):
    profile = get_object_or_404(
        profiles_visible_to(request.user).with_details().select_related("user"),
        pk=pk,
    )
    percent, missing = services.completeness(profile)
    return render(
        request,
        "experts/profile_detail.html",
        {
            "profile": profile,
            "percent": percent,
            "missing": missing,
            # Panels of apps above experts (placements: the expert's applications).
            "panels": profile_panels.panels(request, profile),
        },
    )


@login_required
@require_GET
def profile_pdf(request, pk):
    profile = get_object_or_404(profiles_visible_to(request.user).with_details(), pk=pk)
    try:
        rendered = pdf.profile_pdf(profile)
    except RenderTimeout as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return pdf_download(rendered.pdf, filename=f"expert-profile-{profile.pk}.pdf")


@login_required
@require_GET
def document_download(request, pk):
    """Every download is logged (services.open_document), whoever asks."""
    document = get_object_or_404(documents_visible_to(request.user), pk=pk)
    try:
        handle = services.open_document(document=document, user=request.user)
    except FileNotFoundError:
        raise Http404 from None
    return private_file(handle, filename=document.original_name, content_type=document.content_type)


# --- Taking over a profile that programme staff created -----------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("expert-claim", limit=20, period=3600)
def claim(request, token):
    try:
        profile = services.profile_to_claim(token=token)
    except ValidationError as error:
        return render(request, "experts/claim.html", {"error": error_text(error)}, status=410)
    if profile is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.claim_profile(profile=profile, user=request.user)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(
                request, _("The profile is now linked to your account. Please check it and save.")
            )
            return redirect("experts:profile")
    else:
        try:
            services.check_claim(profile=profile, user=request.user)
        except ValidationError as exc:
            error = error_text(exc)
    return render(
        request,
        "experts/claim.html",
        {"profile": profile, "error": error},
        status=400 if error and request.method == "POST" else 200,
    )
