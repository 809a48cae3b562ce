"""Read-only queries behind the pages; each returns plain data a template, JSON or CSV can show."""
