"""The GraphQL types by service, written by hand (not mirrored from the services' pydantic
contracts): a package per service, laid out as `goals/` is (`people.py` is still one small
module)."""
