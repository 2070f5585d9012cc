"""The domain of Maillage as pydantic v2 models and enums (see DESIGN.md, "Domain").

Inputs (``*Create``, ``*Update``) are validated here, with messages a person understands;
records (``Actor``, ``Link``, …) are what the stores give back. People helped by the BAR never
appear: individuals exist only as ``key_resident`` actors, under a pseudonym, with a consent date,
and a referral is an anonymous count with no free text.
One module on purpose (about 700 lines): the whole domain vocabulary — enums, inputs, records,
filters, their validation rules and OpenAPI examples — is read and reviewed side by side.
"""

from __future__ import annotations

import os
import re
import threading
import time as clock
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Generic, Literal, Self, TypeVar

import phonenumbers
from confusable_homoglyphs.confusables import is_confusable, is_mixed_script
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    field_validator,
    model_validator,
)

from graph.errors import Rule, Say

# --------------------------------------------------------------------------- enums


class ActorKind(StrEnum):
    resident_group = "resident_group"
    association = "association"
    trader = "trader"
    public_service = "public_service"
    health_actor = "health_actor"
    place_of_worship = "place_of_worship"
    school = "school"
    external_partner = "external_partner"
    bar_team = "bar_team"
    key_resident = "key_resident"
    other = "other"


class ActorStatus(StrEnum):
    active = "active"
    dormant = "dormant"
    closed = "closed"


class LinkType(StrEnum):
    KNOWS = "KNOWS"
    COLLABORATES_WITH = "COLLABORATES_WITH"
    REFERS_TO = "REFERS_TO"
    PARTNER_OF = "PARTNER_OF"
    HOSTS = "HOSTS"
    MEMBER_OF = "MEMBER_OF"
    INFORMS = "INFORMS"

    @property
    def directed(self) -> bool:
        return self in DIRECTED_LINK_TYPES


DIRECTED_LINK_TYPES = frozenset(
    {LinkType.REFERS_TO, LinkType.HOSTS, LinkType.MEMBER_OF, LinkType.INFORMS}
)


class Mission(StrEnum):
    networking = "networking"
    referral = "referral"
    collective = "collective"
    community = "community"


class ActivityMission(StrEnum):
    """Activities are mission 3 (collective health information) or mission 4 (community)."""

    collective = "collective"
    community = "community"


class ReferralOutcome(StrEnum):
    pending = "pending"
    reached = "reached"
    not_reached = "not_reached"
    unknown = "unknown"


class EntityKind(StrEnum):
    actor = "actor"
    link = "link"
    activity = "activity"
    referral = "referral"
    neighbourhood = "neighbourhood"
    user = "user"
    token = "token"  # noqa: S105 - the name of a kind of record
    throttle = "throttle"  # failed logins counted per user name and per client address
    follow_up = "follow_up"  # "we will do this, who, by when", noted at a team meeting
    observation = "observation"  # what an actor says about the neighbourhood (the diagnosis)
    crisis = "crisis"  # a crisis list: the actors reaching a public, and who called whom


class ObservationKind(StrEnum):
    """What an observation says about the neighbourhood (the diagnosis)."""

    need = "need"
    problem = "problem"
    resource = "resource"
    wish = "wish"
    change = "change"


class Role(StrEnum):
    """bar records and reads; coordinator also sees every neighbourhood and manages users;
    viewer only reads; admin does everything."""

    bar = "bar"
    coordinator = "coordinator"
    viewer = "viewer"
    admin = "admin"

    @property
    def can_write(self) -> bool:
        return self is not Role.viewer

    @property
    def manages_users(self) -> bool:
        return self in (Role.coordinator, Role.admin)


class EventAction(StrEnum):
    create = "create"
    update = "update"
    end = "end"
    reopen = "reopen"
    retract = "retract"
    delete = "delete"
    confirm = "confirm"  # "still true": an actor's details checked, nothing else changed


# --------------------------------------------------------------------------- helpers

ExampleId = "4f1c2a9e8b7d4c3a9e1f2b3c4d5e6f70"  # an actor id, for the examples
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _skeleton(text: str) -> str:
    """Format characters (zero-width spaces, joiners, bidi marks) removed and, in a name that
    mixes scripts, each letter that looks like a Latin one replaced by it (the confusables of
    Unicode TS #39, from ``confusable_homoglyphs``). A name written in one script (Arabic,
    Cyrillic…) keeps its letters.

    >>> _skeleton("Mai\u200bson du Peuple"), _skeleton("M\u0430ison du Peuple")
    ('Maison du Peuple', 'Maison du Peuple')
    >>> _skeleton("Дом культуры")
    'Дом культуры'
    """
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    if not is_mixed_script(text):
        return text
    found = is_confusable(text, greedy=True, preferred_aliases=["latin"]) or []
    latin: dict[str, str] = {}
    for item in found:
        if item["character"].isascii():  # a Latin letter or a digit stays itself ("0" not "o")
            continue
        ascii_look = [h["c"] for h in item["homoglyphs"] if h["c"].isascii()]
        if ascii_look:
            latin[item["character"]] = ascii_look[0]
    return "".join(latin.get(c, c) for c in text)


#: letters that do not decompose into a base letter and an accent, as a name is compared
#: ("Fırın" is found by "firin", "Ørsted" by "orsted")
_FOLDED = str.maketrans(
    {"ı": "i", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ŧ": "t", "œ": "oe",
     "æ": "ae", "þ": "th"}
)  # fmt: skip
#: the version of the comparison: stores written with an older one compute their keys again
NAMES_VERSION = 4  # 3: the vocabulary's codes; 4: ASCII kept as it is in a mixed-script name


