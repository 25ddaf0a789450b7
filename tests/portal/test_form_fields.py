"""``{{ field|as_field }}`` (portal/templatetags/form_fields.py) writes what crispy-forms'
``as_crispy_field`` writes, in a fraction of the time: the same elements, attributes and text."""

from datetime import date

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.test.html import parse_html
from django.utils import translation

from experts.forms import DocumentForm, ExpertProfileForm, LanguageFormSet, PositionFormSet
from placements.filters import VacancyFilter
from portal.templatetags import form_fields
from portal.templatetags.form_fields import as_field, as_form, hidden_form
from portal.widgets import SearchableSelect, SearchableSelectMultiple
from tests.experts.factories import ExpertProfileFactory, complete

from .test_widgets import CountriesForm

GROUPED = [("Europe", [("de", "Germany"), ("fr", "France")]), ("Africa", [("sn", "Senegal")])]


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Name", max_length=40, help_text="As in your <em>passport</em>.")
    note = forms.CharField(label="Note & remark", required=False, widget=forms.Textarea)
    years = forms.IntegerField(label="Years", min_value=0, required=False)
    start = forms.DateField(
        label="Start",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    agree = forms.BooleanField(label="I agree", help_text="You must.")
    newsletter = forms.BooleanField(label="Newsletter", required=False)
    level = forms.ChoiceField(label="Level", choices=[("", "---"), ("A1", "A1"), ("C2", "C2")])
    country = forms.ChoiceField(label="Country", choices=GROUPED, required=False)
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("1", "Water <and> waste"), ("2", "Energy")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Any number.",
    )
    size = forms.ChoiceField(
        label="Size", choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect
    )
    where = forms.ChoiceField(
        label="Where",
        choices=[("", "any"), ("de", "Germany")],
        required=False,
        widget=SearchableSelect,
    )
    many = forms.MultipleChoiceField(
        label="Many",
        choices=[("de", "Germany"), ("fr", "France")],
        required=False,
        widget=SearchableSelectMultiple,
    )
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(label="File", required=False, help_text="A PDF.")
    plain_file = forms.FileField(
        label="Plain file", widget=forms.FileInput(attrs={"accept": ".pdf"})
    )

    def clean(self):
        self.add_error("newsletter", "Not now <really>.")
        self.add_error(None, "Something about the <whole> form.")
        return self.cleaned_data


def assert_same(make):
    """Every field of two equal forms, rendered by crispy and by as_field, means the same HTML."""
    crispy_form, our_form = make(), make()
    for name in crispy_form.fields:
        expected = parse_html(as_crispy_field(crispy_form[name]))
        actual = parse_html(as_field(our_form[name]))
        assert actual == expected, f"{name}:\n{actual}\n!=\n{expected}"


def test_an_empty_form_is_written_as_crispy_writes_it():
    assert_same(EveryKindForm)


def test_a_form_with_errors_is_written_as_crispy_writes_it():
    data = {"name": "x" * 50, "years": "-3", "start": "2020-02-31", "size": "m", "themes": ["9"]}
    assert_same(lambda: EveryKindForm(data))


def test_a_valid_form_is_written_as_crispy_writes_it():
    data = {
        "name": "Ana",
        "note": "Two\nlines",
        "years": "12",
        "start": "2020-02-01",
        "agree": "on",
        "newsletter": "on",
        "level": "C2",
        "country": "fr",
        "themes": ["1", "2"],
        "size": "l",
        "where": "de",
        "many": ["fr"],
        "secret": "s<>",
    }
    assert_same(lambda: EveryKindForm(data))


def test_the_searchable_widgets_are_written_as_crispy_writes_them():
    translation.activate("fr")
    assert_same(lambda: CountriesForm({"nationalities": ["SN"], "residence": "FR"}))


