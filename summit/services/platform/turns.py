"""Long work inside a request that lets the rest of its worker run.

gunicorn's gevent worker (gunicorn.conf.py) runs all of a process's requests, its live
streams and its heartbeat on one thread, and switches between them only where one waits for
the network. A badge run draws for seconds without waiting: on SQLite, 10,000 badges held
every other request of their worker (desk scans, votes, screens) for 9 s, and a run longer
than gunicorn's timeout (30 s) got the worker killed halfway through the PDF, as its
heartbeat could not run either. (On PostgreSQL the run waits for each batch of rows, so the
others got in there, each after 0.1-0.4 s.)

Under that worker time.sleep is gevent's, and a sleep gives the others a turn: the shortest
one that is not 0, because gevent's sleep(0) may come back before it has looked at the
network (a desk's scan then waited a second for its turn). A turn is given every SLICE
seconds of work, not after every item. Anywhere else (the command line, a thread) there is
no turn to give, and a real sleep would only add time (about 1 % of a badge run).
"""

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

# Seconds of work between two turns: a scan that arrives meanwhile needs one or two.
SLICE = 0.01
TURN = 1e-6

Item = TypeVar("Item")


def taking_turns(items: Iterable[Item], slice_seconds: float = SLICE) -> Iterator[Item]:
    """The items, one by one, with a turn for the worker's other requests every
    slice_seconds. Only for reading: a turn taken while holding SQLite's write lock would
    stall the whole worker, as another request's write would wait for that lock inside
    SQLite, where gevent cannot switch back to the holder."""
    if not _under_gevent():
        yield from items
        return
    due = time.monotonic() + slice_seconds
    for item in items:
        yield item
        if time.monotonic() >= due:
            time.sleep(TURN)
            due = time.monotonic() + slice_seconds


def _under_gevent() -> bool:
    """Whether gevent has patched time.sleep (gunicorn's gevent worker does, first thing);
    without importing gevent where nothing has."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("time")
