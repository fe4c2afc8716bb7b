"""Meetings a work update (工作动态) may link to. Only the date, the kind and the topic are public: never
attendance, minutes, resolutions or anyone's personal data."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.linkable import Linkable
from dangjian.core.scoping import scoped
from dangjian.meetings.models import Meeting, Status


def public_fields(meeting) -> dict[str, str]:
    return {
        str(_("日期")): meeting.day.isoformat(),
        str(_("类型")): str(meeting.get_kind_display()),
        str(_("主题")): meeting.topic,
    }


def candidates(user):
    return scoped(user, Meeting, "meetings.record").filter(status=Status.HELD).order_by("-starts_at")


LINKABLES = [Linkable("meetings.Meeting", _("组织生活"), public_fields=public_fields, candidates=candidates)]
