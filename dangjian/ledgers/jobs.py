"""Background jobs of the ledgers app."""

from django_tasks import TaskResultStatus, task

from dangjian.ledgers import services


@task()
def build_ledger(ledger_id: int) -> str:
    return services.build(ledger_id).status


def record_lost_build(sender, task_result, **kwargs) -> None:
    """A build whose job ended failed without the build recording it (its worker died, core.jobsweep): the
    ledger says so instead of 生成中 for ever. Connected to django_tasks' task_finished in LedgersConfig."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path != build_ledger.module_path:
        return

    services.mark_lost(task_result.kwargs.get("ledger_id"))
