"""Drafting together: an objective is agreed when its owner and the owner's manager have both
signed it; comments while it is drafted."""
