"""Action plans: what a team stops, continues and starts after a round's report."""
