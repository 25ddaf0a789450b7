"""The expression of interest: its steps, attachments, review, confirmation and page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue.models import DeploymentType, SustainableDevelopmentGoal, Theme
from portal import sqlcache
from portal.decorators import login_required_keep_post, pop_pending_post
from portal.kept import keep_with_version
from portal.policies import may
from portal.ratelimit import ratelimit
from portal.responses import error_text, private_file, save_upload
from portal.versions import compare as versions_compared

from .. import progress, services
from ..forms import (
    FORMS,
    AttachmentForm,
    CommentForm,
    ConfirmForm,
    LanguageFormSet,
    ReasonForm,
)
from ..models import (
    Attachment,
    Comment,
    Commune,
    EOIEvent,
    ExpressionOfInterest,
    RequiredLanguage,
    SubmittedVersion,
)
from ..policies import communes_of, own_communes, party_communes, reads_eois
from ..registries import eoi_panels
from ..selectors import (
    EOI_PAGE_SECONDS,
    eoi_of_communes,
    eoi_pages_version,
    eois_of_communes,
    eois_visible_to,
    read_under_eoi_pages_version,
)
from ..steps import STEP_BY_SLUG, STEPS, answer

# --- Communes and partnerships -------------------------------------------------------------------


def _eoi_for(request, pk, **filters):
    return get_object_or_404(eois_visible_to(request.user), pk=pk, **filters)


@login_required
@require_GET
def eoi_list(request):
    return _eoi_list(request)


def _eoi_list(request, status=200):
    # Each status in words that say who acts next, for this reader.
    communes = own_communes(request.user)
    if reads_eois(request.user) or not communes:
        eois = progress.listed(eois_visible_to(request.user)).order_by("-updated_at")
        table = _eoi_table(progress.label(eois, request.user))
    else:
        # The same for every member of the same communes: kept per communes, language and time
        # zone under the EOI pages' version (selectors).
        own = sorted(commune.pk for commune in communes)
        key = ":".join(
            [
                "eoi-list-of-communes",
                ",".join(map(str, own)),
                get_language() or "",
                timezone.get_current_timezone_name(),
            ]
        )
        version, table = read_under_eoi_pages_version(key)
        if table is None:
            eois = progress.label(progress.read_listed(eois_of_communes, own), request.user)
            table = _eoi_table(eois)
            keep_with_version(key, version, table, EOI_PAGE_SECONDS)
    return render(
        request,
        "partnerships/eoi_list.html",
        # Our own HTML, rendered with autoescaping (the cache holds it as a plain string).
        {"table": mark_safe(table), "own_communes": communes},
        status=status,
    )


def _eoi_table(eois) -> str:
    """The list's table (rendered without the request: it shows nothing of the reader but
    where each EOI stands for them)."""
    return render_to_string("partnerships/includes_eoi_table.html", {"eois": eois})


@login_required
@require_POST
@ratelimit("eoi-start", limit=20, period=3600)
def eoi_start(request):
    commune_id = _int(request.POST.get("commune"), None)
    commune = Commune.objects.of_member(request.user).filter(pk=commune_id).first()
    if commune_id is None or commune is None:
        messages.error(request, _("Please choose one of your communes."))
        return _eoi_list(request, status=400)
    eoi = services.start_expression_of_interest(user=request.user, commune=commune)
    messages.success(
        request, _("Your draft has been created. You can save each step and come back later.")
    )
    return redirect("partnerships:eoi-step", pk=eoi.pk, step=STEPS[0].slug)


@login_required_keep_post
@require_http_methods(["GET", "POST"])
@ratelimit("eoi-save", limit=300, period=3600)
def eoi_step(request, pk, step):
    eoi = _eoi_for(request, pk)
    current = STEP_BY_SLUG.get(step)
    if current is None:
        raise Http404
    if not may(request.user, "partnerships.edit_eoi", eoi):
        return redirect(eoi)
    index = STEPS.index(current)
    data = request.POST if request.method == "POST" else pop_pending_post(request)
    if data is not None and request.method == "GET":
        messages.warning(
            request,
            _("Your session had ended. We kept what you typed: please check it and save again."),
        )
    form = FORMS[current.slug](data, instance=eoi, user=request.user)
    formset = LanguageFormSet(data, instance=eoi, prefix="languages") if step == "expert" else None
    seen_revision = _int(data.get("revision") if data else None, eoi.revision)
    if request.method == "POST":
        continuing = "save_continue" in request.POST
        valid = form.is_valid() & (formset is None or formset.is_valid())
        try:
            services.save_step(
                eoi=eoi,
                user=request.user,
                form=form,
                formset=formset,
                seen_revision=seen_revision,
            )
        except ValidationError as error:
            form.add_error(None, error)
            # Saving again after comparing overwrites the newer version knowingly.
            seen_revision = ExpressionOfInterest.objects.values_list("revision", flat=True).get(
                pk=eoi.pk
            )
        else:
            seen_revision = eoi.revision
            if valid:
                if continuing:
                    following = STEPS[index + 1].slug if index + 1 < len(STEPS) else None
                    if following:
                        return redirect("partnerships:eoi-step", pk=eoi.pk, step=following)
                    return redirect("partnerships:eoi-review", pk=eoi.pk)
                messages.success(request, _("Your draft has been saved."))
                return redirect("partnerships:eoi-step", pk=eoi.pk, step=step)
            messages.warning(
                request,
                _("The fields without errors have been saved; please correct the others."),
            )
    context = {
        "eoi": _with_progress(request, eoi),
        "steps": STEPS,
        "step": current,
        "index": index,
        "form": form,
        "formset": formset,
        "revision": seen_revision,
        "previous": STEPS[index - 1] if index else None,
    }
    if step == "contributions":
        context["attachments"] = eoi.attachments.all()
        context["attachment_form"] = AttachmentForm()
        context["max_attachments"] = services.MAX_ATTACHMENTS
    status = 400 if request.method == "POST" else 200
    return render(request, "partnerships/eoi_step.html", context, status=status)


def _with_progress(request, eoi: ExpressionOfInterest) -> ExpressionOfInterest:
    """The EOI with its status in words for this reader (eoi.progress)."""
    return progress.label([eoi], request.user)[0]


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_POST
@ratelimit("eoi-upload", limit=60, period=3600)
def attachment_upload(request, pk):
    eoi = _eoi_for(request, pk)
    if not may(request.user, "partnerships.edit_eoi", eoi):
        raise Http404
    save_upload(
        request,
        AttachmentForm(request.POST, request.FILES),
        lambda data: services.add_attachment(
            eoi=eoi, user=request.user, file=data["file"], description=data["description"]
        ),
        success=_("The file has been added."),
    )
    return redirect(
        reverse("partnerships:eoi-step", args=[eoi.pk, "contributions"]) + "#attachments"
    )


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    eoi = _eoi_for(request, pk)
    attachment = get_object_or_404(eoi.attachments, pk=attachment_pk)
    if not may(request.user, "partnerships.edit_eoi", eoi):
        raise Http404
    services.delete_attachment(attachment=attachment, user=request.user)
    messages.success(request, _("The file has been removed."))
    return redirect(
        reverse("partnerships:eoi-step", args=[eoi.pk, "contributions"]) + "#attachments"
    )


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    eoi = _eoi_for(request, pk)
    attachment = get_object_or_404(Attachment.objects.filter(eoi=eoi), pk=attachment_pk)
    return private_file(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_GET
def eoi_review(request, pk):
    return _review_page(request, _eoi_for(request, pk))


def _review_page(request, eoi, confirm_form=None, status=200):
    """The review page, also when a confirmation was refused (with the form and its errors)."""
    communes = communes_of(request.user, eoi) if eoi.is_editable else []
    confirmed = services.confirmed_communes(eoi)
    unconfirmed = [c for c in communes if c.pk not in confirmed]
    if confirm_form is None and unconfirmed:
        confirm_form = ConfirmForm(communes=unconfirmed)
    return render(
        request,
        "partnerships/eoi_review.html",
        {
            "eoi": _with_progress(request, eoi),
            "steps": STEPS,
            "missing": services.missing_fields(eoi),
            "parties": [(c, c.pk in confirmed) for c in party_communes(eoi)],
            "confirm_form": confirm_form,
            "content": _content(eoi),
            "can_edit": may(request.user, "partnerships.edit_eoi", eoi),
        },
        status=status,
    )


@login_required
@require_POST
@ratelimit("eoi-confirm", limit=30, period=3600)
def eoi_confirm(request, pk):
    eoi = _eoi_for(request, pk)
    form = ConfirmForm(request.POST, communes=communes_of(request.user, eoi))
    if not form.is_valid():
        if "commune" in form.errors:
            raise Http404
        return _review_page(request, eoi, confirm_form=form, status=400)
    try:
        submitted = services.confirm(
            eoi=eoi, user=request.user, commune=form.cleaned_data["commune"]
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("partnerships:eoi-review", pk=eoi.pk)
    if submitted:
        messages.success(
            request,
            _(
                "Both communes have confirmed: your expression of interest "
                "has been submitted to the programme."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Your confirmation has been recorded. The expression of "
                "interest is submitted once your partner confirms too."
            ),
        )
    return redirect(eoi)


def _content(eoi):
    """The EOI's answers grouped by step, for read-only pages (one query per relation not
    fetched yet: the page's checks have read the partnerships and host communes)."""
    prefetch_related_objects(
        [eoi],
        "partnerships",
        "host_communes",
        "themes",
        "sdgs",
        "preferred_deployment_types",
        "languages",
        "attachments",
    )
    groups = []
    for step in STEPS:
        rows = []
        for name in step.fields:
            field = ExpressionOfInterest._meta.get_field(name)
            rows.append((field.verbose_name, answer(eoi, name, for_page=True)))
        if step.slug == "expert":
            rows.append((_("Languages"), ", ".join(str(lang) for lang in eoi.languages.all())))
        groups.append((step, rows))
    return {"groups": groups, "attachments": list(eoi.attachments.all())}


