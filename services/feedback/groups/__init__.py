"""Accountability groups: small self-organised groups that hold each other to commitments."""
