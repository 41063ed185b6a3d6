"""Settings come from the environment: each test imports them in a fresh process with chosen env."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

# Variables a developer's shell or CI may have set; each test starts without them.
SERVICE_VARS = (
    "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL", "DEBUG", "SITE_URL",
    "DEV_SITE_URL", "ALLOWED_HOSTS", "HOST", "PORT",
)  # fmt: skip

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(45),
    "ALLOWED_HOSTS": "news.example.org",
    "SITE_URL": "https://news.example.org",
    # Required of a bulk sender; check --deploy warns without them.
    "NEWSLETTER_POSTAL_ADDRESS": "1 Example Street, 10115 Berlin",
    "ANYMAIL_WEBHOOK_SECRET": f"newsroom:{secrets.token_urlsafe(20)}",
}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    # An empty REDIS_URL beats a value a developer's .env file might hold.
    env["REDIS_URL"] = ""
    # newsroom.testing turns the HTTPS redirect off for the test client; production has it on.
    env.pop("SECURE_SSL_REDIRECT", None)
    env.update(extra)
    return env


def load_settings(*names: str, **env: str) -> dict:
    """Import newsroom.settings in a new process with ``env`` and return the named values.

    The module alone, without django.setup(): the values are the same and the apps need not load
    (the deploy check below loads everything)."""
    code = (
        "import json; import newsroom.settings as settings; "
        f"values = {{n: getattr(settings, n, None) for n in {list(names)!r}}}; "
        "print(json.dumps(values, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean_env(DJANGO_SETTINGS_MODULE="newsroom.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sweep_messages_expire_after_a_minute_whatever_their_interval():
    values = load_settings(
        "CELERY_BEAT_SCHEDULE",
        "SWEEP_EXPIRES_SECONDS",
        NEWSLETTER_SWEEP_SECONDS="30",
        WEBHOOK_SWEEP_SECONDS="45",
    )
    schedule = values["CELERY_BEAT_SCHEDULE"]
    assert values["SWEEP_EXPIRES_SECONDS"] == 60
    assert (
        schedule["newsletter-sweep"]["schedule"],
        schedule["webhooks-deliver-due"]["schedule"],
    ) == (30, 45)
    sweeps = {name for name, entry in schedule.items() if entry["schedule"] <= 60}
    assert {
        "articles-publish-due",
        "outbox-process-due",
        "newsletter-sweep",
        "newsletter-compose-digest",
        "webhooks-deliver-due",
    } <= sweeps
    assert {name: schedule[name]["options"]["expires"] for name in sweeps} == dict.fromkeys(
        sweeps, 60
    )
    # Hourly and quarter-hourly jobs: one message per interval, valid for that interval.
    for name, entry in schedule.items():
        if name not in sweeps and "options" in entry:
            assert entry["options"]["expires"] == entry["schedule"], name


def test_sqlite_default_lets_web_and_worker_write_together():
    values = load_settings("DATABASES", DEBUG="1")
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"].endswith("var/db.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["OPTIONS"]["timeout"] >= 5


def test_postgres_url_gets_persistent_checked_connections():
    values = load_settings(
        "DATABASES", DEBUG="1", DATABASE_URL="postgres://news:pw@db.internal:5433/newsroom"
    )
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5433,
        "newsroom",
        "news",
    )
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["OPTIONS"]["connect_timeout"] == 5
    assert "transaction_mode" not in db["OPTIONS"]


def test_redis_url_makes_redis_the_cache_and_the_broker():
    values = load_settings(
        "CACHES",
        "CELERY_BROKER_URL",
        "CELERY_BROKER_TRANSPORT_OPTIONS",
        DEBUG="1",
        REDIS_URL="redis://cache.internal:6379/2",
    )
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "newsroom.cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 1
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/2"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] == 3600


def test_celery_broker_url_overrides_redis_url():
    values = load_settings(
        "CELERY_BROKER_URL",
        DEBUG="1",
        REDIS_URL="redis://cache.internal:6379/0",
        CELERY_BROKER_URL="redis://broker.internal:6379/1",
    )
    assert values["CELERY_BROKER_URL"] == "redis://broker.internal:6379/1"


def test_without_redis_the_broker_is_embedded_and_needs_no_server(tmp_path):
    values = load_settings(
        "CACHES",
        "CELERY_BROKER_URL",
        "CELERY_BROKER_TRANSPORT_OPTIONS",
        DEBUG="1",
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
    )
    assert values["CACHES"]["default"]["BACKEND"].endswith("FileBasedCache")
    assert values["CELERY_BROKER_URL"] == "filesystem://localhost/"
    options = values["CELERY_BROKER_TRANSPORT_OPTIONS"]
    assert options["data_folder_in"] == str(tmp_path / "broker" / "queue")
    assert (tmp_path / "broker" / "queue").is_dir()


@pytest.mark.parametrize(
    ("email_url", "backend"),
    [
        ("devmail://", "devmail.backend.EmailBackend"),
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("file:///tmp/newsroom-mail", "django.core.mail.backends.filebased.EmailBackend"),
        (
            "smtp://mailer:secret@smtp.example.org:587",
            "django.core.mail.backends.smtp.EmailBackend",
        ),
    ],
)
def test_email_url_picks_the_backend(email_url, backend):
    values = load_settings(
        "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", DEBUG="1", EMAIL_URL=email_url
    )
    assert values["EMAIL_BACKEND"] == backend
    if email_url.startswith("smtp"):
        assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 587)


@pytest.mark.parametrize(
    ("email_url", "ssl", "tls"),
    [
        ("smtps://mailer:secret@smtp.example.org:465", True, False),
        ("smtp://mailer:secret@smtp.example.org:587/?tls=True", False, True),
        ("smtp://smtp.example.org:25", False, False),
    ],
)
def test_email_url_says_how_the_connection_is_encrypted(email_url, ssl, tls):
    values = load_settings(
        "EMAIL_USE_SSL", "EMAIL_USE_TLS", "EMAIL_HOST_USER", DEBUG="1", EMAIL_URL=email_url
    )
    assert (values["EMAIL_USE_SSL"], values["EMAIL_USE_TLS"]) == (ssl, tls)
    assert values["EMAIL_HOST_USER"] == ("mailer" if "mailer" in email_url else "")


@pytest.mark.parametrize("scheme", ["file", "devmail"])
def test_file_email_url_writes_to_the_given_folder(scheme):
    values = load_settings("EMAIL_FILE_PATH", DEBUG="1", EMAIL_URL=f"{scheme}:///tmp/newsroom-mail")
    assert values["EMAIL_FILE_PATH"] == "/tmp/newsroom-mail"


def test_debug_keeps_mail_in_the_development_outbox():
    values = load_settings("EMAIL_BACKEND", "EMAIL_FILE_PATH", DEBUG="1")
    assert values["EMAIL_BACKEND"] == "devmail.backend.EmailBackend"
    assert values["EMAIL_FILE_PATH"] == str(BASE_DIR / "var" / "mail")


def test_production_turns_on_hsts_secure_cookies_and_https_redirect():
    values = load_settings(
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "ALLOWED_HOSTS",
        "SITE_URL",
        **PRODUCTION,
    )
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["ALLOWED_HOSTS"] == ["news.example.org"]
    assert values["SITE_URL"] == "https://news.example.org"


def test_proxy_ssl_header_is_trusted_only_when_asked():
    values = load_settings("SECURE_PROXY_SSL_HEADER", **PRODUCTION, SECURE_PROXY_SSL_HEADER="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_debug_relaxes_https_for_local_development():
    values = load_settings(
        "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT", DEBUG="1"
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "SECURE_SSL_REDIRECT": False,
    }


def test_production_refuses_the_default_secret_key_with_a_clear_message():
    env = clean_env(DEBUG="0")
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "refuses to start" in result.stderr
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=clean_env(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_trusted_proxy_count():
    assert load_settings("TRUSTED_PROXY_COUNT")["TRUSTED_PROXY_COUNT"] == 0
    assert load_settings("TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2")["TRUSTED_PROXY_COUNT"] == 2


def test_site_url_is_the_address_make_run_listens_on():
    values = load_settings(
        "SITE_URL", "ALLOWED_HOSTS", DEBUG="1", DEV_SITE_URL="http://192.168.1.20:8080"
    )
    assert values["SITE_URL"] == "http://192.168.1.20:8080"
    # The development server answers on the address its links name.
    assert "192.168.1.20" in values["ALLOWED_HOSTS"]


def test_site_url_says_otherwise_over_the_address_make_run_listens_on():
    values = load_settings(
        "SITE_URL",
        "ALLOWED_HOSTS",
        DEBUG="1",
        DEV_SITE_URL="http://127.0.0.1:8080",
        SITE_URL="https://abc.tunnel.example/",
    )
    assert values["SITE_URL"] == "https://abc.tunnel.example"
    assert "abc.tunnel.example" in values["ALLOWED_HOSTS"]


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        (None, None, "http://127.0.0.1:8000"),
        ("127.0.0.1", "8080", "http://127.0.0.1:8080"),
        ("0.0.0.0", "8080", "http://localhost:8080"),  # noqa: S104 - what a reader may type
        ("::", "8080", "http://localhost:8080"),
        ("::1", "8001", "http://[::1]:8001"),
        ("192.168.1.20", "9000", "http://192.168.1.20:9000"),
    ],
)
def test_a_development_server_started_alone_links_to_its_own_host_and_port(host, port, url):
    """`PORT=8080 bin/newsroom dev-web`: without make run's DEV_SITE_URL, links follow the
    address the server listens on."""
    env = {k: v for k, v in {"HOST": host, "PORT": port}.items() if v is not None}
    values = load_settings("SITE_URL", "ALLOWED_HOSTS", DEBUG="1", **env)
    assert values["SITE_URL"] == url
    assert urlsplit(url).netloc.rsplit(":", 1)[0] in values["ALLOWED_HOSTS"]


def test_production_never_takes_its_links_from_the_listening_port():
    """Behind a proxy the port gunicorn listens on is nobody's address: only SITE_URL counts."""
    production = {**PRODUCTION, "HOST": "0.0.0.0", "PORT": "8080"}  # noqa: S104
    assert load_settings("SITE_URL", **production)["SITE_URL"] == "https://news.example.org"
    without = {k: v for k, v in production.items() if k != "SITE_URL"}
    assert load_settings("SITE_URL", **without)["SITE_URL"] == "http://localhost:8000"


