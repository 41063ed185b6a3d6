"""
Newsroom settings: one module, read top to bottom, every value from the environment.

It stays one module past the length the other modules keep on purpose: settings split over
several files that import each other hide where a value comes from, so each topic has a section
with a banner here instead.

Development needs nothing set (SQLite, a local cache and an embedded broker under var/).
Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and SITE_URL; see
docs/configuration.md for every variable.
"""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# EMAIL_URL accepts short forms for development: devmail:// (the development outbox: one file per
# message in var/mail, read at /dev/mail/), console:// and file:///path.
environ.Env.EMAIL_SCHEMES.update(
    {
        "devmail": "devmail.backend.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
    }
)

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    # SystemExit prints the message alone, without a traceback.
    sys.exit(
        "Newsroom refuses to start: DEBUG is off and SECRET_KEY is the development default.\n"
        "Set SECRET_KEY to a long random value (for example the output of\n"
        "  python -c 'import secrets; print(secrets.token_urlsafe(50))')\n"
        "or set DEBUG=1 for local development."
    )


def _listening_url(host: str, port: str) -> str:
    """The address a browser reaches a server on HOST:PORT by: a wildcard host is reached as
    localhost, an IPv6 one in brackets."""
    host = host.strip("[]")
    host = "localhost" if host in ("", "0.0.0.0", "::") else host  # noqa: S104
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


# The public site's address, the start of every absolute link (canonical URLs, feeds, mails,
# the API). Production sets it. In development links follow the address the site was started
# on: `make run` passes it to every process as DEV_SITE_URL (honcho gives each process a PORT
# of its own), a server started alone derives it from its HOST and PORT. SITE_URL wins over
# both, for example behind a tunnel.
_default_site_url = (
    _listening_url(env.str("HOST", default="127.0.0.1"), env.str("PORT", default="8000"))
    if DEBUG
    else "http://localhost:8000"
)
_default_site_url = env.str("DEV_SITE_URL", default=_default_site_url)
SITE_URL = env.str("SITE_URL", default=_default_site_url).rstrip("/")

# In development the site answers on loopback names and on the host SITE_URL names.
_DEBUG_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
_site_host = urlsplit(SITE_URL).hostname or "localhost"
_site_host = f"[{_site_host}]" if ":" in _site_host else _site_host
if _site_host not in _DEBUG_HOSTS:
    _DEBUG_HOSTS.append(_site_host)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=_DEBUG_HOSTS if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reader pages are shared and carry no form token; a comment or sign-up posted without one
