"""Background jobs in the logs and the metrics: the request id travels with the task, failures are counted.

The request id: a task published during a request carries the request's id in its headers
(``X-Request-ID``); the worker sets it for the task's run, so the job's log lines and the access-log
rows it writes have the id of the request that queued it (a task published by beat gets a new one).
Hand-written rather than django-guid's CeleryIntegration, which gives a task run in-process
(``task_always_eager``: the tests, a worker-less run) a new id and then clears the request's own.
"""

from __future__ import annotations

from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun
from django_guid import clear_guid, get_guid, set_guid
from django_guid.config import settings as guid_settings
from django_guid.utils import generate_guid

from . import metrics


@before_task_publish.connect(weak=False)
def carry_request_id(headers: dict | None = None, **kwargs) -> None:
    if headers is not None and get_guid():
        headers[guid_settings.guid_header_name] = get_guid()


@task_prerun.connect(weak=False)
def adopt_request_id(task=None, **kwargs) -> None:
    if task is None or task.request.is_eager:
        return  # in-process: the request's id is already the context's
    set_guid(task.request.get(guid_settings.guid_header_name) or generate_guid(uuid_length=guid_settings.uuid_length))


@task_postrun.connect(weak=False)
def forget_request_id(task=None, **kwargs) -> None:
    if task is not None and not task.request.is_eager:
        clear_guid()


@task_failure.connect(weak=False)
def count_failure(sender=None, **kwargs) -> None:
    metrics.job_failed(getattr(sender, "name", "unknown"))
