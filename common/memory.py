"""A memory ceiling for one piece of work in a worker process.

``memory_limit(megabytes)`` lowers the process's address-space limit
(``RLIMIT_AS``) to what it uses now plus ``megabytes`` and restores it
afterwards: an allocation past it raises ``MemoryError`` in the work instead
of the machine swapping or the kernel killing the worker. Only for a
process that runs one task at a time (Celery's prefork children); never in
the web server, whose other threads would share the ceiling. Where the
platform has no such limit (not Linux) it does nothing.
"""

import contextlib
import os

try:
    import resource
except ImportError:  # not on this platform
    resource = None  # type: ignore[assignment]


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def memory_limit(megabytes: int):
    in_use = _address_space_bytes()
    if resource is None or in_use is None or megabytes <= 0:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = in_use + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
