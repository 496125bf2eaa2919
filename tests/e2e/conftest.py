# The kit's test service doubles as a service that keeps an org copy.
from tests.kit.conftest import fresh_toy, toy_template

__all__ = ["fresh_toy", "toy_template"]
