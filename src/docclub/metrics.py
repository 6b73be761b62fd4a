"""What `/metrics` shows, in Prometheus format (prometheus-client), and the calls that count it.

Labels are names the code chose (a command's name, an outcome, a platform, an HTTP status),
never member data or secrets: an unknown command word counts as "unknown", not as typed.
Each call is a counter increment or a histogram observation (about a microsecond), made where
the thing happens: commands in `Docclub.answer`, deferrals in the adapters, reminders in the
scheduler, commit batches in the SQLite writer, platform errors where an adapter sees them.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

__all__ = [
    "CONTENT_TYPE",
    "REGISTRY",
    "command_done",
    "commit_batch",
    "exposition",
    "interaction_deferred",
    "platform_error",
    "reminder_claimed",
    "reminder_failed",
    "reminder_sent",
]

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)
CONTENT_TYPE = CONTENT_TYPE_LATEST

_COMMANDS = Counter(
    "docclub_commands",
    "Commands answered, by command and outcome (ok, refused, error)",
    ["command", "outcome"],
    registry=REGISTRY,
)
_LATENCY = Histogram(
    "docclub_command_seconds",
    "Time from a command's start to its answer (core and store, not the platform's delivery)",
    ["command"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0),
    registry=REGISTRY,
)
_DEFERRED = Counter(
    "docclub_interactions_deferred",
    "Answers deferred because the platform's deadline came first",
    ["platform"],
    registry=REGISTRY,
)
_REMINDERS_DUE = Counter("docclub_reminders_due", "Reminders claimed for delivery", ["kind"], registry=REGISTRY)
_REMINDERS_SENT = Counter("docclub_reminders_sent", "Reminders delivered", ["kind"], registry=REGISTRY)
_REMINDERS_FAILED = Counter(
    "docclub_reminders_failed",
    "Reminder deliveries that failed (retried or given up)",
    ["kind", "permanent"],
    registry=REGISTRY,
)
_REMINDERS_DROPPED = Counter(
    "docclub_reminders_dropped",
    "Reminders not sent: a later one of the same party covered them, or they were too late",
    ["kind", "why"],
    registry=REGISTRY,
)
_LATE = Histogram(
    "docclub_reminder_late_seconds",
    "How long after its due time a reminder was delivered",
    buckets=(0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0),
    registry=REGISTRY,
)
_BATCH = Histogram(
    "docclub_group_commit_batch_size",
    "Writes committed together in one transaction (SQLite group commit)",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
    registry=REGISTRY,
)
_PLATFORM_ERRORS = Counter(
    "docclub_platform_api_errors",
    "Errors answered by a platform's API, by HTTP status",
    ["platform", "status"],
    registry=REGISTRY,
)

_COMMAND_SERIES: dict[tuple[str, str], tuple[Counter, Histogram]] = {}


def command_done(command: str, outcome: str, seconds: float) -> None:
    counted = _COMMAND_SERIES.get((command, outcome))
    if counted is None:  # each command's series looked up once (labels() takes a lock every call)
        counted = _COMMAND_SERIES[(command, outcome)] = (_COMMANDS.labels(command, outcome), _LATENCY.labels(command))
    counted[0].inc()
    counted[1].observe(seconds)


_DEFERRED_SERIES: dict[str, Counter] = {}


def interaction_deferred(platform: str) -> None:
    counted = _DEFERRED_SERIES.get(platform)
    if counted is None:  # each platform's series looked up once, as for commands
        counted = _DEFERRED_SERIES[platform] = _DEFERRED.labels(platform)
    counted.inc()


def reminder_claimed(kind: str) -> None:
    _REMINDERS_DUE.labels(kind).inc()


def reminder_sent(kind: str, late_seconds: float) -> None:
    _REMINDERS_SENT.labels(kind).inc()
    _LATE.observe(max(0.0, late_seconds))


def reminder_failed(kind: str, *, permanent: bool) -> None:
    _REMINDERS_FAILED.labels(kind, "yes" if permanent else "no").inc()


def reminder_dropped(kind: str, why: str) -> None:
    """`why`: "superseded" (a later reminder of the party covers it) or "late" (past the grace)."""
    _REMINDERS_DROPPED.labels(kind, why).inc()


def commit_batch(size: int) -> None:
    _BATCH.observe(size)


def platform_error(platform: str, status: int | str) -> None:
    _PLATFORM_ERRORS.labels(platform, str(status)).inc()


def exposition() -> bytes:
    """The registry in Prometheus text format."""
    return generate_latest(REGISTRY)
