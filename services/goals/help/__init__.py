"""Help requests: an off-track or low-confidence check-in (or a person, by hand) asks the
people who can help; they offer help, and the one who asked resolves it."""