@pytest.mark.django_db
def test_the_expert_profile_is_written_as_crispy_writes_it():
    profile = complete(ExpertProfileFactory())
    assert_same(lambda: ExpertProfileForm(instance=profile))
    data = {"full_name": "", "years_municipal_experience": "99", "earliest_availability": "x"}
    assert_same(lambda: ExpertProfileForm(data, instance=profile))
    for formset in (LanguageFormSet, PositionFormSet):
        for index in range(2):
            assert_same(lambda f=formset, i=index: f(instance=profile, prefix="p").forms[i])


@pytest.mark.django_db
def test_the_vacancy_filter_is_written_as_crispy_writes_it():
    choices = {"countries": [("SN", "Senegal")], "languages": [("fr", "French")]}
    assert_same(lambda: VacancyFilter(None, **choices).form)
    assert_same(lambda: VacancyFilter({"country": "SN", "model": "99"}, **choices).form)


def test_a_whole_form_is_written_as_crispy_writes_it():
    for form in (EveryKindForm(), EveryKindForm({"name": "Ana"})):
        assert parse_html(as_form(form)) == parse_html(as_crispy_form(form))
    for kind in ("cv", "certificate"):
        document = DocumentForm(kind=kind)
        assert parse_html(as_form(document)) == parse_html(as_crispy_form(document))
        refused = DocumentForm({}, {}, kind=kind)
        assert parse_html(as_form(refused)) == parse_html(as_crispy_form(refused))


@pytest.mark.django_db
def test_a_management_form_is_written_as_django_writes_it():
    profile = ExpertProfileFactory()
    for formset in (
        LanguageFormSet(instance=profile, prefix="p"),
        LanguageFormSet({"p-TOTAL_FORMS": "x"}, instance=profile, prefix="p"),
    ):
        form = formset.management_form
        assert parse_html(hidden_form(form)) == parse_html(str(form))


def test_a_date_keeps_its_format():
    form = EveryKindForm(initial={"start": date(2027, 9, 1)})
    assert 'value="2027-09-01"' in as_field(form["start"])


# --- Markup kept per language for forms whose fields are the same in every form ----------------


def written(field) -> str:
    """The field as as_field writes it without anything kept."""
    return form_fields._write(field, form_fields._widget)


def profile_forms(profile, data=None):
    forms_ = [ExpertProfileForm(data, instance=profile)]
    for formset, prefix in ((LanguageFormSet, "languages"), (PositionFormSet, "positions")):
        forms_.extend(formset(data, instance=profile, prefix=prefix).forms)
    return forms_


def assert_kept_as_written(make):
    """Each field from the kept markup is what as_field writes without it (two equal forms:
    writing a field changes its widget's classes)."""
    for kept_form, written_form in zip(make(), make(), strict=True):
        for name in kept_form.fields:
            assert as_field(kept_form[name]) == written(written_form[name]), name


@pytest.fixture
def nothing_kept(monkeypatch):
    monkeypatch.setattr(form_fields, "_KEPT", {})
    monkeypatch.setattr(form_fields, "_kept_size", [0])


@pytest.mark.django_db
def test_the_profile_forms_keep_their_markup_and_show_each_experts_values(nothing_kept):
    ana = complete(ExpertProfileFactory(full_name="Ana <Silva>", keywords='GIS, "water"'))
    ben = ExpertProfileFactory(full_name="Ben", keywords="")
    for language in ("en", "fr", "de"):
        with translation.override(language):
            for profile in (ana, ben, ana):
                assert_kept_as_written(lambda p=profile: profile_forms(p))
    assert form_fields._KEPT
    with translation.override("en"):
        [form, language_row, *_rest] = profile_forms(ben)
        html = as_field(form["full_name"]) + as_field(language_row["language"])
    assert 'value="Ben"' in html
    assert "Ana" not in html
    assert html.count(" selected") == 1  # the blank choice of the empty row
    assert '<option value="" selected>' in html


