"""The shared renderer: it fetches nothing but the portal's static files, and escapes the
translated words of the page counter for CSS."""

import pytest
from django.utils import translation

from portal.pdf import BASE_URL, StaticOnlyFetcher, css_string, page_counter_content


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.org/logo.png",
        BASE_URL + "etc/passwd",
        BASE_URL + "static/../../etc/passwd",
        BASE_URL + "static/%2e%2e/%2e%2e/settings.py",
        BASE_URL + "static/pdf/missing.css",
        BASE_URL + "static/vendor/bootstrap/bootstrap.bundle.min.js",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_reads_the_documents_stylesheet():
    response = StaticOnlyFetcher().fetch(BASE_URL + "static/pdf/document.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_css_strings_cannot_end_the_rule():
    text = css_string('"; } body { background: url(file:///etc/passwd) } "')
    assert text.count('"') == 2
    assert "}" not in text and "(" not in text


def test_the_page_counter_is_in_the_active_language():
    with translation.override("de"):
        assert page_counter_content() == '"Seite " counter(page) " von " counter(pages)'
