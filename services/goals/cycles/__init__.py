"""Cycles: their course (planning → active → closed), closing with final scores and
retrospectives, and their report by team."""
