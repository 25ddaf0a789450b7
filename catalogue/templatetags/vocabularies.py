"""Names of the codes the vocabularies keep, in the reader's language: {{ code|language_name }},
{{ code|country_name }}."""

from django import template
from django_countries import countries

from catalogue.vocabularies import language_name as name_of_language

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return name_of_language(code)


@register.filter
def country_name(code: str) -> str:
    return countries.name(code) or code
