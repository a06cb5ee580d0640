"""``make run`` starts three processes from the Procfile: web, worker and beat."""

import shlex

from django.conf import settings


def procfile() -> dict[str, list[str]]:
    lines = (settings.BASE_DIR / "Procfile").read_text().splitlines()
    return {name: shlex.split(command) for name, command in (line.split(":", 1) for line in lines if line.strip())}


def test_the_procfile_runs_web_worker_and_beat_on_the_project_app():
    processes = procfile()
    assert set(processes) == {"web", "worker", "beat"}
    assert processes["web"][:3] == ["python", "manage.py", "runserver"]
    assert processes["web"][3] == "127.0.0.1:8000"
    assert processes["worker"][:4] == ["celery", "-A", "jingkai_portal", "worker"]
    assert processes["beat"][:4] == ["celery", "-A", "jingkai_portal", "beat"]


def test_the_worker_stops_within_honchos_grace_period():
    # Honcho sends SIGTERM and kills after 5 s. On Ctrl-C the terminal signals
    # a prefork pool's children too, and the worker hangs until killed; a
    # thread pool shuts down warmly (about 3 s), quicker still without the
    # gossip, mingle and heartbeat chatter a single worker does not need.
    worker = procfile()["worker"]
    assert "--pool=threads" in worker
    assert {"--without-gossip", "--without-mingle", "--without-heartbeat"} <= set(worker)
