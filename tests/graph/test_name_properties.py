"""The look-alike key of a name is stable (#26.2): the same name written with other case,
accents, compatibility forms (NFKC), look-alike letters of another script or spacing is the
same actor for the store (its natural key) and for the look-alike warning; the vocabulary
reads its words back whatever their case and accents."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from graph.lookalike import comparable
from graph.model import natural_key, normalise_name
from graph.vocabulary import LISTS, code_of, label

# names as Brussels writes them: Latin letters with and without accents, digits, spaces,
# hyphens and apostrophes
LETTERS = "abcdefghijklmnopqrstuvwxyzéèêëàâäîïôöûüçñ"
NAMES = st.text(alphabet=LETTERS + LETTERS.upper() + "0123456789 -'", min_size=1, max_size=40)
#: Cyrillic and Greek letters that look like Latin ones (a confusable attack, or a keyboard)
LOOK_ALIKE = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441",
              "x": "\u0445", "i": "\u0456"}  # fmt: skip


def _plain(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn"
    )


@given(NAMES)
def test_case_and_accents_do_not_change_the_key(name: str) -> None:
    assert normalise_name(name) == normalise_name(name.upper()) == normalise_name(name.lower())
    assert normalise_name(name) == normalise_name(_plain(name))
    assert natural_key(name, "Cureghem") == natural_key(_plain(name).swapcase(), "CUREGHEM")


@given(NAMES)
def test_compatibility_forms_and_spacing_do_not_change_the_key(name: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)  # fullwidth
    assert normalise_name(wide) == normalise_name(name)
    assert normalise_name(f"  {name.replace(' ', '   ')}\u200b ") == normalise_name(name)


@given(NAMES)
def test_look_alike_letters_of_another_script_do_not_change_the_key(name: str) -> None:
    """In a Latin name (a name all in Cyrillic is Cyrillic, and stays so)."""
    assume(any(c.isalpha() and c.lower() not in LOOK_ALIKE for c in _plain(name)))
    spoofed = "".join(LOOK_ALIKE.get(c, c) for c in name)
    assert normalise_name(spoofed) == normalise_name(name)
    assert comparable(spoofed) == comparable(name)


@given(NAMES)
def test_the_key_is_a_fixed_point(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once
    assert comparable(comparable(name)) == comparable(name)


@given(st.sampled_from([(f, c) for f, table in LISTS.items() for c in table]),
       st.sampled_from(["en", "fr", "nl"]), st.booleans())  # fmt: skip
def test_every_word_of_the_vocabulary_reads_back_as_its_code(
    field_code: tuple[str, str], lang: str, shout: bool
) -> None:
    field, code = field_code
    word = label(field, code, lang)
    typed = _plain(word).upper() if shout else word
    assert code_of(field, typed) == code
