"""History in words: an event read as a sentence in the reader's language ("You recorded the
link Pharmacie Clemenceau — Maison médicale Clemenceau, yesterday"), never "create · actor"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from babel.dates import format_timedelta

from api.web.i18n import Lang
from graph.model import Event, now
from viz.text import LINKS

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    return message


#: (action, entity) -> what was done, with %(what)s the record's name; "You" and "%(who)s"
#: versions apart, for languages that conjugate
YOU = {
    ("create", "actor"): N_("You recorded the actor %(what)s"),
    ("update", "actor"): N_("You changed %(what)s (%(fields)s)"),
    ("end", "actor"): N_("You ended %(what)s"),
    ("reopen", "actor"): N_("You reopened %(what)s"),
    ("retract", "actor"): N_("You retracted %(what)s"),
    ("confirm", "actor"): N_("You confirmed that %(what)s is still true"),
    ("create", "link"): N_("You recorded the link %(what)s"),
    ("update", "link"): N_("You changed the link %(what)s"),
    ("end", "link"): N_("You ended the link %(what)s"),
    ("reopen", "link"): N_("You reopened the link %(what)s"),
    ("retract", "link"): N_("You retracted the link %(what)s"),
    ("create", "referral"): N_("You recorded a referral to %(what)s"),
    ("create", "activity"): N_("You recorded the activity %(what)s"),
    ("update", "activity"): N_("You changed the activity %(what)s"),
    ("create", "observation"): N_("You recorded the observation “%(what)s”"),
    ("update", "observation"): N_("You changed the observation “%(what)s”"),
    ("retract", "observation"): N_("You retracted the observation “%(what)s”"),
    ("create", "follow_up"): N_("You took on a follow-up"),
    ("update", "follow_up"): N_("You updated a follow-up"),
}
SOMEONE = {
    ("create", "actor"): N_("%(who)s recorded the actor %(what)s"),
    ("update", "actor"): N_("%(who)s changed %(what)s (%(fields)s)"),
    ("end", "actor"): N_("%(who)s ended %(what)s"),
    ("reopen", "actor"): N_("%(who)s reopened %(what)s"),
    ("retract", "actor"): N_("%(who)s retracted %(what)s"),
    ("confirm", "actor"): N_("%(who)s confirmed that %(what)s is still true"),
    ("create", "link"): N_("%(who)s recorded the link %(what)s"),
    ("update", "link"): N_("%(who)s changed the link %(what)s"),
    ("end", "link"): N_("%(who)s ended the link %(what)s"),
    ("reopen", "link"): N_("%(who)s reopened the link %(what)s"),
    ("retract", "link"): N_("%(who)s retracted the link %(what)s"),
    ("create", "referral"): N_("%(who)s recorded a referral to %(what)s"),
    ("create", "activity"): N_("%(who)s recorded the activity %(what)s"),
    ("update", "activity"): N_("%(who)s changed the activity %(what)s"),
    ("create", "observation"): N_("%(who)s recorded the observation “%(what)s”"),
    ("update", "observation"): N_("%(who)s changed the observation “%(what)s”"),
    ("retract", "observation"): N_("%(who)s retracted the observation “%(what)s”"),
    ("create", "follow_up"): N_("%(who)s took on a follow-up"),
    ("update", "follow_up"): N_("%(who)s updated a follow-up"),
}
OTHER_YOU = N_("You changed a record")
OTHER_SOMEONE = N_("%(who)s changed a record")
N_("details")
N_("just now")
#: an actor's fields as a sentence names them
FIELDS = {
    "name": N_("name"),
    "kind": N_("kind"),
    "subtype": N_("subtype"),
    "address": N_("address"),
    "themes": N_("themes"),
    "languages": N_("languages"),
    "target_groups": N_("target groups"),
    "description": N_("description"),
    "status": N_("status"),
    "phones": N_("phones"),
    "email": N_("e-mail"),
    "website": N_("website"),
    "contacts": N_("contact persons"),
    "hours": N_("opening hours"),
    "access": N_("conditions"),
    "saturation": N_("new people"),
    "latitude": N_("place on the map"),
    "neighbourhood": N_("neighbourhood"),
    "since": N_("date known since"),
}


def sentence(
    event: Event,
    me: str,
    names: Mapping[str, str],
    _: Gettext,
    lang: Lang,
    at: datetime | None = None,
) -> str:
    """The event as a sentence: who (or "You"), what, on which record, and when."""
    key = (event.action.value, event.entity.value)
    record = event.after or event.before or {}
    what = _name(event, record, names, lang)
    fields = ", ".join(
        _(FIELDS[f])
        for f in FIELDS
        if event.before and event.after and event.before.get(f) != event.after.get(f)
    )
    mine = event.user == me
    template = (YOU if mine else SOMEONE).get(key) or (OTHER_YOU if mine else OTHER_SOMEONE)
    text = _(template) % {"who": event.user, "what": what, "fields": fields or _("details")}
    delta = event.at - (at or now())
    if abs(delta.total_seconds()) < 60:
        return f"{text}, {_('just now')}"
    return f"{text}, {format_timedelta(delta, add_direction=True, locale=lang)}"


def _name(event: Event, record: Mapping[str, object], names: Mapping[str, str], lang: Lang) -> str:
    entity = event.entity.value
    if entity == "actor":
        return str(record.get("name", ""))
    if entity == "link":
        kind = LINKS.get(str(record.get("type")), {}).get(lang, "")
        ends = [names.get(str(record.get(end)), "?") for end in ("source", "target")]
        return f"{ends[0]} — {ends[1]}" + (f" ({kind})" if kind else "")
    if entity == "referral":
        return names.get(str(record.get("to_actor")), "?")
    if entity == "observation":
        text = str(record.get("text", ""))
        return text if len(text) <= 60 else text[:59].rstrip() + "…"
    return str(record.get("name", ""))


def ids_named(events: list[Event]) -> set[str]:
    """The actor ids a list of events names (for one lookup of their names)."""
    out: set[str] = set()
    for e in events:
        record = e.after or e.before or {}
        for key in ("source", "target", "to_actor", "from_actor"):
            if isinstance(record.get(key), str):
                out.add(str(record[key]))
    return out
