"""A handler that records every event it runs in a table, so tests can count handler runs
across processes (the test process and real worker processes share the test database).

Workers register it through ``celery worker -I outbox.tests.worker_handlers``.
OUTBOX_TEST_HANDLER_SECONDS makes it slow, so a test can kill a worker while a handler runs.
"""

import os
import time

from django.db import connection

from outbox.handlers import register

TABLE = "outbox_test_handled"
TOPICS = ["article.published", "article.unpublished", "test.recorded"]


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(event_id bigint NOT NULL, topic varchar(100) NOT NULL, pid integer NOT NULL)"
        )


def drop_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def record(event) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (event_id, topic, pid) VALUES (%s, %s, %s)",  # noqa: S608
            [event.pk, event.topic, os.getpid()],
        )
    # After the insert, before the commit: a worker killed here loses the insert with the rest
    # of the processing transaction.
    time.sleep(float(os.environ.get("OUTBOX_TEST_HANDLER_SECONDS", "0")))


def handled_event_ids(topic: str | None = None) -> list[int]:
    """Event ids, once per committed handler run, in id order."""
    query = f"SELECT event_id FROM {TABLE}"  # noqa: S608
    params = []
    if topic:
        query += " WHERE topic = %s"
        params.append(topic)
    with connection.cursor() as cursor:
        cursor.execute(query + " ORDER BY event_id", params)
        return [row[0] for row in cursor.fetchall()]


def register_all() -> None:
    for topic in TOPICS:
        register(topic)(record)
