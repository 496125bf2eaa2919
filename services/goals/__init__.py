"""Goals: OKR cycles, objectives, key results and check-ins, for focus and alignment."""
