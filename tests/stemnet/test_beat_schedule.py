"""The periodic jobs (issue 11): the beat schedule lives in settings, docker-compose's beat
service runs it, and every scheduled task exists under the name the schedule uses."""

import importlib
from pathlib import Path

from celery.schedules import crontab
from django.conf import settings

from stemnet.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_every_scheduled_task_is_importable_by_its_name():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        module, _, name = entry["task"].rpartition(".")
        task = getattr(importlib.import_module(module), name)
        assert task.name == entry["task"]
        assert entry["task"] in app.tasks


def test_the_daily_jobs_are_scheduled_once_a_day():
    schedule = settings.CELERY_BEAT_SCHEDULE
    for key, task in [
        ("recognition-reminders", "academies.tasks.send_recognition_reminders"),
        ("daily-digest", "stemnet.tasks.send_digests"),
        ("period-opened", "academies.tasks.announce_open_period"),
        ("children-data-retention", "reporting.tasks.erase_expired_children_data"),
    ]:
        assert schedule[key]["task"] == task
        assert isinstance(schedule[key]["schedule"], crontab)
        assert len(schedule[key]["schedule"].hour) == 1
        assert len(schedule[key]["schedule"].minute) == 1


def test_the_compose_beat_service_runs_the_schedule():
    text = (ROOT / "docker-compose.yml").read_text()
    beat_block = text[text.index("\n  beat:") :]
    assert 'command: ["celery", "-A", "stemnet", "beat"' in beat_block
    for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert key in beat_block and entry["task"] in beat_block


def test_the_scheduled_jobs_run(db):
    """Each job runs when called by its name, as beat enqueues it (on an empty portal)."""
    app.loader.import_default_modules()  # what a worker does at start-up
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        app.tasks[entry["task"]].apply().get()
