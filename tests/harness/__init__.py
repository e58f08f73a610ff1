"""The one test harness for real servers: ports, server processes, embedded servers, databases, clocks.

- ports:      free_port(), dead_url()
- processes:  ServerProcess (a `backend.cli serve` subprocess on loopback: start, stop, SIGKILL, restart),
              start_server(db, log_dir) for a prepared database
- embedded:   DemoTemplate (the demo office seeded once a session, an in-process server per copy)
- databases:  new_database / fresh_database (SQLite file or PostgreSQL database), prepare, create_users
- clocks:     FixedClock, TickingClock, set_server_clock, DESK_EPOCH
- waiting:    wait_until(condition) instead of fixed sleeps

See README.md in this folder for which fixture to use when.
"""
