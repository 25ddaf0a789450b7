"""`manage.py profile_pages`: where a benchmarked page's time goes, one request at a time."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from devtools import generator, loadbench

pytestmark = pytest.mark.django_db


def test_it_refuses_to_run_without_the_benchmark_urls():
    with pytest.raises(CommandError, match="bench_settings"):
        call_command("profile_pages", "--only", "home")


@override_settings(ROOT_URLCONF="devtools.bench_urls", SECURE_SSL_REDIRECT=False)
def test_it_times_the_chosen_pages_and_counts_their_queries():
    generator.generate(cases=40, experts=80, seed=20, missions=2)
    out = StringIO()

    call_command(
        "profile_pages", "--only", "home", "EOI list", "--repeat", "2", "--profile", stdout=out
    )

    rows = {
        match["page"].strip(): int(match["queries"])
        for match in re.finditer(
            r"^(?P<page>home|EOI list)\s+[\d.]+\s+(?P<queries>\d+)\s+[\d.]+$", out.getvalue(), re.M
        )
    }
    pages = {page.name: page for page in loadbench.pages()}
    assert rows == {
        "home": loadbench.count_queries(pages["home"]),
        "EOI list": loadbench.count_queries(pages["EOI list"]),
    }
    assert "function calls" in out.getvalue()  # the profile
