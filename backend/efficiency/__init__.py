"""The service-efficiency monitor (issue 15): indicator facts kept as changes apply, rebuilt on demand,
and read per office (supervisor) or across a prefecture (manager). See docs/efficiency.md."""
