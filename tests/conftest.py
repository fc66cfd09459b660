"""Fixtures shared by the test modules (the academies tests have the same two in theirs)."""

import pytest

from tests.factories import FAST_PASSWORD_HASHERS, load_reference_data_once


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    """The municipalities, loaded once per module outside the tests' transactions."""
    load_reference_data_once(django_db_blocker)


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _forget_what_if_memory():
    """The live what-if keeps its snapshot in process memory next to the shared cache; the
    tests' cache is rolled back with each test, so the memory goes with it."""
    from subsidies import whatif

    whatif._memory.clear()
