"""The gateway's app: GraphQL on `/graphql` (a plain ASGI app, for speed), the GraphiQL page with
its assets served from here, health checks; and the spec the `inspire` command runs it by."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from http import HTTPStatus
from pathlib import Path

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from fastapi import FastAPI
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from gateway.clients import Clients, open_clients
from gateway.config import GatewaySettings
from gateway.context import Context, build_context
from gateway.errors import ErrorCode, typed_errors
from gateway.http import (
    GRAPHQL_RESPONSE_JSON,
    BodyLimit,
    error_response,
    json_nesting_exceeds,
    response_media_type,
)
from gateway.schema import schema_for
from kit.api import ServiceSpec, Shutdown, settle_heap, shutdown_of
from kit.auth import TokenVerifier
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
# A request refused whole, by what its first error says (GraphQL over HTTP's request errors).
_REQUEST_ERROR_STATUS: dict[str, HTTPStatus] = {
    ErrorCode.UNAUTHENTICATED: HTTPStatus.UNAUTHORIZED,
    ErrorCode.INTERNAL_SERVER_ERROR: HTTPStatus.INTERNAL_SERVER_ERROR,
}


class GatewayGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with our context, our offline GraphiQL page, and GraphQL over
    HTTP's media types and status codes."""

    def __init__(self, settings: GatewaySettings) -> None:
        super().__init__(
            schema_for(settings.graphql_policy),
            graphql_ide="graphiql" if settings.graphiql else None,
            # Subscriptions come with the event feeds; until then, no websocket endpoint.
            subscription_protocols=(),
        )
        self.max_json_depth = settings.max_json_depth
        self.verifier = TokenVerifier(settings.auth)
        self.clients: Clients | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        media_type = response_media_type(request.headers.get("accept"))
        try:
            response = await self.run(request)
        except HTTPException as exc:
            # Not GraphQL at all (no JSON, no query, a mutation over GET): still a GraphQL
            # error in JSON, for clients that only read JSON.
            headers = {"Allow": "POST"} if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED else {}
            response = error_response(
                exc.status_code,
                exc.reason,
                code=ErrorCode.BAD_REQUEST,
                media_type=media_type,
                headers=headers,
            )
        else:
            status = getattr(request.state, "graphql_status", None)
            if status is not None and media_type == GRAPHQL_RESPONSE_JSON:
                response.status_code = status
                response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
                if status == HTTPStatus.UNAUTHORIZED:
                    response.headers["WWW-Authenticate"] = "Bearer"
        finally:
            # The context refers to the request: kept in its state, they would form a cycle.
            context: Context | None = getattr(request.state, "graphql_context", None)
            if context is not None:
                del request.state.graphql_context
                context.close()
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        # Checked before decoding: the decoder recurses once per level and fails (a 500, or
        # a reset connection) far below what a body may hold.
        if json_nesting_exceeds(data, self.max_json_depth):
            raise HTTPException(
                HTTPStatus.BAD_REQUEST,
                f"The JSON nests more than {self.max_json_depth} levels deep, the most allowed.",
            )
        return json.loads(data)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                # GraphQL over HTTP: a mutation sent with GET is a method not allowed.
                raise HTTPException(HTTPStatus.METHOD_NOT_ALLOWED, exc.reason) from exc
            raise

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        executed = not isinstance(result, PreExecutionError)
        errors = typed_errors(result.errors or [], executed=executed)
        request.state.graphql_status = HTTPStatus.OK
        if result.data is None and errors and all(error.path is None for error in errors):
            # Refused whole, before any field ran: a request error, which has no `data` in
            # `application/graphql-response+json` (older clients keep their `"data": null`).
            code = str((errors[0].extensions or {}).get("code"))
            request.state.graphql_status = _REQUEST_ERROR_STATUS.get(code, HTTPStatus.BAD_REQUEST)
            if response_media_type(request.headers.get("accept")) == GRAPHQL_RESPONSE_JSON:
                return {"errors": [error.formatted for error in errors]}
        response: GraphQLHTTPResponse = {"data": result.data}
        if errors:
            response["errors"] = [error.formatted for error in errors]
        if result.extensions:
            response["extensions"] = result.extensions
        return response

    async def get_context(self, request: HTTPConnection, response: Response | object) -> Context:
        if self.clients is None:
            raise RuntimeError("the gateway's clients are opened by its lifespan")
        sub_response = response if isinstance(response, Response) else None
        context = await build_context(request, sub_response, self.clients, self.verifier)
        request.state.graphql_context = context
        return context

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
            settle_heap()
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
    app.state.shutdown = Shutdown()
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, service="gateway")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        # The process only: a service being down must not take the whole gateway out.
        if shutdown_of(app).draining:
            return JSONResponse({"status": "draining"}, status_code=503)
        return JSONResponse({"status": "ok"})

    limited = BodyLimit(graphql, settings.max_body_bytes)
    app.router.routes.append(GraphQLRoute("/graphql", limited, methods=["GET", "POST"]))
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