# The page's EOI and what its content reads, for a member of the EOI's communes: their SQL
# compiled once (portal.sqlcache). The keys: the EOI's, then the reader's communes.


def _eoi_of_communes(keys):
    return (
        ExpressionOfInterest.objects.filter(pk__in=keys[:1])
        .filter(pk__in=eoi_of_communes(keys[1:]))
        .select_related("initiating_commune")
    )


def _themes_of(keys):
    return Theme.objects.filter(expressionofinterest__in=keys).annotate(
        eoi_key=F("expressionofinterest")
    )


def _sdgs_of(keys):
    return SustainableDevelopmentGoal.objects.filter(expressionofinterest__in=keys).annotate(
        eoi_key=F("expressionofinterest")
    )


def _deployment_types_of(keys):
    return DeploymentType.objects.filter(expressionofinterest__in=keys).annotate(
        eoi_key=F("expressionofinterest")
    )


def _languages_of(keys):
    return RequiredLanguage.objects.filter(eoi__in=keys)


def _attachments_of(keys):
    return Attachment.objects.filter(eoi__in=keys)


def _read_eoi_of_communes(pk, own) -> ExpressionOfInterest | None:
    """The EOI `pk` if one of the communes `own` takes part, with its parties (what the page's
    checks and the status in words read)."""
    found = sqlcache.rows(_eoi_of_communes, [pk, *sorted(own)])
    if not found:
        return None
    progress.attach_parties(found)
    return found[0]