# (no JavaScript) gets its form back, filled in, with a fresh token (website/csrf.py).
CSRF_FAILURE_VIEW = "website.csrf.csrf_failure"
SITE_NAME = env.str("SITE_NAME", default="Newsroom")

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "corsheaders",
    "reversion",
    "taggit",
    "django_prose_editor",
    "anymail",
    "core",
    "outbox",
    "accounts",
    "edgecache",
    "devmail",
    "publication",
    "authors",
    "articles",
    "comments",
    "newsletter",
    "website",
    "drf_spectacular_sidecar",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    # First, so it compresses what leaves: pages after the origin cache assembled them (never
    # for a Varnish that assembles them itself), each stored once, uncompressed.
    "edgecache.compression.CompressionMiddleware",
    # The reader's address in REMOTE_ADDR behind trusted proxies (TRUSTED_PROXY_COUNT).
    "core.clients.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Public documents leave without a cookie or Vary: Cookie, whatever the middleware below add.
    "edgecache.middleware.PublicResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(); then a session that owes its second factor gets nothing else.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns a sign-in refused for too many failures into the lockout page (429); it wraps the
    # view (below it only the origin cache, which never stores a sign-in).
    "axes.middleware.AxesMiddleware",
    # Last, right before the view: stored pages go out through every middleware above.
    "edgecache.middleware.OriginCacheMiddleware",
]
# HTML, feeds, sitemaps and API answers compressed (Brotli or gzip, as the client accepts) for
# clients that reach the site directly; off where the proxy in front compresses and the CPU is
# better spent there (docs/deployment.md). Varnish always gets them uncompressed.
COMPRESS_RESPONSES = env.bool("COMPRESS_RESPONSES", default=True)
# Reverse proxies in front of the site (load balancer, nginx...): behind N of them the reader's
# address is the Nth entry from the end of X-Forwarded-For. 0 trusts only the connection's
# address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The site settings and navigation for every page extending base.html.
                "website.context_processors.site_chrome",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: WAL lets readers and one writer work at once; IMMEDIATE
    # transactions take the write lock up front and the busy timeout waits for it, so the web
    # process and the worker never see "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file beside the database (so a worker process can share it), named after it
    # (so two checkouts or two DATABASE_URLs never share a test database).
    _sqlite_path = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {
        "NAME": str(_sqlite_path.with_name(f"test-{_sqlite_path.name}"))
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# ---------------------------------------------------------------------------
# Cache and broker
# ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Short timeouts: a Redis outage must degrade a page or /healthz, never hang it.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
# After a Redis failure each process leaves the cache alone this long (reads miss, writes are
# dropped; newsroom/cache.py), so a hung server costs one timeout per interval, not per call;
# wake-ups to the broker pause as long after a failed send (core/wakeups.py).
REDIS_RETRY_SECONDS = env.float("REDIS_RETRY_SECONDS", default=5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="newsroom"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    # A file cache is shared by the web process and the worker on one machine.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str("CACHE_DIR", default=str(VAR_DIR / "cache")),
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="newsroom"),
        }
    }

# Rendered template parts that never change while the code does not ({% cache ... using="fragments"
# %}, e.g. the empty comment form), kept in each process's memory.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "newsroom-fragments",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# ---------------------------------------------------------------------------
# Celery (CELERY_ namespace; see newsroom/celery.py)
# ---------------------------------------------------------------------------
BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
# The embedded broker's URL names a host only so kombu does not warn that it has none.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: an embedded broker that needs no server. One machine only.
    # Ours answers Ctrl-C at once (newsroom/broker.py); so does the worker's timer thread, which
    # otherwise sleeps up to a second before it notices a shutdown.
    CELERY_BROKER_TRANSPORT = "newsroom.broker:Transport"
    CELERY_WORKER_TIMER_PRECISION = 0.1
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # An idle worker looks for new messages this often (kombu's default is 1 s, which adds
        # up to a second to every task, a scheduled publish included).
        "polling_interval": 0.1,
    }
else:
    # A message not acknowledged within visibility_timeout is handed to another worker.
    # Tasks ack late and never wait on an ETA longer than a minute, so one hour is far above
    # any task's run time (hard limit below) and redelivery only follows a real crash.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT * 2,
        "socket_timeout": 5,
        # A web process that finds the broker gone tries to connect once, not for kombu's
        # default of seconds: its wake-ups are best effort (core/wakeups.py). Workers connect
        # through Celery's own retry loop, which this does not limit.
        "connect_retries_timeout": REDIS_SOCKET_TIMEOUT * 2,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="newsroom")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_TASK_ALWAYS_EAGER = False
