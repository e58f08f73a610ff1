"""效能监控: the service-efficiency monitor area (docs/efficiency-desk.md)."""

from desktop.efficiency.area import EfficiencyMonitor

__all__ = ["EfficiencyMonitor"]
