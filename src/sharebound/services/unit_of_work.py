"""The unit of work: one transaction, its repositories, the blob store, the clock, content limits,
and the listeners that hear of each event recorded in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, NestedTransaction
from sqlalchemy.exc import IntegrityError, OperationalError

from sharebound.adapters.blobs import BlobStore
from sharebound.adapters.clock import Clock, system_clock
from sharebound.adapters.db.engine import QUEUE_ONLY, READ_ONLY, statement_at_a_time
from sharebound.adapters.db.repositories.accesses import AccessQueue
from sharebound.adapters.db.repositories.agreements import AgreementRepository
from sharebound.adapters.db.repositories.auth import AuthRepository
from sharebound.adapters.db.repositories.copies import CopyRepository
from sharebound.adapters.db.repositories.disclosures import DisclosureRepository
from sharebound.adapters.db.repositories.esign import ESignRepository
from sharebound.adapters.db.repositories.events import EventLog
from sharebound.adapters.db.repositories.exports import ExportQueries
from sharebound.adapters.db.repositories.folders import FolderRepository, PackageRepository
from sharebound.adapters.db.repositories.gate import GateRepository
from sharebound.adapters.db.repositories.idempotency import IdempotencyRepository
from sharebound.adapters.db.repositories.items import ItemRepository
from sharebound.adapters.db.repositories.keys import DataKeyRepository
from sharebound.adapters.db.repositories.messages import MessageRepository
from sharebound.adapters.db.repositories.notices import NoticeRepository
from sharebound.adapters.db.repositories.notifications import NotificationRepository
from sharebound.adapters.db.repositories.orgs import OrgRepository
from sharebound.adapters.db.repositories.outbox import OutboxRepository
from sharebound.adapters.db.repositories.page_views import PageViewRepository
from sharebound.adapters.db.repositories.partner_invitations import PartnerInvitationRepository
from sharebound.adapters.db.repositories.partnerships import PartnershipRepository
from sharebound.adapters.db.repositories.reciprocity import ReciprocityQueries
from sharebound.adapters.db.repositories.representatives import RepresentativeRepository
from sharebound.adapters.db.repositories.requests import RequestRepository
from sharebound.adapters.db.repositories.returns import ReturnRepository
from sharebound.adapters.db.repositories.schedules import ScheduleQueries
from sharebound.adapters.db.repositories.scim import ScimRepository
from sharebound.adapters.db.repositories.search import SearchIndex
from sharebound.adapters.db.repositories.second_factors import SecondFactorRepository
from sharebound.adapters.db.repositories.sso import SsoRepository
from sharebound.adapters.db.repositories.transparency import TransparencyLog
from sharebound.adapters.db.repositories.uploaded_ndas import UploadedNdaRepository
from sharebound.adapters.db.repositories.watermarks import WatermarkRepository
from sharebound.adapters.db.repositories.webhooks import WebhookRepository
from sharebound.adapters.db.repositories.witnesses import WitnessRepository
from sharebound.adapters.filetypes import DEFAULT_LIMITS, ContentLimits
from sharebound.adapters.keys import KeyRing
from sharebound.adapters.passwords import ARGON2
from sharebound.adapters.standard_terms import shipped_catalog
from sharebound.adapters.text_extract import DEFAULT_LIMITS as DEFAULT_TEXT_LIMITS
from sharebound.adapters.text_extract import Limits
from sharebound.domain.audit import Event
from sharebound.domain.disclosures import AccessRecord
from sharebound.domain.errors import Busy, Conflict
from sharebound.domain.events import Payload
from sharebound.domain.orgs import Person
from sharebound.domain.second_factors import RelyingParty
from sharebound.domain.standard_terms import StandardTermsCatalog
from sharebound.services.ports import PasswordHasher

#: Hears of an event inside the transaction that records it (services/common.record); what it
#: writes commits or rolls back with the change. `bootstrap` registers them, one line each.
Listener = Callable[["UnitOfWork", Event, Payload], object]


class UnitOfWork:
    """`with uow:` opens a transaction; `uow.commit()` makes it stick; leaving rolls back the rest.

    One UnitOfWork can be entered many times, one transaction each: services take it and
    enter it once per use case. Inside `with uow.held():` the blocks that write share one
    transaction instead (a page POST: the form claim, the use case, where the form led).
    """

    orgs: OrgRepository
    partnerships: PartnershipRepository
    partner_invitations: PartnerInvitationRepository
    agreements: AgreementRepository
    uploaded_ndas: UploadedNdaRepository
    items: ItemRepository
    folders: FolderRepository
    packages: PackageRepository
    disclosures: DisclosureRepository
    access_queue: AccessQueue
    messages: MessageRepository
    events: EventLog
    transparency: TransparencyLog
    exports: ExportQueries
    auth: AuthRepository
    requests: RequestRepository
    gate: GateRepository
    copies: CopyRepository
    page_views: PageViewRepository
    notifications: NotificationRepository
    outbox: OutboxRepository
    webhooks: WebhookRepository
    sso: SsoRepository
    schedules: ScheduleQueries
    reciprocity: ReciprocityQueries
    returns: ReturnRepository
    notices: NoticeRepository
    representatives: RepresentativeRepository
    data_keys: DataKeyRepository
    search: SearchIndex
    idempotency: IdempotencyRepository
    esign: ESignRepository
    witnesses: WitnessRepository
    scim: ScimRepository
    factors: SecondFactorRepository
    watermarks: WatermarkRepository

    def __init__(self, engine: Engine, blobs: BlobStore, clock: Clock = system_clock,
                 limits: ContentLimits = DEFAULT_LIMITS,
                 text_limits: Limits = DEFAULT_TEXT_LIMITS, keys: KeyRing | None = None,
                 listeners: Sequence[Listener] = (), passwords: PasswordHasher = ARGON2,
                 standard_terms: StandardTermsCatalog | None = None,
                 relying_party: RelyingParty | None = None, spool_dir: Path | None = None) -> None:
        self.engine = engine
        self.spool_dir = spool_dir  # where large stamped copies wait to be sent; None: the system's
        # every released version of the standard terms (the package's, unless a test ships more)
        self.standard_terms = standard_terms if standard_terms is not None else shipped_catalog()
        self.keys = keys  # seals webhook secrets and crown-jewel terms; None: plaintext (tests)
        self.blobs = blobs
        self.clock = clock
        self.limits = limits  # how much of an uploaded file we agree to open
        self.text_limits = text_limits  # how much of an item's text the content gate reads
        self.listeners = tuple(listeners)
        self.passwords = passwords
        self.relying_party = relying_party or RelyingParty.of_url("http://127.0.0.1:8000")
        self._connection: Connection | None = None
        self._reading = False
        self._holding = False  # inside held(): the blocks that write share one transaction
        self._savepoints: list[NestedTransaction] = []  # the open blocks inside that transaction
        self._signed_in: Person | None = None  # who the request's credentials named (remember_signed_in)

    def remember_signed_in(self, person: Person) -> None:
        """`person`, as authentication just read them for this request: the reads that follow
        in the same request need not read them again (`signed_in`)."""
        self._signed_in = person

    def signed_in(self, person_id: str) -> Person | None:
        """The person authentication read for this request, when `person_id` is theirs and the
        transaction only reads; None otherwise. why only then: a use case that writes reads its
        actor again inside its own transaction, and anything this request committed (their own
        roles changed, say) forgets what authentication read (`commit`)."""
        person = self._signed_in
        if person is None or person.id != person_id or self._connection is None \
                or not self._connection.info.get(READ_ONLY, False):
            return None
        return person

    def reading(self) -> Self:
        """For a use case that only reads: `with uow.reading():`. On SQLite its transaction
        takes no write lock, so readers never wait for each other or for a writer."""
        self._reading = True
        return self

    @contextmanager
    def held(self) -> Iterator[Self]:
        """One transaction for every block inside that writes, and for all blocks after it.

        It begins with the first block that writes (a block that only reads before it keeps
        its own read transaction: the content gate reads an item before the write lock). Each
        block runs in a savepoint: its `commit()` keeps what it did, leaving it without one
        undoes only its own writes, as when it was a transaction of its own. What the blocks
        kept commits once, when `held()` ends, also when it ends with an error, so that what
        a block committed (a refusal's audit event) sticks as it did before.
        """
        if self._holding or self._connection is not None:
            raise RuntimeError("this unit of work is already in a transaction")
        self._holding = True
        try:
            yield self
        finally:
            self._holding = False
            connection, self._connection = self._connection, None
            if connection is not None:
                try:
                    connection.commit()
                except (IntegrityError, OperationalError) as exc:
                    if (named := _named_race(exc)) is None:
                        raise
                    raise named from exc
                finally:
                    connection.close()

    def __enter__(self) -> Self:
        reading, self._reading = self._reading, False
        if self._connection is not None:
            if not self._holding:
                raise RuntimeError("this unit of work is already in a transaction")
            self._savepoints.append(self._connection.begin_nested())
            return self
        holding = self._holding and not reading
        connection = self.engine.connect()
        connection.info[READ_ONLY] = reading
        if reading:
            statement_at_a_time(connection)
        try:
            connection.begin()  # on SQLite a writer's BEGIN IMMEDIATE waits for the lock here
        except (IntegrityError, OperationalError) as exc:
            connection.close()
            if (named := _named_race(exc)) is None:
                raise
            raise named from exc
        self._connection = connection
        if holding:
            self._savepoints.append(connection.begin_nested())
        self.orgs = OrgRepository(connection)
        self.partnerships = PartnershipRepository(connection)
        self.partner_invitations = PartnerInvitationRepository(connection)
        self.agreements = AgreementRepository(connection)
        self.items = ItemRepository(connection)
        self.folders = FolderRepository(connection)
        self.packages = PackageRepository(connection)
        self.uploaded_ndas = UploadedNdaRepository(connection)
        self.disclosures = DisclosureRepository(connection)
        self.access_queue = AccessQueue(connection)
        self.messages = MessageRepository(connection)
        self.events = EventLog(connection)
        self.transparency = TransparencyLog(connection)
        self.exports = ExportQueries(connection)
        self.auth = AuthRepository(connection)
        self.scim = ScimRepository(connection)
        self.requests = RequestRepository(connection)
        self.gate = GateRepository(connection, self.keys)
        self.search = SearchIndex(connection, self.keys)
        self.copies = CopyRepository(connection)
        self.page_views = PageViewRepository(connection)
        self.notifications = NotificationRepository(connection)
        self.outbox = OutboxRepository(connection)
        self.webhooks = WebhookRepository(connection, self.keys)
        self.sso = SsoRepository(connection, self.keys)
        self.schedules = ScheduleQueries(connection)
        self.reciprocity = ReciprocityQueries(connection)
        self.returns = ReturnRepository(connection)
        self.notices = NoticeRepository(connection)
        self.representatives = RepresentativeRepository(connection)
        self.data_keys = DataKeyRepository(connection)
        self.idempotency = IdempotencyRepository(connection)
        self.esign = ESignRepository(connection)
        self.witnesses = WitnessRepository(connection)
        self.factors = SecondFactorRepository(connection, self.keys)
        self.watermarks = WatermarkRepository(connection)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._savepoints:  # a block inside held(): undo only its own uncommitted writes
            savepoint = self._savepoints.pop()
            if savepoint.is_active:
                savepoint.rollback()
        else:
            connection, self._connection = self._connection, None
            assert connection is not None
            try:
                connection.rollback()  # a no-op after commit()
            finally:
                connection.close()
        if (named := _named_race(exc)) is not None:
            raise named from exc

    def append_access(self, access: AccessRecord, partnership_id: str) -> None:
        """Append an access to the access queue in a short transaction of its own, outside any
        other (services/accesses.py): on SQLite it writes only the queue's side file, so it never
        waits for the main database's write lock; on PostgreSQL it is one INSERT."""
        with self.engine.connect() as connection:
            connection.info[QUEUE_ONLY] = True  # why: `info` outlives this checkout: popped below
            statement_at_a_time(connection)  # why: one INSERT, its own transaction
            try:
                with connection.begin():
                    AccessQueue(connection).append(access, partnership_id)
            except OperationalError as exc:
                if (named := _named_race(exc)) is None:
                    raise
                raise named from exc
            finally:
                connection.info.pop(QUEUE_ONLY, None)

    def commit(self) -> None:
        assert self._connection is not None, "commit() outside `with uow:`"
        assert not self._connection.info.get(READ_ONLY), "commit() in a unit of work that only reads"
        self._signed_in = None  # why: what this request writes may change who they are
        if self._savepoints:  # inside held(): keep this block's work; the rest of it can still be undone
            self._savepoints.pop().commit()
            self._savepoints.append(self._connection.begin_nested())
            return
        # why no begin() here: the next statement begins the rest of the block's transaction
        # itself (autobegin), so a commit that ends the work takes no second write lock.
        self._connection.commit()


def _named_race(exc: BaseException | None) -> Exception | None:
    """Races the checks could not see end as named errors: nothing was written."""
    if isinstance(exc, IntegrityError):
        return Conflict("someone changed this at the same moment: look again and retry")
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig):
        return Busy("the database is busy: try again in a moment")
    return None