# When the broker connection drops, the unacknowledged messages go back to the queue; stop the
# tasks they started rather than run them twice at once (the database makes either safe).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
# Scheduled publishing: how often beat sweeps for due articles (and expiries); an article is
# also woken up at its exact time when it falls before the next sweep. See docs/background-work.md.
PUBLISHING_SWEEP_SECONDS = env.float("PUBLISHING_SWEEP_SECONDS", default=5)
# Publishing has a queue of its own that every worker consumes beside the default one, so a
# backlog of slow work (image renditions, newsletter sends) cannot hold an article past its time.
PUBLISHING_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-publishing"
CELERY_TASK_QUEUES = [Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(PUBLISHING_QUEUE)]
CELERY_TASK_ROUTES = {
    "articles.publish_due": {"queue": PUBLISHING_QUEUE},
    "articles.publish_wake": {"queue": PUBLISHING_QUEUE},
}
# The outbox: how often beat picks up events whose wake-up was lost or whose retry is due,
# how often a failing event is tried, the first retry delay (doubling up to the maximum), and
# how long processed events are kept.
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=5)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=5)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=1800)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)
# /healthz/full answers 503 when a sweep has not completed for this long (beat or workers are
# down); /healthz, for load balancers, does not look at the sweeps.
# The names are those the sweeps record (outbox.Sweep); keep their intervals well below this.
SWEEP_STALE_AFTER_SECONDS = env.float("SWEEP_STALE_AFTER_SECONDS", default=60)
HEALTHZ_SWEEPS = ["articles.publish_due", "outbox.process_due", "newsletter.sweep"]
# All periodic work lives here, one entry per sweep.
CELERY_BEAT_SCHEDULE: dict = {}
# A sweep message that waited more than a minute is dropped, so workers returning from an outage
# run a few stale sweeps at most. Not the sweep interval: a worker busy with slow tasks reaches
# each queue in turn, and would then find only expired sweeps and never run one. Every entry
# that runs every minute or more often uses it. Hourly and quarter-hourly jobs keep their own
# interval: one message per interval, so a minute's limit would drop it (and skip the whole
# interval) whenever the workers are busy for longer, as during a large newsletter send.
SWEEP_EXPIRES_SECONDS = 60
CELERY_BEAT_SCHEDULE["articles-publish-due"] = {
    "task": "articles.publish_due",
    "schedule": PUBLISHING_SWEEP_SECONDS,
    "options": {"expires": SWEEP_EXPIRES_SECONDS},
}
CELERY_BEAT_SCHEDULE["outbox-process-due"] = {
    "task": "outbox.process_due",
    "schedule": OUTBOX_SWEEP_SECONDS,
    "options": {"expires": SWEEP_EXPIRES_SECONDS},
}
CELERY_BEAT_SCHEDULE["outbox-prune"] = {
    "task": "outbox.prune",
    "schedule": 3600,
    "options": {"expires": 3600},
}
# The temperature: fetched when due (WEATHER_REFRESH_SECONDS after a success, sooner after a
# failure); beat asks every minute.
CELERY_BEAT_SCHEDULE["publication-weather-refresh"] = {
    "task": "publication.tasks.weather_refresh_task",
    "schedule": 60,
    "options": {"expires": SWEEP_EXPIRES_SECONDS},
}
# Newsletter: start due editions, recover stalled sends and messages in doubt; compose the
# daily digest once its time of day has come (see the Newsletter section below).
NEWSLETTER_SWEEP_SECONDS = env.float("NEWSLETTER_SWEEP_SECONDS", default=10)
CELERY_BEAT_SCHEDULE["newsletter-sweep"] = {
    "task": "newsletter.sweep",
    "schedule": NEWSLETTER_SWEEP_SECONDS,
    "options": {"expires": SWEEP_EXPIRES_SECONDS},
}
CELERY_BEAT_SCHEDULE["newsletter-compose-digest"] = {
    "task": "newsletter.compose_digest",
    "schedule": 60,
    "options": {"expires": SWEEP_EXPIRES_SECONDS},
}
# Rate limits counted in the database while the cache was down: forget the windows that are over.
CELERY_BEAT_SCHEDULE["core-ratelimit-prune"] = {
    "task": "core.ratelimit_prune",
    "schedule": 3600,
    "options": {"expires": 3600},
}
# Comments: purge raw IPs and user agents past their retention; mail moderators the queue.
CELERY_BEAT_SCHEDULE["comments-purge-personal-data"] = {
    "task": "comments.purge_personal_data",
    "schedule": 3600,
    "options": {"expires": 3600},
}
CELERY_BEAT_SCHEDULE["comments-moderator-digest"] = {
    "task": "comments.moderator_digest",
    "schedule": 900,
    "options": {"expires": 900},
}

