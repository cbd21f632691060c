"""The history of sessions: what was done, kept in SQLite, and shown back.

- `model`: the records as plain data (a session, its exercises) and `Past`, what
  a session is told of the ones before it;
- `store`: the database (its place, schema, migrations, one short transaction
  per write) and its one-line errors;
- `recorder`: follows a session's events and writes them as they happen;
- `report`: pure summaries for `coach history stats` (totals, streaks, minutes
  per day);
- `cli`: `coach history` and `coach history stats`.

What the coach says about the history ("how did I do", a new longest hold) is
worked out in `voice.coaching.recap`, from the `Past` it is given.
"""
