"""The GraphQL types, one module per service, written by hand (not mirrored from the services'
pydantic contracts)."""
