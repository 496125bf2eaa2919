"""Delivery of webhooks: signing, the SSRF guard, one attempt, the retry schedule and the
dispatcher loop. It knows no table: the service hands it jobs through `dispatch.Queue`."""
