"""What an observation's text must not hold: an identifiable person. Before an observation is
saved its text is searched for the names of the neighbourhood's key residents and contact
persons, for phone numbers (libphonenumber's matcher, Belgian and international forms) and for
e-mail addresses; each one found is named in a clear refusal, so the BAR worker can rewrite the
sentence about the neighbourhood instead of about someone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

from graph.errors import Say

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents, for comparing names.

    >>> fold("Élodie MÜLLER")
    'elodie muller'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names_in(text: str, names: Iterable[str]) -> list[str]:
    folded = fold(text)
    found = []
    for name in names:
        words = fold(name).split()
        if not words or len("".join(words)) < 3:
            continue
        pattern = r"(?<!\w)" + r"[\s.\-']+".join(map(re.escape, words)) + r"(?!\w)"
        if re.search(pattern, folded):
            found.append(name)
    return found


def personal_data(text: str, names: Iterable[str] = ()) -> list[Say]:
    """What in ``text`` points at a person: each name of ``names`` it holds (key residents,
    contact persons), each phone number and each e-mail address, as messages to show.

    >>> for said in personal_data("Mme Z. Amrani (0470 12 34 56) needs help", ["Z. Amrani"]):
    ...     print(said)
    the text names 'Z. Amrani': an observation is about the neighbourhood, never about a person
    the text holds a phone number (0470 12 34 56): write what is observed, not who to call
    >>> personal_data("Elderly residents no longer find a GP taking new patients")
    []
    """
    problems: list[Say] = []
    for name in _names_in(text, names):
        problems.append(
            Say(
                "the text names '{name}': an observation is about the neighbourhood, never "
                "about a person",
                name=name,
            )
        )
    for match in phonenumbers.PhoneNumberMatcher(text, "BE"):
        problems.append(
            Say(
                "the text holds a phone number ({number}): write what is observed, not who to call",
                number=match.raw_string.strip("()[] "),
            )
        )
    for email in EMAIL.findall(text):
        problems.append(
            Say(
                "the text holds an e-mail address ({email}): write what is observed, not who "
                "to write to",
                email=email,
            )
        )
    return problems
