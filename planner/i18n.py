"""The app's words in Danish (default) and English.

Every label the app shows is a key in `TEXTS` with a Danish and an English text; `t` looks one up
and fills its ``{placeholders}``. Planning words follow the centre's own vocabulary (DOMAIN.md):
vagtplan (roster), prognose (forecast), bemanding (staffing), kø (queue), svarprocent (answer
rate). Pure Python: no Streamlit here, so that notebooks and tests can use it too.
"""

from __future__ import annotations

import string

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "TEXTS", "t", "check_texts"]

#: Language code -> the language's own name (shown in the switch).
LANGUAGES: dict[str, str] = {"da": "Dansk", "en": "English"}
DEFAULT_LANGUAGE = "da"

TEXTS: dict[str, dict[str, str]] = {
    # -- shell ----------------------------------------------------------------------------------
    "app.title": {"da": "Vagtplan", "en": "Vagtplan"},
    "app.tagline": {
        "da": "Prognose, bemanding og vagtplan for kontaktcentret",
        "en": "Forecast, staffing and roster for the contact centre",
    },
    "app.language": {"da": "Sprog / Language", "en": "Sprog / Language"},
    "app.user": {"da": "Dit navn eller initialer", "en": "Your name or initials"},
    "app.user_help": {
        "da": "Står ved det, du gemmer. Der gemmes ingen andre personoplysninger.",
        "en": "Shown beside what you save. No other personal data is stored.",
    },
    "app.logged_in_as": {"da": "Logget ind som {user}", "en": "Signed in as {user}"},
    "app.database": {"da": "Database: {url}", "en": "Database: {url}"},
    # -- navigation -----------------------------------------------------------------------------
    "nav.section.plan": {"da": "Planlægning", "en": "Planning"},
    "nav.section.follow": {"da": "Opfølgning", "en": "Follow-up"},
    "nav.data": {"da": "Data", "en": "Data"},
    "nav.forecast": {"da": "Prognose", "en": "Forecast"},
    "nav.staffing": {"da": "Bemanding", "en": "Staffing"},
    "nav.roster": {"da": "Vagtplan", "en": "Roster"},
    "nav.scenarios": {"da": "Scenarier", "en": "Scenarios"},
    "nav.report": {"da": "Rapport", "en": "Report"},
    "nav.saved": {"da": "Gemt arbejde", "en": "Saved work"},
    # -- kinds of saved work --------------------------------------------------------------------
    "kind.dataset": {"da": "Datasæt (historik)", "en": "Datasets (history)"},
    "kind.forecast": {"da": "Prognoser", "en": "Forecasts"},
    "kind.requirements": {"da": "Bemandingsbehov", "en": "Staffing requirements"},
    "kind.roster": {"da": "Vagtplaner", "en": "Rosters"},
    "kind.scenario": {"da": "Scenarier", "en": "Scenarios"},
    "status.draft": {"da": "Kladde", "en": "Draft"},
    "status.published": {"da": "Offentliggjort", "en": "Published"},
    "status.superseded": {"da": "Erstattet", "en": "Superseded"},
    # -- table headings -------------------------------------------------------------------------
    "col.name": {"da": "Navn", "en": "Name"},
    "col.version": {"da": "Version", "en": "Version"},
    "col.latest_version": {"da": "Nyeste version", "en": "Newest version"},
    "col.published_version": {"da": "Offentliggjort version", "en": "Published version"},
    "col.saved_at": {"da": "Gemt", "en": "Saved"},
    "col.saved_by": {"da": "Gemt af", "en": "Saved by"},
    "col.updated_at": {"da": "Senest gemt", "en": "Last saved"},
    "col.updated_by": {"da": "Senest gemt af", "en": "Last saved by"},
    "col.comment": {"da": "Kommentar", "en": "Comment"},
    "col.status": {"da": "Status", "en": "Status"},
    "col.rows": {"da": "Rækker", "en": "Rows"},
    "col.based_on": {"da": "Bygger på", "en": "Based on"},
    # -- saving (shared by every page that saves) ----------------------------------------------
    "save.name": {"da": "Navn", "en": "Name"},
    "save.comment": {"da": "Kommentar (valgfri)", "en": "Comment (optional)"},
    "save.button": {"da": "Gem", "en": "Save"},
    "save.need_user": {
        "da": "Skriv dit navn eller dine initialer i sidepanelet for at gemme.",
        "en": "Type your name or initials in the sidebar to save.",
    },
    "save.need_name": {"da": "Giv det et navn for at gemme.", "en": "Give it a name to save."},
    "save.done": {
        "da": "Gemt som «{name}» version {version}.",
        "en": "Saved as “{name}” version {version}.",
    },
    "save.conflict_new": {
        "da": "Der findes allerede en gemt «{name}» (version {version}, gemt af {user} {when}). "
        "Intet er overskrevet. Gem din udgave som version {next} oven på den, "
        "eller vælg et andet navn.",
        "en": "“{name}” is already saved (version {version}, by {user} {when}). Nothing was "
        "overwritten. Save yours as version {next} on top of it, or choose another name.",
    },
    "save.conflict_newer": {
        "da": "{user} har gemt version {version} af «{name}» ({when}), efter version {based_on} "
        "som du tog udgangspunkt i. Intet er overskrevet, og din udgave er ikke gemt endnu. "
        "Gem den som version {next} oven på, eller annullér og hent den nye version.",
        "en": "{user} saved version {version} of “{name}” ({when}) after version {based_on} "
        "that you started from. Nothing was overwritten and yours is not saved yet. Save it as "
        "version {next} on top, or cancel and load the newer version.",
    },
    "save.on_top": {"da": "Gem som version {next}", "en": "Save as version {next}"},
    "save.cancel": {"da": "Annullér", "en": "Cancel"},
    # -- errors ---------------------------------------------------------------------------------
    "error.input": {
        "da": "Kan ikke bruge input: {message}",
        "en": "Cannot use the input: {message}",
    },
    "error.not_found": {"da": "Findes ikke: {message}", "en": "Not found: {message}"},
    "error.store": {"da": "Gemt arbejde: {message}", "en": "Saved work: {message}"},
    "error.database": {
        "da": "Databasen svarer ikke som ventet ({kind}). Prøv igen om lidt; dine indtastninger "
        "er bevaret.",
        "en": "The database did not answer as expected ({kind}). Try again in a moment; your "
        "inputs are kept.",
    },
    "error.internal": {
        "da": "Der skete en uventet fejl ({kind}). Dine indtastninger er bevaret. Fejlen er "
        "skrevet i serverens log.",
        "en": "An unexpected error occurred ({kind}). Your inputs are kept. The error has been "
        "written to the server log.",
    },
    # -- saved work page ------------------------------------------------------------------------
    "saved.title": {"da": "Gemt arbejde", "en": "Saved work"},
    "saved.intro": {
        "da": "Alt gemt arbejde med versioner: hvem der gemte hvad og hvornår. Ældre versioner "
        "bevares altid; en gendannelse gemmes som en ny version.",
        "en": "All saved work with its versions: who saved what and when. Older versions are "
        "always kept; a restore is saved as a new version.",
    },
    "saved.kind": {"da": "Slags", "en": "Kind"},
    "saved.empty": {
        "da": "Der er ikke gemt noget af denne slags endnu.",
        "en": "Nothing of this kind has been saved yet.",
    },
    "saved.items": {"da": "Gemte", "en": "Saved"},
    "saved.item": {"da": "Vælg", "en": "Choose"},
    "saved.versions": {"da": "Versioner af «{name}»", "en": "Versions of “{name}”"},
    "saved.version": {"da": "Version", "en": "Version"},
    "saved.version_label": {
        "da": "v{version} · {when} · {user}",
        "en": "v{version} · {when} · {user}",
    },
    "saved.details": {
        "da": "Version {version} af «{name}»: {rows} rækker, gemt af {user} {when}.",
        "en": "Version {version} of “{name}”: {rows} rows, saved by {user} {when}.",
    },
    "saved.published_note": {
        "da": "Offentliggjort af {user} {when}.",
        "en": "Published by {user} {when}.",
    },
    "saved.meta": {"da": "Oplysninger gemt med versionen", "en": "Facts saved with the version"},
    "saved.preview": {
        "da": "Indhold (de første {shown} af {rows} rækker)",
        "en": "Contents (the first {shown} of {rows} rows)",
    },
    "saved.download": {"da": "Hent som CSV", "en": "Download as CSV"},
    "saved.publish": {"da": "Offentliggør version {version}", "en": "Publish version {version}"},
    "saved.publish_help": {
        "da": "Gør denne version til den gældende; en tidligere offentliggjort version markeres "
        "som erstattet.",
        "en": "Make this version the one in force; a previously published version is marked "
        "superseded.",
    },
    "saved.published": {
        "da": "Version {version} er offentliggjort.",
        "en": "Version {version} is published.",
    },
    "saved.restore": {
        "da": "Gendan version {version} som ny version",
        "en": "Restore version {version} as a new version",
    },
    "saved.restore_help": {
        "da": "Gemmer en kopi af denne version oven på den nyeste. Intet slettes.",
        "en": "Saves a copy of this version on top of the newest. Nothing is deleted.",
    },
    "saved.restore_comment": {
        "da": "Gendannet fra version {version}",
        "en": "Restored from version {version}",
    },
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The text for ``key`` in ``lang`` with ``values`` filled in.

    >>> t("nav.roster")
    'Vagtplan'
    >>> t("save.done", "en", name="Uge 49", version=2)
    'Saved as “Uge 49” version 2.'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    try:
        entry = TEXTS[key]
    except KeyError:
        raise ValueError(f"unknown text key {key!r}") from None
    text = entry[lang]
    return text.format(**values) if values or _fields(text) else text


def check_texts() -> list[str]:
    """Problems in `TEXTS`: a missing or empty language, or placeholders that differ."""
    problems = []
    for key, entry in TEXTS.items():
        for lang in LANGUAGES:
            if not entry.get(lang, "").strip():
                problems.append(f"{key}: no {lang} text")
        if set(entry) - set(LANGUAGES):
            problems.append(f"{key}: unknown languages {sorted(set(entry) - set(LANGUAGES))}")
        fields = {lang: _fields(entry.get(lang, "")) for lang in LANGUAGES}
        if len({frozenset(f) for f in fields.values()}) > 1:
            problems.append(f"{key}: placeholders differ between languages: {fields}")
    return problems
