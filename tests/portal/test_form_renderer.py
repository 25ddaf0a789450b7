"""The portal's form renderer writes the same HTML as Django's templates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from portal.form_renderer import PortalFormRenderer

CHOICES = [
    ("", "---------"),
    ("a", "Alpha & <Omega>"),
    (3, 4),
    ("Group “x”", [("g1", "In a group"), ("g2", mark_safe("<b>safe</b>"))]),
]


class EveryWidget(forms.Form):
    text = forms.CharField(label="Name & <title>", help_text="help", initial='say "hi" & <b>')
    number = forms.IntegerField(initial=12345, widget=forms.NumberInput(attrs={"step": 2}))
    decimal = forms.DecimalField(initial=Decimal("1234.5"))
    email = forms.EmailField(required=False)
    url = forms.URLField(initial="https://example.org/?a=1&b=<2>", assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="secret")
    hidden = forms.CharField(widget=forms.HiddenInput, initial=mark_safe("<kept>"))
    date = forms.DateField(initial=datetime.date(2026, 12, 2))
    admin_date = forms.DateField(widget=admin_widgets.AdminDateWidget, initial="2026-12-02")
    time = forms.TimeField(initial=datetime.time(9, 30))
    moment = forms.DateTimeField(initial=datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.UTC))
    checked = forms.BooleanField(initial=True)
    unchecked = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"x": True}))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="line 1\nline <2>")
    empty_body = forms.CharField(widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(choices=CHOICES, initial="g2")
    several = forms.MultipleChoiceField(choices=CHOICES, initial=["a", "g1"])
    radio = forms.ChoiceField(choices=CHOICES[1:3], widget=forms.RadioSelect)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "disabled": True}))
    off = forms.CharField(widget=forms.TextInput(attrs={"autofocus": False, "data-x": 0}))


def rendered(renderer, data=None):
    form = EveryWidget(data, renderer=renderer, auto_id="id_%s")
    parts = []
    for field in form:
        parts += [str(field), field.label_tag(), field.legend_tag(), str(field.errors)]
        parts += [str(widget) for widget in getattr(field, "subwidgets", [])]
    parts.append(form.as_div())
    return parts


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("data", [None, {"text": "<x>", "choice": "nope", "number": "1.5"}])
def test_the_portal_renderer_writes_what_django_templates_write(language, data):
    with translation.override(language):
        assert rendered(PortalFormRenderer(), data) == rendered(DjangoTemplates(), data)


def test_the_portal_renderer_is_the_default(settings):
    assert settings.FORM_RENDERER == "portal.form_renderer.PortalFormRenderer"


def test_the_portal_renderer_writes_the_widgets_itself():
    renderer = PortalFormRenderer()
    rendered(renderer)

    written = {name for name, builtin in renderer._builtin.items() if builtin}
    assert {
        "django/forms/widgets/text.html",
        "django/forms/widgets/textarea.html",
        "django/forms/widgets/select.html",
        "django/forms/widgets/checkbox.html",
        "django/forms/label.html",
        "admin/widgets/date.html",
    } <= written
