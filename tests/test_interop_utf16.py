"""UTF-16 offsets: the simple functions, `Utf16Index`, and their agreement on astral text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import leitlinien as ll
from leitlinien.interop import Utf16Index, code_point_offset, utf16_offset

TEXT = (
    "a😀b🎉🎉c"  # code points: a=0 😀=1 b=2 🎉=3 🎉=4 c=5; UTF-16: a=0 😀=1,2 b=3 🎉=4,5 🎉=6,7 c=8
)

# Letters, umlauts, BMP symbols and astral characters (emoji, CJK extension B, math letters).
ASTRAL_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("aäß \n"),
        st.characters(min_codepoint=0x2000, max_codepoint=0x2FFF),
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
        st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    ),
    max_size=40,
)


class TestSimpleFunctions:
    def test_utf16_offset_counts_astral_characters_twice(self) -> None:
        """Every astral character before the offset adds one UTF-16 unit."""
        assert [utf16_offset(TEXT, k) for k in range(7)] == [0, 1, 3, 4, 6, 8, 9]

    def test_code_point_offset_inverts_utf16_offset(self) -> None:
        """Each character boundary in UTF-16 maps back to its code-point offset."""
        assert [code_point_offset(TEXT, u) for u in (0, 1, 3, 4, 6, 8, 9)] == list(range(7))

    @pytest.mark.parametrize("inside", [2, 5, 7])
    def test_offset_inside_a_surrogate_pair_is_an_error_naming_it(self, inside: int) -> None:
        """An offset between the halves of a surrogate pair names no character boundary."""
        with pytest.raises(ll.AnchorError, match=rf"\(got {inside}, which splits a surrogate"):
            code_point_offset(TEXT, inside)

    def test_out_of_range_offsets_are_errors(self) -> None:
        """Offsets beyond the text, negative ones and non-ints are refused with the value."""
        with pytest.raises(ll.AnchorError, match=r"between 0 and 9 \(got 10\)"):
            code_point_offset(TEXT, 10)
        with pytest.raises(ll.AnchorError, match=r"between 0 and 6 \(got 7\)"):
            utf16_offset(TEXT, 7)
        with pytest.raises(ll.AnchorError, match=r"between 0 and 9 \(got -1\)"):
            code_point_offset(TEXT, -1)
        with pytest.raises(ll.AnchorError, match=r"must be an int \(got bool: True\)"):
            utf16_offset(TEXT, True)

    def test_bmp_only_text_has_equal_offsets(self) -> None:
        """Umlauts and other BMP characters count one unit in both systems."""
        text = "Bürgerbeteiligung – für alle"
        assert [utf16_offset(text, k) for k in range(len(text) + 1)] == list(range(len(text) + 1))


class TestUtf16Index:
    def test_converts_both_ways(self) -> None:
        """The index gives the same answers as the worked example above."""
        index = Utf16Index(TEXT)
        assert (index.code_points, index.utf16_length) == (6, 9)
        assert [index.to_utf16(k) for k in range(7)] == [0, 1, 3, 4, 6, 8, 9]
        assert [index.to_code_point(u) for u in (0, 1, 3, 4, 6, 8, 9)] == list(range(7))

    def test_inside_a_pair_and_out_of_range_are_errors(self) -> None:
        """The index refuses the same offsets the simple functions refuse."""
        index = Utf16Index(TEXT)
        with pytest.raises(ll.AnchorError, match=r"\(got 5, which splits"):
            index.to_code_point(5)
        with pytest.raises(ll.AnchorError, match=r"between 0 and 9 \(got 10\)"):
            index.to_code_point(10)
        with pytest.raises(ll.AnchorError, match=r"between 0 and 6 \(got 7\)"):
            index.to_utf16(7)

    def test_parse_and_convert_follow_the_unit(self) -> None:
        """`convert`/`parse` pass code points through and translate UTF-16 units."""
        index = Utf16Index(TEXT)
        assert (index.convert(4, "code-point"), index.convert(4, "utf-16")) == (4, 6)
        assert (index.parse(6, "code-point"), index.parse(6, "utf-16")) == (6, 4)

    @pytest.mark.property
    @given(text=ASTRAL_TEXT, data=st.data())
    def test_agrees_with_the_simple_functions(self, text: str, data: st.DataObject) -> None:
        """For any text with astral characters, the index equals the one-off functions."""
        index = Utf16Index(text)
        offset = data.draw(st.integers(0, len(text)))
        units = utf16_offset(text, offset)
        assert index.to_utf16(offset) == units
        assert index.to_code_point(units) == offset == code_point_offset(text, units)
        assert index.utf16_length == len(text.encode("utf-16-le")) // 2

    @pytest.mark.property
    @given(text=ASTRAL_TEXT, data=st.data())
    def test_every_utf16_offset_is_a_boundary_or_refused(
        self, text: str, data: st.DataObject
    ) -> None:
        """A UTF-16 offset either maps to a boundary or splits a pair, in both implementations."""
        index = Utf16Index(text)
        units = data.draw(st.integers(0, index.utf16_length))
        encoded = text.encode("utf-16-le")
        splits = (
            0 < units < index.utf16_length
            and 0xDC00 <= int.from_bytes(encoded[2 * units : 2 * units + 2], "little") <= 0xDFFF
        )
        if splits:
            with pytest.raises(ll.AnchorError):
                index.to_code_point(units)
            with pytest.raises(ll.AnchorError):
                code_point_offset(text, units)
        else:
            expected = len(encoded[: 2 * units].decode("utf-16-le"))
            assert index.to_code_point(units) == expected == code_point_offset(text, units)
