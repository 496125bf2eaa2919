"""Weekly check-ins: the five-minute weekly conversation between a person and their manager."""
