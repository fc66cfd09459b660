import pytest

from tests.factories import FAST_PASSWORD_HASHERS, load_reference_data_once


@pytest.fixture(scope="module", autouse=True)
def _reference_data(django_db_setup, django_db_blocker):
    load_reference_data_once(django_db_blocker)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
