"""The kept figures' fingerprint (reporting.figure_cache.data_version) changes with every
kind of write that changes KIND-uren or unique children, so the dashboard and coverage
show it at the next request."""

import pytest

from reporting import figure_cache
from tests.academies.test_stored_eligible_children import WRITES, register  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_changes_the_fingerprint(register, write):  # noqa: F811
    academy, member = register
    before = figure_cache.data_version()
    assert figure_cache.data_version() == before  # nothing written: the same
    action, _change = write
    action(academy, member)
    assert figure_cache.data_version() != before


def test_the_fingerprint_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        figure_cache.data_version()
