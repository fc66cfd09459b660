"""Kombu's filesystem transport (the zero-setup broker of the run command) with message
files that appear whole.

Kombu's own ``_put`` creates the message file under its final name and then writes it, so a
worker polling the folder can pick up the still-empty file and die on the JSON decode
(seen under load: ``JSONDecodeError: Expecting value`` in the worker). Here a message is
written under a name the consumer ignores and renamed into place, which is atomic on one
file system: the worker sees no file or the whole file.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Starts with a dot: ``_get`` matches ``<stamp>_<uuid>.<queue>.msg`` and skips it.
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