# ---------------------------------------------------------------------------
# Email
# ---------------------------------------------------------------------------
_email_url = env.str("EMAIL_URL", default="devmail://" if DEBUG else "smtp://localhost:25")
_email = env.email_url_config(_email_url)
_email_parts = urlsplit(_email_url)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
# smtps:// speaks TLS from the first byte (port 465); smtp://...?tls=True upgrades with STARTTLS.
EMAIL_USE_SSL = _email_parts.scheme == "smtps"
EMAIL_USE_TLS = not EMAIL_USE_SSL and "tls=true" in _email_parts.query.lower()
# The mail folder (file://, devmail://): file:///var/mail is absolute, file://var/mail
# relative, plain file:// means var/mail.
EMAIL_FILE_PATH = _email_parts.netloc + _email_parts.path or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Newsroom <newsroom@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# ---------------------------------------------------------------------------
# Newsletter (docs/newsletter.md)
# ---------------------------------------------------------------------------
NEWSLETTER_FROM_EMAIL = env.str("NEWSLETTER_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
# The envelope sender (Return-Path) where bounces go; default: the From address.
NEWSLETTER_BOUNCE_ADDRESS = env.str("NEWSLETTER_BOUNCE_ADDRESS", default="")
# Required by law in many countries (CAN-SPAM) and by the big mailbox providers.
NEWSLETTER_POSTAL_ADDRESS = env.str("NEWSLETTER_POSTAL_ADDRESS", default="")
# The mailto: half of List-Unsubscribe; default unsubscribe@<domain of the From address>.
NEWSLETTER_UNSUBSCRIBE_MAILTO = env.str("NEWSLETTER_UNSUBSCRIBE_MAILTO", default="")
# Messages per second for all workers together (a Redis token bucket); 0 means no limit.
NEWSLETTER_RATE_LIMIT = env.float("NEWSLETTER_RATE_LIMIT", default=0)
NEWSLETTER_CHUNK_SIZE = env.int("NEWSLETTER_CHUNK_SIZE", default=300)
NEWSLETTER_LEASE_SECONDS = env.float("NEWSLETTER_LEASE_SECONDS", default=120)
NEWSLETTER_SENDERS = env.int("NEWSLETTER_SENDERS", default=2)
NEWSLETTER_TASK_BUDGET_SECONDS = env.float("NEWSLETTER_TASK_BUDGET_SECONDS", default=120)
NEWSLETTER_STALL_SECONDS = env.float("NEWSLETTER_STALL_SECONDS", default=60)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=5)
NEWSLETTER_RETRY_BASE_SECONDS = env.float("NEWSLETTER_RETRY_BASE_SECONDS", default=60)
NEWSLETTER_RETRY_MAX_SECONDS = env.float("NEWSLETTER_RETRY_MAX_SECONDS", default=3600)
NEWSLETTER_FAILURE_BURST = env.int("NEWSLETTER_FAILURE_BURST", default=20)
# Off trades durability of the last fraction of a second of ledger marks on a PostgreSQL crash
# (not a worker crash) for less database work per message; see docs/newsletter.md.
NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT = env.bool(
    "NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT", default=True
)
NEWSLETTER_DIGEST_TIME = env.str("NEWSLETTER_DIGEST_TIME", default="07:00")
NEWSLETTER_DIGEST_MAX_ARTICLES = env.int("NEWSLETTER_DIGEST_MAX_ARTICLES", default=12)
# Development leaves the digest a draft to send from the admin: the demo readers would otherwise
# get one a minute after the first `make run`.
NEWSLETTER_DIGEST_AUTO_SEND = env.bool("NEWSLETTER_DIGEST_AUTO_SEND", default=not DEBUG)
NEWSLETTER_CONFIRM_MAX_AGE_DAYS = env.int("NEWSLETTER_CONFIRM_MAX_AGE_DAYS", default=7)
NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = env.int("NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR", default=20)
NEWSLETTER_CONFIRMATIONS_PER_ADDRESS_PER_DAY = env.int(
    "NEWSLETTER_CONFIRMATIONS_PER_ADDRESS_PER_DAY", default=3
)
# Bounce and complaint webhooks (django-anymail) answer only with this basic-auth secret set.
ANYMAIL = {"WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="")}

# ---------------------------------------------------------------------------
# Internationalisation: store UTC, show the newsroom's local time
# ---------------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-us")
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files and media
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    # MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage puts uploads on object storage.
    "default": {
        "BACKEND": env.str(
            "MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Object storage for media (django-storages' S3Storage with boto3).
# django-storages takes these from settings only; the keys (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY) it reads from the environment itself, or boto3 uses an instance role.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
AWS_S3_FILE_OVERWRITE = False
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes checks every sign-in against the lockout before Django's own backend runs.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sessions end this many hours after sign-in (readers have no sessions).
STAFF_SESSION_HOURS = env.float("STAFF_SESSION_HOURS", default=12)
SESSION_COOKIE_AGE = int(STAFF_SESSION_HOURS * 3600)
# Editors and administrators must sign in with a second factor (an authenticator app, or a
# recovery code). On by default in production; off by default with DEBUG (make run).
STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME
# Failed sign-ins (docs/security.md): after LOGIN_FAILURE_LIMIT wrong passwords for one user name
# from one address (an IPv6 /64), that pair is locked out for LOGIN_LOCKOUT_MINUTES. Wrong API
# tokens count the same way against the address.
AXES_ENABLED = env.bool("LOGIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
# Successful sign-ins are not logged to the database (the app's logs have them).
AXES_DISABLE_ACCESS_LOG = True

# ---------------------------------------------------------------------------
# Security headers and HTTPS (production defaults; see docs/deployment.md)
# ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz(/full)?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Only behind a proxy that always sets X-Forwarded-Proto itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# Cross-origin requests only reach the API; browsers may read its caching and paging headers.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (
    "accept", "authorization", "content-type", "if-match", "if-none-match",
    "if-modified-since", "x-csrftoken", "x-requested-with",
)  # fmt: skip
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Location", "Retry-After"]

# ---------------------------------------------------------------------------
# REST API
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.LockoutTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    # JSON only: the browsable API's pages would need inline scripts the CSP forbids.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonReadThrottle",
        "api.throttling.UserThrottle",
    ],
    # Per client IP address for anonymous reads, per user for tokens and sessions.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="2000/min"),
    },
    # REMOTE_ADDR is already the reader's (core.clients, TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": 0,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "OAS_VERSION": "3.1.0",
    # The description links the API guide on SITE_URL: api.schema.describe_the_api.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.describe_the_api",
    ],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"ArticleStatusEnum": "articles.models.Article.Status"},
    # Swagger UI from drf-spectacular-sidecar: served by the app, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
}
# How long shared caches and browsers may keep anonymous API reads (seconds).
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=60)

