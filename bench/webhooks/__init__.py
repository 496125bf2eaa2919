"""Benchmarks of webhook delivery, run on their own (`python -m bench.webhooks`)."""
