"""The gateway's app: GraphQL on `/graphql` (a plain ASGI app, for speed), the GraphiQL page with
its assets served from here, health checks; and the spec the `inspire` command runs it by."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope
from strawberry.asgi import GraphQL

from gateway.clients import Clients, open_clients
from gateway.config import GatewaySettings
from gateway.context import Context, build_context
from gateway.schema import schema
from kit.api import ServiceSpec
from kit.auth import TokenVerifier
from kit.edge import BodySizeLimit
from kit.errors import install_error_handlers
from kit.observability import RequestContextMiddleware

HERE = Path(__file__).parent
GRAPHIQL_PAGE = (HERE / "templates" / "graphiql.html").read_text(encoding="utf-8")
# The page loads only what this server serves: nothing from a CDN, no inline script.
GRAPHIQL_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


class GatewayGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with our context and our offline GraphiQL page."""

    def __init__(self, settings: GatewaySettings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            # Subscriptions come with the event feeds; until then, no websocket endpoint.
            subscription_protocols=(),
        )
        self.verifier = TokenVerifier(settings.auth)
        self.clients: Clients | None = None

    async def get_context(self, request: HTTPConnection, response: Response | object) -> Context:
        if self.clients is None:
            raise RuntimeError("the gateway's clients are opened by its lifespan")
        sub_response = response if isinstance(response, Response) else None
        return await build_context(request, sub_response, self.clients, self.verifier)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(
            GRAPHIQL_PAGE,
            headers={"Content-Security-Policy": GRAPHIQL_POLICY, "Cache-Control": "no-cache"},
        )


class GraphQLRoute(Route):
    """Names itself in the request's scope, as FastAPI's routes do, so that the request log and
    metrics say `/graphql` rather than `unmatched`."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match != Match.NONE:
            child_scope["route"] = self
        return match, child_scope


def create_app(settings: GatewaySettings, clients: Clients | None = None) -> FastAPI:
    """The gateway; `clients` are given by tests (pointed at service apps), else the lifespan
    opens one pooled client per service and closes them at shutdown."""
    graphql = GatewayGraphQL(settings)
    graphql.clients = clients

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if clients is not None:
            yield
            return
        async with open_clients(settings) as opened:
            graphql.clients = opened
            try:
                yield
            finally:
                graphql.clients = None

    app = FastAPI(
        title="Inspire gateway",
        description="GraphQL over the Inspire services.",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        # A redirect would echo the request's `Host` into `Location`: a path is exact or 404.
        redirect_slashes=False,
    )
    app.state.name = "gateway"
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, service="gateway")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> dict[str, str]:
        # The process only: a service being down must not take the whole gateway out.
        return {"status": "ok"}

    app.router.routes.append(GraphQLRoute("/graphql", graphql, methods=["GET", "POST"]))
    app.mount(
        "/static/graphiql",
        StaticFiles(directory=HERE / "static" / "graphiql"),
        name="graphiql",
    )
    return app


SPEC = ServiceSpec(
    name="gateway",
    settings_class=GatewaySettings,
    create_app=create_app,
    metadata=None,
    migrations=None,
    dev_port=8000,
)
