"""The analyses' results as types: what the routes answer (their OpenAPI response models), what
the terminal printer and the web pages read. Each analysis function returns plain data that
validates into one of these (``Model.model_validate(result)``); ``extra="forbid"`` makes any
drift between a function and its type an error in the tests."""

from __future__ import annotations

from datetime import date as date_
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GraphSize(_Result):
    """The size of the graph a result was computed on."""

    actors: int
    links: int


class HistorySize(_Result):
    actors_ever: int
    links_ever: int


class ActorRef(_Result):
    id: str
    name: str


class FlaggedActor(ActorRef):
    kind: str
    reason: str
    through: str | None = Field(default=None, description="The only contact, when there is one")
    last_activity: str | None = None


class Member(ActorRef):
    kind: str


class CutOffComponent(_Result):
    size: int
    members: list[Member]
    reason: str


class IsolationSummary(_Result):
    isolated: int
    single_link: int
    single_point_of_failure: int
    dormant: int
    cut_off_components: int
    main_component_share: float


class IsolationParameters(_Result):
    dormant_months: int
    neighbourhood: str | None = None


class IsolationResult(_Result):
    """Who is isolated, and why."""

    note: str | None = Field(
        default=None, description="Why the result is empty, when it is (no actor, no link…)"
    )

    as_of: str
    parameters: IsolationParameters
    graph: GraphSize
    summary: IsolationSummary
    isolated: list[FlaggedActor]
    single_link: list[FlaggedActor]
    single_point_of_failure: list[FlaggedActor]
    dormant: list[FlaggedActor]
    cut_off_components: list[CutOffComponent]


class RankedActor(ActorRef):
    value: float


class Brokers(_Result):
    betweenness: list[RankedActor]
    lowest_constraint: list[RankedActor]
    largest_effective_size: list[RankedActor]


class Community(_Result):
    community: int
    size: int
    kinds: dict[str, int]
    members: list[ActorRef]


class CommunitiesSummary(_Result):
    modularity: float
    count: int
    items: list[Community]


class RoleCount(ActorRef):
    count: int


