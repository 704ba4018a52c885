"""The app's words in Danish (default) and English.

Every label the app shows is a key in `TEXTS` with a Danish and an English text; `t` looks one up
and fills its ``{placeholders}``. Planning words follow the centre's own vocabulary (DOMAIN.md):
vagtplan (roster), prognose (forecast), bemanding (staffing), kø (queue), svarprocent (answer
rate). Pure Python: no Streamlit here, so that notebooks and tests can use it too.
"""

from __future__ import annotations

import datetime as dt
import string

# The words of a rendered service report (`report.*` keys), defined once beside the Excel, PDF
# and text exports that use them (planner cannot import app_support); merged into TEXTS below.
from planner.io.report_export import TEXTS as REPORT_TEXTS

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "TEXTS",
    "t",
    "check_texts",
    "short_date",
    "number",
    "percent",
]

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
    "app.login_title": {"da": "Log ind", "en": "Sign in"},
    "app.user_personal": {
        "da": "Skriv dit navn eller dine initialer: en e-mailadresse, et telefonnummer eller et "
        "CPR-nummer gemmes ikke.",
        "en": "Type your name or initials: an e-mail address, phone number or CPR number is not "
        "stored.",
    },
    "app.login_intro": {
        "da": "Vagtplan kræver login her. Log ind med din arbejdskonto; dit navn står ved det, "
        "du gemmer.",
        "en": "This Vagtplan requires a login. Sign in with your work account; your name is "
        "shown beside what you save.",
    },
    "app.login_button": {"da": "Log ind", "en": "Sign in"},
    "app.logout_button": {"da": "Log ud", "en": "Sign out"},
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
    # == Data, Prognose, Bemanding, Rapport pages (app_pages/data|forecast|staffing|report.py) ==
    "data.title": {"da": "Data", "en": "Data"},
    "data.intro": {
        "da": "Indlæs historikken (standarddata eller din egen fil). Den bruges af prognosen og "
        "rapporten.",
        "en": "Load the history (the default data or your own file). The forecast and the "
        "report use it.",
    },
    "data.source": {"da": "Kilde", "en": "Source"},
    "data.source.default": {"da": "Standarddata", "en": "Default data"},
    "data.source.upload": {"da": "Upload fil", "en": "Upload a file"},
    "data.upload": {
        "da": "Historikfil (CSV, Excel, Parquet)",
        "en": "History file (CSV, Excel, Parquet)",
    },
    "data.upload_help": {
        "da": "Én række pr. kø og interval: interval_start, queue, offered, ... "
        "Filer med personoplysninger afvises.",
        "en": "One row per queue and interval: interval_start, queue, offered, ... "
        "Files with personal data are refused.",
    },
    "data.anomalies": {"da": "Unormale dage og lukkedage", "en": "Anomalous and closing days"},
    "data.anomalies_help": {
        "da": "Dage der udelades, adskilt af komma: 2025-03-14, 2025-12-22..2025-12-23",
        "en": "Days to leave out, separated by commas: 2025-03-14, 2025-12-22..2025-12-23",
    },
    "data.load": {"da": "Indlæs", "en": "Load"},
    "data.loading": {"da": "Indlæser og kontrollerer ...", "en": "Loading and checking ..."},
    "data.need_upload": {
        "da": "Vælg en fil at uploade først.",
        "en": "Choose a file to upload first.",
    },
    "data.problems": {
        "da": "Filen kan ikke bruges. Problemer fundet: {count}.",
        "en": "The file cannot be used. Problems found: {count}.",
    },
    "data.none_loaded": {
        "da": "Der er ikke indlæst data endnu. Vælg en kilde og tryk Indlæs.",
        "en": "No data loaded yet. Choose a source and press Load.",
    },
    "data.loaded": {
        "da": "Indlæst: {name} ({rows} rækker).",
        "en": "Loaded: {name} ({rows} rows).",
    },
    "data.kept": {
        "da": "Den nye fil blev ikke brugt; stadig indlæst: {name} ({rows} rækker).",
        "en": "The new file was not used; still loaded: {name} ({rows} rows).",
    },
    "data.queues": {"da": "Køer", "en": "Queues"},
    "data.days": {"da": "Dage med data", "en": "Days with data"},
    "data.calls": {"da": "Opkald", "en": "Calls"},
    "data.interval": {"da": "Interval", "en": "Interval"},
    "data.span": {"da": "Periode: {start} til {end}", "en": "Period: {start} to {end}"},
    "data.summary_text": {"da": "Hele oversigten", "en": "Full summary"},
    "data.chart_queues": {
        "da": "Køer i graferne (tom = alle)",
        "en": "Queues in the charts (empty = all)",
    },
    "data.daily_title": {"da": "Opkald pr. dag og kø", "en": "Calls per day and queue"},
    "data.heatmap_title": {
        "da": "Gennemsnitlige opkald pr. ugedag og tidspunkt",
        "en": "Mean calls by weekday and time of day",
    },
    "data.date": {"da": "Dato", "en": "Date"},
    "data.offered": {"da": "Tilbudte opkald", "en": "Calls offered"},
    "data.queue": {"da": "Kø", "en": "Queue"},
    "data.time": {"da": "Tidspunkt", "en": "Time of day"},
    "data.weekday": {"da": "Ugedag", "en": "Weekday"},
    "data.mean_calls": {"da": "Opkald (gns.)", "en": "Calls (mean)"},
    "data.all_queues": {"da": "Alle køer", "en": "All queues"},
    "fc.col.offered": {"da": "Opkald (prognose)", "en": "Calls (forecast)"},
    "fc.col.lo": {"da": "Nedre grænser (sum)", "en": "Lower bounds (sum)"},
    "fc.col.hi": {"da": "Øvre grænser (sum)", "en": "Upper bounds (sum)"},
    "data.save_title": {"da": "Gem datasættet", "en": "Save the dataset"},
    "data.need_first": {
        "da": "Indlæs data på siden Data først.",
        "en": "Load data on the Data page first.",
    },
    "data.wd.mon": {"da": "Mandag", "en": "Monday"},
    "data.wd.tue": {"da": "Tirsdag", "en": "Tuesday"},
    "data.wd.wed": {"da": "Onsdag", "en": "Wednesday"},
    "data.wd.thu": {"da": "Torsdag", "en": "Thursday"},
    "data.wd.fri": {"da": "Fredag", "en": "Friday"},
    "data.wd.sat": {"da": "Lørdag", "en": "Saturday"},
    "data.wd.sun": {"da": "Søndag", "en": "Sunday"},
    "fc.title": {"da": "Prognose", "en": "Forecast"},
    "fc.intro": {
        "da": "Opkald pr. kø og interval med et 80 %-interval. En startdato inde i historikken "
        "tilpasser på dagene før og viser de faktiske opkald ved siden af.",
        "en": "Calls per queue and interval with an 80 % band. A start date inside the history "
        "fits on the days before it and shows the actual calls alongside.",
    },
    "fc.model": {"da": "Model", "en": "Model"},
    "fc.model.seasonal_naive": {"da": "Samme ugedag sidste uge", "en": "Same weekday last week"},
    "fc.model.weekday_mean": {"da": "Gennemsnit af ugedagen", "en": "Weekday mean"},
    "fc.model.glm": {"da": "GLM (anbefalet)", "en": "GLM (recommended)"},
    "fc.model.ets": {"da": "ETS", "en": "ETS"},
    "fc.model.mstl": {"da": "MSTL", "en": "MSTL"},
    "fc.model.auto": {"da": "Automatisk valg (langsom)", "en": "Automatic choice (slow)"},
    "fc.start": {"da": "Første dag", "en": "First day"},
    "fc.days": {"da": "Antal dage", "en": "Number of days"},
    "fc.start_help": {
        "da": "Historikken slutter {last}.",
        "en": "The history ends {last}.",
    },
    "fc.make": {"da": "Lav prognose", "en": "Make forecast"},
    "fc.fitting": {"da": "Tilpasser modellen ...", "en": "Fitting the model ..."},
    "fc.done": {"da": "Færdig", "en": "Done"},
    "fc.none_yet": {"da": "Der er ingen prognose endnu.", "en": "No forecast yet."},
    "fc.made": {
        "da": "Prognose med {model}: {rows} rækker.",
        "en": "Forecast with {model}: {rows} rows.",
    },
    "fc.queue": {"da": "Kø", "en": "Queue"},
    "fc.time": {"da": "Tid", "en": "Time"},
    "fc.calls": {"da": "Opkald pr. interval", "en": "Calls per interval"},
    "fc.chart_help": {
        "da": "Linje: prognose; skygge: 80 %-interval; stiplet: faktiske opkald.",
        "en": "Line: forecast; shade: 80 % band; dashed: actual calls.",
    },
    "fc.has_actuals": {
        "da": "{count} intervaller har faktiske opkald.",
        "en": "{count} intervals have actual calls.",
    },
    "fc.adjusted": {
        "da": "Hændelser og justeringer lægger {calls} opkald til.",
        "en": "Events and adjustments add {calls} calls.",
    },
    "fc.events_title": {
        "da": "Hændelser og manuelle justeringer",
        "en": "Events and manual adjustments",
    },
    "fc.event_name": {"da": "Navn", "en": "Name"},
    "fc.event_default_name": {"da": "Justering", "en": "Adjustment"},
    "fc.event_queues": {"da": "Køer", "en": "Queues"},
    "fc.event_start": {"da": "Fra", "en": "From"},
    "fc.event_end": {"da": "Til", "en": "To"},
    "fc.event_kind": {"da": "Slags", "en": "Kind"},
    "fc.kind.adjustment": {"da": "Manuel justering", "en": "Manual adjustment"},
    "fc.kind.event": {"da": "Kendt hændelse", "en": "Known event"},
    "fc.event_how": {"da": "Størrelse som", "en": "Size as"},
    "fc.how.percent": {"da": "Procent", "en": "Percent"},
    "fc.how.calls": {"da": "Opkald i alt", "en": "Calls in total"},
    "fc.event_size": {"da": "Størrelse", "en": "Size"},
    "fc.event_add": {"da": "Tilføj", "en": "Add"},
    "fc.event_remove": {"da": "Fjern", "en": "Remove"},
    "fc.save_title": {"da": "Gem prognosen", "en": "Save the forecast"},
    "fc.backtest_title": {"da": "Træfsikkerhed (backtest)", "en": "Accuracy (backtest)"},
    "fc.backtest_help": {
        "da": "Modellen prøves på to tidligere uger: WAPE, skævhed og dækning af 80 %-intervallet.",
        "en": "The model is tried on two past weeks: WAPE, bias and coverage of the 80 % band.",
    },
    "fc.backtest": {"da": "Kør backtest", "en": "Run backtest"},
    "fc.backtesting": {"da": "Kører backtest ...", "en": "Running backtest ..."},
    "st.title": {"da": "Bemanding", "en": "Staffing"},
    "st.intro": {
        "da": "Medarbejdere i telefonen pr. kø og interval, der når målene (Erlang A).",
        "en": "Agents on the phone per queue and interval that meet the targets (Erlang A).",
    },
    "st.answer_rate": {"da": "Svarprocent (%)", "en": "Answer rate (%)"},
    "st.asa": {"da": "Gns. ventetid højst (s)", "en": "Average wait at most (s)"},
    "st.patience": {"da": "Kundens tålmodighed (s)", "en": "Caller patience (s)"},
    "st.service_level": {"da": "Serviceniveau (%)", "en": "Service level (%)"},
    "st.threshold": {"da": "... besvaret inden (s)", "en": "... answered within (s)"},
    "st.shrinkage": {"da": "Fravær og andet arbejde (%)", "en": "Shrinkage (%)"},
    "st.off_help": {"da": "0 slår et mål fra.", "en": "0 switches a target off."},
    "st.need_forecast": {
        "da": "Lav en prognose på siden Prognose først.",
        "en": "Make a forecast on the Forecast page first.",
    },
    "st.make": {"da": "Beregn bemanding", "en": "Compute staffing"},
    "st.stale": {
        "da": "Prognosen er ændret siden bemandingen blev beregnet. Beregn igen.",
        "en": "The forecast has changed since the staffing was computed. Compute again.",
    },
    "st.computing": {"da": "Beregner ...", "en": "Computing ..."},
    "st.peak": {"da": "Flest samtidigt", "en": "Peak agents"},
    "st.agent_hours": {"da": "Telefontimer", "en": "Phone hours"},
    "st.queues": {"da": "Køer", "en": "Queues"},
    "st.agents": {"da": "Medarbejdere", "en": "Agents"},
    "st.heatmap_title": {
        "da": "Medarbejdere i telefonen pr. ugedag og tidspunkt (gns., alle køer)",
        "en": "Agents on the phone by weekday and time of day (mean, all queues)",
    },
    "st.table": {"da": "Tabel", "en": "Table"},
    "st.save_title": {"da": "Gem bemandingsbehovet", "en": "Save the requirements"},
    "st.calc_title": {"da": "Erlang-beregner", "en": "Erlang calculator"},
    "st.calc_help": {
        "da": "Ét interval: forventede nøgletal med et antal medarbejdere (Erlang A).",
        "en": "One interval: expected figures for a number of agents (Erlang A).",
    },
    "st.calc_calls": {"da": "Opkald", "en": "Calls"},
    "st.calc_aht": {"da": "Samtaletid (s)", "en": "Handle time (s)"},
    "st.calc_agents": {"da": "Medarbejdere", "en": "Agents"},
    "st.calc_interval": {"da": "Interval (min)", "en": "Interval (min)"},
    "st.m_answer_rate": {"da": "Svarprocent", "en": "Answer rate"},
    "st.m_service_level": {"da": "Serviceniveau", "en": "Service level"},
    "st.m_asa": {"da": "Gns. ventetid", "en": "Average wait"},
    "st.m_occupancy": {"da": "Belægning", "en": "Occupancy"},
    "st.calc_needed": {
        "da": "Målene ovenfor kræver {agents} medarbejdere.",
        "en": "The targets above need {agents} agents.",
    },
    "rp.title": {"da": "Rapport", "en": "Report"},
    "rp.intro": {
        "da": "Ugens og månedens nøgletal mod servicemålene, fra de faktiske tal.",
        "en": "The week's and month's KPIs against the service goals, from actuals.",
    },
    "rp.kind": {"da": "Rapport", "en": "Report"},
    "rp.kind.week": {"da": "Uge", "en": "Week"},
    "rp.kind.month": {"da": "Måned", "en": "Month"},
    "rp.period": {"da": "Periode", "en": "Period"},
    "rp.goal_answer_rate": {"da": "Mål: svarprocent (%)", "en": "Goal: answer rate (%)"},
    "rp.goal_fcr": {
        "da": "Mål: løst i første kontakt (%)",
        "en": "Goal: first-contact resolution (%)",
    },
    "rp.goal_asa": {"da": "Mål: gns. ventetid højst (s)", "en": "Goal: average wait at most (s)"},
    "rp.meets": {"da": "Centret når målene i perioden.", "en": "The centre meets the goals."},
    "rp.misses": {
        "da": "Målene nås ikke overalt: {count} kø-perioder under målet.",
        "en": "Goals are missed: {count} queue-periods below goal.",
    },
    "rp.misses_table": {"da": "Under målet ({count})", "en": "Below goal ({count})"},
    "rp.summary": {"da": "Pr. kø", "en": "Per queue"},
    "rp.breakdown.week": {"da": "Svarprocent pr. dag", "en": "Answer rate per day"},
    "rp.breakdown.month": {"da": "Svarprocent pr. uge", "en": "Answer rate per week"},
    "rp.trend": {"da": "Udvikling", "en": "Trend"},
    "rp.download": {"da": "Hent rapporten", "en": "Download the report"},
    "rp.make.xlsx": {"da": "Lav Excel-fil", "en": "Make Excel file"},
    "rp.make.pdf": {"da": "Lav PDF", "en": "Make PDF"},
    "rp.download.xlsx": {"da": "Hent Excel", "en": "Download Excel"},
    "rp.download.pdf": {"da": "Hent PDF", "en": "Download PDF"},
    "rp.making": {"da": "Laver filen ...", "en": "Making the file ..."},
    "rp.col.queue": {"da": "Kø", "en": "Queue"},
    "rp.col.date": {"da": "Dato", "en": "Date"},
    "rp.col.week": {"da": "Uge", "en": "Week"},
    "rp.col.month": {"da": "Måned", "en": "Month"},
    "rp.col.offered": {"da": "Tilbudte", "en": "Offered"},
    "rp.col.answered": {"da": "Besvarede", "en": "Answered"},
    "rp.col.abandoned": {"da": "Opgivne", "en": "Abandoned"},
    "rp.col.answer_rate": {"da": "Svarprocent", "en": "Answer rate"},
    "rp.col.fcr": {"da": "Løst i første kontakt", "en": "First-contact resolution"},
    "rp.col.asa_seconds": {"da": "Gns. ventetid", "en": "Average wait"},
    "rp.col.abandon_rate": {"da": "Opgivet (%)", "en": "Abandoned (%)"},
    "rp.col.meets_sla": {"da": "Når målene", "en": "Meets goals"},
    "rp.kind.quarter": {"da": "Kvartal", "en": "Quarter"},
    "rp.breakdown.quarter": {"da": "Svarprocent pr. måned", "en": "Answer rate per month"},
    "rp.lead": {
        "da": "Servicemålene og om de nås, fra de faktiske tal: ugentligt til de lokale enheder, "
        "månedligt til ledelsen og kvartalsvis til opfølgningsgruppen.",
        "en": "The service goals and whether they are met, from actuals: weekly for the local "
        "units, monthly for management and quarterly for the follow-up group.",
    },
    "rp.file": {"da": "rapport", "en": "report"},
    # the words shared with the report's Excel, PDF and text (planner/io/report_export.py)
    **REPORT_TEXTS,
    # == end of Data, Prognose, Bemanding, Rapport pages ==
    # == Vagtplan and Scenarier pages (app_pages/roster.py, app_pages/scenarios.py) ==
    "weekday.0": {"da": "Mandag", "en": "Monday"},
    "weekday.1": {"da": "Tirsdag", "en": "Tuesday"},
    "weekday.2": {"da": "Onsdag", "en": "Wednesday"},
    "weekday.3": {"da": "Torsdag", "en": "Thursday"},
    "weekday.4": {"da": "Fredag", "en": "Friday"},
    "weekday.5": {"da": "Lørdag", "en": "Saturday"},
    "weekday.6": {"da": "Søndag", "en": "Sunday"},
    "activity.phone": {"da": "Telefon", "en": "Phone"},
    "activity.off_phone": {"da": "Andet arbejde", "en": "Off-phone work"},
    "activity.break": {"da": "Pause", "en": "Break"},
    "activity.lunch": {"da": "Frokost", "en": "Lunch"},
    "activity.meeting": {"da": "Møde", "en": "Meeting"},
    "activity.training": {"da": "Uddannelse", "en": "Training"},
    "activity.absence": {"da": "Fravær", "en": "Absence"},
    "activity.shift": {"da": "Vagt", "en": "Shift"},
    # -- week view (issue 13.3): the "Uge" tab, the heatmaps' colours, capacity before building
    "wk.tab": {"da": "Uge", "en": "Week"},
    "wk.weekday.0": {"da": "man.", "en": "Mon"},
    "wk.weekday.1": {"da": "tir.", "en": "Tue"},
    "wk.weekday.2": {"da": "ons.", "en": "Wed"},
    "wk.weekday.3": {"da": "tor.", "en": "Thu"},
    "wk.weekday.4": {"da": "fre.", "en": "Fri"},
    "wk.weekday.5": {"da": "lør.", "en": "Sat"},
    "wk.weekday.6": {"da": "søn.", "en": "Sun"},
    "wk.lunch": {"da": "frokost {time}", "en": "lunch {time}"},
    "wk.meeting": {"da": "møde {time}", "en": "meeting {time}"},
    "wk.training": {"da": "uddannelse {time}", "en": "training {time}"},
    "wk.breaks": {"da": "{count} × pause", "en": "{count} × break"},
    "wk.off_phone": {"da": "{count} × andet arbejde", "en": "{count} × off-phone work"},
    "wk.absent": {"da": "Fravær", "en": "Absent"},
    "wk.absent_part": {"da": "fravær {start}-{end}", "en": "absent {start}-{end}"},
    "wk.off": {"da": "fri", "en": "off"},
    "wk.table_title": {"da": "Ugen pr. medarbejder", "en": "The week per agent"},
    "wk.table_help": {
        "da": "Vagt fra første start til sidste slut; frokost, møder og uddannelse med "
        "starttid; antal blokke med andet arbejde (ikke i telefonen).",
        "en": "Shift from first start to last end; lunch, meetings and training with their "
        "start; the number of off-phone blocks.",
    },
    "wk.heatmap_title": {
        "da": "Dækning mod behov pr. kø og interval i ugen",
        "en": "Coverage against the need per queue and interval of the week",
    },
    "wk.day_heatmap_title": {
        "da": "Dækning mod behov pr. kø og interval",
        "en": "Coverage against the need per queue and interval",
    },
    "wk.balance": {"da": "Planlagt − behov", "en": "Staffed − required"},
    "wk.heatmap_help": {
        "da": "Rød: for få agenter, blå: flere end behovet, lys: præcis dækket. Samme farve "
        "betyder det samme antal agenter alle dage; lukket tid er tom.",
        "en": "Red: too few agents, blue: more than needed, light: exactly covered. A colour "
        "means the same number of agents on every day; closed hours are empty.",
    },
    "wk.thousands_sep": {"da": ".", "en": ","},
    "wk.agents_one": {"da": "{n} agent", "en": "{n} agent"},
    "wk.agents_many": {"da": "{n} agenter", "en": "{n} agents"},
    "wk.cap_title": {
        "da": "**Holdet kan ikke dække ugens behov, uanset hvordan vagtplanen lægges:**",
        "en": "**The team cannot cover the week's need, whatever the roster:**",
    },
    "wk.cap_ok": {
        "da": "Holdet kan i princippet dække ugens behov (timer, agenter på samme tid og "
        "kompetencer). Mangler planen alligevel, skyldes det vagtlængder, frokost og møder.",
        "en": "The team can in principle cover the week's need (hours, agents at once and "
        "skills). Where the plan is still short, shift lengths, lunches and meetings are why.",
    },
    "wk.cap.hours": {
        "da": "Ugen kræver {needed} agenttimer i telefonen; holdet kan højst give {available} "
        "(kontrakttimer minus ferie og frokost): {short} timer for lidt.",
        "en": "The week needs {needed} agent-hours on the phone; the team can give at most "
        "{available} (contract hours less holidays and lunches): {short} hours short.",
    },
    "wk.cap.day_hours": {
        "da": "{Day} kræver {needed} agenttimer i telefonen; medarbejderne på arbejde kan højst "
        "give {available} ({short} timer for lidt).",
        "en": "{Day} needs {needed} agent-hours on the phone; the agents at work can give at "
        "most {available} ({short} hours short).",
    },
    "wk.cap.heads": {
        "da": "{Day} skal {needed_agents} tage telefonen på samme tid i det travleste "
        "interval; kun {available} kan være der (ferie, tidligste start og seneste slut).",
        "en": "{Day}, the busiest interval needs {needed_agents} on the phone at once; only "
        "{available} can be there (holidays, earliest start and latest end).",
    },
    "wk.cap.skill_heads": {
        "da": "{Day} skal køen {queue} have {needed_agents} på samme tid; kun {available} "
        "med kompetencen kan være der.",
        "en": "{Day}: {queue} needs {needed_agents} at once; only {available} with the skill "
        "can be there.",
    },
    "wk.cap.skill_hours": {
        "da": "Køen {queue} kræver {needed} agenttimer i ugen; medarbejderne med kompetencen "
        "kan højst give {available} i alt.",
        "en": "{queue} needs {needed} agent-hours this week; the agents with the skill can "
        "give at most {available} in all.",
    },
    "wk.cap.other": {
        "da": "{what}: behov {needed}, højst {available} muligt.",
        "en": "{what}: {needed} needed, at most {available} possible.",
    },
    "ro.title": {"da": "Vagtplan", "en": "Roster"},
    "ro.intro": {
        "da": "Læg ugens vagtplan, se den pr. medarbejder og pr. interval, ret den i hånden "
        "og gem den som en ny version.",
        "en": "Build the week's roster, see it per agent and per interval, edit it by hand "
        "and save it as a new version.",
    },
    "ro.loading": {
        "da": "Henter standarddata og laver prognose …",
        "en": "Loading the default data and forecasting …",
    },
    "ro.rules_fallback": {
        "da": "Vagtreglerne i data/rules.toml kunne ikke læses ({message}); de indbyggede "
        "regler bruges.",
        "en": "The shift rules in data/rules.toml could not be read ({message}); the built-in "
        "rules are used.",
    },
    "ro.source_session": {
        "da": "Bemandingsbehov: fra siden Bemanding.",
        "en": "Staffing requirements: from the Staffing page.",
    },
    "ro.source_default": {
        "da": "Bemandingsbehov: prognose af standarddata (svarprocent 92 %, ventetid 150 s).",
        "en": "Staffing requirements: forecast of the default data (answer rate 92 %, wait 150 s).",
    },
    "ro.week": {"da": "Uge", "en": "Week"},
    "ro.week_label": {
        "da": "Uge {week} {year} (fra {date})",
        "en": "Week {week} {year} (from {date})",
    },
    "ro.days": {"da": "Dage", "en": "Days"},
    "ro.time_limit": {"da": "Tidsgrænse (s)", "en": "Time limit (s)"},
    "ro.time_limit_help": {
        "da": "Så længe må optimeringen arbejde. Mere tid giver en bedre vagtplan; afstanden "
        "til optimum vises, når planen er lagt.",
        "en": "How long the optimizer may work. More time gives a better roster; the gap to "
        "the optimum is shown when the plan is built.",
    },
    "ro.no_requirements": {
        "da": "Der er intet bemandingsbehov i de valgte dage.",
        "en": "There are no staffing requirements on the chosen days.",
    },
    "ro.build": {"da": "Læg vagtplan", "en": "Build roster"},
    "ro.building": {"da": "Lægger vagtplan …", "en": "Building the roster …"},
    "ro.no_plan": {
        "da": "Optimeringen fandt ingen vagtplan ({status}): {reasons}",
        "en": "The optimizer found no roster ({status}): {reasons}",
    },
    "ro.built": {
        "da": "Vagtplan lagt på {seconds} s ({status}). Den bedst mulige plan ville give højst "
        "{calls} flere besvarede opkald (eller det tilsvarende i retfærdighed og ønsker); "
        "afstand til den beviste grænse {gap}.",
        "en": "Roster built in {seconds} s ({status}). The best possible plan would answer at "
        "most {calls} more calls (or the equivalent in fairness and wishes); gap to the "
        "proven bound {gap}.",
    },
    "ro.built_more_time": {  # after ro.built, when the plan is not proven optimal
        "da": "Mere tid kan give en bedre plan.",
        "en": "More time may give a better plan.",
    },
    "ro.status.optimal": {"da": "optimal", "en": "optimal"},
    "ro.status.feasible": {"da": "gyldig, ikke bevist optimal", "en": "valid, not proven optimal"},
    "ro.open_saved": {"da": "Åbn en gemt vagtplan", "en": "Open a saved roster"},
    "ro.saved_name": {"da": "Gemt vagtplan", "en": "Saved roster"},
    "ro.open": {"da": "Åbn", "en": "Open"},
    "ro.opened": {
        "da": "Åbnet: «{name}» version {version}.",
        "en": "Opened: “{name}” version {version}.",
    },
    "ro.start_hint": {
        "da": "Vælg uge og tryk «Læg vagtplan», eller åbn en gemt vagtplan.",
        "en": "Choose a week and press “Build roster”, or open a saved roster.",
    },
    "ro.diagnostics": {"da": "Bemærkninger ({count})", "en": "Notes ({count})"},
    "ro.kpis": {"da": "Forventede nøgletal", "en": "Predicted KPIs"},
    "ro.kpi_answer_rate": {"da": "Svarprocent (%)", "en": "Answer rate (%)"},
    "ro.kpi_asa": {"da": "Gns. ventetid (s)", "en": "Average wait (s)"},
    "ro.kpi_abandon": {"da": "Opgivne (%)", "en": "Abandoned (%)"},
    "ro.kpi_short": {"da": "Intervaller med underdækning", "en": "Intervals short"},
    "ro.kpi_fcr": {"da": "Straksafklaring (%)", "en": "First-contact resolution (%)"},
    "ro.kpi_goals": {"da": "Alle mål nået", "en": "All goals met"},
    "ro.kpi_yes": {"da": "ja", "en": "yes"},
    "ro.kpi_no": {"da": "nej", "en": "no"},
    "ro.kpi_simulating": {"da": "Simulerer vagtplanen …", "en": "Simulating the roster …"},
    "ro.kpi_help": {
        "da": "Vagtplanens dage simuleret {runs} gange (frø {seed}) med agenterne, som de er "
        "planlagt og uddannet: de samme tal som Scenarier-sidens basis, rapporten fra "
        "«vagtplan plan» og «vagtplan simulate» for samme vagtplan og prognose. Mål: "
        "svarprocent ≥ {goal_ar} %, gns. ventetid ≤ {goal_asa} s. Underdækning pr. interval "
        "er Erlang A's hurtige skøn.",
        "en": "The roster's days simulated {runs} times (seed {seed}) with the agents as "
        "planned and skilled: the same figures as the Scenarier page's base, the report of "
        "“vagtplan plan” and “vagtplan simulate” for the same roster and forecast. Goals: "
        "answer rate ≥ {goal_ar} %, average wait ≤ {goal_asa} s. Intervals short are Erlang "
        "A's quick estimate.",
    },
    "ro.offered": {"da": "Opkald", "en": "Calls"},
    "ro.queue": {"da": "Kø", "en": "Queue"},
    "ro.day": {"da": "Dag", "en": "Day"},
    "ro.tab_agents": {"da": "Pr. medarbejder", "en": "Per agent"},
    "ro.tab_intervals": {"da": "Pr. interval", "en": "Per interval"},
    "ro.tab_edit": {"da": "Ret", "en": "Edit"},
    "ro.tab_save": {"da": "Gem og eksportér", "en": "Save and export"},
    "ro.table": {"da": "Vagter som tabel", "en": "Shifts as a table"},
    "ro.nothing_that_day": {
        "da": "Intet planlagt denne dag.",
        "en": "Nothing planned on this day.",
    },
    "ro.time": {"da": "Tid", "en": "Time"},
    "ro.agent": {"da": "Medarbejder", "en": "Agent"},
    "ro.agents": {"da": "Agenter", "en": "Agents"},
    "ro.activity": {"da": "Aktivitet", "en": "Activity"},
    "ro.start": {"da": "Start", "en": "Start"},
    "ro.end": {"da": "Slut", "en": "End"},
    "ro.required": {"da": "Behov", "en": "Required"},
    "ro.staffed": {"da": "Planlagt", "en": "Staffed"},
    "ro.shortfall": {"da": "Mangler", "en": "Short"},
    "ro.heatmap": {
        "da": "Underdækning pr. kø og interval",
        "en": "Shortfall per queue and interval",
    },
    "ro.coverage_help": {
        "da": "Linjer: behov og planlagte agenter; rødt felt: underdækning.",
        "en": "Lines: required and staffed agents; red area: shortfall.",
    },
    "ro.edit_intro": {
        "da": "Ændringer slår straks igennem i dækning og nøgletal ovenfor.",
        "en": "Changes show at once in the coverage and KPIs above.",
    },
    "ro.move": {"da": "Flyt en vagt", "en": "Move a shift"},
    "ro.new_start": {"da": "Ny starttid", "en": "New start"},
    "ro.move_button": {"da": "Flyt vagt", "en": "Move shift"},
    "ro.moved": {
        "da": "{agent}s vagt {day} starter nu {start}.",
        "en": "{agent}'s shift on {day} now starts at {start}.",
    },
    "ro.swap": {"da": "Byt to medarbejdere", "en": "Swap two agents"},
    "ro.first_agent": {"da": "Medarbejder 1", "en": "Agent 1"},
    "ro.second_agent": {"da": "Medarbejder 2", "en": "Agent 2"},
    "ro.swap_button": {"da": "Byt", "en": "Swap"},
    "ro.swapped": {
        "da": "{first} og {second} har byttet dag {day}.",
        "en": "{first} and {second} swapped {day}.",
    },
    "ro.locks": {"da": "Lås vagter", "en": "Lock shifts"},
    "ro.locked": {"da": "Låste vagter", "en": "Locked shifts"},
    "ro.locks_help": {
        "da": "Låste vagter beholdes som de er, når vagtplanen optimeres igen.",
        "en": "Locked shifts are kept as they are when the roster is optimized again.",
    },
    "ro.reoptimize": {
        "da": "Optimér igen omkring låste vagter ({count})",
        "en": "Re-optimize around locked shifts ({count})",
    },
    "ro.reoptimize_help": {
        "da": "Lægger resten af vagtplanen på ny; de låste vagter ændres ikke.",
        "en": "Plans the rest of the roster again; the locked shifts stay.",
    },
    "ro.locks_broken": {
        "da": "De låste vagter skal overholde reglerne, før resten kan optimeres igen. Ret "
        "dem, eller fjern låsen:",
        "en": "The locked shifts must keep the rules before the rest can be optimized again. "
        "Fix them or remove the lock:",
    },
    "ro.default_name": {"da": "Uge {week} {year}", "en": "Week {week} {year}"},
    "ro.versions": {"da": "Versioner af «{name}»", "en": "Versions of “{name}”"},
    "ro.export_csv": {"da": "Hent som CSV", "en": "Download as CSV"},
    "ro.export_xlsx": {"da": "Hent som Excel", "en": "Download as Excel"},
    "ro.export_ics": {"da": "Hent kalendere (iCal)", "en": "Download calendars (iCal)"},
    "ro.export_ics_help": {
        "da": "En zip-fil med én kalenderfil (.ics) pr. medarbejder til Outlook eller telefonen.",
        "en": "A zip file with one calendar file (.ics) per agent for Outlook or the phone.",
    },
    "ro.check_title": {"da": "Kontrol", "en": "Check"},
    "ro.check": {"da": "Kontrollér vagtplanen", "en": "Check the roster"},
    "ro.check_help": {
        "da": "Kontrollerer hver regel (timer, vagtlængder, frokost, møder, kompetencer, "
        "åbningstid) og regner dækningen efter uafhængigt af optimeringen.",
        "en": "Checks every rule (hours, shift lengths, lunch, meetings, skills, opening "
        "hours) and recomputes coverage independently of the optimizer.",
    },
    "ro.checking": {"da": "Kontrollerer …", "en": "Checking …"},
    "ro.check_ok": {
        "da": "Vagtplanen overholder alle regler ({warnings} bemærkninger).",
        "en": "The roster keeps every rule ({warnings} warnings).",
    },
    "ro.check_failed": {
        "da": "Vagtplanen bryder {count} regel(er); se listen.",
        "en": "The roster breaks {count} rule(s); see the list.",
    },
    "ro.severity": {"da": "Alvor", "en": "Severity"},
    "ro.severity_error": {"da": "Fejl", "en": "Error"},
    "ro.severity_warning": {"da": "Bemærkning", "en": "Warning"},
    "ro.rule": {"da": "Regel", "en": "Rule"},
    "ro.finding": {"da": "Fund", "en": "Finding"},
    # -- edits (issue 13.1-2) -------------------------------------------------------------------
    "ro.edit_kind": {"da": "Hvad vil du ændre?", "en": "What do you want to change?"},
    "ro.edit_kind.move": {"da": "Flyt vagt", "en": "Move shift"},
    "ro.edit_kind.times": {"da": "Start og slut", "en": "Start and end"},
    "ro.edit_kind.lunch": {"da": "Frokost", "en": "Lunch"},
    "ro.edit_kind.meeting": {"da": "Møder", "en": "Meetings"},
    "ro.edit_kind.shift": {"da": "Tilføj eller slet vagt", "en": "Add or delete a shift"},
    "ro.edit_kind.absence": {"da": "Sygdom og fravær", "en": "Sick or on leave"},
    "ro.edit_kind.swap": {"da": "Byt", "en": "Swap"},
    "ro.edit_errors": {
        "da": "Vagtplanen bryder {count} regel(er), som den står nu. Den kan gemmes som kladde, "
        "men ikke offentliggøres, før fejlene er rettet.",
        "en": "The roster as it is now breaks {count} rule(s). It can be saved as a draft, but "
        "not published until the errors are put right.",
    },
    "ro.edit_ok": {
        "da": "Vagtplanen overholder alle regler, som den står nu ({warnings} bemærkninger).",
        "en": "The roster as it is now keeps every rule ({warnings} warnings).",
    },
    "ro.no_shift": {
        "da": "{agent} har ingen vagt denne dag.",
        "en": "{agent} has no shift that day.",
    },
    "ro.no_shift_hint": {
        "da": "{agent} har ingen vagt denne dag; tilføj en under «Tilføj eller slet vagt».",
        "en": "{agent} has no shift that day; add one under “Add or delete a shift”.",
    },
    "ro.day_ok": {
        "da": "Kontrollen har ingen fund for {agent} denne dag.",
        "en": "The check finds nothing about {agent} that day.",
    },
    "ro.new_end": {"da": "Ny sluttid", "en": "New end"},
    "ro.times_button": {"da": "Ret tider", "en": "Change times"},
    "ro.times_help": {
        "da": "Blokke inden for de nye tider bliver, hvor de er; resten er telefontid. Falder "
        "frokosten uden for, lægges den igen efter reglerne.",
        "en": "Blocks inside the new times stay where they are; the rest is phone time. A lunch "
        "left outside is placed again by the rules.",
    },
    "ro.times_done": {
        "da": "{agent}s vagt {day} er nu {start}-{end}.",
        "en": "{agent}'s shift on {day} is now {start}-{end}.",
    },
    "ro.lunch_start": {"da": "Ny frokoststart", "en": "New lunch start"},
    "ro.lunch_button": {"da": "Flyt frokost", "en": "Move lunch"},
    "ro.lunch_done": {
        "da": "{agent}s frokost {day} starter nu {start}.",
        "en": "{agent}'s lunch on {day} now starts at {start}.",
    },
    "ro.no_lunch": {
        "da": "{agent} har ingen frokost denne dag.",
        "en": "{agent} has no lunch that day.",
    },
    "ro.meeting_pick": {"da": "Møde", "en": "Meeting"},
    "ro.meeting_start": {"da": "Ny starttid for mødet", "en": "New start of the meeting"},
    "ro.meeting_move": {"da": "Flyt møde", "en": "Move meeting"},
    "ro.meeting_cancel": {"da": "Aflys møde", "en": "Cancel meeting"},
    "ro.meeting_moved": {
        "da": "{agent}s {what} {day} starter nu {start}.",
        "en": "{agent}'s {what} on {day} now starts at {start}.",
    },
    "ro.meeting_cancelled": {
        "da": "{agent}s {what} {day} kl. {start} er aflyst; tiden er telefontid.",
        "en": "{agent}'s {what} on {day} at {start} is cancelled; the time is phone time.",
    },
    "ro.no_meetings": {
        "da": "{agent} har ingen møder denne dag.",
        "en": "{agent} has no meetings that day.",
    },
    "ro.add_button": {"da": "Tilføj vagt", "en": "Add shift"},
    "ro.add_help": {
        "da": "Telefontid med frokost lagt efter reglerne, når vagten er lang nok til at kræve "
        "en. Køerne følger medarbejderens kompetencer.",
        "en": "Phone time with a lunch placed by the rules when the shift is long enough to "
        "need one. The queues follow the agent's skills.",
    },
    "ro.added": {
        "da": "{agent} har fået en vagt {day} {start}-{end}.",
        "en": "{agent} has a shift on {day} {start}-{end}.",
    },
    "ro.delete_button": {"da": "Slet vagt", "en": "Delete shift"},
    "ro.deleted": {
        "da": "{agent}s vagt {day} er slettet.",
        "en": "{agent}'s shift on {day} is deleted.",
    },
    "ro.absence_kind": {"da": "Årsag", "en": "Reason"},
    "ro.absence_kind.sick": {"da": "Syg", "en": "Sick"},
    "ro.absence_kind.leave": {"da": "Fri eller orlov", "en": "On leave"},
    "ro.absence_from": {"da": "Fra", "en": "From"},
    "ro.absence_to": {"da": "Til og med", "en": "To and including"},
    "ro.absence_button": {"da": "Markér fravær", "en": "Mark absence"},
    "ro.absence_help": {
        "da": "Fraværet erstatter dagens arbejde og tæller i ugens timer som en fridag.",
        "en": "The absence replaces the day's work and counts as a day off in the week's hours.",
    },
    "ro.absence_done": {
        "da": "{agent} er markeret {kind} {first} til og med {last}.",
        "en": "{agent} is marked {kind} from {first} to {last}.",
    },
    "ro.undo": {"da": "Fortryd", "en": "Undo"},
    "ro.redo": {"da": "Gentag", "en": "Redo"},
    "ro.undone": {"da": "Fortrudt: {step}", "en": "Undone: {step}"},
    "ro.redone": {"da": "Gentaget: {step}", "en": "Redone: {step}"},
    "ro.changes_since": {
        "da": "{count} vagt(er) ændret siden version {version}.",
        "en": "{count} shift(s) changed since version {version}.",
    },
    "ro.changes_unsaved": {
        "da": "Vagtplanen er ikke gemt endnu.",
        "en": "The roster is not saved yet.",
    },
    "ro.edited_note": {
        "da": "Rettet i hånden: optimeringens status gælder ikke længere. Kontrollen under «Ret» "
        "og «Gem og eksportér» gælder planen, som den står nu.",
        "en": "Edited by hand: the optimizer's status no longer applies. The check under "
        "“Edit” and “Save and export” is of the roster as it is now.",
    },
    "ro.reoptimized_step": {
        "da": "Optimeret igen omkring {count} låste vagter",
        "en": "Re-optimized around {count} locked shifts",
    },
    "ro.check_auto": {
        "da": "Kontrollen kører efter hver ændring og gælder præcis den vagtplan, der står nu.",
        "en": "The check runs after every change and is of exactly the roster shown now.",
    },
    "ro.save_draft": {"da": "Gem som kladde", "en": "Save as draft"},
    "ro.save_draft_only": {
        "da": "Vagtplanen bryder {count} regel(er): den kan kun gemmes som kladde og kan ikke "
        "offentliggøres, før fejlene er rettet.",
        "en": "The roster breaks {count} rule(s): it can only be saved as a draft and cannot be "
        "published until the errors are put right.",
    },
    "ro.save_unchecked": {
        "da": "Vagtplanen er ikke kontrolleret: den kan kun gemmes som kladde.",
        "en": "The roster is not checked: it can only be saved as a draft.",
    },
    "ro.ack_warnings": {
        "da": "Jeg har set kontrollens {count} bemærkninger",
        "en": "I have seen the check's {count} warnings",
    },
    "ro.refused.errors": {
        "da": "Version {version} bryder {count} regel(er) og kan ikke offentliggøres. Ret fejlene "
        "og gem igen.",
        "en": "Version {version} breaks {count} rule(s) and cannot be published. Put the errors "
        "right and save again.",
    },
    "ro.refused.warnings": {
        "da": "Bekræft først, at du har set kontrollens {count} bemærkninger til version "
        "{version}.",
        "en": "First confirm that you have seen the check's {count} warnings on version {version}.",
    },
    "ro.refused.unchecked": {
        "da": "Version {version} er ikke kontrolleret og kan ikke offentliggøres.",
        "en": "Version {version} is not checked and cannot be published.",
    },
    "ro.publish_refused": {
        "da": "Ikke offentliggjort: {reason}",
        "en": "Not published: {reason}",
    },
    "ro.rule.format": {"da": "Format", "en": "Format"},
    "ro.rule.unknown_agent": {"da": "Ukendt medarbejder", "en": "Unknown agent"},
    "ro.rule.overlap": {"da": "Overlap", "en": "Overlap"},
    "ro.rule.split_shift": {"da": "Delt vagt", "en": "Split shift"},
    "ro.rule.unavailable": {"da": "Booket fri", "en": "Booked off"},
    "ro.rule.hours": {"da": "Åbningstid", "en": "Opening hours"},
    "ro.rule.agent_hours": {"da": "Medarbejderens tider", "en": "Agent's hours"},
    "ro.rule.shift_length": {"da": "Vagtlængde", "en": "Shift length"},
    "ro.rule.lunch": {"da": "Frokost", "en": "Lunch"},
    "ro.rule.blackout": {"da": "Spærret tid", "en": "Blocked time"},
    "ro.rule.weekly_hours": {"da": "Ugens timer", "en": "Weekly hours"},
    "ro.rule.days_per_week": {"da": "Dage pr. uge", "en": "Days per week"},
    "ro.rule.lock": {"da": "Lås", "en": "Lock"},
    "ro.rule.empty_queue": {"da": "Tom kø", "en": "Empty queue"},
    "ro.rule.team_floor": {"da": "Team i telefonen", "en": "Team on the phone"},
    "ro.rule.no_requirement_hours": {"da": "Åbningstid ukendt", "en": "No opening hours"},
    "ro.find.hours": {
        "da": "vagten {start}-{end} ligger uden for åbningstiden {opens}-{closes} (plus {lead} "
        "min. til at logge på)",
        "en": "shift {start}-{end} is outside the opening hours {opens}-{closes} (plus {lead} "
        "min lead-in)",
    },
    "ro.find.agent_early": {
        "da": "starter {at}, før medarbejderens tidligste start {limit}",
        "en": "starts {at}, before the agent's earliest start {limit}",
    },
    "ro.find.agent_late": {
        "da": "slutter {at}, efter medarbejderens seneste slut {limit}",
        "en": "ends {at}, after the agent's latest end {limit}",
    },
    "ro.find.shift_length": {
        "da": "en vagt på {hours} timer; tilladt {lo}-{hi} timer",
        "en": "a {hours} h shift; allowed {lo}-{hi} h",
    },
    "ro.find.lunch_missing": {
        "da": "en vagt på {hours} timer uden frokost",
        "en": "a {hours} h shift without lunch",
    },
    "ro.find.lunch_many": {"da": "{count} frokoster", "en": "{count} lunches"},
    "ro.find.lunch_length": {
        "da": "frokost på {minutes} min.; skal være {expected} min.",
        "en": "lunch of {minutes} min; expected {expected}",
    },
    "ro.find.lunch_window": {
        "da": "frokost kl. {at}, {hours} timer inde i vagten; tilladt {lo}-{hi} timer",
        "en": "lunch at {at}, {hours} h into the shift; allowed {lo}-{hi} h",
    },
    "ro.find.blackout": {
        "da": "{what} {start}-{end} ligger i det spærrede tidsrum {opens}-{closes}",
        "en": "{what} {start}-{end} falls in the blocked window {opens}-{closes}",
    },
    "ro.find.work_and_absent": {
        "da": "arbejder og har fravær samme dag",
        "en": "works and is absent the same day",
    },
    "ro.find.gap": {
        "da": "dagens arbejde {start}-{end} har et hul (én vagt om dagen uden huller)",
        "en": "the day's work {start}-{end} has a gap (one shift a day, without holes)",
    },
    "ro.find.unavailable": {
        "da": "arbejder på en dag, der er booket fri",
        "en": "works on a booked unavailable day",
    },
    "ro.find.overlap": {
        "da": "{first} og {second} overlapper kl. {at}",
        "en": "{first} and {second} overlap at {at}",
    },
    "ro.find.days_per_week": {
        "da": "arbejder {days} dage i {week}; højst {most}",
        "en": "works {days} days in {week}; at most {most}",
    },
    "ro.find.weekly_hours": {
        "da": "har {planned} timer i {week}; ugens norm er {norm} timer (± {tol})",
        "en": "has {planned} h in {week}; the week's norm is {norm} h (+- {tol} h)",
    },
    "ro.find.lock": {
        "da": "den låste blok ({what}) {when} er ikke i vagtplanen",
        "en": "locked {what} {when} is not in the roster",
    },
    "ro.find.team_floor": {
        "da": "{start}-{end} team {team}: ingen fra teamet i telefonen (telefonpolitik: mindst "
        "én fra hvert team i telefontiden)",
        "en": "{start}-{end} team {team}: nobody of the team on the phone (phone policy: at "
        "least one member of every team in phone hours)",
    },
    "ro.find.empty_queue": {
        "da": "kl. {at} {queue}: ingen med kompetencen i telefonen",
        "en": "{at} {queue}: nobody with the skill on the phone",
    },
    "ro.find.no_hours": {
        "da": "hverken behov eller kalender givet: åbningstiden er ikke kontrolleret",
        "en": "no requirements or calendar given: opening hours not checked",
    },
    "sc.title": {"da": "Scenarier", "en": "Scenarios"},
    "sc.intro": {
        "da": "Hvad sker der, hvis …? Byg scenarier og sammenlign dem med basisplanen "
        "(simulering med samme tilfældige tal).",
        "en": "What if …? Build scenarios and compare them with the base plan (simulated with "
        "the same random numbers).",
    },
    "sc.base": {"da": "Basisplan", "en": "Base plan"},
    "sc.base_session": {
        "da": "Vagtplanen fra siden Vagtplan",
        "en": "The roster from the Roster page",
    },
    "sc.base_saved": {
        "da": "Gemt vagtplan «{name}» version {version}",
        "en": "Saved roster “{name}” version {version}",
    },
    "sc.need_roster": {
        "da": "Læg eller gem først en vagtplan på siden Vagtplan.",
        "en": "First build or save a roster on the Roster page.",
    },
    "sc.name": {"da": "Scenariets navn", "en": "Scenario name"},
    "sc.default_name": {"da": "Scenarie {n}", "en": "Scenario {n}"},
    "sc.staff": {"da": "Medarbejdere", "en": "Staff"},
    "sc.sick": {"da": "Syge", "en": "Sick"},
    "sc.sick_day": {"da": "Syg dag", "en": "Sick on"},
    "sc.remove": {"da": "Fjern medarbejder", "en": "Remove agent"},
    "sc.remove_from": {"da": "Fra", "en": "From"},
    "sc.hire": {"da": "Nyansat (id)", "en": "New hire (id)"},
    "sc.hire_skills": {"da": "Kompetencer", "en": "Skills"},
    "sc.hire_from": {"da": "Starter", "en": "Starts"},
    "sc.hire_like": {"da": "Vagter som", "en": "Shifts like"},
    "sc.volume": {"da": "Opkald, behandlingstid og mål", "en": "Calls, handle time and goals"},
    "sc.volume_pct": {"da": "Opkald +/- %", "en": "Calls +/- %"},
    "sc.queue": {"da": "Kø", "en": "Queue"},
    "sc.from": {"da": "Fra", "en": "From"},
    "sc.to": {"da": "Til", "en": "To"},
    "sc.aht_pct": {"da": "Behandlingstid +/- %", "en": "Handle time +/- %"},
    "sc.goal": {"da": "Mål for svarprocent (%)", "en": "Answer-rate goal (%)"},
    "sc.add": {"da": "Tilføj scenarie", "en": "Add scenario"},
    "sc.duplicate": {
        "da": "Der er allerede et scenarie med navnet «{name}».",
        "en": "There is already a scenario called “{name}”.",
    },
    "sc.upload": {
        "da": "… eller hent scenarier fra en TOML-fil",
        "en": "… or load scenarios from a TOML file",
    },
    "sc.empty": {"da": "Ingen scenarier endnu.", "en": "No scenarios yet."},
    "sc.list": {"da": "Scenarier", "en": "Scenarios"},
    "sc.scenario": {"da": "Scenarie", "en": "Scenario"},
    "sc.changes": {"da": "Ændringer", "en": "Changes"},
    "sc.replications": {"da": "Gentagelser", "en": "Replications"},
    "sc.clear": {"da": "Ryd scenarier", "en": "Clear scenarios"},
    "sc.run": {"da": "Kør sammenligning", "en": "Run comparison"},
    "sc.running": {"da": "Simulerer …", "en": "Simulating …"},
    "sc.summary": {"da": "Hele perioden", "en": "Whole period"},
    "sc.p_meet": {
        "da": "Chance for at nå ugens mål (med prognosens usikkerhed)",
        "en": "Chance of meeting the week's goals (with the forecast's uncertainty)",
    },
    "sc.missing": {"da": "Intervaller under mål", "en": "Intervals missing the SLA"},
    "sc.measure": {"da": "Nøgletal", "en": "Measure"},
    "sc.m.answer_rate": {"da": "Svarprocent", "en": "Answer rate"},
    "sc.m.asa_seconds": {"da": "Gns. ventetid (s)", "en": "Average wait (s)"},
    "sc.m.abandon_rate": {"da": "Opgivne", "en": "Abandoned"},
    "sc.day": {"da": "Dag", "en": "Day"},
    "sc.side_by_side": {"da": "Pr. kø og dag", "en": "Per queue and day"},
    "sc.misses": {"da": "Intervaller under mål", "en": "Intervals missing the SLA"},
    "sc.no_misses": {"da": "Ingen intervaller under mål.", "en": "No interval misses the SLA."},
    "sc.misses_detail": {
        "da": "Alle intervaller under mål",
        "en": "Every interval missing the SLA",
    },
    "sc.choose": {"da": "Vælg", "en": "Choose"},
    # -- working draft (issue 13.5) ------------------------------------------------------------
    "ro.draft_note": {
        "da": "Din kladde er hentet igen.",
        "en": "Your draft was brought back.",
    },
    "ro.draft_restored": {
        "da": "Din ikke-gemte kladde fra {when} er hentet igen. Den gemmes automatisk, mens du "
        "arbejder; gem den som en version, når den er klar.",
        "en": "Your unsaved draft from {when} was brought back. It is kept automatically while "
        "you work; save it as a version when it is ready.",
    },
    "ro.draft_discard": {"da": "Kassér kladden", "en": "Discard the draft"},
    "ro.draft_need_user": {
        "da": "Skriv dit navn eller dine initialer i sidepanelet, så gemmes din kladde "
        "automatisk og kommer igen efter en genindlæsning.",
        "en": "Type your name or initials in the sidebar and your draft is kept automatically "
        "and comes back after a reload.",
    },
    # -- Danish sweep (issue 13.6) ------------------------------------------------------------
    # the optimizer's findings (app_support.diagnosis, from Diagnostic.facts)
    "dg.short": {
        "da": "{when} {queue} mangler {n} {unit} (behov {needs}, har {has}): {reasons}",
        "en": "{when} {queue} short {n} {unit} (needs {needs}, has {has}): {reasons}",
    },
    "dg.agent.one": {"da": "agent", "en": "agent"},
    "dg.agent.many": {"da": "agenter", "en": "agents"},
    "dg.empty_queue": {
        "da": "{when} {queue} har ingen i telefonen (telefonpolitik: mindst én agent i køens "
        "åbningstid): {reasons}",
        "en": "{when} {queue} has nobody on the phone (phone policy: at least one agent inside "
        "the queue's window): {reasons}",
    },
    "dg.team_floor": {
        "da": "{when} team {team} har ingen i telefonen (telefonpolitik: mindst ét medlem af "
        "hvert team i telefontiden): {reasons}",
        "en": "{when} team {team} has nobody on the phone (phone policy: at least one member "
        "of every team in phone hours): {reasons}",
    },
    "dg.no_members": {"da": "teamet har ingen medlemmer", "en": "the team has no members"},
    "dg.first": {"da": "{n} af {total} {noun} {what}", "en": "{n} of {total} {noun} {what}"},
    "dg.skilled": {"da": "agenter med kompetencen", "en": "skilled agents"},
    "dg.members": {"da": "medlemmer", "en": "members"},
    "dg.reason.holiday.one": {"da": "er på ferie", "en": "is on holiday"},
    "dg.reason.holiday.many": {"da": "er på ferie", "en": "are on holiday"},
    "dg.reason.outside.one": {
        "da": "kan ikke arbejde på det tidspunkt (tidligste start / seneste slut)",
        "en": "cannot work then (earliest start / latest end)",
    },
    "dg.reason.outside.many": {
        "da": "kan ikke arbejde på det tidspunkt (tidligste start / seneste slut)",
        "en": "cannot work then (earliest start / latest end)",
    },
    "dg.reason.off.one": {
        "da": "har fri (ugens timer er brugt på andre dage)",
        "en": "has the day off (weekly hours used on other days)",
    },
    "dg.reason.off.many": {
        "da": "har fri (ugens timer er brugt på andre dage)",
        "en": "have the day off (weekly hours used on other days)",
    },
    "dg.reason.other_hours.one": {
        "da": "arbejder på andre tidspunkter den dag",
        "en": "works other hours that day",
    },
    "dg.reason.other_hours.many": {
        "da": "arbejder på andre tidspunkter den dag",
        "en": "work other hours that day",
    },
    "dg.reason.lunch.one": {"da": "holder frokost", "en": "is at lunch"},
    "dg.reason.lunch.many": {"da": "holder frokost", "en": "are at lunch"},
    "dg.reason.meeting.one": {"da": "er til møde", "en": "is in a meeting"},
    "dg.reason.meeting.many": {"da": "er til møde", "en": "are in a meeting"},
    "dg.reason.off_phone.one": {"da": "har andet arbejde", "en": "is on off-phone work"},
    "dg.reason.off_phone.many": {"da": "har andet arbejde", "en": "are on off-phone work"},
    "dg.reason.phone.one": {"da": "er i telefonen{where}", "en": "is on the phone{where}"},
    "dg.reason.phone.many": {"da": "er i telefonen{where}", "en": "are on the phone{where}"},
    "dg.where.shared": {
        "da": ", delt med {queues} (mangler også)",
        "en": ", shared with {queues} (short too)",
    },
    "dg.where.needed": {
        "da": ", brugt af {queues} (ingen agent til overs der)",
        "en": ", needed by {queues} (no agent to spare there)",
    },
    "dg.no_skill": {"da": "ingen agent har kompetencen", "en": "no agent has this skill"},
    "dg.too_few_skilled": {
        "da": "kun {n} agenter har kompetencen; ",
        "en": "only {n} agents have the skill; ",
    },
    "dg.summary": {
        "da": "Underdækning {hours} agenttimer af {required} krævede ({percent} %) i "
        "{intervals} kø-intervaller{more}",
        "en": "Under-coverage {hours} agent-hours of {required} required ({percent} %) in "
        "{intervals} queue-intervals{more}",
    },
    "dg.summary_more": {
        "da": "; {n} perioder mere med underdækning er ikke vist",
        "en": "; {n} more short runs not listed",
    },
    "dg.week": {"da": "uge {week} {year}", "en": "week {week} {year}"},
    "dg.none": {"da": "ingen", "en": "none"},
    "dg.and": {"da": " og ", "en": " and "},
    "dg.limit.shift": {"da": "højst {hours} timer pr. vagt", "en": "at most {hours} h a shift"},
    "dg.limit.earliest": {"da": "tidligst start {time}", "en": "earliest start {time}"},
    "dg.limit.latest": {"da": "senest slut {time}", "en": "latest end {time}"},
    "dg.limit.days": {"da": "højst {n} dage om ugen", "en": "at most {n} days a week"},
    "dg.bound.at_most": {"da": "højst", "en": "at most"},
    "dg.bound.at_least": {"da": "mindst", "en": "at least"},
    "dg.impossible_agent": {
        "da": "Medarbejder {agent} kan ikke planlægges efter kontrakten i {week}: {target} "
        "timer skal planlægges (kontrakt {contract} timer om ugen), men {bound} {possible} "
        "timer er mulige med {available} ledige dage af {days} ({names}) og {limits}; "
        "planlagt {possible} timer",
        "en": "Agent {agent} cannot be planned as the contract says in {week}: {target} h to "
        "plan (contract {contract} h a week) but {bound} {possible} h are possible with "
        "{available} available day(s) of {days} ({names}) and {limits}; planned {possible} h",
    },
    "dg.agent_without_queue": {
        "da": "Medarbejder {agent} har ingen kompetence i bemandingsbehovets køer "
        "(kompetencer: {skills}); medarbejderens telefontid kan ikke dække noget",
        "en": "Agent {agent} has no skill on any queue of the requirements (skills: {skills}); "
        "their phone time cannot cover anything",
    },
    "dg.queue_without_agents": {
        "da": "{queue}: ingen agent har kompetencen, så køens {hours} krævede agenttimer kan "
        "ikke dækkes; giv nogle agenter kompetencen",
        "en": "{queue}: no agent has this skill, so its {hours} required agent-hours cannot be "
        "covered; add the skill to some agents",
    },
    "dg.calendar": {
        "da": "{day}: kalenderen siger, at centret er lukket, men bemandingsbehovet har rækker; "
        "dagen planlægges efter bemandingsbehovet",
        "en": "{day}: the calendar says the centre is closed, but the requirements have rows; "
        "the day is planned from the requirements",
    },
    "dg.meeting_stay": {
        "da": "{meeting} for team {team} {day} {start}-{end}: {agent} bliver i telefonen, "
        "så {left}",
        "en": "{meeting} for team {team} {day} {start}-{end}: {agent} stays on the phone so "
        "that {left}",
    },
    "dg.stay.teams": {
        "da": "ingen kø eller intet team står uden agent",
        "en": "no queue or team is left without an agent",
    },
    "dg.stay.queues": {
        "da": "ingen kø står uden agent",
        "en": "no queue is left without an agent",
    },
    "dg.missed_meeting": {
        "da": "{meeting} for {who} i {week} blev ikke planlagt: {why}",
        "en": "{meeting} for {who} in {week} was not planned: {why}",
    },
    "dg.who.team": {"da": "team {name}", "en": "team {name}"},
    "dg.who.agent": {"da": "medarbejder {name}", "en": "agent {name}"},
    "dg.why.no_time": {
        "da": "der er ingen tid uden for de blokerede timer, hvor alle deltagere er på arbejde",
        "en": "no time outside the blocked hours when all attendees are on shift",
    },
    "dg.why.no_position": {
        "da": "intet muligt tidspunkt: deltagerne er på ferie, uden for de tilladte dage, eller "
        "de blokerede timer giver ikke plads i deres vagter",
        "en": "no possible time: attendees on holiday, outside the allowed days, or the "
        "blocked hours leave no room in their shifts",
    },
    "dg.note.no_lp": {
        "da": "Tidsgrænsen på {limit} s gav ikke tid til at løse den lineære model for {agents} "
        "agenter; planen er lagt agent for agent (en længere tidsgrænse giver optimeringen "
        "tid til at forbedre den)",
        "en": "The time limit of {limit} s left no time to solve the LP of {agents} agents; "
        "the plan is constructed agent by agent (a longer time limit gives the optimizer "
        "time to improve it)",
    },
    "dg.note.improved_nothing": {
        "da": "{solver} forbedrede intet inden for tidsgrænsen; dette er den afrundede plan "
        "(en længere tidsgrænse giver løseren tid til at forbedre den)",
        "en": "{solver} improved nothing within the time limit; this is the rounded plan "
        "(a longer time limit gives the solver time to improve it)",
    },
    "dg.note.other_solver": {
        "da": "{solver} er ikke tilgængelig her eller fandt ingen plan i sin tid; løst med "
        "{used} i stedet",
        "en": "{solver} is not available here or found no plan in its time; solved with "
        "{used} instead",
    },
    "dg.note.program_skipped": {
        "da": "Heltalsprogrammet ({solver}) blev sprunget over: tidsgrænsen på {limit} s gav "
        "ikke tid til at {what} det for {agents} agenter; dette er den afrundede plan (møder "
        "og ophold i telefonen er lagt ved afrunding; en længere tidsgrænse lader løseren "
        "forbedre den)",
        "en": "The integer program ({solver}) was skipped: the time limit of {limit} s left no "
        "time for it to be {what} for {agents} agents; this is the rounded plan (meetings "
        "placed and stays set by rounding; a longer time limit lets the solver improve it)",
    },
    "dg.note.search_failed": {
        "da": "Den parallelle søgning gav ingen plan ({why}); planen er den første søgnings",
        "en": "The search side by side gave no plan ({why}); this is the first search's plan",
    },
    "dg.search_why.late": {"da": "ikke færdig inden tidsgrænsen", "en": "not done by the limit"},
    "dg.search_why.error": {"da": "den stoppede med en fejl", "en": "it stopped with an error"},
    "dg.what.built": {"da": "bygge", "en": "built"},
    "dg.what.solved": {"da": "løse", "en": "solved"},
    "dg.note.no_plan": {
        "da": "{solver} fandt ingen plan inden for {limit} s; giv mere tid, eller planlæg færre "
        "medarbejdere eller dage ad gangen",
        "en": "{solver} found no plan within {limit} s; give it more time or plan fewer agents "
        "or days at once",
    },
    "dg.note.rounded_kept": {
        "da": "Planen fra {solver} inden for tidsgrænsen var dårligere end den afrundede plan, "
        "den startede fra; den afrundede plan er beholdt",
        "en": "{solver}'s plan in the time limit was worse than the rounded plan it started "
        "from; the rounded plan is kept",
    },
    "dg.note.start_kept": {
        "da": "Genoptimeringen fandt ingen bedre plan end den nuværende inden for tidsgrænsen; "
        "den nuværende plan er beholdt",
        "en": "The re-optimization found no plan better than the current one in its time; the "
        "current plan is kept",
    },
    "dg.note.unexplained": {
        "da": "Tidsgrænsen på {limit} s gav ikke tid til at forklare {what}; en længere "
        "tidsgrænse forklarer dem alle",
        "en": "The time limit of {limit} s left no time to explain {what}; a longer time limit "
        "explains them all",
    },
    "dg.unexplained.team_runs": {
        "da": "{n} perioder mere, hvor et team ikke var i telefonen",
        "en": "{n} more runs of a team off the phone",
    },
    "dg.unexplained.all_short": {"da": "perioderne med underdækning", "en": "the short runs"},
    "dg.unexplained.less_short": {
        "da": "perioderne, der mangler færre end {n} agenter",
        "en": "the runs less than {n} agents short",
    },
    "dg.unexplained.empty": {
        "da": "nogle perioder, hvor en kø ikke har nogen i telefonen",
        "en": "some runs of a queue with nobody on the phone",
    },
    "dg.unexplained.summary": {
        "da": " (oversigten tæller alle intervaller med underdækning)",
        "en": " (the summary counts every interval short)",
    },
    "dg.note.release_cut": {
        "da": "Tidsgrænsen på {limit} s afbrød frigivelsen af tid til andet arbejde: {blocks} "
        "blokke med andet arbejde er lagt; resten af den telefontid, behovet ikke kræver, "
        "bliver i telefonen (en længere tidsgrænse frigiver det hele)",
        "en": "The time limit of {limit} s cut the release of off-phone time short: {blocks} "
        "off-phone blocks placed; the rest of the phone time the requirement does not need "
        "stays on the phone (a longer time limit releases all of it)",
    },
    # the solver's progress while the roster is built (app_support.diagnosis.progress_text)
    "dg.progress.reading": {
        "da": "Læser bemandingsbehov og medarbejdere",
        "en": "Reading the requirements and agents",
    },
    "dg.progress.building": {
        "da": "Bygger modellen: {agents} agenter, {days} dage, {queues} køer",
        "en": "Building the model: {agents} agents, {days} days, {queues} queues",
    },
    "dg.progress.round": {
        "da": "Søger vagtplan: runde {round}, bedste {best}, grænse {bound}",
        "en": "Searching for a roster: round {round}, best {best}, bound {bound}",
    },
    "dg.progress.rounding": {
        "da": "Søger vagtplan: grænse {bound} efter {round} runder; afrunder",
        "en": "Searching for a roster: bound {bound} after {round} rounds; rounding",
    },
    "dg.progress.no_lp": {
        "da": "Ingen tid til den lineære model; lægger planen agent for agent",
        "en": "No time for the LP; constructing the plan agent by agent",
    },
    "dg.progress.greedy": {
        "da": "Lægger planen: {done} af {total} medarbejderuger",
        "en": "Constructing the plan: {done} of {total} agent-weeks",
    },
    "dg.progress.dive": {
        "da": "Afrunder: {done} af {total} medarbejderuger lagt fast",
        "en": "Rounding: {done} of {total} agent-weeks fixed",
    },
    "dg.progress.improve": {
        "da": "Forbedrer planen: {better} forbedringer, bedste {best}",
        "en": "Improving the plan: {better} better neighbourhoods, best {best}",
    },
    "dg.progress.program": {
        "da": "Løser heltalsprogrammet med {solver}",
        "en": "Solving the integer program with {solver}",
    },
    "dg.progress.program_best": {
        "da": "Løser heltalsprogrammet: bedste plan {best}, afstand {gap} %",
        "en": "Solving the integer program: best plan {best}, gap {gap} %",
    },
    "dg.progress.program_best_only": {
        "da": "Løser heltalsprogrammet: bedste plan {best}",
        "en": "Solving the integer program: best plan {best}",
    },
    "dg.progress.keep_rounded": {
        "da": "Ingen tid til heltalsprogrammet; beholder den afrundede plan",
        "en": "No time left for the integer program; keeping the rounded plan",
    },
    "dg.progress.read_back": {"da": "Læser vagtplanen ud", "en": "Reading the plan back"},
    "dg.progress.compare": {
        "da": "Sammenligner planerne fra {total} søgninger side om side",
        "en": "Comparing the plans of {total} searches side by side",
    },
    "dg.progress.other_kept": {
        "da": "Den parallelle søgnings plan er bedre ({best} mod {own}); den beholdes",
        "en": "The search side by side found the better plan ({best} against {own}); kept",
    },
    "dg.progress.status": {"da": "Færdig: {status}", "en": "Done: {status}"},
    "dg.progress.status.optimal": {"da": "optimal", "en": "optimal"},
    "dg.progress.status.feasible": {
        "da": "gyldig, ikke bevist optimal",
        "en": "valid, not proven optimal",
    },
    "dg.progress.status.no_solution": {"da": "ingen plan fundet", "en": "no plan found"},
    "dg.progress.working": {"da": "Arbejder …", "en": "Working …"},
    # table headers on screen (app_support.data.display_table; files keep the contract's names)
    "tbl.interval_start": {"da": "Tidspunkt", "en": "Interval start"},
    "tbl.start": {"da": "Start", "en": "Start"},
    "tbl.end": {"da": "Slut", "en": "End"},
    "tbl.date": {"da": "Dato", "en": "Date"},
    "tbl.queue": {"da": "Kø", "en": "Queue"},
    "tbl.model": {"da": "Model", "en": "Model"},
    "tbl.activity": {"da": "Aktivitet", "en": "Activity"},
    "tbl.scenario": {"da": "Scenarie", "en": "Scenario"},
    "tbl.missed": {"da": "Mål ikke nået", "en": "Goals missed"},
    "tbl.clear": {"da": "Klart under mål", "en": "Clearly missed"},
    "tbl.origins": {"da": "Afprøvninger", "en": "Trials"},
    "tbl.actual_calls": {"da": "Faktiske opkald", "en": "Actual calls"},
    "tbl.wape_interval": {"da": "WAPE pr. interval", "en": "WAPE per interval"},
    "tbl.wape_daily": {"da": "WAPE pr. dag", "en": "WAPE per day"},
    "tbl.bias": {"da": "Skævhed", "en": "Bias"},
    "tbl.mase_interval": {"da": "MASE pr. interval", "en": "MASE per interval"},
    "tbl.mase_daily": {"da": "MASE pr. dag", "en": "MASE per day"},
    "tbl.coverage_interval": {
        "da": "Inden for 80 %-intervallet (intervaller)",
        "en": "Inside the 80 % band (intervals)",
    },
    "tbl.coverage_daily": {
        "da": "Inden for 80 %-intervallet (dage)",
        "en": "Inside the 80 % band (days)",
    },
    "tbl.aht_wape": {"da": "WAPE samtaletid", "en": "Handle-time WAPE"},
    "tbl.aht_bias": {"da": "Skævhed samtaletid", "en": "Handle-time bias"},
    "tbl.agents": {"da": "Agenter i telefonen", "en": "Agents on the phone"},
    "tbl.agents_gross": {"da": "Agenter inkl. fravær", "en": "Agents incl. shrinkage"},
    "tbl.agents_lo": {"da": "Agenter, lav prognose", "en": "Agents, low forecast"},
    "tbl.agents_hi": {"da": "Agenter, høj prognose", "en": "Agents, high forecast"},
    "tbl.offered": {"da": "Opkald", "en": "Calls offered"},
    "tbl.offered_lo": {"da": "Opkald, nedre grænse", "en": "Calls, lower bound"},
    "tbl.offered_hi": {"da": "Opkald, øvre grænse", "en": "Calls, upper bound"},
    "tbl.answered": {"da": "Besvarede", "en": "Answered"},
    "tbl.abandoned": {"da": "Opgivne", "en": "Abandoned"},
    "tbl.abandoned_short": {"da": "Opgivet hurtigt", "en": "Abandoned early"},
    "tbl.transferred": {"da": "Viderestillede", "en": "Transferred"},
    "tbl.aht_seconds": {"da": "Samtaletid (s)", "en": "Handle time (s)"},
    "tbl.asa_seconds": {"da": "Gns. ventetid (s)", "en": "Average wait (s)"},
    "tbl.asa_seconds_lo": {"da": "Gns. ventetid, nedre (s)", "en": "Average wait, low (s)"},
    "tbl.asa_seconds_hi": {"da": "Gns. ventetid, øvre (s)", "en": "Average wait, high (s)"},
    "tbl.abandon_wait_seconds": {
        "da": "Ventetid før opgivelse (s)",
        "en": "Wait before abandoning (s)",
    },
    "tbl.traffic_erlangs": {"da": "Trafik (erlang)", "en": "Traffic (erlangs)"},
    "tbl.service_level": {"da": "Serviceniveau", "en": "Service level"},
    "tbl.service_level_lo": {"da": "Serviceniveau, nedre", "en": "Service level, low"},
    "tbl.service_level_hi": {"da": "Serviceniveau, øvre", "en": "Service level, high"},
    "tbl.answer_rate": {"da": "Svarprocent", "en": "Answer rate"},
    "tbl.answer_rate_lo": {"da": "Svarprocent, nedre", "en": "Answer rate, low"},
    "tbl.answer_rate_hi": {"da": "Svarprocent, øvre", "en": "Answer rate, high"},
    "tbl.abandon_rate": {"da": "Opgivne (%)", "en": "Abandoned (%)"},
    "tbl.fcr": {"da": "Straksafklaring", "en": "First-contact resolution"},
    "tbl.p_abandon": {"da": "Andel der opgiver", "en": "Share abandoning"},
    "tbl.p_wait": {"da": "Andel der venter", "en": "Share waiting"},
    "tbl.occupancy": {"da": "Belægning", "en": "Occupancy"},
    "tbl.required": {"da": "Behov", "en": "Required"},
    "tbl.staffed": {"da": "Planlagt", "en": "Staffed"},
    "tbl.shortfall": {"da": "Mangler", "en": "Short"},
    "tbl.agent_id": {"da": "Medarbejder", "en": "Agent"},
    "tbl.team": {"da": "Team", "en": "Team"},
    "tbl.skills": {"da": "Kompetencer", "en": "Skills"},
    "tbl.weekly_hours": {"da": "Timer/uge", "en": "Hours/week"},
    "tbl.earliest_start": {"da": "Tidligst start", "en": "Earliest start"},
    "tbl.latest_end": {"da": "Senest slut", "en": "Latest end"},
    "tbl.unavailable": {"da": "Fridage", "en": "Days off"},
    "tbl.preferences": {"da": "Ønsker", "en": "Wishes"},
    "tbl.base": {"da": "Basis", "en": "Base"},
    "tbl.the_plan": {"da": "planen som den er", "en": "the plan as it is"},
    "tbl.threshold": {"da": "Besvaret inden (s)", "en": "Answered within (s)"},
    "tbl.short_abandon": {"da": "Opgivet inden (s)", "en": "Abandoned within (s)"},
    "tbl.fact": {"da": "Oplysning", "en": "Fact"},
    "tbl.value": {"da": "Værdi", "en": "Value"},
    # facts saved with a version (Gemt arbejde: app_support.data.meta_table)
    "meta.source": {"da": "Kilde", "en": "Source"},
    "meta.anomalies": {"da": "Unormale dage", "en": "Anomalous days"},
    "meta.model": {"da": "Model", "en": "Model"},
    "meta.start": {"da": "Første dag", "en": "First day"},
    "meta.days": {"da": "Antal dage", "en": "Number of days"},
    "meta.week": {"da": "Uge", "en": "Week"},
    "meta.locks": {"da": "Låste vagter", "en": "Locked shifts"},
    "meta.check": {"da": "Kontrol", "en": "Check"},
    "meta.errors": {"da": "fejl", "en": "errors"},
    "meta.warnings": {"da": "bemærkninger", "en": "warnings"},
    "meta.restored_from": {"da": "Gendannet fra version", "en": "Restored from version"},
    "meta.answer_rate": {"da": "Svarprocent", "en": "Answer rate"},
    "meta.asa": {"da": "Gns. ventetid højst (s)", "en": "Average wait at most (s)"},
    "meta.service_level": {"da": "Serviceniveau", "en": "Service level"},
    "meta.threshold": {"da": "Besvaret inden (s)", "en": "Answered within (s)"},
    "meta.patience": {"da": "Kundens tålmodighed (s)", "en": "Caller patience (s)"},
    "meta.shrinkage": {"da": "Fravær og andet arbejde", "en": "Shrinkage"},
    "meta.agents": {"da": "Medarbejdere", "en": "Agents"},
    "meta.none": {"da": "ingen", "en": "none"},
    # the history's summary on the Data page (app_support.data.summary_text)
    "ds.head": {
        "da": "{name}: {queues} køer indlæst ({source}; {time_format})",
        "en": "{name}: {queues} queues read ({source}; {time_format})",
    },
    "ds.source.csv": {
        "da": "CSV, {encoding}, {sep}, decimaltegn '{dec}'",
        "en": "CSV, {encoding}, {sep}, decimal '{dec}'",
    },
    "ds.bom": {"da": "{encoding} med BOM", "en": "{encoding} with BOM"},
    "ds.sep": {"da": "adskilt af {sep}", "en": "{sep} separated"},
    "ds.sep.tab": {"da": "adskilt af tabulator", "en": "tab separated"},
    "ds.sep.none": {"da": "uden skilletegn", "en": "no separator"},
    "ds.source.xlsx": {"da": "Excel-projektmappe", "en": "Excel workbook"},
    "ds.source.parquet": {"da": "Parquet-fil", "en": "Parquet file"},
    "ds.time.iso": {"da": "ISO 8601 med tidsforskydning", "en": "ISO 8601 with offset"},
    "ds.time.naive": {"da": "lokal tid", "en": "naive local time"},
    "ds.time.values": {"da": "dato og tid som værdier", "en": "datetime values"},
    "ds.span": {
        "da": "Periode: {start} til {end} ({tz}), {days} dage med data",
        "en": "Span: {start} to {end} ({tz}), {days} days with data",
    },
    "ds.interval": {
        "da": "Interval: {minutes} minutter ({how})",
        "en": "Interval: {minutes} minutes ({how})",
    },
    "ds.inferred": {"da": "udledt af data", "en": "inferred"},
    "ds.given": {"da": "angivet", "en": "given"},
    "ds.rows": {
        "da": "Rækker: {read} læst, {loaded} indlæst; {calls} tilbudte opkald",
        "en": "Rows: {read} read, {loaded} loaded; {calls} calls offered",
    },
    "ds.columns": {"da": "Kolonner: {columns}", "en": "Columns: {columns}"},
    "ds.renamed": {"da": "Omdøbt: {renamed}", "en": "Renamed: {renamed}"},
    "ds.renamed_one": {"da": "'{old}' som {new}", "en": "'{old}' as {new}"},
    "ds.filled": {
        "da": "Udfyldt: {n} manglende intervaller i åbningstiden på dage med data er talt som "
        "0 opkald",
        "en": "Filled: {n} missing intervals inside opening hours of days with data counted as "
        "0 calls",
    },
    "ds.missing": {
        "da": "Mangler: {n} intervaller i åbningstiden på dage med data har ingen række (ikke "
        "udfyldt)",
        "en": "Missing: {n} intervals inside opening hours of days with data have no row (not "
        "filled)",
    },
    "ds.gaps": {
        "da": "Huller: {n} åbne kø-dage uden data (ikke udfyldt): {days}",
        "en": "Gaps: {n} open queue-days with no data (not filled): {days}",
    },
    "ds.no_gaps": {"da": "Huller: ingen", "en": "Gaps: none"},
    "ds.anomalies": {
        "da": "Unormale dage: {days} udeladt ({rows}, {calls}): {dates}",
        "en": "Anomalies: {days} left out ({rows}, {calls}): {dates}",
    },
    "ds.n.day.one": {"da": "{n} dag", "en": "{n} day"},
    "ds.n.day.many": {"da": "{n} dage", "en": "{n} days"},
    "ds.n.row.one": {"da": "{n} række", "en": "{n} row"},
    "ds.n.row.many": {"da": "{n} rækker", "en": "{n} rows"},
    "ds.n.call.one": {"da": "{n} opkald", "en": "{n} call"},
    "ds.n.call.many": {"da": "{n} opkald", "en": "{n} calls"},
    "ds.no_anomalies": {"da": "Unormale dage: ingen markeret", "en": "Anomalies: none marked"},
    "ds.warning": {"da": "Advarsel: {text}", "en": "Warning: {text}"},
    "ds.more": {"da": " og {n} flere", "en": " and {n} more"},
    "ds.closed_days": {
        "da": "{rows} ({calls}) falder på {days}, hvor kalenderen har lukket, {busy} med "
        "opkald: {examples}; beholdt (markér fejl som unormale dage for at udelade dem)",
        "en": "{rows} ({calls}) fall on {days} the calendar has closed, {busy} with calls: "
        "{examples}; kept (mark faults as anomalies to leave them out)",
    },
    "ds.closed_example": {"da": "{day} ({reason}, {calls})", "en": "{day} ({reason}, {calls})"},
    "ds.closed.weekend": {"da": "weekend", "en": "weekend"},
    "ds.closed.closed_weekday": {"da": "lukket ugedag", "en": "closed weekday"},
    # a scenario's changes in words (app_support.plan.describe_scenario)
    "scx.sick.one": {"da": "{agents} syg {days}", "en": "{agents} sick on {days}"},
    "scx.sick.many": {"da": "{agents} syge {days}", "en": "{agents} sick on {days}"},
    "scx.remove": {"da": "uden medarbejder {agent}{since}", "en": "without agent {agent}{since}"},
    "scx.since": {"da": " fra {day}", "en": " from {day}"},
    "scx.hire": {
        "da": "ny medarbejder {agent} ({skills}) fra {day}{like}",
        "en": "new agent {agent} ({skills}) from {day}{like}",
    },
    "scx.like": {"da": " på {agent}s vagter", "en": " on {agent}'s shifts"},
    "scx.volume": {"da": "opkald ×{factor}{where}", "en": "volume ×{factor}{where}"},
    "scx.calls": {"da": "+{calls} opkald{where}", "en": "+{calls} calls{where}"},
    "scx.aht": {"da": "samtaletid ×{factor}{where}", "en": "handle time ×{factor}{where}"},
    "scx.goals": {"da": "mål: {goals}", "en": "goals: {goals}"},
    "scx.on_queue": {"da": " på {queue}", "en": " on {queue}"},
    "scx.span": {"da": " {start} til {end}", "en": " {start} to {end}"},
    "scx.no_change": {"da": "ingen ændring", "en": "no change"},
    "scx.rerostered": {"da": "; ny vagtplan lagt", "en": "; re-rostered"},
    # forecast events in words (app_support.data.event_text)
    "fcx.event": {
        "da": "{name} ({kind}): {size} på {queues}, {span}",
        "en": "{name} ({kind}): {size} on {queues}, {span}",
    },
    "fcx.calls": {"da": "{calls} opkald", "en": "{calls} calls"},
    "fcx.span": {"da": "{start} til {end}", "en": "{start} to {end}"},
    "fcx.from": {"da": "fra {start}", "en": "from {start}"},
    "fcx.all_queues": {"da": "alle køer", "en": "all queues"},
    # report periods (Rapport page)
    "rpx.week": {"da": "Uge {week} {year}", "en": "Week {week} {year}"},
    "rpx.quarter": {"da": "{quarter}. kvartal {year}", "en": "Q{quarter} {year}"},
    "rpx.month.1": {"da": "januar", "en": "January"},
    "rpx.month.2": {"da": "februar", "en": "February"},
    "rpx.month.3": {"da": "marts", "en": "March"},
    "rpx.month.4": {"da": "april", "en": "April"},
    "rpx.month.5": {"da": "maj", "en": "May"},
    "rpx.month.6": {"da": "juni", "en": "June"},
    "rpx.month.7": {"da": "juli", "en": "July"},
    "rpx.month.8": {"da": "august", "en": "August"},
    "rpx.month.9": {"da": "september", "en": "September"},
    "rpx.month.10": {"da": "oktober", "en": "October"},
    "rpx.month.11": {"da": "november", "en": "November"},
    "rpx.month.12": {"da": "december", "en": "December"},
    # -- end of Danish sweep (issue 13.6)
    # -- comparing roster versions (issue 13.5) ------------------------------------------------
    "saved.publish_ack": {
        "da": "Jeg har set kontrollens advarsler for denne version",
        "en": "I have seen the check's warnings for this version",
    },
    "cmp.title": {
        "da": "Sammenlign version {version} med en anden version",
        "en": "Compare version {version} with another version",
    },
    "cmp.against": {"da": "Sammenlign med", "en": "Compare with"},
    "cmp.summary": {
        "da": "Ændrede vagter fra version {old} til version {new}: {count} "
        "(version {new} gemt af {user} {when}).",
        "en": "Shifts changed from version {old} to version {new}: {count} "
        "(version {new} saved by {user} {when}).",
    },
    "cmp.not_a_roster": {
        "da": "Disse versioner har ikke en vagtplans kolonner og kan ikke sammenlignes vagt for "
        "vagt.",
        "en": "These versions lack a roster's columns and cannot be compared shift by shift.",
    },
    "cmp.change": {"da": "Ændring", "en": "Change"},
    "cmp.changed": {"da": "Ændret", "en": "Changed"},
    "cmp.added": {"da": "Ny vagt", "en": "New shift"},
    "cmp.removed": {"da": "Fjernet", "en": "Removed"},
    "cmp.before": {"da": "Version {version}", "en": "Version {version}"},
    "cmp.after": {"da": "Version {version}", "en": "Version {version}"},
    "ro.quick_estimate": {
        "da": "Hurtigt skøn efter din ændring: Erlang A pr. interval (førstegangsløsning fra "
        "sidste simulering). Simulér ugen for de tal, rapporten og Scenarier viser.",
        "en": "Quick estimate after your edit: Erlang A per interval (first-contact resolution "
        "from the last simulation). Simulate the week for the figures the report and "
        "Scenarios show.",
    },
    "ro.simulate_now": {"da": "Simulér ugen", "en": "Simulate the week"},
    # -- Medarbejdere page (issue 13.4) --------------------------------------------------------
    "nav.agents": {"da": "Medarbejdere", "en": "Agents"},
    "kind.agents": {"da": "Medarbejdere", "en": "Agents"},
    "ag.title": {"da": "Medarbejdere", "en": "Agents"},
    "ag.tab_table": {"da": "Tabel", "en": "Table"},
    "ag.tab_absence": {"da": "Fravær", "en": "Absence"},
    "ag.tab_files": {"da": "Gem, hent og filer", "en": "Save, open and files"},
    "ag.source_default": {
        "da": "I brug: standardholdet ({label}), {agents} medarbejdere, {hours} timer om ugen.",
        "en": "In use: the default team ({label}), {agents} agents, {hours} hours a week.",
    },
    "ag.source_file": {
        "da": "I brug: indlæst fra {label}, {agents} medarbejdere, {hours} timer om ugen.",
        "en": "In use: imported from {label}, {agents} agents, {hours} hours a week.",
    },
    "ag.source_saved": {
        "da": "I brug: gemt som {label}, {agents} medarbejdere, {hours} timer om ugen.",
        "en": "In use: saved as {label}, {agents} agents, {hours} hours a week.",
    },
    "ag.source_edited": {
        "da": "I brug: rettet her (fra {label}), {agents} medarbejdere, {hours} timer om ugen.",
        "en": "In use: edited here (from {label}), {agents} agents, {hours} hours a week.",
    },
    "ag.editor_intro": {
        "da": "Ret direkte i tabellen; tilføj en række nederst, slet ved at markere rækken. "
        "Gyldige ændringer bruges straks af Vagtplan og Scenarier.",
        "en": "Edit the table directly; add a row at the bottom, delete by selecting the row. "
        "Valid changes are used at once by Roster and Scenarios.",
    },
    "ag.col.agent_id": {"da": "Medarbejder", "en": "Agent"},
    "ag.col.team": {"da": "Team", "en": "Team"},
    "ag.col.skills": {"da": "Køer (kompetencer)", "en": "Queues (skills)"},
    "ag.col.weekly_hours": {"da": "Timer/uge", "en": "Hours/week"},
    "ag.col.earliest_start": {"da": "Tidligst start", "en": "Earliest start"},
    "ag.col.latest_end": {"da": "Senest slut", "en": "Latest end"},
    "ag.col.unavailable": {"da": "Fridage (datoer)", "en": "Days off (dates)"},
    "ag.col.preferences": {"da": "Ønsker", "en": "Wishes"},
    "ag.help.agent_id": {
        "da": "Navn, initialer eller et pseudonym. Ikke CPR-nummer, telefonnummer eller "
        "e-mail: de bruges ikke til en vagtplan og afvises.",
        "en": "Name, initials or a pseudonym. Not a CPR number, phone number or e-mail "
        "address: a roster does not need them, and they are refused.",
    },
    "ag.help.skills": {
        "da": "De køer medarbejderen kan tage; den første er den primære.",
        "en": "The queues the agent can serve; the first is the primary one.",
    },
    "ag.help.clock": {
        "da": "Klokkeslæt som 08:00, eller tom.",
        "en": "A time like 08:00, or empty.",
    },
    "ag.help.unavailable": {
        "da": "Datoer adskilt af ; (2026-12-24;2026-12-31). Lettest under Fravær.",
        "en": "Dates separated by ; (2026-12-24;2026-12-31). Easiest under Absence.",
    },
    "ag.help.preferences": {
        "da": "Ønsker adskilt af ;, fx early;fri_off. Former: {forms}.",
        "en": "Wishes separated by ;, e.g. early;fri_off. Forms: {forms}.",
    },
    "ag.invalid_kept": {
        "da": "Ændringen er ikke i brug: den sidste gyldige tabel ({agents} medarbejdere) "
        "bruges stadig. Ret feltet, så bruges tabellen igen.",
        "en": "This change is not in use: the last valid table ({agents} agents) still is. "
        "Correct the cell and the table is used again.",
    },
    "ag.unsaved": {
        "da": "Ikke gemt: {count} medarbejdere ændret siden sidst gemt.",
        "en": "Unsaved: {count} agents changed since the last save.",
    },
    "ag.no_agents": {"da": "Ingen medarbejdere i tabellen.", "en": "No agents in the table."},
    "ag.agent": {"da": "Medarbejder", "en": "Agent"},
    "ag.absence_range": {
        "da": "Fravær fra og med - til og med",
        "en": "Absence from - to (inclusive)",
    },
    "ag.weekdays_only": {"da": "Kun hverdage", "en": "Weekdays only"},
    "ag.absence_add": {"da": "Registrér fravær ({days} dage)", "en": "Add absence ({days} days)"},
    "ag.absence_added": {
        "da": "{agent}: {days} fraværsdage registreret.",
        "en": "{agent}: {days} days of absence added.",
    },
    "ag.absence_of": {"da": "Fravær for {agent}", "en": "Absence of {agent}"},
    "ag.absence_none": {"da": "Intet fravær registreret.", "en": "No absence registered."},
    "ag.absence_remove_pick": {"da": "Fjern fraværsdage", "en": "Remove days of absence"},
    "ag.absence_remove": {"da": "Fjern {days} dage", "en": "Remove {days} days"},
    "ag.import": {"da": "Indlæs en medarbejderfil", "en": "Import an agents file"},
    "ag.upload": {"da": "Medarbejderfil (CSV eller Excel)", "en": "Agents file (CSV or Excel)"},
    "ag.upload_help": {
        "da": "Kolonner: agent_id, team, skills, weekly_hours og evt. earliest_start, "
        "latest_end, unavailable, preferences.",
        "en": "Columns: agent_id, team, skills, weekly_hours and optionally earliest_start, "
        "latest_end, unavailable, preferences.",
    },
    "ag.import_button": {"da": "Brug filen", "en": "Use the file"},
    "ag.kept": {
        "da": "Filen er ikke indlæst; tabellen i brug ({agents} medarbejdere) er uændret.",
        "en": "The file was not imported; the table in use ({agents} agents) is unchanged.",
    },
    "ag.export": {"da": "Hent tabellen", "en": "Download the table"},
    "ag.download_csv": {"da": "Hent CSV", "en": "Download CSV"},
    "ag.download_excel": {"da": "Hent Excel", "en": "Download Excel"},
    "ag.save": {"da": "Gem i databasen", "en": "Save in the database"},
    "ag.open": {"da": "Åbn en gemt version", "en": "Open a saved version"},
    "ag.open_button": {"da": "Brug denne version", "en": "Use this version"},
    # == end of Vagtplan and Scenarier pages ==
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


