"""kombu's filesystem transport, made safe against half-written messages.

The embedded default runs Celery on kombu's filesystem transport, so that
``make run`` needs no server. Its ``_put`` creates the message file and then
writes it, and a worker polling the folder can move the file away in between
and read it empty: the task is lost. Here a message is written under a name
the consumers skip (``….msg.part``) and renamed into place, which is atomic
on one filesystem, so a consumer sees either no file or the whole message.

The transport is registered as ``atomicfs://`` when this module is imported
(``jingkai_portal.celery`` does, before any connection is made).
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

SCHEME = "atomicfs"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # The same name kombu gives (its readers sort by the leading clock).
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.part"
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


TRANSPORT_ALIASES.setdefault(SCHEME, f"{__name__}:Transport")
