"""Nominations: in a period, each person names the colleague who helped them most; revealed at
close, anonymously and only for nominees named at least twice."""