# ---------------------------------------------------------------------------
# Webhooks (docs/api.md): signed article events for partners, retried with backoff
# ---------------------------------------------------------------------------
# Failed deliveries are retried for this long: first after the base delay, doubling up to the
# maximum. An endpoint is turned off after this many failed attempts in a row.
WEBHOOK_RETRY_HOURS = env.float("WEBHOOK_RETRY_HOURS", default=24)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=3600)
WEBHOOK_DISABLE_AFTER = env.int("WEBHOOK_DISABLE_AFTER", default=20)
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=5)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=10)
WEBHOOK_RETENTION_DAYS = env.int("WEBHOOK_RETENTION_DAYS", default=30)
WEBHOOK_SWEEP_SECONDS = env.float("WEBHOOK_SWEEP_SECONDS", default=15)
# Webhooks never go to private, loopback or link-local addresses unless this is on.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False)
# Certificates of https receivers are checked against this CA bundle (a file); empty: the
# Mozilla list that requests ships (certifi). For receivers with a certificate of your own CA.
WEBHOOK_CA_BUNDLE = env.str("WEBHOOK_CA_BUNDLE", default="")
CELERY_BEAT_SCHEDULE["webhooks-deliver-due"] = {
    "task": "webhooks.deliver_due",
    "schedule": WEBHOOK_SWEEP_SECONDS,
    "options": {"expires": SWEEP_EXPIRES_SECONDS},
}
CELERY_BEAT_SCHEDULE["webhooks-prune"] = {
    "task": "webhooks.prune",
    "schedule": 3600,
    "options": {"expires": 3600},
}

