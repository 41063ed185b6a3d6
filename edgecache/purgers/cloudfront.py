import functools

from django.conf import settings

from . import PurgeError, Purger, PurgeRequest
from .http import batches

# CloudFront takes up to 3,000 paths in progress per distribution; stay well below per request.
BATCH = 1000


@functools.lru_cache(maxsize=4)
def _client(endpoint_url: str | None):
    import boto3
    from botocore.config import Config

    # One attempt: the outbox retries with its own backoff, without holding a worker.
    config = Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=settings.EDGECACHE_PURGE_TIMEOUT,
        read_timeout=settings.EDGECACHE_PURGE_TIMEOUT,
    )
    return boto3.client("cloudfront", endpoint_url=endpoint_url, config=config)


class CloudFrontPurger(Purger):
    """CloudFront invalidations (it has no tags): the purge's paths, in batches. The caller
    reference is the event's and the batch's, so a retried batch is never invalidated twice.
    Needs boto3 (EXTRA_REQUIREMENTS, docs/deployment.md) and AWS credentials."""

    name = "cloudfront"
    required_settings = ("EDGECACHE_CLOUDFRONT_DISTRIBUTION_ID",)

    def purge(self, request: PurgeRequest) -> None:
        if not request.paths:
            return
        from botocore.exceptions import BotoCoreError, ClientError

        client = _client(settings.EDGECACHE_CLOUDFRONT_ENDPOINT_URL)
        for number, batch in enumerate(batches(request.paths, size=BATCH)):
            try:
                client.create_invalidation(
                    DistributionId=settings.EDGECACHE_CLOUDFRONT_DISTRIBUTION_ID,
                    InvalidationBatch={
                        "Paths": {"Quantity": len(batch), "Items": batch},
                        "CallerReference": f"newsroom-{request.event_id}-{number}",
                    },
                )
            except ClientError as exc:
                error = exc.response.get("Error", {})
                raise PurgeError(
                    f"{self.name}: {error.get('Code', 'error')}: {error.get('Message', exc)}"
                ) from exc
            except BotoCoreError as exc:
                raise PurgeError(f"{self.name}: {exc}") from exc

    def problems(self) -> list[str]:
        problems = super().problems()
        try:
            import boto3  # noqa: F401
        except ImportError:
            problems.append("install boto3 (EXTRA_REQUIREMENTS, see docs/deployment.md)")
        return problems
