"""Writes of the partnerships app: membership of communes, invitations and the joint expression
of interest (drafting, confirmation by both sides, submission, changes, withdrawal)."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import construct_instance
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import links, roles
from portal.models import User
from portal.policies import may
from portal.services import send_notification, send_notification_to_address
from portal.text import strip_bidi_controls
from portal.uploads import validate_upload

from .models import (
    INVITATION_VALID_DAYS,
    Attachment,
    Comment,
    Commune,
    CommuneMembership,
    Confirmation,
    EOIEvent,
    ExpressionOfInterest,
    Invitation,
    MembershipRequest,
    Partnership,
    SubmittedVersion,
)
from .policies import communes_of, forget_own_communes, is_member, party_communes
from .signals import eoi_submitted, eoi_withdrawn
from .steps import STEPS, answer

PRIVACY_NOTICE_VERSION = "1"
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
Status = ExpressionOfInterest.Status
INVITATION_LINK = "partnerships.invitation"


# --- Communes and membership -------------------------------------------------------------------


def _add_member(*, user: User, commune: Commune, by: User | None, function: str = "") -> None:
    CommuneMembership.objects.get_or_create(
        user=user, commune=commune, defaults={"confirmed_by": by, "function": function}
    )
    user.groups.add(Group.objects.get(name=roles.APPLICANT))
    forget_own_communes(user)


def request_membership(*, user: User, commune: Commune, function: str, message: str = ""):
    """A user asks to be confirmed as staff of a commune."""
    if is_member(user, commune):
        raise ValidationError(_("You are already a member of this commune."), code="member")
    if MembershipRequest.objects.filter(
        user=user, commune=commune, status=MembershipRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("Your request for this commune is already waiting for confirmation."), code="pending"
        )
    with transaction.atomic():
        membership_request = MembershipRequest.objects.create(
            user=user, commune=commune, function=function, message=message
        )
        # A request made at sign-up waits until the address is confirmed: nobody is emailed in
        # the name of an address its owner has not confirmed (notify_members_of_requests).
        if EmailAddress.objects.filter(user=user, verified=True).exists():
            _notify_members(membership_request)
    return membership_request


def _notify_members(membership_request: MembershipRequest) -> None:
    commune = membership_request.commune
    for member in User.objects.filter(commune_memberships__commune=commune, is_active=True):
        send_notification(
            recipient=member,
            template="membership_requested",
            context={
                "commune": commune,
                "applicant": membership_request.user,
                "membership_request": membership_request,
            },
        )


@transaction.atomic
def notify_members_of_requests(*, user: User) -> None:
    """Once a person confirms their address, the members of the communes they asked to join
    (at sign-up) are told."""
    pending = MembershipRequest.objects.filter(
        user=user, status=MembershipRequest.Status.PENDING
    ).select_related("commune", "user")
    for membership_request in pending:
        _notify_members(membership_request)


def _decide(membership_request: MembershipRequest, by: User, status: str) -> MembershipRequest:
    locked = MembershipRequest.objects.select_for_update().get(pk=membership_request.pk)
    if not may(by, "partnerships.decide_membership", locked.commune):
        raise PermissionDenied
    if locked.status != MembershipRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked


@transaction.atomic
def confirm_membership_request(
    *, membership_request: MembershipRequest, by: User
) -> MembershipRequest:
    """Confirm a pending request: the user becomes a member of the commune and an applicant."""
    decided = _decide(membership_request, by, MembershipRequest.Status.CONFIRMED)
    _add_member(user=decided.user, commune=decided.commune, by=by, function=decided.function)
    send_notification(
        recipient=decided.user,
        template="membership_confirmed",
        context={"commune": decided.commune},
    )
    return decided


@transaction.atomic
def refuse_membership_request(
    *, membership_request: MembershipRequest, by: User
) -> MembershipRequest:
    """Refuse a pending request; the user is told."""
    decided = _decide(membership_request, by, MembershipRequest.Status.REFUSED)
    send_notification(
        recipient=decided.user, template="membership_refused", context={"commune": decided.commune}
    )
    return decided


@transaction.atomic
def invite(*, commune: Commune, email: str, name: str, language: str, by: User) -> Invitation:
    """Send an expiring link with which the person joins the commune."""
    if not may(by, "partnerships.invite", commune):
        raise PermissionDenied
    if CommuneMembership.objects.filter(commune=commune, user__email__iexact=email).exists():
        raise ValidationError(
            _("This person is already a member of %(commune)s.") % {"commune": commune.name},
            code="member",
        )
    signed, digest = links.make_link(INVITATION_LINK)
    invitation = Invitation.objects.create(
        commune=commune,
        email=email,
        name=name,
        language=language,
        invited_by=by,
        token_digest=digest,
    )
    _send_invitation(invitation, by, signed)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """Send an invitation that was not taken up again, with a new link valid for the full
    period; the old link stops working."""
    invitation = (
        Invitation.objects.select_for_update().select_related("commune").get(pk=invitation.pk)
    )
    if not may(by, "partnerships.invite", invitation.commune):
        raise PermissionDenied
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    signed, invitation.token_digest = links.make_link(INVITATION_LINK)
    invitation.expires_at = Invitation._meta.get_field("expires_at").get_default()
    invitation.save(update_fields=["token_digest", "expires_at"])
    _send_invitation(invitation, by, signed)
    return invitation


def _send_invitation(invitation: Invitation, by: User, signed: str) -> None:
    # The link is built here only: the database keeps its digest, not the link.
    link = settings.SITE_URL + reverse("partnerships:invitation-accept", args=[signed])
    send_notification_to_address(
        email=invitation.email,
        language=invitation.language,
        template="invitation",
        context={
            "invitation": invitation,
            "commune": invitation.commune,
            "inviter": by,
            "link": link,
        },
    )


def invitation_to_accept(*, token: str) -> Invitation | None:
    """The invitation a link is for; None for a forged link or one replaced by a resend.
    Raises a ValidationError when the link has expired."""
    digest = links.open_link(INVITATION_LINK, token, max_age=timedelta(days=INVITATION_VALID_DAYS))
    if digest is None:
        return None
    return (
        Invitation.objects.select_related("commune", "invited_by")
        .filter(token_digest=digest)
        .first()
    )


def check_invitation(*, invitation: Invitation, user: User) -> None:
    """Raise a ValidationError that says why the user cannot accept the invitation, if so."""
    if not invitation.is_usable:
        raise ValidationError(
            _("This invitation has expired or has already been used. Please ask for a new one."),
            code="unusable",
        )
    links.check_addressee(user, invitation.email)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> CommuneMembership:
    """Make the person the invitation was sent to a member of the commune; the link is used."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_invitation(invitation=invitation, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _add_member(user=user, commune=invitation.commune, by=invitation.invited_by)
    return CommuneMembership.objects.get(user=user, commune=invitation.commune)


