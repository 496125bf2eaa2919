"""The alignment graph of the goals service: objectives supporting other objectives or their
key results (with weights and roll-up), and dependencies between owners' objectives."""
