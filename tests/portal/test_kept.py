"""{% kept %} (portal/templatetags/kept.py): a part of a page rendered once per language."""

import pytest
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils import translation


def kept(text: str) -> Template:
    return Template("{% load i18n kept %}" + text)


def test_the_text_is_rendered_once_per_language(monkeypatch):
    page = kept('{% kept %}<a href="{% url "home" %}">{% translate "Log in" %}</a>{% endkept %}')
    with translation.override("en"):
        english = page.render(Context())
    with translation.override("de"):
        german = page.render(Context())
    assert english == '<a href="/">Log in</a>'
    assert german == '<a href="/">Anmelden</a>'

    [node] = [n for n in page.nodelist if n.__class__.__name__ == "KeptNode"]
    monkeypatch.setattr(node, "nodelist", None)  # rendering it again would fail
    with translation.override("en"):
        assert page.render(Context()) == english
    with translation.override("de"):
        assert page.render(Context()) == german


def test_nothing_of_the_reader_is_kept():
    page = kept("{% kept %}[{{ user }}{{ secret }}{% csrf_token %}]{% endkept %} {{ secret }}")
    request = RequestFactory().get("/")
    with translation.override("en"):
        # With the context processors' variables (the user, the form token…) too.
        assert page.render(RequestContext(request, {"secret": "s3cret"})) == "[] s3cret"
        assert page.render(Context({"user": "Ana", "secret": "other"})) == "[] other"


def test_the_tag_takes_no_arguments():
    with pytest.raises(TemplateSyntaxError):
        kept("{% kept user %}{% endkept %}")