# --- Expression of interest ----------------------------------------------------------------------


def eoi_event(eoi, kind, actor, *, commune=None, from_status="", to_status="", note="", at=None):
    """An unsaved event of the EOI's history; `at` for rows written in bulk with past times."""
    event = EOIEvent(
        eoi=eoi,
        kind=kind,
        actor=actor,
        commune=commune,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    if at is not None:
        event.created_at = at
    return event


def eoi_confirmation(eoi, commune, user, *, revision: int, at=None) -> Confirmation:
    """An unsaved confirmation of one revision of the EOI by one of its communes."""
    confirmation = Confirmation(eoi=eoi, commune=commune, revision=revision, user=user)
    if at is not None:
        confirmation.created_at = at
    return confirmation


def eoi_comment(eoi, author, body, *, commune=None, from_programme=False, at=None) -> Comment:
    """An unsaved comment on the EOI, by the programme or by one of its communes."""
    comment = Comment(
        eoi=eoi, author=author, commune=commune, from_programme=from_programme, body=body
    )
    if at is not None:
        comment.created_at = at
    return comment


def _record(eoi, kind, actor, **details):
    eoi_event(eoi, kind, actor, **details).save()


def _members(communes) -> list[User]:
    return list(
        User.objects.filter(commune_memberships__commune__in=communes, is_active=True).distinct()
    )


def _programme_staff() -> list[User]:
    return list(
        User.objects.filter(groups__name__in=[roles.SKEW, roles.GIZ], is_active=True).distinct()
    )


def _notify(users, template, eoi, **context):
    for user in users:
        send_notification(
            recipient=user,
            template=template,
            context={"eoi": eoi, "link": settings.SITE_URL + eoi.get_absolute_url(), **context},
        )


@transaction.atomic
def start_expression_of_interest(*, user: User, commune: Commune) -> ExpressionOfInterest:
    """Open a draft on behalf of one of the user's communes (either side may start)."""
    if not is_member(user, commune):
        raise PermissionDenied
    eoi = ExpressionOfInterest.objects.create(initiating_commune=commune, created_by=user)
    partnerships = Partnership.objects.filter(
        Q(german_commune=commune) | Q(partner_communes=commune)
    ).distinct()
    if len(partnerships) == 1:
        eoi.partnerships.set(partnerships)
        if not commune.is_german:
            eoi.host_communes.add(commune)
        elif partnerships[0].partner_communes.count() == 1:
            eoi.host_communes.set(partnerships[0].partner_communes.all())
    _record(eoi, EOIEvent.Kind.CREATED, user, commune=commune, to_status=Status.DRAFT)
    return eoi


def lock(eoi: ExpressionOfInterest) -> ExpressionOfInterest:
    """Re-read the EOI with a row lock; call inside a transaction."""
    return ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)


