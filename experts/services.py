"""Writes of the experts app: profiles, their documents, taking over a profile that programme staff
created, and the expert's own export and erasure of their data."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import links, roles
from portal import services as portal_services
from portal.models import OutgoingEmail, User
from portal.text import strip_bidi_controls
from portal.uploads import JPEG, PDF, PNG, validate_upload

from .models import (
    DocumentAccess,
    ExpertDocument,
    ExpertProfile,
)
from .registries import profile_erasers, profile_exporters, profile_keepers

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_CERTIFICATES = 10
ALLOWED_TYPES = {
    ExpertDocument.Kind.CV: {PDF: (".pdf",)},
    ExpertDocument.Kind.CERTIFICATE: {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)},
}
CLAIM_VALID_DAYS = 30
CLAIM_LINK = "experts.claim"
# The language of emails to experts who have no account yet: the programme works in English.
PROGRAMME_LANGUAGE = "en"


def _lock(profile: ExpertProfile) -> ExpertProfile:
    return ExpertProfile.objects.select_for_update().get(pk=profile.pk)


def _expert_group() -> Group:
    return Group.objects.get(name=roles.EXPERT)


# --- Profile --------------------------------------------------------------------------------------


@transaction.atomic
def create_profile(*, user: User) -> ExpertProfile:
    """Open an expert profile for a user who registered themselves, and give them the expert
    role."""
    if ExpertProfile.objects.filter(user=user).exists():
        raise ValidationError(_("You already have an expert profile."), code="exists")
    try:
        with transaction.atomic():
            profile = ExpertProfile.objects.create(
                user=user, full_name=user.full_name, email=user.email, proposed_by="self"
            )
    except IntegrityError:
        # The same person sent the form twice at once: the other request made the profile.
        raise ValidationError(_("You already have an expert profile."), code="exists") from None
    user.groups.add(_expert_group())
    return profile


@transaction.atomic
def save_profile(*, profile: ExpertProfile, form, languages, positions) -> ExpertProfile:
    """Save the profile form with its languages and previous positions: all of it or nothing."""
    _lock(profile)
    saved = form.save()
    for formset in (languages, positions):
        formset.instance = saved
        formset.save()
    return saved


def completeness(profile: ExpertProfile) -> tuple[int, list[str]]:
    """How complete the profile is in percent, and what is still missing, as the expert reads it.

    Reads the profile's languages, positions, documents, expertise and deployment models: load
    it with ``ExpertProfile.objects.with_details()`` to spend no further query."""
    checks = [
        (_("Your nationality"), bool(profile.nationalities)),
        (_("Your country of residence"), bool(profile.country_of_residence)),
        (_("At least one language"), bool(profile.languages.all())),
        (_("Your areas of expertise"), bool(profile.expertise.all())),
        (
            _("Your years of experience in municipal administration"),
            profile.years_municipal_experience is not None,
        ),
        (_("At least one previous position"), bool(profile.positions.all())),
        (_("When you are available"), profile.earliest_availability is not None),
        (_("The deployment models you are open to"), bool(profile.open_to_models.all())),
        (
            _("Your CV"),
            any(d.kind == ExpertDocument.Kind.CV for d in profile.documents.all()),
        ),
        (_("Your consent to be found for missions"), profile.consent_to_be_found),
    ]
    missing = [label for label, done in checks if not done]
    return round(100 * (len(checks) - len(missing)) / len(checks)), missing


# --- Documents ------------------------------------------------------------------------------------


@transaction.atomic
def add_document(*, profile: ExpertProfile, kind: str, file) -> ExpertDocument:
    """Store a CV (PDF) or a certificate (PDF, JPEG or PNG), at most 5 MB each. A new CV replaces
    the previous one; a profile has at most ten certificates."""
    if kind not in ALLOWED_TYPES:
        raise ValidationError(_("Please choose a CV or a certificate."), code="kind")
    content_type = validate_upload(file, max_bytes=MAX_DOCUMENT_BYTES, allowed=ALLOWED_TYPES[kind])
    locked = _lock(profile)
    existing = list(locked.documents.filter(kind=kind))
    if kind == ExpertDocument.Kind.CERTIFICATE and len(existing) >= MAX_CERTIFICATES:
        raise ValidationError(
            _("You can upload at most %(count)s certificates. Please remove one first.")
            % {"count": MAX_CERTIFICATES},
            code="too_many",
        )
    document = ExpertDocument.objects.create(
        expert=locked,
        kind=kind,
        file=file,
        original_name=strip_bidi_controls(file.name)[:255],
        content_type=content_type,
        size=file.size,
    )
    if kind == ExpertDocument.Kind.CV:
        for old in existing:
            _delete_document(old)
    return document


@transaction.atomic
def delete_document(*, document: ExpertDocument) -> None:
    """Remove a document; its file goes once the transaction has committed."""
    _lock(document.expert)
    _delete_document(document)


def _delete_document(document: ExpertDocument) -> None:
    storage, name = document.file.storage, document.file.name
    document.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


def open_document(*, document: ExpertDocument, user: User):
    """Open a document for reading and log who did: every view is logged, the expert's own too.
    Raises FileNotFoundError when the file is gone."""
    handle = document.file.open("rb")
    DocumentAccess.objects.create(expert_id=document.expert_id, document=document, user=user)
    return handle


def record_profile_export(*, profile_ids, user: User) -> None:
    """Log that these experts' profiles went into a list export (one access row each, written
    in one query), next to the opening of their documents."""
    DocumentAccess.objects.bulk_create(
        DocumentAccess(expert_id=pk, user=user, action=DocumentAccess.Action.EXPORT)
        for pk in profile_ids
    )


# --- Staff-created profiles: the expert takes them over ----------------------------------------


@transaction.atomic
def invite_to_claim(*, profile: ExpertProfile, by: User) -> str:
    """Email the expert a link with which they link a profile that staff created to their own
    account. A new invitation makes earlier links useless. Returns the link."""
    locked = _lock(profile)
    if locked.user_id:
        raise ValidationError(
            _("%(name)s already has an account linked to the profile.") % {"name": locked},
            code="claimed",
        )
    if locked.anonymised_at:
        raise ValidationError(_("This profile has been anonymised."), code="anonymised")
    if not locked.email:
        raise ValidationError(
            _("The profile of %(name)s has no email address to send the invitation to.")
            % {"name": locked},
            code="no_email",
        )
    signed, locked.claim_digest = links.make_link(CLAIM_LINK)
    locked.save(update_fields=["claim_digest", "updated_at"])
    link = settings.SITE_URL + reverse("experts:claim", args=[signed])
    portal_services.send_notification_to_address(
        email=locked.email,
        language=PROGRAMME_LANGUAGE,
        template="expert_claim",
        context={
            "profile": locked,
            "inviter": by,
            "link": link,
            "valid_days": CLAIM_VALID_DAYS,
        },
        key=f"expert-claim-{locked.pk}-{locked.claim_digest[:16]}",
    )
    return link


def profile_to_claim(*, token: str) -> ExpertProfile | None:
    """The profile a claim link is for; None for a link that was never sent or was used or
    replaced. Raises a ValidationError when the link has expired."""
    digest = links.open_link(CLAIM_LINK, token, max_age=timedelta(days=CLAIM_VALID_DAYS))
    if digest is None:
        return None
    return ExpertProfile.objects.filter(claim_digest=digest).first()


def check_claim(*, profile: ExpertProfile, user: User) -> None:
    """Raise a ValidationError that says why the user cannot take over the profile, if so."""
    if not profile.claim_digest or profile.user_id:
        raise ValidationError(
            _("This link has already been used. Please ask the programme team for a new one."),
            code="used",
        )
    links.check_addressee(user, profile.email)
    if ExpertProfile.objects.filter(user=user).exists():
        raise ValidationError(
            _(
                "Your account already has an expert profile. Please ask the programme team to "
                "merge the two profiles."
            ),
            code="has_profile",
        )


@transaction.atomic
def claim_profile(*, profile: ExpertProfile, user: User) -> ExpertProfile:
    """Link a profile that staff created to the account of the expert it was sent to, and give
    the account the expert role."""
    locked = _lock(profile)
    check_claim(profile=locked, user=user)
    locked.user = user
    locked.claim_digest = ""
    locked.save(update_fields=["user", "claim_digest", "updated_at"])
    user.groups.add(_expert_group())
    return locked


# --- The expert's own data: export and erasure --------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def export_expert_data(*, user: User) -> dict:
    """What experts keeps about a person, for their data export (portal.registries): the profile
    with its languages, positions, documents (without their content), what apps above add
    (applications), and who opened the documents when."""
    data = {}
    profile = ExpertProfile.objects.with_details().filter(user=user).first()
    if profile is None:
        data["expert_profile"] = None
        return data
    accesses = DocumentAccess.objects.filter(expert=profile).select_related("document")
    data["expert_profile"] = {
        "full_name": profile.full_name,
        "email": profile.email,
        "nationalities": [c.code for c in profile.nationalities],
        "country_of_residence": profile.country_of_residence.code or None,
        "years_municipal_experience": profile.years_municipal_experience,
        "earliest_availability": _iso(profile.earliest_availability),
        "preferred_regions": profile.preferred_regions,
        "regions_worked_in": profile.regions_worked_in,
        "countries_worked_in": [c.code for c in profile.countries_worked_in],
        "areas_of_expertise": [str(theme) for theme in profile.expertise.all()],
        "keywords": profile.keywords,
        "open_to_deployment_models": [str(model) for model in profile.open_to_models.all()],
        "consent_to_be_found": profile.consent_to_be_found,
        "proposed_by": profile.proposed_by,
        "created_at": _iso(profile.created_at),
        "updated_at": _iso(profile.updated_at),
        "languages": [
            {
                "language": lang.language,
                "name": str(lang.get_language_display()),
                "level": lang.level,
            }
            for lang in profile.languages.all()
        ],
        "positions": [
            {
                "employer": p.employer,
                "country": p.country.code,
                "role": p.role,
                "from": _iso(p.start),
                "to": _iso(p.end),
            }
            for p in profile.positions.all()
        ],
        "documents": [
            {
                "kind": d.kind,
                "file_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "uploaded_at": _iso(d.uploaded_at),
            }
            for d in profile.documents.all()
        ],
        "document_views": [
            {
                "document": a.document.original_name if a.document else None,
                "what": a.action,
                "when": _iso(a.created_at),
                "by_you": a.user_id == user.pk,
            }
            for a in accesses
        ],
    }
    for exporter in profile_exporters:
        data["expert_profile"].update(exporter(profile))
    return data


def keeps_records(profile: ExpertProfile) -> bool:
    """Whether missions or cases refer to the profile: erasing it then anonymises it, so that
    their records hold."""
    return any(keeps(profile) for keeps in profile_keepers)


@transaction.atomic
def erase_expert(*, profile: ExpertProfile) -> None:
    """Erase an expert's personal data. A profile that missions (or cases) refer to stays,
    anonymised, so that their records hold; any other profile is deleted. Files go once the
    transaction has committed; the profile's change history goes with it."""
    locked = _lock(profile)
    files = [(d.file.storage, d.file.name) for d in locked.documents.all()]
    if locked.email:
        OutgoingEmail.objects.filter(recipient__iexact=locked.email).update(
            recipient="erased@invalid", body="", html_body=""
        )
    pk = locked.pk
    for erase in profile_erasers:
        erase(locked)
    # The history keeps every earlier version of the row, names and addresses included.
    ExpertProfile.history.filter(id=pk).delete()
    if keeps_records(locked):
        _anonymise(locked)
    else:
        locked.delete()
        ExpertProfile.history.filter(id=pk).delete()

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def _anonymise(profile: ExpertProfile) -> None:
    profile.full_name = f"Anonymised expert #{profile.pk}"
    profile.email = ""
    # The nationalities stay: the mission records rest on them (the deployment model's rule).
    profile.country_of_residence = ""
    profile.keywords = ""
    profile.regions_worked_in = ""
    profile.preferred_regions = ""
    profile.countries_worked_in = []
    profile.years_municipal_experience = None
    profile.earliest_availability = None
    profile.consent_to_be_found = False
    profile.claim_digest = ""
    profile.anonymised_at = timezone.now()
    profile.user = None
    profile.save()
    profile.expertise.clear()
    profile.open_to_models.clear()
    profile.languages.all().delete()
    profile.positions.all().delete()
    profile.documents.all().delete()


def erase_expert_of(*, user: User) -> None:
    """A person erases their account (portal.services.erase_user): their profile goes first."""
    profile = ExpertProfile.objects.filter(user=user).first()
    if profile is not None:
        erase_expert(profile=profile)
