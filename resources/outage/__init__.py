"""Outage management as data: the call-clustering rule and the emergency linkage plans (TOML)."""