@transaction.atomic
def save_step(
    *, eoi: ExpressionOfInterest, user: User, form, seen_revision: int, formset=None
) -> bool:
    """Save one step of the form as a draft: every answer that is valid, also when others are not
    (the page shows their errors; only the confirmation needs a complete form), and the languages
    when all their rows are valid. Refuses when the other side saved a newer revision since the
    user opened the page, so that nobody overwrites the partner's work unseen.

    Returns whether anything changed."""
    locked = lock(eoi)
    if not may(user, "partnerships.edit_eoi", locked):
        raise PermissionDenied
    if locked.revision != seen_revision:
        raise ValidationError(
            _(
                "Someone else saved this expression of interest while you were editing it. "
                "Your input is still in the form below: compare it with the current version "
                "and save again."
            ),
            code="conflict",
        )
    form.is_valid()
    # cleaned_data holds only the answers without an error.
    answers = [name for name in form.changed_data if name in form.cleaned_data]
    languages = formset is not None and formset.is_valid() and formset.has_changed()
    if not (answers or languages):
        return False
    # The form put the typed values on the caller's copy; they must go on the locked row, or
    # saving it would write back the old values of every other field.
    construct_instance(form, locked, fields=answers)
    many = {f.name: f for f in ExpressionOfInterest._meta.many_to_many}
    locked.revision += 1
    locked.save(
        update_fields=[*(name for name in answers if name not in many), "revision", "updated_at"]
    )
    for name in answers:
        if name in many:
            many[name].save_form_data(locked, form.cleaned_data[name])
    if languages:
        formset.instance = locked
        formset.save()
    last = locked.events.order_by("-created_at", "-pk").first()
    # One "edited" line per person and half hour keeps the history readable.
    if not (
        last
        and last.kind == EOIEvent.Kind.EDITED
        and last.actor_id == user.pk
        and (timezone.now() - last.created_at).total_seconds() < 1800
    ):
        _record(locked, EOIEvent.Kind.EDITED, user, note=form.step_slug)
    eoi.revision = locked.revision
    return True


