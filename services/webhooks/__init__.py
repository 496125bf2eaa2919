"""Outbound webhooks: an event log, subscriptions and signed, retried deliveries."""
