"""Factories of the partnerships app, and the form data a person would send for one step."""

import re
from datetime import date

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import DeploymentType, SustainableDevelopmentGoal, Theme
from partnerships.forms import FORMS
from partnerships.models import Commune, CommuneMembership, ExpressionOfInterest, Partnership
from portal import roles
from portal.models import OutgoingEmail
from tests.conftest import make_user
from tests.portal.pdfs import pdf_bytes


def invitation_path(invitation) -> str:
    """The path of the link in the latest email to the invited address: the database keeps only
    the digest of the link, so the email is the one place to read it."""
    body = OutgoingEmail.objects.filter(recipient=invitation.email).latest("pk").body
    link = re.search(re.escape(settings.SITE_URL) + r"/\S+", body).group(0)
    return link.removeprefix(settings.SITE_URL)


class CommuneFactory(factory.django.DjangoModelFactory):
    """A German commune; ``CommuneFactory(abroad=True)`` makes a partner commune in Togo."""

    class Meta:
        model = Commune
        django_get_or_create = ("name", "country", "region")

    class Params:
        abroad = factory.Trait(country="TG", region="Plateaux")

    name = factory.Sequence(lambda n: f"Commune {n}")
    country = "DE"
    region = "Sachsen"
    kind = Commune.Kind.CITY


class PartnershipFactory(factory.django.DjangoModelFactory):
    """A partnership of a German commune with one partner commune abroad (``partner=...`` to
    choose it)."""

    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    german_commune = factory.SubFactory(CommuneFactory)
    name = factory.LazyAttribute(lambda p: f"{p.german_commune.name} – partner")
    since_year = 2004
    formal_agreement = True

    @factory.post_generation
    def partner(self, create, extracted, **kwargs):
        if not create:
            return
        self.partner_communes.add(extracted or CommuneFactory(abroad=True))


class MembershipFactory(factory.django.DjangoModelFactory):
    """A confirmed member of a commune, in the applicant group as the services make them."""

    class Meta:
        model = CommuneMembership
        skip_postgeneration_save = True

    commune = factory.SubFactory(CommuneFactory)
    user = factory.Sequence(lambda n: make_user(f"member{n}@example.org", name=f"Member {n}"))
    function = "Head of the international office"

    @factory.post_generation
    def applicant_group(self, create, extracted, **kwargs):
        if create:
            self.user.groups.add(Group.objects.get(name=roles.APPLICANT))


class EOIFactory(factory.django.DjangoModelFactory):
    """A complete expression of interest of one partnership that ``services.missing_fields``
    accepts as it is; pass ``partnership=...`` (a new one is made otherwise)."""

    class Meta:
        model = ExpressionOfInterest

    partnership = factory.SubFactory(PartnershipFactory)
    initiating_commune = factory.LazyAttribute(lambda eoi: eoi.partnership.german_commune)
    title = factory.Sequence(lambda n: f"Waste management plan {n}")
    problem_and_needs = "Waste is collected in only half of the districts."
    project_idea = "A municipal waste strategy drawn up with the neighbourhoods."
    objectives = "Collection in every district within two years."
    expert_tasks = "Advise the technical department and train its staff."
    competence_skills = "Environmental engineering, five years in waste management."
    years_of_experience = 5
    intended_start = date(2027, 9, 1)
    duration_months = 24
    target_groups = "Residents of the unserved districts."
    inclusion = "A women's cooperative runs the composting site."
    transparency = "Collection data are published every month."
    cooperation = "The technical and finance departments meet every month."
    german_contribution = "Two colleagues accompany the expert for about 20 days a year."
    partner_workplace = "An office with a computer in the technical department."
    consent_data_processing = True

    @classmethod
    def _create(cls, model_class, *args, partnership, **kwargs):
        eoi = super()._create(model_class, *args, **kwargs)
        eoi.partnerships.set([partnership])
        eoi.host_communes.set(partnership.partner_communes.all())
        eoi.themes.set(Theme.objects.filter(code=Theme.Code.WASTE))
        eoi.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=[11, 12]))
        eoi.preferred_deployment_types.set(
            DeploymentType.objects.filter(code=DeploymentType.Code.INTEGRATED)
        )
        return eoi


def step_data(eoi, step, *, user, **changes):
    """The POST data of one step as the form shows it for ``eoi`` now, with ``changes`` typed in
    (lists for multiple choices, "" to empty a field)."""
    form = FORMS[step](instance=eoi, user=user)
    data = {"revision": str(eoi.revision)}
    for bound in form:
        name, value = bound.name, bound.value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif value is not None:
            data[name] = str(value)
    if step == "expert":
        data.update(
            {
                "languages-TOTAL_FORMS": "0",
                "languages-INITIAL_FORMS": "0",
                "languages-MIN_NUM_FORMS": "0",
                "languages-MAX_NUM_FORMS": "8",
            }
        )
    for name, value in changes.items():
        if value is False or value is None:
            data.pop(name, None)
        elif value is True:
            data[name] = "on"
        else:
            data[name] = value
    return data


PDF_BYTES = pdf_bytes()


def pdf_file(name="budget plan.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
