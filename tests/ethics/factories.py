"""Ethics factories (trusted set-up: they write through all_objects, like services do)."""

import datetime as dt

import factory

from dangjian.ethics.models import EthicsAppraisal, Evidence, MisconductCase, Sanction
from tests.factories import PersonFactory, ScopedFactory


class AppraisalFactory(ScopedFactory):
    class Meta:
        model = EthicsAppraisal

    person = factory.SubFactory(PersonFactory)
    year_key = "2025-2026"


class CaseFactory(ScopedFactory):
    class Meta:
        model = MisconductCase

    person = factory.SubFactory(PersonFactory)
    source = "complaint"
    summary = "反映该教师组织有偿补课（测试数据）"
    standards = [10]
    reported_on = dt.date(2026, 9, 1)


class EvidenceFactory(ScopedFactory):
    class Meta:
        model = Evidence

    case = factory.SubFactory(CaseFactory)
    description = "家长提供的收费记录（测试数据）"


class SanctionFactory(ScopedFactory):
    class Meta:
        model = Sanction

    person = factory.SubFactory(PersonFactory)
    kind = "warning"
    purposes = ["award", "promotion", "title"]
    starts_on = dt.date(2026, 3, 1)
    ends_on = dt.date(2026, 9, 1)
