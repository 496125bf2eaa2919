"""The goals mutations, one module per area, each with its inputs, payloads and error types."""
