"""The searchable select and multi-select (portal.widgets) and the sorting by language
(portal.collation)."""

import re
from pathlib import Path

import pytest
from django import forms
from django.utils import translation
from django_countries import countries

from portal.collation import collation_key, sorted_by_name
from portal.widgets import (
    SearchableSelect,
    SearchableSelectMultiple,
    share_choices,
)

STATIC = Path(__file__).resolve().parents[2] / "static"


class CountriesForm(forms.Form):
    nationalities = forms.MultipleChoiceField(
        label="Nationalities",
        choices=lambda: list(countries),
        required=False,
        widget=SearchableSelectMultiple(cache_key="test-countries"),
    )
    residence = forms.ChoiceField(
        label="Residence",
        choices=lambda: [("", "---------"), *countries],
        required=False,
        widget=SearchableSelect(cache_key="test-countries-or-blank"),
    )


def test_german_readers_find_umlauts_among_their_base_letters():
    names = ["Ludwigshafen", "Zwickau", "Lübeck", "Ébolowa", "Aachen", "Östersund", "Oberhausen"]

    assert sorted_by_name(names, language="de") == [
        "Aachen",
        "Ébolowa",
        "Lübeck",
        "Ludwigshafen",
        "Oberhausen",
        "Östersund",
        "Zwickau",
    ]


def test_spanish_readers_find_enye_after_n_and_others_among_the_n():
    names = ["Ocotal", "Ñemby", "Nueva Guinea"]

    assert sorted_by_name(names, language="es") == ["Nueva Guinea", "Ñemby", "Ocotal"]
    assert sorted_by_name(names, language="en") == ["Ñemby", "Nueva Guinea", "Ocotal"]


def test_accents_and_case_only_break_ties():
    assert collation_key("cote", "fr") < collation_key("côte", "fr") < collation_key("coter", "fr")
    assert collation_key("Bonn", "de")[0] == collation_key("bonn", "de")[0]


def test_the_multi_select_without_javascript_is_a_list_of_checkboxes_the_chosen_first():
    translation.activate("de")
    form = CountriesForm(initial={"nationalities": ["TG", "DE"]})

    html = str(form["nationalities"])

    boxes = re.findall(r'<input class="form-check-input" type="checkbox" [^>]*>', html)
    assert len(boxes) == len(countries)
    assert 'value="DE"' in boxes[0] and "checked" in boxes[0]
    assert 'value="TG"' in boxes[1] and "checked" in boxes[1]
    assert "checked" not in boxes[2]
    assert "> Deutschland</label>" in html
    assert 'data-searchable="multiple"' in html and 'data-name="nationalities"' in html
    assert "<select" not in html and "multiple" not in boxes[0]


def test_the_multi_select_is_labelled_by_a_fieldset_legend():
    field = CountriesForm()["nationalities"]

    assert field.use_fieldset
    assert field.id_for_label == ""


def test_checked_boxes_post_the_same_values_as_the_select_the_script_makes():
    form = CountriesForm({"nationalities": ["DE", "TG"], "residence": "GH"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"nationalities": ["DE", "TG"], "residence": "GH"}


def test_the_single_select_is_a_native_select_with_the_choice_kept():
    html = str(CountriesForm(initial={"residence": "GH"})["residence"])

    assert html.startswith('<select name="residence"')
    assert 'data-searchable="single"' in html
    assert '<option value="GH" selected>Ghana</option>' in html
    assert html.count("<option") == len(countries) + 1


def test_a_cached_vocabulary_is_rendered_in_each_language_of_its_own():
    with translation.override("de"):
        german = str(CountriesForm()["residence"])
    with translation.override("es"):
        spanish = str(CountriesForm()["residence"])
    with translation.override("de"):
        again = str(CountriesForm(initial={"residence": "DE"})["residence"])

    assert ">Deutschland</option>" in german
    assert ">Alemania</option>" in spanish
    assert '<option value="DE" selected>Deutschland</option>' in again


@pytest.mark.parametrize("chosen", [None, [], ["GH"], ["TG", "DE", "XX", "a&b"], ["", "DE"]])
def test_a_cached_list_renders_as_the_list_written_each_time(chosen):
    choices = [("", "---------"), *countries, ("a&b", "<Ampersand & co>")]
    for widget_class in (SearchableSelect, SearchableSelectMultiple):
        cached = widget_class(choices=choices, cache_key=f"test-chosen-{widget_class.__name__}")
        fresh = widget_class(choices=choices)
        for _ in range(2):  # the second time from the cache
            html = cached.render("where", chosen, attrs={"id": "id_where"})

            assert html == fresh.render("where", chosen, attrs={"id": "id_where"})


def test_labels_and_values_are_escaped():
    widget = SearchableSelectMultiple(choices=[('a"b', "<b>bold</b>")])

    html = widget.render("x", None, attrs={"id": "id_x"})

    assert "<b>" not in html
    assert 'value="a&quot;b"' in html and "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "path",
    ["js/searchable-select.js", "vendor/tom-select/tom-select.popular.min.js"],
)
def test_the_scripts_are_static_files(path):
    assert (STATIC / path).is_file()
    assert (STATIC / "vendor/tom-select/LICENSE").is_file()


def test_pages_load_the_script_from_files_and_run_no_inline_script(client, db):
    page = client.get("/accounts/signup/").content.decode()

    assert '<script src="/static/js/searchable-select.js" defer></script>' in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert " onclick=" not in page and " style=" not in page


def test_shared_choices_are_not_copied_with_each_form_and_follow_the_language():
    class LevelForm(forms.Form):
        level = forms.ChoiceField(choices=lambda: [("a", translation.gettext("German"))])

    share_choices(LevelForm, "level")
    first, second = LevelForm(), LevelForm()
    assert first.fields["level"].choices is second.fields["level"].choices
    assert first.fields["level"].widget.choices is second.fields["level"].widget.choices
    with translation.override("de"):
        assert list(first.fields["level"].choices) == [("a", "Deutsch")]
    with translation.override("en"):
        assert list(second.fields["level"].choices) == [("a", "German")]
    assert LevelForm({"level": "a"}).is_valid()
    assert not LevelForm({"level": "b"}).is_valid()
