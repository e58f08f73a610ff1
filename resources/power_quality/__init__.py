"""Power-quality limits and warning rules (data; read by domain.power_quality)."""
