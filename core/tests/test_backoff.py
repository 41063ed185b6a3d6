from datetime import timedelta

from core.backoff import Backoff, retry_delay


def test_the_delay_doubles_from_the_base_up_to_the_maximum_never_sooner():
    for _ in range(50):
        assert 5 <= retry_delay(1, base=5, maximum=60).total_seconds() <= 6
        assert 10 <= retry_delay(2, base=5, maximum=60).total_seconds() <= 12
        assert 20 <= retry_delay(3, base=5, maximum=60).total_seconds() <= 24
        assert 60 <= retry_delay(10, base=5, maximum=60).total_seconds() <= 72
        assert 5 <= retry_delay(0, base=5, maximum=60).total_seconds() <= 6


def test_retries_that_failed_together_spread_out():
    delays = {retry_delay(4, base=30, maximum=3600) for _ in range(20)}
    assert len(delays) > 1
    assert all(timedelta(seconds=240) <= d <= timedelta(seconds=288) for d in delays)


def test_a_backoff_reads_its_settings_at_each_call(settings):
    delay = Backoff("OUTBOX_RETRY_BASE_SECONDS", "OUTBOX_RETRY_MAX_SECONDS")
    settings.OUTBOX_RETRY_BASE_SECONDS = 100
    settings.OUTBOX_RETRY_MAX_SECONDS = 150
    assert 100 <= delay(1).total_seconds() <= 120
    assert 150 <= delay(5).total_seconds() <= 180