def missing_fields(eoi: ExpressionOfInterest) -> list[tuple[str, str]]:
    """What must be filled in before the communes can confirm, as (step, field label)."""
    missing = []
    for step in STEPS:
        for name in step.required_for_submission:
            value = getattr(eoi, name)
            filled = value.exists() if hasattr(value, "exists") else value not in (None, "", False)
            if name == "preferred_deployment_types":
                filled = filled or eoi.deployment_advice_wanted
            if not filled:
                field = ExpressionOfInterest._meta.get_field(name)
                missing.append((step.slug, str(field.verbose_name)))
    return missing


def confirmed_communes(eoi: ExpressionOfInterest) -> set[int]:
    return set(eoi.confirmations.filter(revision=eoi.revision).values_list("commune_id", flat=True))


@transaction.atomic
def confirm(*, eoi: ExpressionOfInterest, user: User, commune: Commune) -> bool:
    """A commune confirms the EOI as it stands now. When every party commune has confirmed the
    same revision, the EOI is submitted. Returns whether it was submitted."""
    locked = lock(eoi)
    if not locked.is_editable:
        raise ValidationError(_("This expression of interest can no longer be changed."))
    if commune not in party_communes(locked) or not is_member(user, commune):
        raise PermissionDenied
    missing = missing_fields(locked)
    if missing:
        raise ValidationError(
            _("Please complete the form first: %(fields)s.")
            % {"fields": ", ".join(label for _step, label in missing)},
            code="incomplete",
        )
    if not locked.confirmations.filter(commune=commune, revision=locked.revision).exists():
        eoi_confirmation(locked, commune, user, revision=locked.revision).save()
    _record(locked, EOIEvent.Kind.CONFIRMED, user, commune=commune)
    parties = party_communes(locked)
    if {c.pk for c in parties} <= confirmed_communes(locked):
        _submit(locked, user)
        return True
    others = [c for c in parties if c.pk not in confirmed_communes(locked)]
    _notify(_members(others), "eoi_confirmed", locked, commune=commune, confirmer=user)
    return False


def snapshot(eoi: ExpressionOfInterest) -> dict:
    """The content of the EOI as plain, translated-later values, for versions and comparison."""
    content = {}
    # Always in the same language, not in that of whoever confirmed last: otherwise two versions
    # confirmed from a French and a German page differ in every translated value.
    with translation.override(settings.LANGUAGE_CODE):
        for step in STEPS:
            for name in step.fields:
                content[name] = answer(eoi, name, for_page=False)
        content["languages"] = sorted(str(lang) for lang in eoi.languages.all())
    content["attachments"] = sorted(a.original_name for a in eoi.attachments.all())
    return content


def _submit(eoi: ExpressionOfInterest, user: User) -> None:
    from_status = eoi.status
    number = eoi.versions.count() + 1
    eoi.status = Status.SUBMITTED
    eoi.submitted_at = timezone.now()
    eoi.privacy_notice_version = PRIVACY_NOTICE_VERSION
    eoi.save(update_fields=["status", "submitted_at", "privacy_notice_version", "updated_at"])
    SubmittedVersion.objects.create(eoi=eoi, number=number, content=snapshot(eoi))
    _record(
        eoi,
        EOIEvent.Kind.SUBMITTED,
        user,
        from_status=from_status,
        to_status=Status.SUBMITTED,
        note=str(number),  # the number, not a text: shown in the reader's language
    )
    _notify(_members(party_communes(eoi)), "eoi_submitted", eoi, version=number)
    _notify(_programme_staff(), "eoi_submitted_staff", eoi, version=number)
    # placements opens the case (or moves it on when the communes answer a request).
    eoi_submitted.send(sender=ExpressionOfInterest, eoi=eoi, by=user)