@pytest.mark.django_db
def test_a_field_kept_in_one_language_is_written_in_another(nothing_kept):
    profile = complete(ExpertProfileFactory())
    with translation.override("en"):
        english = as_field(ExpertProfileForm(instance=profile)["full_name"])
        english_language = as_field(profile_forms(profile)[1]["language"])
    with translation.override("de"):
        german = as_field(ExpertProfileForm(instance=profile)["full_name"])
        german_language = as_field(profile_forms(profile)[1]["language"])
        assert german == written(ExpertProfileForm(instance=profile)["full_name"])
    assert "Full name" in english
    assert "Full name" not in german
    assert 'value="fr" selected>French<' in english_language
    assert 'value="fr" selected>Französisch<' in german_language


@pytest.mark.django_db
def test_a_posted_profile_keeps_what_was_typed_and_shows_its_errors(nothing_kept):
    profile = complete(ExpertProfileFactory())
    with translation.override("en"):
        profile_forms(profile)  # kept from the saved profile first
        data = {
            "full_name": "Typed <name>",
            "years_municipal_experience": "99",
            "earliest_availability": "not a date",
            "consent_to_be_found": "on",
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": "de",
            "languages-0-level": "C1",
            "positions-TOTAL_FORMS": "1",
            "positions-INITIAL_FORMS": "0",
            "positions-0-employer": "Town hall",
            "positions-0-start": "2020-01-01",
            "positions-0-end": "2019-01-01",
        }
        assert_kept_as_written(lambda: profile_forms(profile, data))
        form, language_row, position_row = profile_forms(profile, data)
        assert 'value="Typed &lt;name&gt;"' in as_field(form["full_name"])
        assert "is-invalid" in as_field(form["years_municipal_experience"])
        assert 'value="not a date"' in as_field(form["earliest_availability"])
        assert " checked" in as_field(form["consent_to_be_found"])
        assert '<option value="C1" selected>' in as_field(language_row["level"])
        assert 'value="de" selected' in as_field(language_row["language"])
        assert "The end date must be on or after" in as_field(position_row["end"])


@pytest.mark.django_db
def test_beyond_the_most_kept_a_field_is_written_not_kept(nothing_kept, monkeypatch):
    monkeypatch.setattr(form_fields, "KEPT_AT_MOST", 10)
    profile = complete(ExpertProfileFactory())
    with translation.override("en"):
        assert_kept_as_written(lambda: profile_forms(profile))
    assert form_fields._KEPT == {}


def test_forms_that_do_not_say_so_keep_nothing(nothing_kept):
    form = EveryKindForm({"name": "Ana"})
    for name in form.fields:
        as_field(form[name])
    assert form_fields._KEPT == {}


@pytest.mark.django_db
def test_the_upload_forms_keep_the_markup_of_each_kind(nothing_kept):
    for language in ("en", "de"):
        with translation.override(language):
            for kind in ("cv", "certificate", "cv"):
                assert_kept_as_written(lambda k=kind: [DocumentForm(kind=k)])
                assert_kept_as_written(lambda k=kind: [DocumentForm({}, {}, kind=k)])
    with translation.override("en"):
        cv, certificate = DocumentForm(kind="cv"), DocumentForm(kind="certificate")
        assert "Upload your CV" in as_field(cv["file"])
        assert "Upload a certificate" in as_field(certificate["file"])
        assert 'accept=".pdf,.jpg,.jpeg,.png"' in as_field(certificate["file"])


@pytest.mark.django_db
def test_management_forms_keep_their_markup_with_each_formsets_counts(nothing_kept):
    ana = complete(ExpertProfileFactory())
    ben = ExpertProfileFactory()
    for profile in (ana, ben, ana):
        form = LanguageFormSet(instance=profile, prefix="languages").management_form
        assert hidden_form(form) == "".join(form_fields._widget(field) for field in form)
    assert 'name="languages-TOTAL_FORMS" value="2"' in hidden_form(
        LanguageFormSet(instance=ben, prefix="languages").management_form
    )
