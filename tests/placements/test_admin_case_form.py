"""The case page's fieldsets, written by portal.admin_forms, are what Django's
admin/includes/fieldset.html renders: the whole page is the same as with Django's templates; its
timeline, written by placements.case_timeline, is what its template writes."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from placements import selectors
from placements.admin import CaseNoteInline, SalaryTopUpInline
from placements.case_timeline import timeline_items
from placements.models import Case, CaseEvent, CaseNote
from placements.models.cases import PORTAL_REASONS
from portal.admin_forms import PlainRelatedFieldWidgetWrapper, fieldset_html, rendered_media

pytestmark = pytest.mark.django_db


def djangos_fieldset(fieldset, **arguments):
    return render_to_string("admin/includes/fieldset.html", {"fieldset": fieldset, **arguments})


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'value="…"', html)


def test_the_case_page_is_the_page_djangos_templates_render(client, case, sam, monkeypatch):
    CaseNote.objects.create(case=case, author=sam, body="Mayor is hard to reach.")
    client.force_login(sam)
    url = reverse("admin:placements_case_change", args=[case.pk])
    for language in ("en", "de"):
        with translation.override(language):
            selectors.forget_case_page(sender=Case, instance=case)
            ours = without_tokens(client.get(url).content.decode())
            # And as kept in the cache (CaseAdmin.change_view).
            assert without_tokens(client.get(url).content.decode()) == ours
            selectors.forget_case_page(sender=Case, instance=case)
            with monkeypatch.context() as m:
                # Django's own fieldset template and stacked inlines.
                m.setattr(CaseNoteInline, "template", "admin/edit_inline/stacked.html")
                m.setattr(SalaryTopUpInline, "template", "admin/edit_inline/stacked.html")
                m.setattr("portal.templatetags.portal_admin.fieldset_html", djangos_fieldset)
                djangos = without_tokens(client.get(url).content.decode())
        assert "Mayor is hard to reach." in ours
        assert ours == djangos, language


def test_every_kind_of_fieldset_and_line_is_djangos(client, case, sam):
    """Headings, collapsible fieldsets, descriptions, lines of several fields, errors, help texts,
    check boxes and read-only fields, as the main form and as an inline's form."""
    client.force_login(sam)
    response = client.get(reverse("admin:placements_case_change", args=[case.pk]))
    adminform = response.context_data["adminform"]
    model_admin = admin.site._registry[Case]
    bound = adminform.form.__class__(
        data={"appraisal_date": "not a date", "duration_months": "-x"}, instance=case
    )
    assert bound.errors
    fieldsets = [
        (None, {"fields": ["eoi_link", "state", "case_officer"]}),
        (
            "Appraisal <&>",
            {
                "fields": [("appraisal_mode", "appraisal_date"), "appraisal_findings"],
                "classes": ["collapse", "wide"],
                "description": "What the <em>visit</em> found.",
            },
        ),
        ("Mixed", {"fields": [("state", "duration_months"), "host_commune_chose_expert"]}),
        ("Profile", {"fields": ["host_communes", "planned_start", "deployment_type"]}),
    ]
    for form in (adminform.form, bound):
        readonly = model_admin.readonly_fields
        shown = helpers.AdminForm(
            form, fieldsets, {}, readonly_fields=readonly, model_admin=model_admin
        )
        for number, fieldset in enumerate(shown):
            arguments = {"heading_level": 2, "prefix": "fieldset", "id_prefix": 0}
            expected = djangos_fieldset(fieldset, id_suffix=number, **arguments)
            assert fieldset_html(fieldset, id_suffix=number, **arguments) == expected
    for inline_formset in response.context_data["inline_admin_formsets"]:
        for parent, inline_form in enumerate(inline_formset):
            for number, fieldset in enumerate(inline_form):
                arguments = {
                    "heading_level": 4,
                    "prefix": fieldset.formset.prefix,
                    "id_prefix": parent,
                    "id_suffix": number,
                }
                assert fieldset_html(fieldset, **arguments) == djangos_fieldset(
                    fieldset, **arguments
                )