def _read_content(eoi: ExpressionOfInterest) -> None:
    """What the EOI's content shows beyond its parties, its SQL compiled once."""
    for name, build, key in (
        ("themes", _themes_of, "eoi_key"),
        ("sdgs", _sdgs_of, "eoi_key"),
        ("preferred_deployment_types", _deployment_types_of, "eoi_key"),
        ("languages", _languages_of, "eoi_id"),
        ("attachments", _attachments_of, "eoi_id"),
    ):
        sqlcache.prefetched([eoi], name, sqlcache.rows(build, [eoi.pk]), key)


# What the history and the messages show of each line, its author and commune (not, say, a
# password hash per line).
_EVENT_FIELDS = (
    *("eoi", "kind", "note", "created_at"),
    *("actor__full_name", "actor__email", "commune__name"),
)
_COMMENT_FIELDS = (
    *("eoi", "from_programme", "body", "created_at"),
    *("author__full_name", "author__email", "commune__name"),
)


def _events_of(keys):
    return (
        EOIEvent.objects.filter(eoi__in=keys)
        .select_related("actor", "commune")
        .only(*_EVENT_FIELDS)
    )


def _comments_of(keys):
    return (
        Comment.objects.filter(eoi__in=keys)
        .select_related("author", "commune")
        .only(*_COMMENT_FIELDS)
    )


def _versions_of(keys):
    return SubmittedVersion.objects.filter(eoi__in=keys)


