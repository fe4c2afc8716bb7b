"""Path prefixes of the meeting indicators at province scale."""

from dangjian.meetings.indicators import _owners, _roots


def test_school_owners_and_few_prefixes_at_province_scale():
    # 75 counties × 120 schools under one province: a few prefixes for the database, exact owners in Python.
    paths = {c * 1000 + s: f"1.{c}.{c * 1000 + s}." for c in range(2, 77) for s in range(120)}
    paths[999_999] = "1.2.2000."  # a joint branch: two schools share one organization
    assert _roots(paths) == ["1."]
    county = {pk: p for pk, p in paths.items() if p.startswith("1.2.")}
    assert _roots(county) == ["1.2."]
    assert _roots({1: "1.2.3.", 2: "1.2.4."}) == ["1.2.3.", "1.2.4."]
    owners = _owners(paths)
    assert sorted(owners("1.2.2000.55.")) == [2000, 999_999]
    assert owners("1.3.3005.") == [3005]
    assert owners("1.3.") == [] and owners("1.3.99999.") == []
