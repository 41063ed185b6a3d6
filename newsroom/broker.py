"""The embedded broker (kombu's filesystem transport) with a prompt stop.

Its transport cannot wake a worker up (no asynchronous I/O), so Celery polls it in a blocking
loop that waits up to two seconds for a message before it looks at a shutdown request again.
This transport waits in steps of one polling interval and answers a shutdown after the step in
progress, so Ctrl-C stops a `make run` worker at once instead of after honcho's SIGKILL.
"""

from time import monotonic

from celery.worker import state as worker_state
from kombu.transport import filesystem


def _stopping() -> bool:
    return worker_state.should_stop is not None or worker_state.should_terminate is not None


class Transport(filesystem.Transport):
    def drain_events(self, connection, timeout=None):
        step = self.polling_interval or 0.1
        deadline = None if timeout is None else monotonic() + timeout
        while not _stopping():
            left = step if deadline is None else min(step, deadline - monotonic())
            if left <= 0:
                break
            try:
                return super().drain_events(connection, timeout=left)
            except TimeoutError:
                continue
        raise TimeoutError()
