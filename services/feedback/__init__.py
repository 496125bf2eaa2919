"""Feedback between people: praise and suggestions, seen only by whom the giver chose."""
