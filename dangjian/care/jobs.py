"""Background jobs of the care app: purge records past their retention date."""

from django_tasks import task

from dangjian.care import services


@task()
def purge_expired_job() -> int:
    return services.purge_expired()
