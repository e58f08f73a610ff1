"""The utility's rules, shared by desk and backend: pure Python, no Qt, no database, no network."""
