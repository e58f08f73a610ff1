"""电能质量: important customers' power quality on the desk (docs/power-quality.md)."""

from desktop.power_quality.area import PowerQualityArea

__all__ = ["PowerQualityArea"]
