"""Insights helpers for tests: reading the dashboard's chart data back from a page."""

import json
import re


def chart_data(response) -> dict:
    match = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))
