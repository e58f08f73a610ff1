"""The business catalogue as data: ticket types, fields, materials, limits and workflows (TOML)."""
