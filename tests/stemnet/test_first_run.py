"""What a first run meets: a favicon on every page, and in development (DEBUG) the
portal's own Dutch 404 page instead of Django's English technical page."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import make_member, make_staff

pytestmark = pytest.mark.django_db


def test_favicon_is_linked_and_served(client):
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_unknown_url_in_debug_shows_the_dutch_404_page(debug, client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Pagina niet gevonden" in body and "URLconf" not in body


def test_missing_slash_still_redirects_in_debug(debug, client):
    assert client.get("/staff").status_code == 301


def test_view_404_in_debug_shows_the_dutch_404_page(debug, client, municipalities):
    client.force_login(make_member())
    response = client.get(reverse("academies:detail", args=[999_999]))
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_staff_keep_the_technical_404_in_debug(debug, client):
    client.force_login(make_staff())
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404 and "URLconf" in response.content.decode()


def test_readme_links_only_files_of_the_project():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "../" not in readme
    for target in re.findall(r"\]\(([^)#:]+)\)", readme):
        assert (root / target).exists(), target
    assert "docs/conventions.md" in readme and "`PORT`" in readme