@lru_cache(maxsize=100_000)
def normalise_name(text: str) -> str:
    """The comparable form of a name: case, accents, punctuation, spacing, invisible
    characters and look-alike letters from another script ignored.

    >>> normalise_name("  Maison  Médicale  du Midi ")
    'maison medicale du midi'
    >>> normalise_name("CAFÉ-Ça Va!")
    'cafe ca va'
    >>> normalise_name("مسجد الخليل")
    'مسجد الخليل'
    >>> normalise_name("M\u0430ison du\u200b Peuple") == normalise_name("Maison du Peuple")
    True
    >>> normalise_name("Fırın Anadolu"), normalise_name("Œuvre Ørsted")
    ('firin anadolu', 'oeuvre orsted')
    """
    text = _skeleton(unicodedata.normalize("NFKC", text))
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    words = _NON_WORD.sub(" ", stripped.casefold().translate(_FOLDED)).split()
    if words:
        return " ".join(words)
    # A name of symbols only (an emoji, say) keeps its symbols.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def natural_key(name: str, neighbourhood: str) -> str:
    """The natural key of an actor: normalised name and neighbourhood."""
    return f"{normalise_name(name)}|{normalise_name(neighbourhood)}"


def today() -> date:
    return datetime.now(UTC).date()


def now() -> datetime:
    return datetime.now(UTC)


@lru_cache(maxsize=16)
def stamp(moment: datetime) -> str:
    """A moment as records and events store it (ISO 8601): one import stamps 200,000 records
    and events with the same moment."""
    return moment.isoformat()


class _RandomBytes:
    """The operating system's random bytes, fetched 4 KB at a time. One ``os.urandom`` per
    id let go of the GIL at each id: a thread planning an import (an id every 150 µs) then
    took it back before any other thread could (CPython resets a waiting thread's 5 ms
    switch request at every hand-over), and every other request of the server waited for
    the whole planning (3 s at 20,000 rows: bench/RESULTS.md)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool = b""
        self._at = 0  # the bytes before it are taken
        os.register_at_fork(after_in_child=self._forget)  # a forked child draws anew

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._pool, self._at = b"", 0

    def take(self, n: int) -> bytes:
        with self._lock:
            if self._at + n > len(self._pool):
                self._pool, self._at = os.urandom(4096), 0
            out = self._pool[self._at : self._at + n]
            self._at += n
        return out


_RANDOM = _RandomBytes()


def new_id() -> str:
    """A new record or event id: a UUID version 7 (RFC 9562) as 32 hex digits, the
    millisecond of its making then 74 random bits. Ids made one after the other sort in that
    order, so the stores' indexes take them at their end instead of all over their pages (an
    import makes 200,000: bench/RESULTS.md).

    >>> import uuid; [uuid.UUID(hex=new_id()).version for _ in "ab"]
    [7, 7]
    """
    n = (clock.time_ns() // 1_000_000) << 80 | int.from_bytes(_RANDOM.take(10), "big")
    n = (n & ~(0xF000 << 64)) | (7 << 76)  # version 7
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 9562 variant
    return f"{n:032x}"


def _not_future(value: date | None) -> date | None:
    if value is not None and value > today():
        raise ValueError(Say("the date {day} is in the future", day=value))
    return value


def normalise_tag(value: str) -> str:
    """Themes, languages and target groups compare lower-cased with single spaces.

    >>> normalise_tag("  Mental   Health ")
    'mental health'
    """
    return " ".join(value.split()).lower()


def utc_iso(moment: datetime) -> str:
    """A moment as an ISO string in UTC (naive moments are taken as UTC), as events store it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _clean_tags(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for raw in values:
        tag = normalise_tag(raw)
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 and C1 control characters
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # lines allowed


def _no_control(pattern: re.Pattern[str]) -> AfterValidator:
    """Invisible control characters are refused: no page, spreadsheet or XML export could
    show or even hold them (an XLSX or GEXF with U+0001 is broken)."""

    def check(value: str) -> str:
        found = pattern.search(value)
        if found is not None:
            code = f"{ord(found.group()):04X}"
            raise ValueError(
                Say(
                    "an invisible control character (U+{code}) cannot be kept: remove it", code=code
                )
            )
        return value

    return AfterValidator(check)


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides, isolates


@dataclass(frozen=True)
class _Schema:
    """What the JSON schema (the OpenAPI) says of a type beyond what pydantic derives: the
    rules our validators keep, as patterns, so that a client — and the fuzzer — knows which
    values are valid (a value the schema calls valid is never refused)."""

    extra: tuple[tuple[str, Any], ...]

    def __get_pydantic_json_schema__(self, core: Any, handler: GetJsonSchemaHandler) -> Any:
        found = handler(core)
        if handler.mode != "validation":  # what is sent back is not held to an input's rules
            return found
        found = handler.resolve_ref_schema(found)
        found.update({k: list(v) if isinstance(v, tuple) else v for k, v in self.extra})
        return found


def _schema(**extra: Any) -> _Schema:
    """(kept hashable: lists as tuples, as ``Annotated`` metadata must be)"""
    return _Schema(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in extra.items()))


_NO_CTRL = "\\x00-\\x1f\\x7f-\\x9f"
_NO_BIDI = "\\u202a-\\u202e\\u2066-\\u2069"
#: a letter or a digit somewhere, no control character anywhere
NAME_PATTERN = f"^[^{_NO_CTRL}{_NO_BIDI}]*[0-9A-Za-z\\u00c0-\\u024f][^{_NO_CTRL}{_NO_BIDI}]*$"
SHORT_TEXT_PATTERN = f"^[^{_NO_CTRL}]*$"
LONG_TEXT_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
TAG_PATTERN = f"^[^{_NO_CTRL}]*[^\\s{_NO_CTRL}][^{_NO_CTRL}]*$"
_LONG = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
#: long text of at least three characters once the spaces around it are taken off
THREE_CHARACTERS_PATTERN = f"^[^{_LONG}]*[^\\s{_LONG}][^{_LONG}]+[^\\s{_LONG}][^{_LONG}]*$"


