"""One typed context per event: the services, the event, its unit of work and the outbound port."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from . import outbox
from .catalogue import t
from .clock import Clock
from .config import Settings
from .database import Database
from .model import Event, Message, MessageRef, Person, Place
from .port import Directory, EventDirectory

if TYPE_CHECKING:
    from knowledge.library import KnowledgeLibrary


@dataclass
class Services:
    """What lives as long as the process: settings, clock, database, knowledge base."""

    settings: Settings
    clock: Clock
    db: Database
    knowledge: "KnowledgeLibrary"
    directories: dict[str, Directory] = field(default_factory=dict)

    def directory(self, platform: str) -> Directory:
        return self.directories.get(platform) or EventDirectory()


def lane_of(place: Place) -> str:
    return f"{place.platform}:{place.workspace}:{place.channel}:{place.thread or ''}"


@dataclass
class Outgoing:
    """Records messages in the caller's transaction; the deliverer sends them after commit."""

    session: AsyncSession
    clock: Clock

    def send(self, place: Place, message: Message) -> None:
        outbox.record(
            self.session, now=self.clock.now(), op="send", platform=place.platform,
            lane=lane_of(place), target={"place": place.to_json()}, message=message,
        )

    def dm(self, person: Person, message: Message) -> None:
        outbox.record(
            self.session, now=self.clock.now(), op="dm", platform=person.platform,
            lane=f"dm:{person.key}", target={"person": person.to_json()}, message=message,
        )

    def in_card_thread(self, card_key: str, place: Place, message: Message) -> None:
        """A message in the thread under card `card_key`, delivered after the card itself."""
        outbox.record(
            self.session, now=self.clock.now(), op="send", platform=place.platform,
            lane=f"card:{card_key}", target={"place": place.to_json(), "thread_of": card_key}, message=message,
        )

    def card(self, key: str, place: Place, message: Message) -> None:
        """Show message as the card `key`: posted the first time, updated in place after that."""
        outbox.record(
            self.session, now=self.clock.now(), op="card", platform=place.platform,
            lane=f"card:{key}", target={"place": place.to_json()}, message=message, card_key=key,
        )

    def update(self, ref: MessageRef, message: Message) -> None:
        outbox.record(
            self.session, now=self.clock.now(), op="update", platform=ref.platform,
            lane=f"msg:{ref.platform}:{ref.channel}:{ref.id}",
            target={"ref": ref.to_json()},
            message=message,
        )


@dataclass
class Context:
    services: Services
    event: Event
    session: AsyncSession
    out: Outgoing
    lang: str = "nb"

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def db(self) -> Database:
        return self.services.db

    def now(self) -> datetime:
        return self.services.clock.now()

    def t(self, key: str, **values: Any) -> str:
        return t(self.lang, key, **values)

    def reply(self, message: Message) -> None:
        """Answer where the event happened (the DM, the thread, the slash command's channel)."""
        self.out.send(self.event.place, message)


SYSTEM = Person("system", "", "kulturbot", "Kulturbot")


def system_context(services: Services, session: AsyncSession, *, lang: str | None = None) -> Context:
    """A context for work no user started (scheduled jobs): same services, same outbound port."""
    place = Place("system", "", "", "system")
    event = Event("system", "system", "system", SYSTEM, place)
    return Context(services, event, session, Outgoing(session, services.clock), lang or services.settings.language)
