import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dangjian.orgs import idnumber


def test_a_published_example_validates():
    # GB 11643-1999 worked example: 11010519491231002X.
    assert idnumber.problem("11010519491231002X") is None
    assert idnumber.problem("11010519491231002x") is None  # lower-case x is normalized
    assert idnumber.birth_date("11010519491231002X") == dt.date(1949, 12, 31)
    assert idnumber.gender("11010519491231002X") == "F"


def test_reasons_are_chinese_and_specific():
    assert "18位" in idnumber.problem("1234")
    assert "校验位" in idnumber.problem("110105194912310021")
    assert "出生日期" in idnumber.problem("110105194913310021")
    assert "数字" in idnumber.problem("1101051949123100AX")


@given(
    st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_generated_numbers_validate_and_one_changed_digit_does_not(region, birth, seq):
    number = idnumber.make(region, birth, seq)
    assert idnumber.problem(number) is None
    assert idnumber.birth_date(number) == birth
    flipped = number[:16] + str((int(number[16]) + 1) % 10) + number[17]
    assert idnumber.problem(flipped) is not None


def test_masking_hides_all_but_the_ends():
    assert idnumber.mask("11010519491231002X") == "110*************2X"
    assert idnumber.mask_phone("13912345678") == "139****5678"
