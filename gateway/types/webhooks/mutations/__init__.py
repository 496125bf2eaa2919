"""The webhook mutations: subscriptions (create, update, enable, disable, rotate the secret) and
deliveries (resend, recover, send a test event)."""
