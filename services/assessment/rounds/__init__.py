"""Rounds: an instrument sent to an audience, its participation and its anonymous responses."""
