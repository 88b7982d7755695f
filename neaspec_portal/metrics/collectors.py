"""What a scrape asks at its own moment: the length of the Celery queues, files by state."""

import logging
from collections.abc import Iterator

import redis
from django.conf import settings
from django.db.models import Count
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from datasets.models import DataFile, FileState
from neaspec_portal.celery import app as celery_app

logger = logging.getLogger(__name__)


class QueueLengthCollector(Collector):
    """Messages waiting in each Celery queue of ``METRICS_QUEUES`` (Redis ``LLEN``)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "hub_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        up = GaugeMetricFamily("hub_celery_broker_up", "Whether the broker answered the scrape.")
        client = redis.Redis.from_url(celery_app.conf.broker_url, socket_timeout=1)
        try:
            with client.pipeline(transaction=False) as pipe:
                for queue in settings.METRICS_QUEUES:
                    pipe.llen(queue)
                lengths = pipe.execute()
        except redis.RedisError as error:
            logger.warning("metrics: the broker did not answer (%s)", error.__class__.__name__)
            up.add_metric([], 0)
        else:
            for queue, length in zip(settings.METRICS_QUEUES, lengths, strict=True):
                family.add_metric([queue], length)
            up.add_metric([], 1)
        finally:
            client.close()
        yield family
        yield up


class FileStateCollector(Collector):
    """Uploaded files by processing state: one GROUP BY query per scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "hub_data_files", "Uploaded files by processing state.", labels=["state"]
        )
        counts = dict.fromkeys(FileState.values, 0)
        rows = DataFile.objects.order_by().values_list("state").annotate(count=Count("pk"))
        counts.update(dict(rows))
        for state, count in counts.items():
            family.add_metric([state], count)
        yield family


def scrape_registry() -> CollectorRegistry:
    """Return a registry of the collectors asked at scrape time."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(QueueLengthCollector())
    registry.register(FileStateCollector())
    return registry
