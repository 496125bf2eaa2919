"""`python -m bench.webhooks`: deliveries per second from the dispatcher to a local receiver."""

from bench.webhooks.delivery import main

raise SystemExit(main())
