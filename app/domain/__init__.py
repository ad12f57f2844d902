"""Rules of the service in plain Python: no Flask, no database session. Each takes the
person acting and "today" as arguments, so tests can pin them down."""
