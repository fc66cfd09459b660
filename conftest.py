"""Shared pytest fixtures: reference data, Celery mode, browser launch options."""

import os

import pytest

from stemnet.celery import app as celery_app
from tests.clients import PortalClient


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process unless a test is marked ``worker`` (then a real worker runs)."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_eager_propagates = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def client():
    return PortalClient()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _dutch_first():
    """Each test starts in the portal's language: a request in English leaves English active
    in the thread (the locale middleware activates, nothing deactivates)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test starts with an empty cache (cached figures belong to another test's data).
    The embedded default caches in the database: a test without database access has none
    to clear, and a database test's cache rows go with its transaction anyway."""
    from django.conf import settings
    from django.core.cache import cache

    in_database = "DatabaseCache" in settings.CACHES["default"]["BACKEND"]
    if not in_database:
        cache.clear()
    else:
        marker = request.node.get_closest_marker("django_db")
        transactional = "transactional_db" in request.fixturenames or (
            marker is not None and marker.kwargs.get("transaction")
        )
        if transactional:
            request.getfixturevalue("transactional_db")
            cache.clear()
        elif marker is not None or "db" in request.fixturenames:
            request.getfixturevalue("db")
            cache.clear()
    yield


@pytest.fixture
def municipalities(db):
    from tests.factories import ensure_municipalities

    ensure_municipalities()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a test that would skip fails: CI must never go green with the browser,
    worker, PostgreSQL, axe or i18n checks silently left out."""
    report = yield
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped under CI=true, which must run every test: {reason}"
    return report
