"""Key results: six kinds, their figures, their progress explained and the pace their cycle
expects."""
