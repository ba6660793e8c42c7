"""What a long-lived web worker does once its app is loaded, before it serves requests."""

from __future__ import annotations

import gc

# Container allocations between two young-generation collections (CPython's default is 700). A big plan's
# feed or calendar allocates hundreds of thousands of short-lived objects; at the default every request runs
# hundreds of collections.
YOUNG_THRESHOLD = 20_000


def settle() -> None:
    """Leave the objects that live as long as the worker (modules, the app, the mapped models) out of the
    garbage collector's way: collect once, freeze what is left, and collect the young generation less often.
    Anything an earlier call froze is released first, so that what has died since is collected.

    Without it a full collection walks every one of those objects again, from inside whichever request
    happens to trigger it: the first fetch of a 1,000-activity feed took 0.55 s instead of 0.26-0.31 s in
    benchmarks/feed_updates.py (README *Performance*)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