def test_debug_allows_an_ipv6_site_address_in_brackets():
    values = load_settings("ALLOWED_HOSTS", DEBUG="1", DEV_SITE_URL="http://[fd00::5]:8080")
    assert "[fd00::5]" in values["ALLOWED_HOSTS"]


def test_development_logs_plain_lines_and_production_json():
    assert load_settings("LOG_FORMAT", DEBUG="1")["LOG_FORMAT"] == "plain"
    production = load_settings("LOGGING", **PRODUCTION)["LOGGING"]
    assert production["handlers"]["stdout"]["formatter"] == "json"
    # Routine sweep lines are filtered everywhere unless LOG_SWEEPS asks for them.
    assert "articles.publish_due" in production["filters"]["quiet_sweeps"]["tasks"]
    verbose = load_settings("LOGGING", LOG_SWEEPS="1", **PRODUCTION)["LOGGING"]
    assert verbose["filters"]["quiet_sweeps"]["tasks"] == []


def test_development_never_sends_the_digest_by_itself():
    """The demo readers must not get a digest a minute after the first `make run`."""
    assert load_settings("NEWSLETTER_DIGEST_AUTO_SEND", DEBUG="1") == {
        "NEWSLETTER_DIGEST_AUTO_SEND": False
    }
    production = load_settings("NEWSLETTER_DIGEST_AUTO_SEND", **PRODUCTION)
    assert production["NEWSLETTER_DIGEST_AUTO_SEND"] is True
