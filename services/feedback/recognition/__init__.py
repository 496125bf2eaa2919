"""Recognition: public praise tagged with the company's values, reactions, learnings recognised."""