def _visible_name(value: str) -> str:
    """A name someone can read: not only invisible characters (U+200B…), and without the
    bidirectional controls that make a name read otherwise than it is stored (U+202E…)."""
    found = _BIDI_CONTROLS.search(value)
    if found is not None:
        code = format(ord(found.group()), "04X")
        raise ValueError(
            Say(
                "a bidirectional control character (U+{code}) would make the name read "
                "otherwise than it is: remove it",
                code=code,
            )
        )
    if not any(unicodedata.category(c)[0] in "LNPS" for c in value):
        raise ValueError(Say("a name needs letters or digits that can be seen"))
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    _no_control(_CONTROL),
    AfterValidator(_visible_name),
    _schema(pattern=NAME_PATTERN),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    _no_control(_CONTROL),
    _schema(pattern=SHORT_TEXT_PATTERN),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=5000),
    _no_control(_CONTROL_IN_TEXT),
    _schema(pattern=LONG_TEXT_PATTERN),
]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
    _no_control(_CONTROL),
    _schema(pattern=TAG_PATTERN),
]
Tags = Annotated[list[Tag], Field(max_length=50), AfterValidator(_clean_tags)]


def _coded(field: str) -> AfterValidator:
    """Words of the vocabulary (``graph/vocabulary.py``) become its codes: "santé" and
    "gezondheid" are kept as ``health``; a word it lacks is kept as typed."""

    def check(values: Any) -> Any:
        from graph.vocabulary import code_of, codes_of

        if values is None:
            return None
        if isinstance(values, str):
            return code_of(field, values)
        return codes_of(field, values)

    return AfterValidator(check)


ThemeTags = Annotated[Tags, _coded("themes")]
GroupTags = Annotated[Tags, _coded("target_groups")]
LanguageTags = Annotated[Tags, _coded("languages")]


def _no_timestamp(value: Any) -> Any:
    """A date or a moment is written as ISO 8601 text: a bare number (a Unix timestamp) is
    refused, pydantic would read it as seconds since 1970."""
    if isinstance(value, bool | int | float) or (isinstance(value, str) and _numeric(value)):
        raise ValueError(Say("write dates as YYYY-MM-DD (or moments in ISO 8601), not as a number"))
    return value


def _numeric(text: str) -> bool:
    """Whether a text reads as a number (``1700000000``, ``7.7e-237``, ``inf``)."""
    if text[4:5] == "-" and text[:4].isdigit():  # a date's shape (every stored one): no number
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def _absent(value: Any) -> Any:
    """An empty value (a form's field left empty, ``?as_of=``) is no value."""
    return None if value == "" else value


def _utc_range(moment: datetime) -> datetime:
    """A moment that can be written in UTC (9999-12-31T23:59:59-14:00 cannot)."""
    try:
        (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(Say("this moment is out of range once written in UTC")) from exc
    return moment


Day = Annotated[date, BeforeValidator(_no_timestamp)]
#: a day or none; an empty value is none
OptionalDay = Annotated[Day | None, BeforeValidator(_absent)]
Moment = Annotated[datetime, BeforeValidator(_no_timestamp), AfterValidator(_utc_range)]
#: a date of 1900–2025 (any past date is taken; the schema names the ones always past)
PAST_DATE_PATTERN = "^(19[0-9]{2}|20[01][0-9]|202[0-5])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"
PastDate = Annotated[
    date,
    BeforeValidator(_no_timestamp),
    AfterValidator(_not_future),
    _schema(pattern=PAST_DATE_PATTERN, description="A date, not in the future (YYYY-MM-DD)."),
]
#: a character other than Unicode's White_Space (what pydantic strips first): the schema
#: of a text that must not be empty once stripped
VISIBLE = "[^\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
Id = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    _schema(pattern=VISIBLE),
]
Slug = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$"),
    _schema(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$"),
]


def _no_bool(value: Any) -> Any:
    """``true`` is not a number (pydantic would read it as 1)."""
    if isinstance(value, bool):
        raise ValueError(Say("a number is expected"))
    return value


