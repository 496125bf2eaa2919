"""Check-ins: where a key result stands, how confident its author is and how they judge it;
and which key results are due for one."""