# ---------------------------------------------------------------------------
# Logging: one JSON object per line on stdout, for any log collector (plain lines in development)
# ---------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
# The periodic tasks' routine lines (sent, received, succeeded with nothing done) stay out, and
# so do those of the wake-ups whose work the services log themselves (each outbox event, each
# article published at its exact time): a first `make run` would print hundreds of them.
LOG_SWEEPS = env.bool("LOG_SWEEPS", default=False)
LOG_QUIET_WAKE_UPS = ["outbox.process_event", "articles.publish_wake"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"()": "newsroom.logs.PlainFormatter"},
    },
    "filters": {
        "quiet_sweeps": {
            "()": "newsroom.logs.QuietSweeps",
            "tasks": []
            if LOG_SWEEPS
            else [e["task"] for e in CELERY_BEAT_SCHEDULE.values()] + LOG_QUIET_WAKE_UPS,
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["quiet_sweeps"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
    },
}

# ---------------------------------------------------------------------------
# Health
# ---------------------------------------------------------------------------
# Seconds each service check of /healthz and /healthz/full may take (newsroom/health.py).
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=1.0)

# ---------------------------------------------------------------------------
# Public site: weather in the top bar (Open-Meteo, no key)
# ---------------------------------------------------------------------------
# Defaults for the site settings (editable in the admin afterwards).
WEATHER_CITY = env.str("WEATHER_CITY", default="Berlin")
WEATHER_LATITUDE = env.float("WEATHER_LATITUDE", default=52.52)
WEATHER_LONGITUDE = env.float("WEATHER_LONGITUDE", default=13.405)
WEATHER_API_URL = env.str("WEATHER_API_URL", default="https://api.open-meteo.com/v1/forecast")
# How often the temperature is fetched; after a failure it is tried again after 1, 2, 4...
# minutes, never less often than this.
WEATHER_REFRESH_SECONDS = env.int("WEATHER_REFRESH_SECONDS", default=30 * 60)
# A reading older than this is hidden rather than shown stale; until then it is shown with its
# time.
WEATHER_MAX_AGE = env.int("WEATHER_MAX_AGE", default=3 * 3600)

# ---------------------------------------------------------------------------
# Public site: feeds
# ---------------------------------------------------------------------------
# Entries carry the whole article (RSS content:encoded, Atom content); off: the standfirst only.
FEEDS_FULL_TEXT = env.bool("FEEDS_FULL_TEXT", default=True)

