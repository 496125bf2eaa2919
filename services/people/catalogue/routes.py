"""The job-role and skill catalogues' REST API under `/v1`: one set of routes, served for each
catalogue with its own paths, schemas, policy actions and words."""

# No `from __future__ import annotations`: FastAPI reads the handlers' annotations as objects,
# and those naming a catalogue's own schemas are set per catalogue (`_named`).

import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import OptionalBatchIds, Page, PageDep
from services.people.catalogue import service
from services.people.catalogue.service import ROLES, SKILLS, Catalogue
from services.people.schemas import (
    CatalogueQuery,
    RoleCreate,
    RoleUpdate,
    SkillCreate,
    SkillQuery,
    SkillUpdate,
)
from services.people.service import POLICY

Handler = Callable[..., Coroutine[Any, Any, Any]]


@dataclass(frozen=True)
class _Served:
    catalogue: Catalogue[Any, Any]
    tag: str
    create: type[BaseModel]
    update: type[BaseModel]
    filters: type[CatalogueQuery]
    # What the document says of adding, listing, reading and changing entries.
    docs: tuple[str, str, str, str]


def _named(handler: Handler, name: str, doc: str, returns: Any, **params: Any) -> Handler:
    """`handler` as FastAPI documents it: its name (the operation's id and summary), its
    docstring (the description), its answer's and some of its parameters' types."""
    handler.__name__ = handler.__qualname__ = name
    handler.__doc__ = doc
    handler.__annotations__.update({**params, "return": returns})
    return handler


def _router(served: _Served) -> APIRouter:
    catalogue, code = served.catalogue, served.catalogue.code
    router = service_router(prefix="/v1", tags=[served.tag])
    many, one = f"/{code}s", f"/{code}s/{{{code}_id}}"
    entry_id = Annotated[uuid.UUID, Path(alias=f"{code}_id")]

    def may(action: str) -> Any:
        return Depends(POLICY.require(f"{code}.{action}"))

    async def create(
        data: BaseModel,
        session: SessionDep,
        actor: Annotated[Actor, may("create")],
        response: Response,
    ) -> Any:
        entry = await service.create_entry(session, actor, catalogue, data)
        located(response, f"/v1{many}/{entry.id}", entry.version)
        return entry

    async def list_(
        session: SessionDep,
        actor: Annotated[Actor, may("read")],
        filters: Annotated[CatalogueQuery, Query()],
        page: PageDep,
        ids: OptionalBatchIds = None,
    ) -> Any:
        if ids:
            return await service.read_entries(session, actor, catalogue, ids)
        return await service.list_entries(session, actor, catalogue, filters, page)

    async def get(
        id_: uuid.UUID,
        session: SessionDep,
        actor: Annotated[Actor, may("read")],
        response: Response,
    ) -> Any:
        entry = await service.get_entry(session, actor, catalogue, id_)
        response.headers["ETag"] = etag(entry.version)
        return entry

    async def update(
        id_: uuid.UUID,
        data: BaseModel,
        session: SessionDep,
        actor: Annotated[Actor, may("update")],
        if_match: IfMatch,
        response: Response,
    ) -> Any:
        entry = await service.update_entry(session, actor, catalogue, id_, data, if_match)
        response.headers["ETag"] = etag(entry.version)
        return entry

    read, (adding, listing, reading, changing) = catalogue.read, served.docs
    page: Any = Page[read]  # type: ignore[valid-type]  # a schema chosen at run time
    filters: Any = Annotated[served.filters, Query()]
    router.post(many, status_code=201)(
        _named(create, f"create_{code}", adding, read, data=served.create)
    )
    router.get(many)(_named(list_, f"list_{code}s", listing, page, filters=filters))
    router.get(one)(_named(get, f"get_{code}", reading, read, id_=entry_id))
    router.patch(one)(
        _named(update, f"update_{code}", changing, read, id_=entry_id, data=served.update)
    )
    return router


def routers() -> list[APIRouter]:
    return [
        _router(
            _Served(
                ROLES,
                tag="job roles",
                create=RoleCreate,
                update=RoleUpdate,
                filters=CatalogueQuery,
                docs=(
                    "Add a job profile; names are unique, whatever their case.",
                    "Job profiles, oldest first; or, with `?id=`, exactly those.",
                    "One job profile, with its `ETag`.",
                    "Change a job profile. Needs `If-Match`.",
                ),
            )
        ),
        _router(
            _Served(
                SKILLS,
                tag="skills",
                create=SkillCreate,
                update=SkillUpdate,
                filters=SkillQuery,
                docs=(
                    "Add a skill to the catalogue; names are unique, whatever their case.",
                    "The skills catalogue, oldest first; or, with `?id=`, exactly those skills.",
                    "One skill, with its `ETag`.",
                    "Change a skill. Needs `If-Match`.",
                ),
            )
        ),
    ]
