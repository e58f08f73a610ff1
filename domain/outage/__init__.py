"""Outage management (抢修联动): the grid, outage events, call clustering and the emergency linkage plan."""
