"""The development stack's webhook receiver: what a subscriber runs, in a few lines. It
verifies each delivery's signature with the Standard Webhooks reference library and prints
the event types it got, so that a developer sees webhooks arrive (`inspire dev` starts it and
subscribes it to every event)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

import uvicorn
from fastapi import FastAPI, Request, Response

SECRET_VARIABLE = "INSPIRE_DEV_RECEIVER_SECRET"  # noqa: S105  # the variable's name
PATH = "/webhooks"


def receiver_app(secret: str) -> FastAPI:
    # A development and test dependency only: `inspire serve` never imports it.
    from standardwebhooks import Webhook, WebhookVerificationError

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    verifier = Webhook(secret)
    app.state.received = []

    @app.post(PATH)
    async def receive(request: Request) -> Response:
        body = await request.body()
        try:
            event = verifier.verify(body, dict(request.headers))
        except WebhookVerificationError as error:
            print(f"webhook refused: {error}", flush=True)
            return Response(status_code=400)
        app.state.received.append(event["type"])
        print(f"webhook {request.headers['webhook-id']}: {event['type']}", flush=True)
        return Response(status_code=204)

    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args(argv)
    app = receiver_app(os.environ[SECRET_VARIABLE])
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
