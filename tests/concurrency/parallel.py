"""Run one piece of work in many threads at once, each on its own database connection."""

import threading

from django.db import connections


def run_in_parallel(worker, count: int) -> list:
    """Run ``worker(i)`` in ``count`` threads released together by a barrier; return each
    result or the exception it raised, in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i):
        try:
            barrier.wait(timeout=10)
            results[i] = worker(i)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