Role = Literal["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]


class BrokerageLeaders(_Result):
    groups: str
    leaders: dict[Role, list[RoleCount]]


class OpportunityActor(ActorRef):
    kind: str
    community: int


class Introducer(ActorRef):
    kind: str


class Shared(_Result):
    themes: list[str]
    target_groups: list[str]
    languages: list[str]


class Opportunity(_Result):
    """An introduction worth making, who can make it, and why."""

    score: float
    actors: list[OpportunityActor]
    introducer: Introducer
    shared: Shared
    reason: str


class StandardError(_Result):
    max: float
    mean: float
    note: str


class BetweennessMethod(_Result):
    """Exact, or estimated from a sample of sources (with its size, seed and error)."""

    method: Literal["exact", "sampled"]
    samples: int | None = None
    seed: int | None = None
    standard_error: StandardError | None = None


class BridgingParameters(_Result):
    seed: int
    top: int
    groups: str
    betweenness: BetweennessMethod
    neighbourhood: str | None = None


class BridgingResult(_Result):
    """Brokers, communities, brokerage roles and bridging opportunities."""

    note: str | None = Field(
        default=None, description="Why the result is empty, when it is (no actor, no link…)"
    )

    as_of: str
    parameters: BridgingParameters
    graph: GraphSize
    brokers: Brokers
    communities: CommunitiesSummary
    brokerage: BrokerageLeaders
    opportunities: list[Opportunity]


class BrokerRoles(ActorRef):
    group: str
    coordinator: int
    itinerant: int
    representative: int
    gatekeeper: int
    liaison: int


class BrokerageParameters(_Result):
    groups: str
    seed: int
    top: int
    neighbourhood: str | None = None


class BrokerageResult(_Result):
    """Gould–Fernandez brokerage roles."""

    note: str | None = Field(
        default=None, description="Why the result is empty, when it is (no actor, no link…)"
    )

    as_of: str
    parameters: BrokerageParameters
    graph: GraphSize
    convention: str
    totals: dict[Role, int]
    brokers: list[BrokerRoles]


class CommunitiesParameters(_Result):
    seed: int
    resolution: float
    neighbourhood: str | None = None


class CommunitiesResult(_Result):
    """Louvain communities (seeded)."""

    note: str | None = Field(
        default=None, description="Why the result is empty, when it is (no actor, no link…)"
    )

    as_of: str
    parameters: CommunitiesParameters
    graph: GraphSize
    modularity: float
    communities: list[Community]


class NetworkMeasures(_Result):
    actors: int
    links: int
    linked_pairs: int
    density: float
    components: int
    largest_component_share: float
    isolated: int
    average_clustering: float
    ei_index_kinds: float | None


class GrowthPoint(NetworkMeasures):
    """The measures on one date, and (from the second point on) what changed since the last."""

    date: str
    new_links: int | None = None
    new_links_by_worker: dict[str, int] | None = None
    new_links_by_mission: dict[str, int] | None = None
    bridges_created: int | None = None
    isolated_reconnected: int | None = None


class PeriodParameters(_Result):
    start: str
    end: str
    interval: Literal["week", "month", "quarter", "year"]
    neighbourhood: str | None = None


class GrowthResult(_Result):
    """How the network grows, overall and per neighbourhood."""

    note: str | None = Field(
        default=None, description="Why the result is empty, when it is (no actor, no link…)"
    )

    parameters: PeriodParameters
    graph: HistorySize
    overall: list[GrowthPoint]
    neighbourhoods: dict[str, list[GrowthPoint]]


class LinkChange(_Result):
    id: str
    between: list[str]
    recorded_by: str
    mission: str


class CompareParameters(_Result):
    first: str
    second: str
    neighbourhood: str | None = None


class CompareResult(_Result):
    """What changed between two dates."""

    note: str | None = Field(
        default=None, description="Why the result is empty, when it is (no actor, no link…)"
    )

    parameters: CompareParameters
    joined: list[ActorRef]
    left: list[ActorRef]
    links_appeared: list[LinkChange]
    links_ended: list[LinkChange]
    isolated_reached: list[ActorRef]
    before: NetworkMeasures
    after: NetworkMeasures


class ReferralPoint(_Result):
    from_: str = Field(alias="from")
    to: str
    referred: int
    follow_up_rate: float | None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ServiceFlow(_Result):
    service: ActorRef
    referred: int
    follow_up_rate: float | None
    series: list[ReferralPoint]


class SaturationWarning(_Result):
    service: ActorRef
    load_before: int
    load_recent: int
    follow_up_before: float
    follow_up_recent: float
    reason: str


class ReferralParameters(PeriodParameters):
    window: int
    rise: float
    fall: float


class ReferralsResult(_Result):
    """Referral flows per receiving service, and saturation warnings."""

    note: str | None = Field(
        default=None, description="Why the result is empty, when it is (no actor, no link…)"
    )

    parameters: ReferralParameters
    services: list[ServiceFlow]
    saturation_warnings: list[SaturationWarning]


# --------------------------------------------------------------------------- the diagnosis


class KindCount(_Result):
    kind: str
    count: int
    previous: int = Field(description="In the period of the same length before")


class _Kinds(_Result):
    need: int
    problem: int
    resource: int
    wish: int
    change: int


class ThemeCount(_Kinds):
    theme: str
    total: int
    previous: int = Field(description="All kinds, in the period of the same length before")


class SectorCount(_Kinds):
    sector: str = Field(description="A statistical sector's code; '*': the whole neighbourhood")
    total: int


class ThemeSectorCount(_Result):
    theme: str
    sector: str = Field(description="A statistical sector's code; '*': the whole neighbourhood")
    count: int


class MonthCount(_Kinds):
    month: str = Field(description="YYYY-MM")


class KindedActor(ActorRef):
    kind: str


class Quote(_Result):
    id: str
    date: date_
    kind: str
    theme: str
    publics: list[str]
    sectors: list[str]
    text: str
    sources: list[ActorRef] = Field(description="Who said it (none: the BAR team)")


class PublicReach(_Result):
    public: str
    actors: list[KindedActor] = Field(description="Actors who reach this public")
    acting: list[KindedActor] = Field(description="… of whom those with the need's theme")
    languages: list[str] = Field(description="Languages the actors reaching it speak")


class NeedReport(_Result):
    theme: str
    count: int
    previous: int
    publics: list[str]
    can_act: list[KindedActor] = Field(description="Actors with the need's theme")
    reaching: list[PublicReach]
    gaps: list[str] = Field(
        description="Publics concerned that no actor with the theme reaches ('*': no actor "
        "with the theme at all)"
    )
    quotes: list[Quote]


class DiagnosisResult(_Result):
    neighbourhood: str | None
    start: date_
    end: date_
    previous_start: date_
    previous_end: date_
    observations: int
    previous_observations: int
    by_kind: list[KindCount]
    by_theme: list[ThemeCount]
    by_sector: list[SectorCount]
    by_theme_sector: list[ThemeSectorCount]
    by_month: list[MonthCount]
    needs: list[NeedReport]
    resources: list[Quote]
    wishes: list[Quote]
    changes: list[Quote]


# --------------------------------------------------------------------------- the indicators


class FigureItem(_Result):
    label: str
    id: str | None = None
    date: date_ | None = None
    detail: str | None = None
    count: int | None = Field(default=None, description="People referred; days without room")
    tags: list[str] = Field(
        default_factory=list, description="Codes: a referral's theme and outcome; a state"
    )


class Figure(_Result):
    key: str = Field(description="What it measures (the page defines each in words)")
    value: float
    count: int | None = Field(default=None, description="For a share: how many")
    total: int | None = Field(default=None, description="For a share: out of how many")
    days: int | None = Field(default=None, description="For saturation: days without room")
    items: list[FigureItem] = Field(description="The records behind the figure")


class KeyCount(_Result):
    key: str
    id: str | None = None
    count: int


class IndicatorsResult(_Result):
    neighbourhood: str | None
    start: date_
    end: date_
    figures: list[Figure]
    referrals_by_theme: list[KeyCount]
    referrals_by_service: list[KeyCount]
