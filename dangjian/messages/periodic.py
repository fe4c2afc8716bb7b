"""Periodic duties of the messages app (run by `manage.py periodic`, see core.periodic)."""

from __future__ import annotations

import datetime as dt

from dangjian.core.periodic import Duty
from dangjian.messages import delivery

# After the apps' reminder duties (order 20-40): their new messages go out in the same run; held messages leave
# at the first run after quiet hours end.
DUTIES = [Duty("messages.deliver", dt.timedelta(minutes=5), delivery.run, order=80)]
