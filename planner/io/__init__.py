"""Files in and out: one reader (and writer) per data contract, checked at the door.

`tables` (CSV/Excel/Parquet by content, DST-safe times), `pii` (personal data refused),
`history`, `forecast`, `agents`, `rules`, `requirements`, `roster`, `scenarios` (readers),
`exports` (roster as Excel, CSV, iCalendar) and `report_export` (reports as Excel/PDF).
Every bad file raises `planner.errors.InputError` naming the file, row and column.
"""
