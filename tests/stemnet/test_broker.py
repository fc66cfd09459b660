"""The zero-setup broker's message files appear whole: a worker polling the folder never
reads a file that is still being written (which killed the worker with a JSON decode error
under load)."""

import os
from queue import Empty

import pytest
from kombu import Connection
from kombu.transport.filesystem import Channel as KombuChannel

from stemnet import broker


@pytest.fixture
def channel(tmp_path):
    queue = tmp_path / "queue"
    queue.mkdir()
    options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    (tmp_path / "control").mkdir()
    with Connection(
        "filesystem://", transport="stemnet.broker:Transport", transport_options=options
    ) as connection:
        yield connection.default_channel, queue


def test_the_settings_pick_the_atomic_transport_for_the_filesystem_broker():
    from django.conf import settings

    if settings.CELERY_BROKER_URL == "filesystem://":
        assert settings.CELERY_BROKER_TRANSPORT == "stemnet.broker:Transport"
    assert issubclass(broker.Channel, KombuChannel)


def test_a_message_is_never_visible_under_its_final_name_before_it_is_whole(channel, monkeypatch):
    chan, queue = channel
    assert isinstance(chan, broker.Channel)
    seen = []
    real_replace = os.replace

    def replace(source, target):
        # At the moment of the rename: nothing under the final name yet, the partial file whole.
        with open(source, "rb") as partial:
            seen.append((os.path.exists(target), partial.read()))
        real_replace(source, target)

    monkeypatch.setattr(broker.os, "replace", replace)
    chan._put("celery", {"body": "x" * 10_000})
    assert len(seen) == 1
    existed, content = seen[0]
    assert not existed and content.endswith(b"}")
    assert [name for name in os.listdir(queue) if name.endswith(".part")] == []
    assert chan._get("celery") == {"body": "x" * 10_000}


def test_a_file_being_written_is_skipped_by_the_consumer(channel):
    chan, queue = channel
    # What a producer leaves for an instant while it writes: an empty partial file.
    (queue / ".1_abc.celery.msg.part").write_bytes(b"")
    with pytest.raises(Empty):
        chan._get("celery")