def short_date(day: dt.date, lang: str = DEFAULT_LANGUAGE) -> str:
    """A day as planners write it: ``man. 23/11`` in Danish, ``Mon 23/11`` in English.

    >>> short_date(dt.date(2026, 11, 23)), short_date(dt.date(2026, 11, 29), "en")
    ('man. 23/11', 'Sun 29/11')
    """
    return f"{t(f'wk.weekday.{day.weekday()}', lang)} {day.day}/{day.month}"


def number(value: float, digits: int | None = 1, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number in the language's style: ``1.234,5`` in Danish, ``1,234.5`` in English.

    ``digits``: the decimals shown; None shows as many as the value needs (at most six,
    trailing zeros dropped). Never ``-0``.

    >>> number(1234.5, 1), number(1234.5, 1, "en"), number(1.15, None), number(-0.04, 1)
    ('1.234,5', '1,234.5', '1,15', '0,0')
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    if digits is None:
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{digits}f}"
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(fraction: float, digits: int = 1, lang: str = DEFAULT_LANGUAGE) -> str:
    """A share as a percentage in the language's style: ``92,3 %`` (Danish), ``92.3 %``.

    >>> percent(0.923), percent(0.923, 1, "en"), percent(0.5, 0)
    ('92,3 %', '92.3 %', '50 %')
    """
    return f"{number(fraction * 100.0, digits, lang)} %"
