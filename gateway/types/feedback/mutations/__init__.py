"""The feedback mutations, one module per area."""
