"""Prometheus metrics of the hub, with the maintained client library ``prometheus_client``.

- ``instruments``: what web and worker processes record as they go (request latency, task
  durations and failures) and the worker's own metrics server;
- ``collectors``: what is asked at scrape time (queue lengths, files by state);
- ``endpoint``: ``/metrics`` on the web, for the allowed addresses or token only.

Under gunicorn and Celery's prefork pool each process records into files under
``PROMETHEUS_MULTIPROC_DIR``, and a scrape adds up all the processes of the container.
"""
