"""The production deployment as files: no Docker engine runs here, so the compose file, the
Dockerfile, nginx's and gunicorn's configuration are read and checked for what the README
promises (deploy/smoke.py runs the same processes natively in CI)."""

import os
import re
import runpy
import shlex

import pytest
import yaml
from django.conf import settings

from common.files import MAX_FILES_PER_VISIT, MAX_UPLOAD_BYTES
from enterprises.roster.imports import MAX_FILE_BYTES as ROSTER_MAX_BYTES

ROOT = settings.BASE_DIR
APP_SERVICES = {"migrate", "web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else list(command)


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value
    return values


def variables_read_by(path) -> set[str]:
    """Environment variables a Python file reads: env.<cast>("X"), os.environ["X"], os.environ.get("X")."""
    text = path.read_text()
    pattern = (
        r"""\benv\.\w+\(\s*["']([A-Z][A-Z0-9_]*)["']"""
        r"""|os\.environ(?:\.get|\.setdefault)?\s*[\[(]\s*["']([A-Z][A-Z0-9_]*)["']"""
        r"""|os\.getenv\(\s*["']([A-Z][A-Z0-9_]*)["']"""
        r"""|_int\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    )
    return {next(group for group in match if group) for match in re.findall(pattern, text)}


def test_the_compose_file_runs_the_six_services_and_a_one_off_migration(services):
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat", "nginx"}


def test_every_long_running_service_has_a_health_check_and_restarts(services):
    for name, service in services.items():
        if name == "migrate":
            # A job the others wait for (service_completed_successfully), not a service.
            assert service["restart"] == "no"
            assert "healthcheck" not in service
            continue
        check = service.get("healthcheck")
        assert check, f"{name} has no health check"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert service["restart"] == "unless-stopped", name


def test_the_app_services_health_checks_are_the_ones_deploy_healthcheck_knows(services):
    healthcheck = runpy.run_path(str(ROOT / "deploy" / "healthcheck.py"), run_name="not_main")
    for name in ("web", "worker", "beat"):
        test = services[name]["healthcheck"]["test"]
        assert test == ["CMD", "python", "deploy/healthcheck.py", name]
        assert name in healthcheck["CHECKS"]


def test_the_processes_are_gunicorn_the_celery_worker_beat_and_migrate(services):
    assert command_of(services["web"]) == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert command_of(services["worker"])[:4] == ["celery", "-A", "jingkai_portal", "worker"]
    assert command_of(services["beat"])[:4] == ["celery", "-A", "jingkai_portal", "beat"]
    assert "--pidfile=/tmp/celerybeat.pid" in command_of(services["beat"])  # read by its health check
    assert command_of(services["migrate"]) == ["python", "manage.py", "migrate", "--noinput"]


def test_the_app_services_run_the_production_settings_on_postgresql_and_redis(services):
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "jingkai_portal.settings.production", name
        # This machine's services unless .env names the shared ones (scaling out).
        assert environment["DATABASE_URL"] == (
            "${DATABASE_URL:-postgres://${POSTGRES_USER:-portal}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB:-portal}}"
        ), name
        assert environment["REDIS_URL"] == "${REDIS_URL:-redis://redis:6379/0}", name
        assert services[name]["env_file"] == ".env", name
        assert "media:/app/var/media" in services[name]["volumes"], name


def test_the_order_of_start_database_then_migration_then_the_processes_then_nginx(services):
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert services["nginx"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_only_nginx_publishes_ports(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert services["web"]["expose"] == ["8000"]


def test_beat_is_never_replicated(services):
    # Two beats would send every scheduled job twice.
    assert "deploy" not in services["beat"]
    assert [name for name, service in services.items() if "beat" in command_of(service)] == ["beat"]


def test_state_lives_in_named_volumes(compose, services):
    declared = set(compose["volumes"])
    assert declared == {"postgres", "redis", "media", "certs"}
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source in declared, f"{name} mounts {source!r}, not a named volume"
    assert "postgres:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis:/data" in services["redis"]["volumes"]
    assert "certs:/etc/nginx/certs:ro" in services["nginx"]["volumes"]


def test_every_variable_the_settings_read_is_provided(services):
    read = set()
    for path in (ROOT / "jingkai_portal" / "settings").glob("*.py"):
        read |= variables_read_by(path)
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "EMAIL_URL"} <= read  # the grep works
    provided = set(env_example())
    for name in APP_SERVICES:
        provided |= set(services[name]["environment"])
    assert sorted(read - provided) == []


def test_every_variable_gunicorn_reads_is_in_the_example():
    read = variables_read_by(ROOT / "deploy" / "gunicorn.conf.py")
    assert read == {"GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"}
    assert sorted(read - set(env_example()) - {"GUNICORN_BIND"}) == []  # the container listens on :8000


def test_every_variable_the_compose_file_interpolates_is_in_the_example():
    text = (ROOT / "docker-compose.yml").read_text()
    interpolated = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", text))
    assert "POSTGRES_PASSWORD" in interpolated
    assert sorted(interpolated - set(env_example())) == []


def test_the_example_leaves_the_secrets_empty_and_is_otherwise_production_safe():
    values = env_example()
    assert values["SECRET_KEY"] == ""
    assert values["POSTGRES_PASSWORD"] == ""
    assert (values["DATABASE_URL"], values["REDIS_URL"]) == ("", "")  # empty: the compose file's own services
    assert values["DEBUG"] == "0"
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "0"
    assert values["TRUSTED_PROXY_COUNT"] == "1"  # nginx in front
    assert values["SECURE_SSL_REDIRECT"] == "1"


def dockerfile_stages() -> dict[str, list[str]]:
    stages: dict[str, list[str]] = {}
    current = None
    for line in (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            current = line.split()[-1]
            stages[current] = [line]
        else:
            stages[current].append(line)
    return stages


def test_the_dockerfile_builds_a_slim_non_root_image_with_static_files_collected():
    stages = dockerfile_stages()
    assert list(stages) == ["base", "nginx", "app"]  # the app image is the default (last) target
    assert re.fullmatch(r"FROM python:3\.\d+-slim-\w+ AS base", stages["base"][0])
    assert any("manage.py collectstatic --noinput" in line for line in stages["base"])
    assert any("useradd" in line and "--uid 1000 portal" in line for line in stages["base"])
    assert "ENV" in " ".join(stages["base"]) and "jingkai_portal.settings.production" in " ".join(stages["base"])
    assert "USER portal" in stages["app"]
    assert stages["app"][-1] == 'CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]'
    assert "COPY --from=base /app/var/staticfiles /srv/static" in stages["nginx"]
    assert "COPY deploy/nginx.conf /etc/nginx/nginx.conf" in stages["nginx"]


def test_the_compose_file_builds_each_image_from_its_stage(services):
    for name in APP_SERVICES:
        assert services[name]["build"] == {"context": ".", "target": "app"}
    assert services["nginx"]["build"] == {"context": ".", "target": "nginx"}


def test_gunicorn_takes_its_worker_count_from_the_environment(monkeypatch):
    path = str(ROOT / "deploy" / "gunicorn.conf.py")
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8123")
    config = runpy.run_path(path)
    assert (config["workers"], config["bind"], config["wsgi_app"]) == (
        5,
        "127.0.0.1:8123",
        "jingkai_portal.wsgi:application",
    )

    monkeypatch.delenv("GUNICORN_WORKERS")
    monkeypatch.delenv("GUNICORN_BIND")
    config = runpy.run_path(path)
    assert config["workers"] == min(2 * os.cpu_count() + 1, 9)
    assert config["bind"] == "0.0.0.0:8000"


@pytest.mark.parametrize("value", ["many", "0", "-2"])
def test_a_bad_worker_count_stops_gunicorn_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("GUNICORN_WORKERS", value)
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS"):
        runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))


def nginx_directive(name: str) -> list[str]:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    return [value.strip() for value in re.findall(rf"^\s*{name}\s+([^;]+);", text, flags=re.MULTILINE)]


def test_nginx_lets_the_largest_upload_through():
    (limit,) = nginx_directive("client_max_body_size")
    megabytes = int(limit.removesuffix("m"))
    # A visit's attachments in one request, and the roster workbook.
    assert megabytes * 1024 * 1024 >= MAX_FILES_PER_VISIT * MAX_UPLOAD_BYTES
    assert megabytes * 1024 * 1024 >= ROSTER_MAX_BYTES


def test_nginx_passes_the_proxy_headers_the_settings_read():
    headers = nginx_directive("proxy_set_header")
    # SECURE_PROXY_SSL_HEADER and TRUSTED_PROXY_COUNT=1 (accounts.lockout.client_address).
    assert "X-Forwarded-Proto $scheme" in headers
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in headers
    assert "Host $host" in headers
    assert settings.TRUSTED_PROXY_COUNT == 0 and env_example()["TRUSTED_PROXY_COUNT"] == "1"


def test_nginx_serves_the_static_files_gzipped_and_proxies_the_rest_to_web():
    assert nginx_directive("gzip") == ["on"]
    assert "text/css" in nginx_directive("gzip_types")[0]
    assert "application/javascript" in nginx_directive("gzip_types")[0]
    assert nginx_directive("alias") == ["/srv/static/"]
    assert [value for value in nginx_directive("server") if not value.startswith("{")] == ["web:8000"]
    assert set(nginx_directive("proxy_pass")) == {"http://portal"}
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "location /static/" in text
    assert re.search(r"location /media/ \{\s*return 404;", text)  # uploads only through the permission-checked views


def test_the_web_health_check_asks_healthz(live_server, monkeypatch):
    healthcheck = runpy.run_path(str(ROOT / "deploy" / "healthcheck.py"), run_name="not_main")
    port = live_server.url.rsplit(":", 1)[-1]
    monkeypatch.setenv("GUNICORN_BIND", f"127.0.0.1:{port}")
    monkeypatch.setenv("ALLOWED_HOSTS", "localhost")
    assert healthcheck["main"](["healthcheck.py", "web"]) == 0


def test_the_web_health_check_fails_when_nothing_answers(monkeypatch, capsys):
    healthcheck = runpy.run_path(str(ROOT / "deploy" / "healthcheck.py"), run_name="not_main")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:1")
    assert healthcheck["main"](["healthcheck.py", "web"]) == 1
    assert capsys.readouterr().err.startswith("web unhealthy: URLError")


def test_the_beat_health_check_reads_the_pid_file(tmp_path, monkeypatch):
    pidfile = tmp_path / "celerybeat.pid"
    monkeypatch.setenv("CELERY_BEAT_PIDFILE", str(pidfile))
    healthcheck = runpy.run_path(str(ROOT / "deploy" / "healthcheck.py"), run_name="not_main")
    pidfile.write_text(f"{os.getpid()}\n")
    assert healthcheck["main"](["healthcheck.py", "beat"]) == 0
    pidfile.write_text("999999999\n")  # above any pid_max: no such process
    assert healthcheck["main"](["healthcheck.py", "beat"]) == 1
    pidfile.unlink()
    assert healthcheck["main"](["healthcheck.py", "beat"]) == 1