NOT_BOOL = BeforeValidator(_no_bool)
# (the bounds come before the validator: after it, pydantic's JSON schema loses them)
Strength = Annotated[int, Field(ge=1, le=3, description="1 weak, 2 regular, 3 strong"), NOT_BOOL]
SectorCode = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^[0-9A-Z-]{3,12}$"),
    _schema(pattern=r"^[0-9A-Z-]{3,12}$"),
]
Latitude = Annotated[float, Field(ge=-90, le=90), NOT_BOOL]
Longitude = Annotated[float, Field(ge=-180, le=180), NOT_BOOL]
Population = Annotated[int, Field(ge=0, le=2_000_000), NOT_BOOL]
Count = Annotated[int, Field(ge=1, le=1000), NOT_BOOL]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_interval(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and until < since:
        raise Rule(Say("'until' ({until}) is before 'since' ({since})", until=until, since=since))


# --------------------------------------------------------------------------- contact details
# What a referral needs: how to reach an actor, when it is open, on what conditions, and
# whether it takes new people. Never about the people the BAR help.


def e164(text: str, region: str = "BE") -> str | None:
    """A phone as people write it (02/520 12 34, 0470 12 34 56, +32 2 520 12 34, 0032…),
    read in ``region`` and checked with libphonenumber: E.164 (+3225201234), or None when it
    is no number there."""
    text = text.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _phone(value: Any) -> Any:
    """A phone as people write it in Belgium, kept in E.164 (see :func:`e164`)."""
    if not isinstance(value, str):
        return value
    found = e164(value)
    if found is None:
        raise ValueError(Say("'{phone}' is not a phone number", phone=value))
    return found


#: Brussels fixed lines and Belgian mobiles as the schema shows them; every number
#: libphonenumber knows is taken (02/520 12 34, 0470 12 34 56, +33…)
PHONE_PATTERN = "^\\+32 (4[789][0-9] [0-9]{2} [0-9]{2} [0-9]{2}|2 [2-8][0-9]{2} [0-9]{2} [0-9]{2})$"
PhoneNumber = Annotated[
    str,
    StringConstraints(max_length=40),
    BeforeValidator(_phone),
    _no_control(_CONTROL),
    _schema(pattern=PHONE_PATTERN, examples=["+32 2 520 12 34"]),
]


def _email(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(Say("'{email}' is not an e-mail address", email=value)) from exc


EMAIL_PATTERN = (
    "^[A-Za-z0-9_+-]{1,20}(\\.[A-Za-z0-9_+-]{1,20}){0,2}@([a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\\.)"
    "{1,3}(be|eu|org|com|net|brussels)$"
)
Email = Annotated[
    str,
    StringConstraints(max_length=254),
    BeforeValidator(_email),
    _schema(pattern=EMAIL_PATTERN, format="email", examples=["accueil@mmclemenceau.be"]),
]


def _website(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    scheme = re.match(r"[a-zA-Z][a-zA-Z0-9+-]*:", text)
    if scheme and scheme.group().lower() not in ("http:", "https:"):
        raise ValueError(Say("'{site}' is not a web address", site=value))  # javascript:…
    if text and "://" not in text:
        text = "https://" + text  # www.example.be as people write it
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s<>\"]*", text):
        raise ValueError(Say("'{site}' is not a web address", site=value))
    return text


WEBSITE_PATTERN = (
    "^https?://([a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\\.){1,3}(be|eu|org|com|net|brussels)"
    "(/[A-Za-z0-9._~-]{0,20}){0,3}$"
)
Website = Annotated[
    str,
    StringConstraints(max_length=300),
    BeforeValidator(_website),
    _schema(pattern=WEBSITE_PATTERN, examples=["https://www.mmclemenceau.be"]),
]


class PhoneLabel(StrEnum):
    reception = "reception"
    mobile = "mobile"
    whatsapp = "whatsapp"
    helpline = "helpline"
    fax = "fax"


class Phone(_Input):
    label: PhoneLabel = PhoneLabel.reception
    number: PhoneNumber


class ContactPerson(_Input):
    """A professional at the actor (never a person the BAR help)."""

    name: Name
    role: ShortText | None = None
    phone: PhoneNumber | None = None
    email: Email | None = None
    confirmed: PastDate | None = Field(default=None, description="When the BAR last checked it.")


class Weekday(StrEnum):
    """ISO order, as schema.org's dayOfWeek and HSDS's byday name them."""

    monday = "monday"
    tuesday = "tuesday"
    wednesday = "wednesday"
    thursday = "thursday"
    friday = "friday"
    saturday = "saturday"
    sunday = "sunday"


def _clock(value: Any) -> Any:
    """A time of day as ``HH:MM`` (``9:00``, ``09:00:00`` and a ``time`` are taken)."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, str):
        found = re.fullmatch(r"\s*(\d{1,2})[:hH.](\d{2})(?::00)?\s*", value)
        if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
            return f"{int(found.group(1)):02d}:{found.group(2)}"
        raise ValueError(Say("'{time}' is not a time of day (HH:MM)", time=value))
    return value


#: a time of day, ``HH:MM`` (as schema.org's opens and closes, and HSDS's opens_at)
Clock = Annotated[
    str,
    BeforeValidator(_clock),
    StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
    _schema(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"]),
]


class Opening(_Input):
    """One opening or permanence: a weekday, from, to (schema.org OpeningHoursSpecification,
    HSDS regular_schedules)."""

    day: Weekday
    opens: Clock
    closes: Clock
    walk_in: bool = Field(default=True, description="Walk in (true) or by appointment (false).")
    note: ShortText | None = None

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.closes <= self.opens:  # HH:MM compare as text
            raise Rule(
                Say("closes at {closes}, not after it opens ({opens})",
                    closes=self.closes, opens=self.opens)
            )  # fmt: skip
        return self


class Cost(StrEnum):
    free = "free"
    paying = "paying"
    sliding_scale = "sliding_scale"


class AccessConditions(_Input):
    cost: Cost | None = None
    appointment: bool | None = Field(default=None, description="An appointment is needed.")
    documents: ShortText | None = Field(default=None, description="What to bring.")
    desk_languages: LanguageTags = Field(default_factory=list, description="Spoken at the desk.")
    wheelchair: bool | None = None


class SaturationState(StrEnum):
    accepting = "accepting"
    waiting_list = "waiting_list"
    closed = "closed"  # to new people


class Saturation(_Input):
    """Whether the service takes new people, as the BAR know it on a date."""

    state: SaturationState
    weeks: Annotated[int, Field(ge=1, le=104), NOT_BOOL] | None = Field(
        default=None, description="Of waiting list."
    )
    noted: PastDate

    @model_validator(mode="after")
    def _weeks(self) -> Self:
        if self.weeks is not None and self.state is not SaturationState.waiting_list:
            raise Rule(Say("weeks of waiting are for a waiting list only"))
        return self


#: what only a service has: never on a key resident (a person), whose consent covers a
#: pseudonym, not ways to reach them
CONTACT_FIELDS = ("phones", "email", "website", "contacts", "hours", "access", "saturation")


# --------------------------------------------------------------------------- actors


class ActorFields(_Input):
    name: Name = Field(description="Name of the actor; for a key resident, a pseudonym.")
    kind: ActorKind
    neighbourhood: Name
    subtype: Annotated[ShortText, _coded("subtypes")] | None = Field(
        default=None,
        description="Pharmacy, mosque, medical house…: the vocabulary's (graph/vocabulary.py) "
        "in French, Dutch or English, or free text",
    )
    address: ShortText | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    sector: SectorCode | None = Field(
        default=None,
        description="The statistical sector it is in: found from its point (kept), or picked",
    )
    themes: ThemeTags = Field(default_factory=list)
    languages: LanguageTags = Field(default_factory=list)
    target_groups: GroupTags = Field(default_factory=list)
    description: LongText | None = None
    status: ActorStatus = ActorStatus.active
    since: PastDate | None = None
    until: PastDate | None = None
    consent_date: PastDate | None = Field(
        default=None, description="Key residents only: the date they agreed to be recorded."
    )
    phones: list[Phone] = Field(default_factory=list, max_length=10)
    email: Email | None = None
    website: Website | None = None
    contacts: list[ContactPerson] = Field(default_factory=list, max_length=20)
    hours: list[Opening] = Field(default_factory=list, max_length=50)
    access: AccessConditions | None = None
    saturation: Saturation | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _check_interval(self.since, self.until)
        if self.kind is ActorKind.key_resident:
            given = [f for f in CONTACT_FIELDS if getattr(self, f)]
            if given:
                raise Rule(
                    Say("a key resident is a person, recorded by a pseudonym: no {field}",
                        field=given[0])
                )  # fmt: skip
        if (self.latitude is None) != (self.longitude is None):
            raise Rule(Say("give both latitude and longitude, or neither"))
        if self.kind is ActorKind.key_resident and self.consent_date is None:
            raise Rule(
                Say("a key resident is recorded only with their consent: give 'consent_date'")
            )
        if self.kind is not ActorKind.key_resident and self.consent_date is not None:
            raise Rule(Say("'consent_date' is only for key residents"))
        return self


class ActorCreate(ActorFields):
    """What it takes to record an actor: at least a name, a kind and a neighbourhood."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Maison médicale Les Tilleuls",
                    "kind": "health_actor",
                    "neighbourhood": "Cureghem",
                    "subtype": "medical house",
                    "themes": ["health"],
                    "languages": ["fr", "ar"],
                }
            ]
        }
    )


