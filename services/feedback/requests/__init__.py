"""Feedback requests: ask people for feedback on a topic; each answer fulfils one part."""
