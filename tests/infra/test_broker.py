"""The embedded broker never hands a worker a half-written message."""

import os

from kombu import Connection

import common.broker


def _connection(folder) -> Connection:
    return Connection(
        "atomicfs://localhost//",
        transport_options={"data_folder_in": str(folder), "data_folder_out": str(folder), "store_processed": False},
    )


def test_a_message_round_trips_through_the_atomic_filesystem_transport(tmp_path):
    with _connection(tmp_path) as conn:
        queue = conn.SimpleQueue("jobs")
        queue.put({"task": "run_monthly", "month": "2026-10"})

        message = queue.get(timeout=2)

        assert message.payload == {"task": "run_monthly", "month": "2026-10"}
        message.ack()
        queue.close()


def test_the_message_file_appears_only_once_it_is_complete(tmp_path, monkeypatch):
    seen_before_rename = []
    real_replace = os.replace

    def watching_replace(source, target):
        seen_before_rename.append(
            (sorted(os.listdir(tmp_path)), os.path.getsize(source), os.path.basename(str(target)))
        )
        real_replace(source, target)

    monkeypatch.setattr(common.broker.os, "replace", watching_replace)
    with _connection(tmp_path) as conn:
        conn.SimpleQueue("jobs").put({"n": 1})

    ((listing, size, final_name),) = seen_before_rename
    # Before the rename only the .part file exists, already holding the whole message,
    # and consumers skip it (they look for names ending in "<queue>.msg").
    assert [name for name in listing if name.endswith(".msg")] == []
    assert listing == [f"{final_name}.part"]
    assert size > 0
    assert final_name.endswith(".jobs.msg")
