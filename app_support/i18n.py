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

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "TEXTS", "t", "check_texts", "short_date"]

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
        "afstand til den beviste grænse {gap}. Mere tid giver en bedre plan.",
        "en": "Roster built in {seconds} s ({status}). The best possible plan would answer at "
        "most {calls} more calls (or the equivalent in fairness and wishes); gap to the "
        "proven bound {gap}. More time gives a better plan.",
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
    "ro.kpi_simulating": {"da": "Simulerer ugen …", "en": "Simulating the week …"},
    "ro.kpi_help": {
        "da": "Ugen simuleret {runs} gange (frø {seed}) med agenterne, som de er planlagt og "
        "uddannet: de samme tal som Scenarier-sidens basis, rapporten fra «vagtplan plan» og "
        "«vagtplan simulate» for samme vagtplan og prognose. Mål: svarprocent ≥ {goal_ar} %, "
        "gns. ventetid ≤ {goal_asa} s. Underdækning pr. interval er Erlang A's hurtige skøn.",
        "en": "The week simulated {runs} times (seed {seed}) with the agents as planned and "
        "skilled: the same figures as the Scenarier page's base, the report of “vagtplan "
        "plan” and “vagtplan simulate” for the same roster and forecast. Goals: answer rate "
        "≥ {goal_ar} %, average wait ≤ {goal_asa} s. Intervals short are Erlang A's quick "
        "estimate.",
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


_SHORT_WEEKDAYS = {
    "da": ("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def short_date(day: dt.date, lang: str = DEFAULT_LANGUAGE) -> str:
    """A day as planners write it: ``man. 23/11`` in Danish, ``Mon 23/11`` in English.

    >>> short_date(dt.date(2026, 11, 23)), short_date(dt.date(2026, 11, 29), "en")
    ('man. 23/11', 'Sun 29/11')
    """
    if lang not in _SHORT_WEEKDAYS:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    return f"{_SHORT_WEEKDAYS[lang][day.weekday()]} {day.day}/{day.month}"
