"""What every part of the schema shares: the `Node` interface and its opaque global ids, Relay
connections over the services' keyset pages, and the `UserError` interface of mutations."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, Protocol, TypeVar, cast

import strawberry
from strawberry.dataloader import DataLoader

from gateway.errors import BadUserInput, InvalidInput, Refusal
from gateway.loaders import PageKey
from kit.errors import Unprocessable
from kit.pagination import Page, decode_cursor, encode_cursor

if TYPE_CHECKING:
    from gateway.context import Info

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


F = TypeVar("F", bound=Callable[..., Any])


def resolver_field(description: str) -> Callable[[F], F]:
    """`@strawberry.field(description=…)` for a method, keeping its type for mypy (strawberry
    types that decorator form as `Any`)."""
    return cast(Callable[[F], F], strawberry.field(description=description))


def idempotency_key(what: str = "the change is made") -> Any:
    """A mutation input's `idempotencyKey`: `what` happens once however often it is retried."""
    return strawberry.field(
        default=None,
        description=f"One per user action, the same again on a retry: {what} "
        "once, and the retry answers as the first did.",
    )


# --- Global ids ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GlobalId:
    """`base64("Type:uuid")`: opaque to clients, decoded only here."""

    type_name: str
    id: uuid.UUID

    def encode(self) -> strawberry.ID:
        return strawberry.ID(base64.b64encode(f"{self.type_name}:{self.id}".encode()).decode())

    @classmethod
    def decode(cls, value: str) -> GlobalId:
        try:
            type_name, _, raw_id = base64.b64decode(value, validate=True).decode().partition(":")
            return cls(type_name, uuid.UUID(raw_id))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise BadUserInput(
                "This is not an id this API gave out.", reason="invalid_id"
            ) from None

    @classmethod
    def decode_as(cls, type_name: str, value: str) -> uuid.UUID:
        """The uuid of an id that must name a `type_name`."""
        return cls.decode_one_of((type_name,), value).id

    @classmethod
    def decode_one_of(cls, type_names: Sequence[str], value: str) -> GlobalId:
        """An id that must name one of `type_names`."""
        global_id = cls.decode(value)
        if global_id.type_name not in type_names:
            names = " or a ".join(type_names)
            raise BadUserInput(f"This id does not name a {names}.", reason="wrong_id_type")
        return global_id


def input_id(type_names: str | Sequence[str], value: str, *field: str) -> GlobalId:
    """An id of a mutation's input, which must name one of `type_names`; `field` is its path
    under `input`, for the mutation's error type when it is refused."""
    names = (type_names,) if isinstance(type_names, str) else type_names
    try:
        return GlobalId.decode_one_of(names, value)
    except BadUserInput as error:
        raise InvalidInput(Refusal(error.message, error.reason, ["input", *field])) from None


@strawberry.interface(
    description="Anything with a global id; `node(id:)` fetches it again, whatever its type."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque global id, stable across requests; pass it to `node(id:)`."
    )


# How `node(id:)` finds each type: the uuid and the request's loaders give the object, or None.
NodeResolver = Callable[["Info", uuid.UUID], Awaitable[Node | None]]


# --- Connections -----------------------------------------------------------------------------

N = TypeVar("N")
P = TypeVar("P", bound=Hashable)


@strawberry.type(description="Where a page of a list ends and whether more follows.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether another page follows; ask for it with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether this page came after a cursor (lists are read forwards only)."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last edge; pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a list, with the cursor that points just after it.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: N = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list in a stable order (oldest first): items neither skipped nor "
    "repeated while data changes."
)
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="How to get the next page.")


First = Annotated[
    int, strawberry.argument(description="How many items, from 1 to 100 (default 20).")
]
After = Annotated[
    str | None,
    strawberry.argument(description="Start after this cursor (an edge's or `endCursor`)."),
]