class ActorUpdate(_Input):
    """Fields to change; absent fields stay as they are."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"themes": ["health", "mental health"], "status": "active"}]
        }
    )

    name: Name | None = None
    kind: ActorKind | None = None
    neighbourhood: Name | None = None
    subtype: Annotated[ShortText, _coded("subtypes")] | None = None
    address: ShortText | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    sector: SectorCode | None = None
    themes: ThemeTags | None = None
    languages: LanguageTags | None = None
    target_groups: GroupTags | None = None
    description: LongText | None = None
    status: ActorStatus | None = None
    since: PastDate | None = None
    consent_date: PastDate | None = None
    phones: list[Phone] | None = Field(default=None, max_length=10)
    email: Email | None = None
    website: Website | None = None
    contacts: list[ContactPerson] | None = Field(default=None, max_length=20)
    hours: list[Opening] | None = Field(default=None, max_length=50)
    access: AccessConditions | None = None
    saturation: Saturation | None = None


class Recorded(BaseModel):
    """Who wrote a record and when."""

    id: str
    recorded_by: str
    recorded_at: datetime
    updated_by: str | None = None
    updated_at: datetime | None = None


class Retraction(BaseModel):
    """A record made by mistake and retracted: absent on every date; kept for the history."""

    by: str
    at: datetime
    reason: str


class Actor(ActorFields, Recorded):
    confirmed_on: date | None = Field(
        default=None, description="When its details were last confirmed ('still true')."
    )
    confirmed_by: str | None = None

    model_config = ConfigDict(extra="ignore")
    natural_key: str
    retracted: Retraction | None = Field(
        default=None, description="Who retracted it, when and why (then absent on every date)"
    )


# --------------------------------------------------------------------------- links


class LinkFields(_Input):
    source: Id = Field(description="Actor id; the origin for directed types.")
    target: Id = Field(description="Actor id; the end for directed types.")
    type: LinkType
    mission: Mission = Mission.networking
    strength: Strength = 1
    since: PastDate | None = None
    until: PastDate | None = None
    note: LongText | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.source == self.target:
            raise Rule(Say("a link needs two different actors (source equals target)"))
        _check_interval(self.since, self.until)
        return self


class LinkCreate(LinkFields):
    """A link as a BAR records it: two actors, a type, a mission; strength, date, note optional."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": ExampleId,
                    "target": "9b2e7d1c5a3f4e8d9c0b1a2f3e4d5c6b",
                    "type": "KNOWS",
                    "mission": "networking",
                    "strength": 2,
                }
            ]
        }
    )


class LinkUpdate(_Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"strength": 3, "note": "Joint summer project"}]}
    )

    type: LinkType | None = None
    mission: Mission | None = None
    strength: Strength | None = None
    since: PastDate | None = None
    note: LongText | None = None


class Link(LinkFields, Recorded):
    model_config = ConfigDict(extra="ignore")
    directed: bool
    retracted: Retraction | None = Field(
        default=None, description="Who retracted it, when and why (then absent on every date)"
    )


# --------------------------------------------------------------------------- activities


Attendance = Annotated[int, Field(ge=1, le=100_000), NOT_BOOL]


class ActivityFields(_Input):
    name: Name
    mission: ActivityMission
    neighbourhood: Name
    themes: ThemeTags = Field(default_factory=list)
    description: LongText | None = None
    participants: list[Id] = Field(
        default_factory=list, max_length=500, description="The actors who took part."
    )
    initiators: list[Id] = Field(
        default_factory=list,
        max_length=20,
        description="The actors who started or carry it (a residents' group: mission 4's aim).",
    )
    attendance: Attendance | None = Field(
        default=None, description="How many people took part (a count, never who)."
    )
    target_groups: GroupTags = Field(default_factory=list, description="The publics reached.")
    languages: LanguageTags = Field(default_factory=list, description="The languages used.")
    since: PastDate | None = None
    until: PastDate | None = None

    @field_validator("participants", "initiators")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _check_interval(self.since, self.until)
        return self


