import pytest

from outbox.handlers import register, unregister
from outbox.tests import recording


@pytest.fixture
def on_topic():
    """Register a handler for one test: ``on_topic("test.topic", handler)``."""
    registered = []

    def add(topic, handler):
        register(topic)(handler)
        registered.append((topic, handler))
        return handler

    yield add
    for topic, handler in registered:
        unregister(topic, handler)


@pytest.fixture
def recording_table():
    """The table the recording handler writes to; the test decides the database fixture."""
    recording.create_table()
    yield recording
    recording.drop_table()
