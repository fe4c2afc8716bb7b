"""Background jobs of the kernel."""

import time
from pathlib import Path

from django_tasks import task


@task()
def heartbeat(marker: str = "", seconds: float = 0.0) -> str:
    """A harmless job to check the job system end to end (`manage.py jobs_check`, and the tests).

    With `marker`, it appends "start" and then "done" to that file, so another process can see where it got."""
    if marker:
        with Path(marker).open("a", encoding="utf-8") as f:
            f.write("start\n")
    time.sleep(seconds)
    if marker:
        with Path(marker).open("a", encoding="utf-8") as f:
            f.write("done\n")
    return "ok"