# ---------------------------------------------------------------------------
# Shared caches: the origin cache, Varnish and CDNs (edgecache; docs/deployment.md)
# ---------------------------------------------------------------------------
# Public pages: browsers keep them briefly, shared caches until a purge (or the shared max-age).
EDGECACHE_BROWSER_MAX_AGE = env.int("EDGECACHE_BROWSER_MAX_AGE", default=60)
EDGECACHE_SHARED_MAX_AGE = env.int("EDGECACHE_SHARED_MAX_AGE", default=24 * 3600)
# A stale copy is served while the page is rendered again, and while rendering fails.
EDGECACHE_STALE_WHILE_REVALIDATE = env.int("EDGECACHE_STALE_WHILE_REVALIDATE", default=60)
EDGECACHE_STALE_IF_ERROR = env.int("EDGECACHE_STALE_IF_ERROR", default=24 * 3600)
# How long a cache in front may keep a stale copy the origin served.
EDGECACHE_STALE_SHARED_MAX_AGE = env.int("EDGECACHE_STALE_SHARED_MAX_AGE", default=5)
# The origin cache (in the Django cache named here: Redis, or the file cache of `make run`).
EDGECACHE_ORIGIN_CACHE = env.bool("EDGECACHE_ORIGIN_CACHE", default=True)
EDGECACHE_CACHE = env.str("EDGECACHE_CACHE", default="default")
# Longest wait for another request's render of the same page (single flight).
EDGECACHE_LOCK_SECONDS = env.float("EDGECACHE_LOCK_SECONDS", default=10)
# After a cache failure the origin cache steps aside this long (pages render from the database).
EDGECACHE_STORE_RETRY_SECONDS = env.float("EDGECACHE_STORE_RETRY_SECONDS", default=5)
EDGECACHE_KNOWN_URLS = env.int("EDGECACHE_KNOWN_URLS", default=20_000)
# Who drops a purged page, inner caches first: origin, varnish, fastly, cloudflare, cloudfront.
EDGECACHE_PURGERS = env.list("EDGECACHE_PURGERS", default=["origin"])
EDGECACHE_PURGE_TIMEOUT = env.float("EDGECACHE_PURGE_TIMEOUT", default=10)
# Varnish: every host's address (purged with xkey; soft purges keep a stale copy for grace).
EDGECACHE_VARNISH_URLS = env.list("EDGECACHE_VARNISH_URLS", default=[])
EDGECACHE_VARNISH_SOFT_PURGE = env.bool("EDGECACHE_VARNISH_SOFT_PURGE", default=True)
# Fastly: surrogate-key purges through its API.
EDGECACHE_FASTLY_API_URL = env.str("EDGECACHE_FASTLY_API_URL", default="https://api.fastly.com")
EDGECACHE_FASTLY_SERVICE_ID = env.str("EDGECACHE_FASTLY_SERVICE_ID", default="")
EDGECACHE_FASTLY_API_TOKEN = env.str("EDGECACHE_FASTLY_API_TOKEN", default="")
EDGECACHE_FASTLY_SOFT_PURGE = env.bool("EDGECACHE_FASTLY_SOFT_PURGE", default=True)
# Cloudflare: purges by cache tag.
EDGECACHE_CLOUDFLARE_API_URL = env.str(
    "EDGECACHE_CLOUDFLARE_API_URL", default="https://api.cloudflare.com/client/v4"
)
EDGECACHE_CLOUDFLARE_ZONE_ID = env.str("EDGECACHE_CLOUDFLARE_ZONE_ID", default="")
EDGECACHE_CLOUDFLARE_API_TOKEN = env.str("EDGECACHE_CLOUDFLARE_API_TOKEN", default="")
# CloudFront: invalidations by path (boto3; AWS credentials from the environment or a role).
EDGECACHE_CLOUDFRONT_DISTRIBUTION_ID = env.str("EDGECACHE_CLOUDFRONT_DISTRIBUTION_ID", default="")
EDGECACHE_CLOUDFRONT_ENDPOINT_URL = env.str("EDGECACHE_CLOUDFRONT_ENDPOINT_URL", default=None)
# Key headers for CDNs: Surrogate-Key (Fastly) and Cache-Tag (Cloudflare).
EDGECACHE_SURROGATE_KEY_HEADER = env.bool(
    "EDGECACHE_SURROGATE_KEY_HEADER", default="fastly" in EDGECACHE_PURGERS
)
EDGECACHE_CACHE_TAG_HEADER = env.bool(
    "EDGECACHE_CACHE_TAG_HEADER", default="cloudflare" in EDGECACHE_PURGERS
)

# ---------------------------------------------------------------------------
# Reader comments (docs/comments.md explains each value)
# ---------------------------------------------------------------------------
# Every comment setting lives here, read at call time as settings.COMMENTS_*.
# Rate limits are "count/seconds" pairs, applied per IP network and per email address.
COMMENTS_RATE_LIMITS = env.list("COMMENTS_RATE_LIMITS", default=["5/60", "30/3600"])
COMMENTS_FLAG_RATE_LIMITS = env.list("COMMENTS_FLAG_RATE_LIMITS", default=["10/3600"])
COMMENTS_NOTIFY_RATE_LIMITS = env.list(
    "COMMENTS_NOTIFY_RATE_LIMITS", default=["5/3600", "20/86400"]
)
# Threading: a comment (depth 0), a reply (1), a reply to a reply (2). Deeper replies join the
# last level under the same parent, so a conversation never becomes a narrow column.
COMMENTS_MAX_DEPTH = env.int("COMMENTS_MAX_DEPTH", default=3)
COMMENTS_MIN_SUBMIT_SECONDS = env.int("COMMENTS_MIN_SUBMIT_SECONDS", default=3)
COMMENTS_FORM_MAX_AGE = env.int("COMMENTS_FORM_MAX_AGE", default=7 * 24 * 3600)
COMMENTS_DUPLICATE_WINDOW = env.int("COMMENTS_DUPLICATE_WINDOW", default=600)
COMMENTS_LINK_LIMIT = env.int("COMMENTS_LINK_LIMIT", default=2)
COMMENTS_AUTO_CLOSE_DAYS = env.int("COMMENTS_AUTO_CLOSE_DAYS", default=30)
# Off: every comment waits for a moderator. On: trusted commenters appear at once (sections
# and articles can override this in the admin's Moderation policies).
COMMENTS_POST_MODERATION = env.bool("COMMENTS_POST_MODERATION", default=False)
COMMENTS_TRUSTED_MIN_APPROVED = env.int("COMMENTS_TRUSTED_MIN_APPROVED", default=2)
COMMENTS_SURGE_POSTS = env.int("COMMENTS_SURGE_POSTS", default=30)
COMMENTS_SURGE_FLAGS = env.int("COMMENTS_SURGE_FLAGS", default=10)
COMMENTS_SURGE_WINDOW = env.int("COMMENTS_SURGE_WINDOW", default=600)
COMMENTS_SURGE_HOLD = env.int("COMMENTS_SURGE_HOLD", default=6 * 3600)
COMMENTS_FLAG_THRESHOLD = env.int("COMMENTS_FLAG_THRESHOLD", default=3)
COMMENTS_RETENTION_DAYS = env.int("COMMENTS_RETENTION_DAYS", default=30)
COMMENTS_ERASE_MODE = env.str("COMMENTS_ERASE_MODE", default="anonymise")
# An Akismet-compatible checker, e.g. https://rest.akismet.com/1.1/comment-check; off if empty.
COMMENTS_SPAM_CHECKER_URL = env.str("COMMENTS_SPAM_CHECKER_URL", default="")
COMMENTS_SPAM_CHECKER_KEY = env.str("COMMENTS_SPAM_CHECKER_KEY", default="")
COMMENTS_DIGEST_INTERVAL_HOURS = env.int("COMMENTS_DIGEST_INTERVAL_HOURS", default=6)
COMMENTS_MODERATOR_EMAILS = env.list("COMMENTS_MODERATOR_EMAILS", default=[])
# Fixed limits, not read from the environment.
COMMENTS_BODY_MAX_LENGTH = 5000
COMMENTS_NAME_MAX_LENGTH = 80  # the model's field holds 80 characters
# The form's whole request body; anything bigger is refused (413) before it is parsed.
COMMENTS_MAX_REQUEST_BYTES = 128 * 1024
# A commenter with a rejection within this many days is not trusted (post-moderation).
COMMENTS_TRUSTED_REJECTION_WINDOW_DAYS = 90
COMMENTS_SPAM_CHECKER_TIMEOUT = 3.0
# A new notification confirmation request to the same address at most this often.
COMMENTS_CONFIRMATION_INTERVAL_DAYS = 30
# The browser remembers a commenter's name and email (their choice) this long.
COMMENTS_REMEMBER_COOKIE_AGE = 365 * 24 * 3600
# A browser shows its reader their own comments awaiting moderation this long after posting.
COMMENTS_PENDING_COOKIE_MAX_AGE = 7 * 24 * 3600