class ActivityCreate(ActivityFields):
    """A collective (mission 3) or community (mission 4) action and its participating actors."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Info session on diabetes",
                    "mission": "collective",
                    "neighbourhood": "Cureghem",
                    "themes": ["health"],
                    "participants": [ExampleId],
                    "since": "2025-03-10",
                }
            ]
        }
    )


class ActivityUpdate(_Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"participants": [ExampleId]}]})

    name: Name | None = None
    themes: ThemeTags | None = None
    description: LongText | None = None
    participants: list[Id] | None = Field(default=None, max_length=500)
    initiators: list[Id] | None = Field(default=None, max_length=20)
    attendance: Attendance | None = None
    target_groups: GroupTags | None = None
    languages: LanguageTags | None = None
    since: PastDate | None = None


class Activity(ActivityFields, Recorded):
    model_config = ConfigDict(extra="ignore")
    retracted: Retraction | None = Field(
        default=None, description="Who retracted it, when and why (then absent on every date)"
    )


# --------------------------------------------------------------------------- referrals


class ReferralFields(_Input):
    """An anonymous count of people referred: no names and no free text, by design."""

    date: PastDate
    from_actor: Id
    to_actor: Id
    theme: Slug = Field(description="A short code such as 'housing' or 'mental-health'.")
    count: Count = 1
    outcome: ReferralOutcome = ReferralOutcome.pending

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.from_actor == self.to_actor:
            raise Rule(Say("a referral goes from one actor to another one"))
        return self


class ReferralCreate(ReferralFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "date": "2025-04-02",
                    "from_actor": ExampleId,
                    "to_actor": "9b2e7d1c5a3f4e8d9c0b1a2f3e4d5c6b",
                    "theme": "housing",
                    "count": 2,
                }
            ]
        }
    )


class ReferralUpdate(_Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"outcome": "reached"}]})

    theme: Slug | None = None
    count: Count | None = None
    outcome: ReferralOutcome | None = None


class Referral(ReferralFields, Recorded):
    model_config = ConfigDict(extra="ignore")
    closed_on: date | None = None


# --------------------------------------------------------------------------- observations


ObservationText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=600),
    _no_control(_CONTROL_IN_TEXT),
    _schema(pattern=THREE_CHARACTERS_PATTERN),
]


class ObservationFields(_Input):
    """What an actor (or the BAR team itself) says about the neighbourhood: a need, a problem,
    a resource, a wish or a change. Never about a person: the text is checked for key
    residents' names, phone numbers and e-mail addresses before it is saved."""

    kind: ObservationKind
    neighbourhood: Name
    theme: Annotated[Tag, _coded("themes")] = Field(description="A theme of the vocabulary.")
    target_groups: GroupTags = Field(
        default_factory=list, description="The publics concerned (none: everyone)."
    )
    sectors: list[SectorCode] = Field(
        default_factory=list,
        max_length=50,
        description="Statistical sectors of the neighbourhood it concerns (none: all of it).",
    )
    sources: list[Id] = Field(
        default_factory=list,
        max_length=20,
        description="The actors who said it (none: the BAR team's own observation).",
    )
    date: PastDate
    text: ObservationText

    @field_validator("sources", "sectors")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class ObservationCreate(ObservationFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "need",
                    "neighbourhood": "Cureghem",
                    "theme": "health",
                    "target_groups": ["elderly"],
                    "sectors": ["21001A01-"],
                    "sources": [ExampleId],
                    "date": "2025-05-12",
                    "text": "Elderly residents no longer find a doctor who takes new patients",
                }
            ]
        }
    )


class ObservationUpdate(_Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "problem"}]})

    kind: ObservationKind | None = None
    theme: Annotated[Tag, _coded("themes")] | None = None
    target_groups: GroupTags | None = None
    sectors: list[SectorCode] | None = Field(default=None, max_length=50)
    sources: list[Id] | None = Field(default=None, max_length=20)
    date: PastDate | None = None
    text: ObservationText | None = None


class Observation(ObservationFields, Recorded):
    model_config = ConfigDict(extra="ignore")
    retracted: Retraction | None = Field(
        default=None, description="Who retracted it, when and why (then left out everywhere)"
    )


# --------------------------------------------------------------------------- crisis lists


class CallState(StrEnum):
    not_yet = "not_yet"
    done = "done"
    no_answer = "no_answer"


class Call(_Input):
    """One actor of a crisis list called (or tried) by the team."""

    actor: Id
    state: CallState = CallState.not_yet
    by: str | None = Field(default=None, description="Who called (set by the store)")
    at: datetime | None = Field(default=None, description="When (set by the store)")
    note: ShortText | None = Field(default=None, description="What was agreed; never a name")


class CrisisFields(_Input):
    """A crisis on a neighbourhood's level, for a limited time (a heatwave, a flood, an
    epidemic): the public to reach, in a place; the list of actors reaching them is the network
    itself (who reaches that public), and the calls say who called whom."""

    name: Name = Field(description="What it is: 'Canicule juillet 2026'")
    neighbourhood: Name
    target_group: Annotated[Tag, _coded("target_groups")] | None = None
    language: Annotated[Tag, _coded("languages")] | None = None
    theme: Annotated[Tag, _coded("themes")] | None = None
    since: PastDate | None = None
    until: PastDate | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _check_interval(self.since, self.until)
        if not (self.target_group or self.language or self.theme):
            raise Rule(Say("name the public to reach: a target group, a language or a theme"))
        return self


class CrisisCreate(CrisisFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Canicule juillet 2026",
                    "neighbourhood": "Cureghem",
                    "target_group": "elderly",
                    "language": "ar",
                    "since": "2025-07-14",
                }
            ]
        }
    )


class CrisisUpdate(_Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Canicule (2e vague)"}]})

    name: Name | None = None
    target_group: Annotated[Tag, _coded("target_groups")] | None = None
    language: Annotated[Tag, _coded("languages")] | None = None
    theme: Annotated[Tag, _coded("themes")] | None = None
    since: PastDate | None = None


class CallCreate(_Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"actor": ExampleId, "state": "done", "note": "ok"}]}
    )

    actor: Id
    state: CallState
    note: ShortText | None = None


class Crisis(CrisisFields, Recorded):
    model_config = ConfigDict(extra="ignore")
    calls: list[Call] = Field(default_factory=list, description="The latest call to each actor")
    retracted: Retraction | None = Field(
        default=None, description="Who retracted it, when and why (opened by mistake)"
    )


# --------------------------------------------------------------------------- neighbourhoods


Position = tuple[Longitude, Latitude]
Ring = Annotated[list[Position], Field(min_length=4, max_length=20_000)]


