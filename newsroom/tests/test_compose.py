"""docker-compose.yml and the Dockerfile, checked without Docker (no engine on CI machines): the
services, their commands, the environment they rely on, healthchecks and start order."""

import re
from pathlib import Path

import pytest
import yaml

from newsroom.tests.test_docs import env_vars_read_by_launcher, env_vars_read_by_settings

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "worker", "beat"]
LAUNCHER_COMMANDS = {"migrate": "migrate", "web": "web", "worker": "worker", "beat": "beat"}


def test_compose_defines_the_whole_stack():
    assert set(SERVICES) == {"postgres", "redis", "migrate", "web", "varnish", "worker", "beat"}
    assert SERVICES["postgres"]["image"].split(":")[1].startswith("17")
    assert SERVICES["redis"]["image"].split(":")[1].startswith("7")


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_processes_run_through_bin_newsroom(service):
    command = SERVICES[service]["command"]

    assert command == ["bin/newsroom", LAUNCHER_COMMANDS[service]]
    launcher = (BASE_DIR / "bin" / "newsroom").read_text()
    assert re.search(rf"^\s*{command[1]}\)", launcher, re.MULTILINE)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_environment_is_read_by_settings_or_launcher(service):
    environment = SERVICES[service]["environment"]
    known = env_vars_read_by_settings() | env_vars_read_by_launcher()

    assert set(environment) <= known, set(environment) - known
    for required in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"):
        assert required in environment


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_reach_postgres_and_redis_by_service_name(service):
    environment = SERVICES[service]["environment"]

    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")


def test_production_secrets_must_be_supplied():
    environment = SERVICES["web"]["environment"]

    # ${VAR:?message}: compose refuses to start without the value instead of using a default.
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert environment["SECURE_PROXY_SSL_HEADER"] in ("${SECURE_PROXY_SSL_HEADER:-true}", "true")
    assert str(environment["DEBUG"]).lower() in ("false", "0")


@pytest.mark.parametrize("service", ["postgres", "redis", "web", "worker", "beat"])
def test_long_running_services_have_healthchecks(service):
    test = SERVICES[service]["healthcheck"]["test"]

    assert test[0] in ("CMD", "CMD-SHELL")


def test_web_healthcheck_and_varnish_probe_ask_the_load_balancers_healthz():
    test = " ".join(SERVICES["web"]["healthcheck"]["test"])
    probe = (BASE_DIR / "deploy" / "varnish" / "site.vcl").read_text()

    # /healthz, not /healthz/full: a stopped beat or a Redis blip must not take web out.
    assert '/healthz"' in test
    assert '"GET /healthz HTTP/1.1"' in probe
    # Varnish never stores either health endpoint.
    assert 'req.url ~ "^/healthz"' in (BASE_DIR / "deploy" / "varnish" / "default.vcl").read_text()


def test_migrations_run_once_before_the_app_starts():
    migrate = SERVICES["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["depends_on"]["redis"]["condition"] == "service_healthy"
    for service in ("web", "worker", "beat"):
        depends_on = SERVICES[service]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_data_lives_in_named_volumes():
    volumes = set(COMPOSE["volumes"])
    assert {"postgres-data", "redis-data"} <= volumes
    for service in ("postgres", "redis"):
        for mount in SERVICES[service]["volumes"]:
            assert mount.split(":")[0] in volumes


def test_varnish_is_published_only_on_the_loopback_for_the_tls_proxy_and_web_not_at_all():
    assert SERVICES["varnish"]["ports"]
    assert all(port.startswith("127.0.0.1:") for port in SERVICES["varnish"]["ports"])
    assert all(port.endswith(":80") for port in SERVICES["varnish"]["ports"])
    assert "ports" not in SERVICES["web"]


def test_varnish_runs_the_repository_vcl_in_front_of_web_and_the_workers_purge_it():
    varnish = SERVICES["varnish"]
    assert varnish["image"].startswith("varnish:7")
    assert "./deploy/varnish:/etc/varnish:ro" in varnish["volumes"]
    assert varnish["depends_on"]["web"]["condition"] == "service_healthy"
    vcl = BASE_DIR / "deploy" / "varnish"
    assert 'include "site.vcl";' in (vcl / "default.vcl").read_text()
    site = (vcl / "site.vcl").read_text()
    assert '.host = "web";' in site and '.port = "8000";' in site
    # The probe's Host is one of web's allowed hosts; the purgers ACL is the stack's network.
    assert '"Host: web"' in site
    assert SERVICES["web"]["environment"]["ALLOWED_HOSTS"].endswith(",web")
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert f'"{subnet.split("/")[0]}"/{subnet.split("/")[1]};' in site
    for service in APP_SERVICES:
        environment = SERVICES[service]["environment"]
        assert "varnish" in environment["EDGECACHE_PURGERS"]
        assert environment["EDGECACHE_VARNISH_URLS"].endswith("http://varnish:80}")


def test_dockerfile_builds_a_non_root_image_without_a_baked_in_secret():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()

    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    # The build-time key is set for the collectstatic RUN only, never as an ENV of the image.
    assert re.search(r"^RUN SECRET_KEY=\S+ .*\n?.*collectstatic", dockerfile, re.MULTILINE)
    assert not re.search(r"^ENV[^\n]*SECRET_KEY", dockerfile, re.MULTILINE)
    assert 'CMD ["bin/newsroom", "web"]' in dockerfile


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    ignored = (BASE_DIR / ".dockerignore").read_text().split()

    for entry in (".git", ".venv", ".env", "var"):
        assert entry in ignored
