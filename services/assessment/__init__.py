"""Assessment instruments: the question banks of maturity, trust and needs surveys, as data."""