class Polygon(BaseModel):
    """A GeoJSON Polygon in WGS 84: rings of [longitude, latitude], the first the outline."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["Polygon"]
    coordinates: list[Ring] = Field(min_length=1, max_length=100)


class MultiPolygon(BaseModel):
    """A GeoJSON MultiPolygon in WGS 84."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["MultiPolygon"]
    coordinates: list[Annotated[list[Ring], Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=100
    )


def _few_points(value: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    polygons = value.coordinates if isinstance(value, MultiPolygon) else [value.coordinates]
    if sum(len(ring) for polygon in polygons for ring in polygon) > 20_000:
        raise ValueError(Say("a sector's boundary has more than 20,000 points: simplify it"))
    return value


class SectorShape(_Input):
    """A statistical sector of the neighbourhood: its boundary (WGS 84, simplified) and the
    figures the team has for it (population, share over 65…)."""

    code: SectorCode
    name: ShortText | None = None
    geometry: Annotated[
        Polygon | MultiPolygon, Field(discriminator="type"), AfterValidator(_few_points)
    ]
    figures: dict[Annotated[str, StringConstraints(max_length=60)], float] = Field(
        default_factory=dict, max_length=40
    )


class NeighbourhoodFields(_Input):
    name: Name
    municipality: Name
    sector_codes: list[SectorCode] = Field(default_factory=list, max_length=200)
    sector_shapes: list[SectorShape] = Field(
        default_factory=list, max_length=200, description="Boundaries of its sectors (the map)"
    )
    population: Population | None = None
    since: PastDate | None = None
    until: PastDate | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _check_interval(self.since, self.until)
        return self


class NeighbourhoodCreate(NeighbourhoodFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Cureghem",
                    "municipality": "Anderlecht",
                    "sector_codes": ["21001A01-"],
                    "population": 25000,
                }
            ]
        }
    )


class NeighbourhoodUpdate(_Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"population": 26000}]})

    name: Name | None = None
    municipality: Name | None = None
    sector_codes: list[SectorCode] | None = Field(default=None, max_length=200)
    sector_shapes: list[SectorShape] | None = Field(default=None, max_length=200)
    population: Population | None = None
    since: PastDate | None = None


class Neighbourhood(NeighbourhoodFields, Recorded):
    model_config = ConfigDict(extra="ignore")


# --------------------------------------------------------------------------- events


class Event(BaseModel):
    """One write: who, when, what, and the record before and after."""

    id: str
    seq: int
    at: datetime
    user: str
    action: EventAction
    entity: EntityKind
    entity_id: str
    actors: list[str] = Field(description="Ids of the actors the write touched.")
    before: dict[str, Any] | None
    after: dict[str, Any] | None


# --------------------------------------------------------------------------- filters and pages


def _q(example: Any, description: str = "") -> Any:
    """A filter field: optional, bounded, with an example for the OpenAPI page."""
    return Field(default=None, description=description or None, examples=[example])


FilterText = Annotated[str, StringConstraints(max_length=200)]


class Visibility(BaseModel):
    """What a reader may see, set by the access policy (``api/policy.py``), never by a request:
    the routes' query models are the ``*Query`` classes, without these fields."""

    in_neighbourhoods: list[str] | None = Field(
        default=None, description="Normalised neighbourhood names; None: every neighbourhood"
    )
    key_residents_in: list[str] | None = Field(
        default=None, description="Key residents are seen only in these neighbourhoods (None: all)"
    )

    @property
    def restricted(self) -> bool:
        return self.in_neighbourhoods is not None or self.key_residents_in is not None


class _Query(BaseModel):
    """A query as a browser's form sends it: an empty field (``kind=``) is no filter."""

    @model_validator(mode="before")
    @classmethod
    def _empty_is_none(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and v.strip() == "")}
        return data


class ActorQuery(_Query):
    kind: ActorKind | None = _q("place_of_worship")
    neighbourhood: FilterText | None = _q("Cureghem")
    theme: Annotated[FilterText, _coded("themes")] | None = _q("health")
    language: Annotated[FilterText, _coded("languages")] | None = _q("ar")
    target_group: Annotated[FilterText, _coded("target_groups")] | None = _q("women")
    q: FilterText | None = _q("maison", "Text search on names (case and accents ignored)")
    status: ActorStatus | None = _q("active")
    as_of: Day | None = _q("2025-06-01", "Actors that existed on this day")


class ActorFilter(ActorQuery, Visibility):
    """An actor query as the store takes it, with what the reader may see."""


class LinkQuery(_Query):
    actor: FilterText | None = _q(ExampleId, "Links touching this actor")
    type: LinkType | None = _q("KNOWS")
    mission: Mission | None = _q("networking")
    recorded_by: FilterText | None = _q("amina")
    as_of: Day | None = _q("2025-06-01", "Links that were true on this day")


class LinkFilter(LinkQuery, Visibility):
    """A link query as the store takes it: both ends must be actors the reader may see."""


class ActivityQuery(_Query):
    neighbourhood: FilterText | None = _q("Cureghem")
    mission: ActivityMission | None = _q("collective")
    actor: FilterText | None = _q(ExampleId, "Activities this actor took part in")
    as_of: Day | None = _q("2025-06-01")
    start: Day | None = _q(
        "2025-01-01", "Activities held on or after this day (then any day, not only as_of)"
    )
    end: Day | None = _q("2025-12-31", "Activities held on or before this day")


class ActivityFilter(ActivityQuery, Visibility):
    """An activity query as the store takes it, with what the reader may see."""


class ReferralQuery(_Query):
    from_actor: FilterText | None = _q(ExampleId)
    to_actor: FilterText | None = _q(ExampleId)
    theme: FilterText | None = _q("housing")
    outcome: ReferralOutcome | None = _q("reached")
    start: Day | None = _q("2025-01-01", "Referrals on or after this day")
    end: Day | None = _q("2025-12-31", "Referrals on or before this day")


class ReferralFilter(ReferralQuery, Visibility):
    """A referral query as the store takes it: one end in a neighbourhood the reader sees."""


# --------------------------------------------------------------------------- follow-ups


