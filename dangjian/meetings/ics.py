"""iCalendar (.ics) invitations for meetings and public live sessions."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_for(meetings, *, with_place: bool = True) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//dangjian//meetings//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for m in meetings:
        event = Event()
        event.add("uid", f"meeting-{m.pk}@dangjian")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", m.starts_at)
        event.add("dtend", m.ends_at)
        event.add("summary", f"{m.get_kind_display()}：{m.topic}")
        if with_place and m.place:
            event.add("location", m.place)
        if m.online_url:
            event.add("url", m.online_url)
            event.add("description", m.online_url)
        event.add("status", "CANCELLED" if m.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
