"""Fixtures of the subsidies tests."""

import pytest

from stemnet.celery import app as celery_app


@pytest.fixture
def not_propagating():
    """In-process tasks keep their failure as a worker would, instead of raising it."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous
