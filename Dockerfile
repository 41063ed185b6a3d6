# The Newsroom image: one image for web, worker, beat and migrate (docker-compose.yml picks the
# process with `bin/newsroom <process>`).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media \
    CELERY_BEAT_SCHEDULE_FILENAME=/app/var/celerybeat-schedule

RUN useradd --create-home --uid 1000 newsroom
WORKDIR /app

# Requirements first, so a code change does not reinstall them.
COPY requirements.lock ./
# EXTRA_REQUIREMENTS adds packages a deployment needs beyond the locked requirements.
ARG EXTRA_REQUIREMENTS=""
RUN pip install --require-hashes -r requirements.lock \
    && if [ -n "${EXTRA_REQUIREMENTS}" ]; then pip install ${EXTRA_REQUIREMENTS}; fi

# The code stays owned by root (read-only for the app); only var/ is writable.
COPY . .
# The key exists only for this RUN: settings refuse to load in production mode without one, and
# collectstatic needs no real secret. The running containers get theirs from the environment.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret DEBUG=0 \
        python manage.py collectstatic --noinput \
    && rm -rf var && mkdir -p var/media \
    && chown -R newsroom:newsroom var

USER newsroom
EXPOSE 8000
CMD ["bin/newsroom", "web"]
