"""Push, pull, change log and live events of the sync protocol."""
