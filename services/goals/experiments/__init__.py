"""Experiments on key results and the learnings they leave, searchable across the
organisation."""
