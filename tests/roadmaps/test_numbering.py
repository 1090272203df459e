import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmaps.numbering import number_sort_key


def test_numbers_sort_as_officials_read_them():
    written = ["2.1.", "1.10.", "1.2.", "10.", "1.1", "3а", "3", "4"]

    assert sorted(written, key=number_sort_key) == ["1.1", "1.2.", "1.10.", "2.1.", "3", "3а", "4", "10."]


@pytest.mark.parametrize(("smaller", "larger"), [("II", "IX"), ("IV.2", "V.1"), ("7.", "7.1.")])
def test_roman_numerals_and_prefixes_order_naturally(smaller, larger):
    assert number_sort_key(smaller) < number_sort_key(larger)


def test_trailing_dot_and_spaces_do_not_change_the_order():
    assert number_sort_key(" 1.1. ") == number_sort_key("1.1")


@given(
    st.lists(st.integers(min_value=0, max_value=9999), min_size=1, max_size=4),
    st.lists(st.integers(min_value=0, max_value=9999), min_size=1, max_size=4),
)
def test_dotted_numbers_order_like_integer_tuples(a, b):
    key_a = number_sort_key(".".join(map(str, a)))
    key_b = number_sort_key(".".join(map(str, b)))

    assert (key_a < key_b) == (a < b)
