"""The assessment mutations, one module per area."""