def _eoi_page(request, eoi, version: str, comment_form=None, status=200):
    """The expression of interest's page, also when a message could not be sent (with the form
    and its errors). `version` is eoi_pages_version(), read before the EOI was."""
    may_comment = may(request.user, "partnerships.comment_eoi", eoi)
    can_edit = may(request.user, "partnerships.edit_eoi", eoi)
    can_withdraw = may(request.user, "partnerships.withdraw_eoi", eoi)
    # What the page shows of the EOI comes from the cache (selectors, "What the EOI pages keep in
    # the cache"); where it stands for this reader, the panels and the form on every request.
    key = ":".join(
        [
            "eoi-page",
            version,
            str(eoi.pk),
            get_language() or "",
            # Dates and times are shown in the reader's time zone.
            timezone.get_current_timezone_name(),
            str(can_edit),
            str(can_withdraw),
        ]
    )
    parts = cache.get(key)
    if parts is None:
        parts = _eoi_parts(eoi, can_edit=can_edit, can_withdraw=can_withdraw)
        cache.set(key, parts, EOI_PAGE_SECONDS)
    return render(
        request,
        "partnerships/eoi_detail.html",
        {
            # Labelled already when kept (eoi_detail).
            "eoi": eoi if hasattr(eoi, "progress") else _with_progress(request, eoi),
            # Our own HTML, rendered with autoescaping (the cache holds it as plain strings).
            "parts": {name: mark_safe(html) for name, html in parts.items()},
            "comment_form": comment_form or (CommentForm() if may_comment else None),
            # Sections of apps above partnerships (placements: candidates, requests).
            "panels": eoi_panels.panels(request, eoi),
        },
        status=status,
    )


def _eoi_parts(eoi, *, can_edit: bool, can_withdraw: bool) -> dict[str, str]:
    """The EOI's page but where it stands, its panels and its form, in parts, the same for every
    reader with the same rights (rendered without the request: `can_edit` and `can_withdraw` are
    all it shows of the reader). `eoi` is read with its parties."""
    _read_content(eoi)
    context = {
        "eoi": eoi,
        "content": _content(eoi),
        "events": sqlcache.rows(_events_of, [eoi.pk]),
        "comments": sqlcache.rows(_comments_of, [eoi.pk]),
        "versions": sqlcache.rows(_versions_of, [eoi.pk]),
        "can_edit": can_edit,
        "can_withdraw": can_withdraw,
    }
    return {
        name: render_to_string(template, context)
        for name, template in (
            ("actions", "partnerships/includes_eoi_actions.html"),
            ("content", "partnerships/includes_content.html"),
            ("messages", "partnerships/includes_eoi_messages.html"),
            ("history", "partnerships/includes_eoi_history.html"),
        )
    }


@login_required
@require_GET
def eoi_detail(request, pk):
    # With its parties: the page's checks (may edit, withdraw, comment) and the status in words
    # read them from the one fetch.
    own = own_communes(request.user)
    if reads_eois(request.user) or not own:
        # Read before the EOI: a change committed meanwhile renews it once more.
        version = eoi_pages_version()
        eoi = get_object_or_404(progress.with_parties(eois_visible_to(request.user)), pk=pk)
        return _eoi_page(request, eoi, version)
    # A commune member's EOI, with where it stands for its communes, is the same for every
    # member of the same communes: kept per communes and language under the same version, with
    # what the panels of apps above read of it (registries.eoi_panels).
    own_keys = sorted(commune.pk for commune in own)
    key = ":".join(["eoi-of-communes", str(pk), ",".join(map(str, own_keys)), get_language() or ""])
    version, eoi = read_under_eoi_pages_version(key)
    if eoi is not None:
        return _eoi_page(request, eoi, version)
    eoi = _read_eoi_of_communes(pk, own_keys)
    if eoi is None:
        raise Http404
    response = _eoi_page(request, _with_progress(request, eoi), version)
    keep_with_version(key, version, eoi, EOI_PAGE_SECONDS)
    return response


@login_required_keep_post
@require_POST
@ratelimit("eoi-comment", limit=30, period=600)
def eoi_comment(request, pk):
    version = eoi_pages_version()
    eoi = _eoi_for(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(eoi=eoi, author=request.user, body=form.cleaned_data["body"])
        except PermissionDenied:
            # Those who read the EOI but may not write (coordinators, finance).
            raise PermissionDenied(_("Your role may not send messages to the communes.")) from None
        messages.success(request, _("Your message has been sent."))
        return redirect(reverse("partnerships:eoi-detail", args=[eoi.pk]) + "#messages")
    return _eoi_page(request, eoi, version, comment_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def eoi_withdraw(request, pk):
    eoi = _eoi_for(request, pk)
    if not communes_of(request.user, eoi):
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(eoi=eoi, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The expression of interest has been withdrawn."))
            return redirect(eoi)
    return render(
        request,
        "partnerships/eoi_withdraw.html",
        {"eoi": eoi, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def eoi_compare(request, pk):
    eoi = _eoi_for(request, pk)
    versions = list(eoi.versions.all())
    if not versions:
        raise Http404
    labels = {
        f.name: f.verbose_name
        for f in ExpressionOfInterest._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    labels.update({"languages": _("Languages"), "attachments": _("Attachments")})
    context = versions_compared(versions, request.GET, labels)
    return render(request, "partnerships/eoi_compare.html", {"eoi": eoi, **context})