class Keyed(Protocol):
    """A service record, ordered in lists by `(created_at, id)`."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def created_at(self) -> datetime: ...


R = TypeVar("R", bound=Keyed)
T = TypeVar("T")
R_co = TypeVar("R_co", bound=Keyed, covariant=True)


def page_size(first: int) -> int:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadUserInput(
            f"`first` must be between 1 and {MAX_PAGE_SIZE}.", reason="first_out_of_range"
        )
    return first


def connection(
    records: Sequence[R],
    make: Callable[[R], N],
    *,
    has_next_page: bool,
    after: str | None,
) -> Connection[N]:
    """A connection over a service page; an edge's cursor is the service's keyset cursor after
    that record, so any edge's cursor can be passed back as `after`."""
    return keyed_connection(
        records, make, lambda record: record, has_next_page=has_next_page, after=after
    )


def keyed_connection(
    records: Sequence[T],
    make: Callable[[T], N],
    key: Callable[[T], Keyed],
    *,
    has_next_page: bool,
    after: str | None,
) -> Connection[N]:
    """A connection over a service page whose items are ordered by a record they hold (a due
    check-in by its key result): `key` gives that record, whose keyset makes the cursor."""
    edges = [
        Edge(cursor=encode_cursor(key(r).created_at, key(r).id), node=make(r)) for r in records
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next_page,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        created_at, id_ = decode_cursor(cursor)
    except Unprocessable:
        created_at, id_ = None, None
    if created_at is None or id_ is None or created_at.tzinfo is None:
        raise BadUserInput("The cursor is not one this API gave out.", reason="invalid_cursor")
    return created_at, id_


class ServicePage(Protocol[R_co]):
    """A page as the services answer it: `{items, next_cursor}`."""

    @property
    def items(self) -> Sequence[R_co]: ...

    @property
    def next_cursor(self) -> str | None: ...


def page_connection(
    page: ServicePage[R], make: Callable[[R], N], after: str | None
) -> Connection[N]:
    """`connection` over a service's page: there is a next page when it gave a cursor."""
    return connection(page.items, make, has_next_page=page.next_cursor is not None, after=after)


async def load_one(
    loader: DataLoader[uuid.UUID, R | None], id_: uuid.UUID | None, make: Callable[[R], N]
) -> N | None:
    """One object by id through its loader; None for no id, or for one the caller may not see
    (or that does not exist: the two look the same)."""
    if id_ is None:
        return None
    record = await loader.load(id_)
    return make(record) if record is not None else None


async def children_of(
    loader: DataLoader[PageKey[P], Page[R]],
    parent: P,
    first: int,
    after: str | None,
    make: Callable[[R], N],
) -> Connection[N]:
    """A page of one parent's children through its loader (one batch request per level)."""
    page = await loader.load(PageKey(parent, page_size(first), after))
    return page_connection(page, make, after)


def connection_of_all(
    records: Sequence[R], make: Callable[[R], N], *, first: int, after: str | None
) -> Connection[N]:
    """A connection over a short list held in full (a person's teams), paged here with the same
    keyset cursors as the services' lists."""
    ordered = sorted(records, key=lambda record: (record.created_at, record.id))
    if after is not None:
        start = _decode_cursor(after)
        ordered = [record for record in ordered if (record.created_at, record.id) > start]
    page = page_size(first)
    return connection(ordered[:page], make, has_next_page=len(ordered) > page, after=after)


# --- Mutations -------------------------------------------------------------------------------


@strawberry.interface(
    description="What every error of a mutation's result union shares: the change was refused "
    "and nothing was saved."
)
class UserError:
    message: str = strawberry.field(description="For people: what is wrong, in a sentence.")
    code: str = strawberry.field(
        description="For programs: a stable snake_case code, e.g. `stale_version`."
    )
    field: list[str] | None = strawberry.field(
        description='Path of the input field at fault, e.g. `["input", "title"]`; null when '
        "the error concerns the whole change."
    )
