"""`./inspire bench`: a generated organisation, the real processes, `wrk`, and the figures of
issue 9 side by side with a raw asyncpg baseline measured in the same run."""