@transaction.atomic
def request_changes(*, eoi: ExpressionOfInterest, by: User, message: str) -> None:
    """Programme staff send a submitted EOI back to the communes for more information."""
    locked = lock(eoi)
    if not may(by, "partnerships.send_eoi_back"):
        raise PermissionDenied
    if locked.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted expression of interest can be sent back."))
    if not message.strip():
        raise ValidationError(_("Please say what information is missing."), code="required")
    locked.status = Status.CHANGES_REQUESTED
    # A new revision: the confirmations of the submitted one no longer count, so that both
    # communes confirm again (also when they answer without changing the form).
    locked.revision += 1
    locked.save(update_fields=["status", "revision", "updated_at"])
    eoi_comment(locked, by, message, from_programme=True).save()
    _record(
        locked,
        EOIEvent.Kind.CHANGES_REQUESTED,
        by,
        from_status=Status.SUBMITTED,
        to_status=Status.CHANGES_REQUESTED,
        note=message,
    )
    _notify(_members(party_communes(locked)), "eoi_changes_requested", locked, message=message)


@transaction.atomic
def record_decision(*, eoi: ExpressionOfInterest, by: User, approved: bool, reason: str) -> None:
    """The programme has approved or declined the request (the case workflow calls this)."""
    locked = lock(eoi)
    from_status = locked.status
    locked.status = Status.DECIDED
    locked.save(update_fields=["status", "updated_at"])
    _record(
        locked,
        EOIEvent.Kind.DECIDED,
        by,
        from_status=from_status,
        to_status=Status.DECIDED,
        note=reason,
    )
    _notify(
        _members(party_communes(locked)), "eoi_decided", locked, approved=approved, reason=reason
    )


@transaction.atomic
def withdraw(*, eoi: ExpressionOfInterest, user: User, reason: str = "") -> None:
    """The communes withdraw their EOI; possible until the programme has decided."""
    locked = lock(eoi)
    if not communes_of(user, locked):
        raise PermissionDenied
    if locked.status in (Status.WITHDRAWN, Status.DECIDED):
        raise ValidationError(_("This expression of interest can no longer be withdrawn."))
    from_status = locked.status
    locked.status = Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    # A submitted EOI has a case in the programme's work list: placements withdraws it too.
    eoi_withdrawn.send(sender=ExpressionOfInterest, eoi=locked, by=user, reason=reason)
    _record(
        locked,
        EOIEvent.Kind.WITHDRAWN,
        user,
        from_status=from_status,
        to_status=Status.WITHDRAWN,
        note=reason,
    )
    recipients = _members(party_communes(locked))
    if from_status != Status.DRAFT:
        recipients += _programme_staff()
    _notify(
        [u for u in recipients if u != user], "eoi_withdrawn", locked, reason=reason, actor=user
    )


@transaction.atomic
def add_comment(*, eoi: ExpressionOfInterest, author: User, body: str) -> Comment:
    from_programme = may(author, "partnerships.write_as_programme")
    communes = [] if from_programme else communes_of(author, eoi)
    if not (from_programme or communes):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("Please write a message."), code="required")
    comment = eoi_comment(
        eoi, author, body, commune=communes[0] if communes else None, from_programme=from_programme
    )
    comment.save()
    recipients = _members(party_communes(eoi))
    if eoi.status != Status.DRAFT:
        recipients += _programme_staff()
    _notify([u for u in set(recipients) if u != author], "eoi_comment", eoi, comment=comment)
    return comment


@transaction.atomic
def add_attachment(*, eoi: ExpressionOfInterest, user: User, file, description: str = ""):
    locked = lock(eoi)
    if not may(user, "partnerships.edit_eoi", locked):
        raise PermissionDenied
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("An expression of interest can have at most %(count)s attachments.")
            % {"count": MAX_ATTACHMENTS},
            code="too_many",
        )
    content_type = validate_upload(file, max_bytes=MAX_ATTACHMENT_BYTES)
    attachment = Attachment.objects.create(
        eoi=locked,
        file=file,
        original_name=strip_bidi_controls(file.name)[:255],
        content_type=content_type,
        size=file.size,
        description=description,
        uploaded_by=user,
    )
    locked.revision += 1
    locked.save(update_fields=["revision", "updated_at"])
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: Attachment, user: User) -> None:
    locked = lock(attachment.eoi)
    if not may(user, "partnerships.edit_eoi", locked):
        raise PermissionDenied
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))
    locked.revision += 1
    locked.save(update_fields=["revision", "updated_at"])