class FollowUpCreate(_Input):
    """What a team decides at its meeting: an introduction to make (or an isolated actor to
    meet), who takes it and by when."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "actors": [ExampleId, ExampleId],
                    "introducer": ExampleId,
                    "taken_by": "amina",
                    "due": "2026-12-15",
                    "neighbourhood": "Cureghem-Lemmens",
                    "what": "introduce them at the next health session",
                }
            ]
        }
    )

    actors: list[Id] = Field(min_length=1, max_length=2)
    introducer: Id | None = None
    taken_by: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
        _schema(pattern=VISIBLE),
    ]
    due: date | None = None
    neighbourhood: Name
    what: ShortText | None = None
    done: bool = False


class FollowUpUpdate(_Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"done": True}]})

    done: bool | None = None
    due: date | None = None
    taken_by: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
            _schema(pattern=VISIBLE),
        ]
        | None
    ) = None
    what: ShortText | None = None


class FollowUp(FollowUpCreate, Recorded):
    model_config = ConfigDict(extra="ignore")


class FollowUpFilter(BaseModel):
    taken_by: FilterText | None = None
    done: bool | None = None
    neighbourhood: FilterText | None = None


class ObservationQuery(_Query):
    neighbourhood: FilterText | None = _q("Cureghem")
    kind: ObservationKind | None = _q("need")
    theme: Annotated[FilterText, _coded("themes")] | None = _q("health")
    target_group: Annotated[FilterText, _coded("target_groups")] | None = _q("elderly")
    sector: FilterText | None = _q("21001A01-", "Observations about this statistical sector")
    actor: FilterText | None = _q(ExampleId, "Observations this actor is a source of")
    start: Day | None = _q("2025-01-01", "Observations on or after this day")
    end: Day | None = _q("2025-12-31", "Observations on or before this day")


class ObservationFilter(ObservationQuery, Visibility):
    """An observation query as the store takes it, with what the reader may see."""


class CrisisQuery(_Query):
    neighbourhood: FilterText | None = _q("Cureghem")
    open: bool | None = _q(True, "Only the open ones (true) or the closed ones (false)")


class CrisisFilter(CrisisQuery, Visibility):
    """A crisis query as the store takes it, with what the reader may see."""


class NeighbourhoodFilter(_Query):
    municipality: FilterText | None = _q("Anderlecht")
    as_of: Day | None = _q("2025-06-01")


class EventFilter(_Query):
    actor: FilterText | None = _q(ExampleId, "Events touching this actor")
    entity_id: FilterText | None = _q(ExampleId, "Events of this record")
    entity: EntityKind | None = _q("link")
    user: FilterText | None = _q("amina")
    start: Moment | None = _q("2025-01-01T00:00:00Z")
    end: Moment | None = _q("2025-02-01T00:00:00Z")


MOST_EVENTS_OF = 1000  # records whose events one EventsOf asks for


class EventsOf(EventFilter):
    """The events of these records: a store's own reading (the indicators' rounds of the
    directory), never a route's query."""

    entity_ids: list[str] = Field(default_factory=list, max_length=MOST_EVENTS_OF)
    #: only the events that can note a day of the living directory: a confirmation, or a
    #: record that holds a saturation (a store may give a few more, never fewer)
    marks_only: bool = False


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


# --------------------------------------------------------------------------- who knows whom


class EgoNode(BaseModel):
    actor: Actor
    distance: int


class EgoNetwork(BaseModel):
    center: str
    depth: int
    as_of: date | None
    nodes: list[EgoNode]
    links: list[Link]


class PathHop(BaseModel):
    source: str
    target: str
    link_id: str
    type: LinkType
    strength: int
    since: date | None
    recorded_by: str


class IntroductionPath(BaseModel):
    actors: list[str]
    names: list[str]
    hops: list[PathHop]
    length: int
    weakest_strength: int


def is_valid_on(since: date | None, until: date | None, as_of: date | None) -> bool:
    """Whether a record with this interval was true on ``as_of`` (``until`` is exclusive)."""
    if as_of is None:
        return until is None or until > today()
    if since is not None and since > as_of:
        return False
    return until is None or until > as_of


# --------------------------------------------------------------------------- users

UserName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$"),
]


# Names the system itself writes under (``by``): never a person's login.
RESERVED_USER_NAMES = frozenset(
    {"cli", "demo", "system", "root", "import", "anonymous", "maillage", "setup", "test", "purge"}
)
RESERVED_USER_PREFIXES = ("demo-", "import-", "system-")


def _not_reserved(name: str) -> str:
    """A rule of the system's own names (``maillage``, ``demo-…``), not of the name's form."""
    folded = name.casefold()
    if folded in RESERVED_USER_NAMES or folded.startswith(RESERVED_USER_PREFIXES):
        raise Rule(f"'{name}' is reserved for the system: choose another user name")
    return name


class UserCreate(_Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "joris", "role": "bar"}]})

    name: Annotated[UserName, AfterValidator(_not_reserved)] = Field(
        description="Login name: letters, digits, '.', '_' or '-'."
    )
    role: Role
    actor_id: Id | None = Field(
        default=None, description="The BAR team (actor) this user works in, if any."
    )


class UserUpdate(_Input):
    """What a coordinator or an admin changes about a user; absent fields stay."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"role": "viewer"}]})

    role: Role | None = None
    actor_id: Id | None = None
    disabled: bool | None = Field(
        default=None, description="A disabled user cannot log in; their tokens stop working"
    )
    lang: Literal["fr", "nl", "en"] | None = Field(
        default=None, description="The language of the pages for this user"
    )


class TokenInfo(BaseModel):
    """A token as its owner and managers see it: never the token, only a short id."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3f2a9c0d1e4b5a6c",
                    "kind": "login",
                    "created_at": "2026-11-28T09:00:00Z",
                    "expires_at": "2026-11-28T21:00:00Z",
                    "revoked": False,
                }
            ]
        }
    )

    id: str = Field(description="The first 16 characters of the token's SHA-256")
    kind: str
    created_at: datetime
    expires_at: datetime
    revoked: bool


class User(BaseModel):
    """A user as the API shows it (never the password hash)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "amina",
                    "role": "bar",
                    "actor_id": ExampleId,
                    "recorded_by": "coordinator",
                    "recorded_at": "2025-01-06T09:30:00Z",
                }
            ]
        }
    )

    name: str
    role: Role
    actor_id: str | None = None
    disabled: bool = False
    lang: str | None = None
    recorded_by: str
    recorded_at: datetime
    updated_by: str | None = None
    updated_at: datetime | None = None