def test_the_timeline_is_what_its_template_writes(case, sam, settings):
    CaseEvent.objects.create(
        case=case,
        transition="start_eligibility_check",
        from_state=Case.State.SUBMITTED,
        to_state=Case.State.ELIGIBILITY_CHECK,
        actor=sam,
        reason="Checked <quickly> & well",
    )
    CaseEvent.objects.create(
        case=case,
        transition="decline",
        from_state=Case.State.ELIGIBILITY_CHECK,
        to_state=Case.State.DECLINED,
        actor=None,
        reason=sorted(PORTAL_REASONS)[0],
    )
    events = list(case.events.select_related("actor").order_by("pk"))
    assert len(events) >= 3 and not events[0].from_state
    for language in ("en", "de", "fr"):
        for zone in ("UTC", "Africa/Lome", "Asia/Kolkata"):
            with translation.override(language), timezone.override(zone):
                expected = render_to_string(
                    "admin/placements/case/timeline_items.html", {"events": events}
                )
                assert timeline_items(events) == expected, (language, zone)


def test_the_selects_links_are_djangos_for_every_set_of_rights(rf, case, sam, admin_user):
    model_admin = admin.site._registry[Case]
    for user in (sam, admin_user):
        request = rf.get("/")
        request.user = user
        form = model_admin.get_form(request, case)(instance=case)
        wrapped = [f for f in form if isinstance(f.field.widget, PlainRelatedFieldWidgetWrapper)]
        assert {f.name for f in wrapped} >= {"case_officer", "deployment_type", "host_communes"}
        for language in ("en", "de"):
            with translation.override(language):
                for field in wrapped:
                    for value in (field.value(), None):
                        attrs = {"id": field.auto_id}
                        ours = field.field.widget.render(field.html_name, value, attrs)
                        djangos = RelatedFieldWidgetWrapper.render(
                            field.field.widget, field.html_name, value, attrs
                        )
                        assert ours == djangos, (user, language, field.name)


def test_a_case_page_of_no_case_is_not_found(client, case, sam):
    client.force_login(sam)
    for key in ("0", "99999999999999999999", "-3", "²", str(case.pk + 1000)):
        response = client.get(f"/admin/placements/case/{key}/change/")
        assert response.status_code == 404, key


def test_the_forms_media_are_djangos(client, case, sam):
    client.force_login(sam)
    url = reverse("admin:placements_case_change", args=[case.pk])
    model_admin = admin.site._registry[Case]
    adminform = client.get(url).context_data["adminform"]
    for language in ("en", "de", "fr"):
        with translation.override(language):
            media = model_admin.media + adminform.media
            assert "autocomplete" in media.render()
            for _ in range(2):  # rendered, then kept
                assert rendered_media(media) == media.render()


def form_data(response) -> dict:
    """What the change form sends as it is shown: its fields' values and its inlines'
    management forms (the new note left empty)."""
    data = {}
    forms = [response.context_data["adminform"].form]
    for inline_formset in response.context_data["inline_admin_formsets"]:
        formset = inline_formset.formset
        forms += formset.forms
        data.update({f.html_name: f.value() for f in formset.management_form})
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [str(getattr(v, "pk", v)) for v in value]
            data[field.html_name] = value
    return data


def test_the_form_saves_and_keeps_what_was_typed_when_it_is_refused(client, case, sam, monkeypatch):
    client.force_login(sam)
    url = reverse("admin:placements_case_change", args=[case.pk])
    data = form_data(client.get(url))
    typed = {**data, "tasks": "Plan <the> budget", "appraisal_date": "soon", "case_officer": "x"}
    refused = client.post(url, typed)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert 'class="errorlist' in page and 'value="soon"' in page
    assert "Plan &lt;the&gt; budget</textarea>" in page
    with monkeypatch.context() as m:
        m.setattr(CaseNoteInline, "template", "admin/edit_inline/stacked.html")
        m.setattr(SalaryTopUpInline, "template", "admin/edit_inline/stacked.html")
        m.setattr("portal.templatetags.portal_admin.fieldset_html", djangos_fieldset)
        djangos = client.post(url, typed).content.decode()
    assert without_tokens(page) == without_tokens(djangos)
    saved = client.post(url, {**data, "tasks": "Plan the budget", "notes-0-body": "Called."})
    assert saved.status_code == 302
    case.refresh_from_db()
    assert case.tasks == "Plan the budget"
    assert case.notes.get().author == sam
