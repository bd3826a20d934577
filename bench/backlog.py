"""Acceptance under backlog: how fast the API answers while the worker processes real pages.

The real companion (worker running, model loaded) gets 500 real pages from the shared corpus
(articles and trafilatura's evaluation pages, reused under distinct URLs), sent in batches as
the outbox would. Then one client sends small captures at a steady 50/s, as a browsing session
would, until the queue is empty or the time is up; the p50/p95 of those acceptances is the
figure. The worker's throughput and the memory of every process (peak RSS and PSS) are recorded
along the way.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench import corpus_pages, http_json, latency_summary, start_companion
from bench.ingest import _read_response, _request, capture_body
from bench.memory import TreeSampler

__all__ = ["real_page_captures", "run"]

_RATE_PER_S = 50


def real_page_captures(count: int) -> list[dict]:
    """`count` captures carrying real corpus pages (cycled, each under its own URL and id)."""
    pages = corpus_pages("articles") + corpus_pages("pages")
    htmls = [page.read_bytes().decode("utf-8", "replace") for page in pages]
    now = datetime.now(UTC).isoformat()
    return [
        {
            "id": str(uuid.uuid4()),
            "url": f"https://site{index % 40}.example.com/{pages[index % len(pages)].stem}/{index}",
            "title": "",
            "kind": "page",
            "started_at": now,
            "engaged_seconds": 120.0,
            "scroll_depth": 0.7,
            "html": htmls[index % len(htmls)],
        }
        for index in range(count)
    ]


def _real_pages_left(url: str, token: str) -> int:
    """Real pages not yet processed (they live on *.example.com; the paced ones do not)."""
    return sum(
        http_json(f"{url}/api/v1/captures?site=example.com&status={status}&limit=1", token=token)[
            "total"
        ]
        for status in ("queued", "processing")
    )


async def _paced(port: int, token: str, seconds: float, still_busy) -> tuple[list[float], int]:
    import asyncio

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    latencies, errors, index = [], 0, 0
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < seconds and still_busy():
            due = started + index / _RATE_PER_S
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            request = _request("/api/v1/captures", port, capture_body(index, 1_000), token)
            sent = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, _, _ = await _read_response(reader)
            latencies.append(time.perf_counter() - sent)
            errors += not 200 <= status < 300
            index += 1
    finally:
        writer.close()
    return latencies, errors


def run(options, pages: int | None = None) -> dict:
    """Queue `pages` real pages (500), measure acceptance while they are processed."""
    import asyncio

    pages = pages or (150 if options.quick else 500)
    max_seconds = 40 if options.quick else 120
    captures = real_page_captures(pages)
    with tempfile.TemporaryDirectory(prefix="inflow-bench-backlog-") as tmp:
        service = start_companion(Path(tmp) / "data", worker=True, wait_for_model=True)
        try:
            url, token = service.base_url, service.token
            sampler = TreeSampler(service.process.pid)
            time.sleep(2)
            before = sampler.snapshot()
            with sampler:
                for start in range(0, len(captures), 25):
                    reply = http_json(
                        f"{url}/api/v1/captures/batch",
                        token=token,
                        body={"captures": captures[start : start + 25]},
                        timeout=120,
                    )
                    assert all(r["accepted"] for r in reply["results"]), reply
                queued_at = time.perf_counter()
                state = {"left": pages, "checked": 0.0}

                def still_busy() -> bool:
                    now = time.perf_counter()
                    if now - state["checked"] > 1.0:
                        state["left"] = _real_pages_left(url, token)
                        state["checked"] = now
                    return state["left"] > 0

                latencies, errors = asyncio.run(
                    _paced(service.port, token, max_seconds, still_busy)
                )
                elapsed = time.perf_counter() - queued_at
                processed = pages - _real_pages_left(url, token)
            peak = sampler.peak
        finally:
            service.stop()
    summary = latency_summary(latencies)
    print(
        f"  backlog: {len(latencies)} acceptances, p50 {summary['p50_ms']} ms, "
        f"p95 {summary['p95_ms']} ms; worker {processed} pages in {elapsed:.0f}s",
        file=sys.stderr,
    )
    return {
        "pages_queued": pages,
        "acceptances": len(latencies),
        "rate_per_s": _RATE_PER_S,
        "errors": errors,
        **summary,
        "worker_pages_processed": processed,
        "worker_pages_per_s": round(processed / elapsed, 2) if elapsed else None,
        "seconds": round(elapsed, 1),
        "goal_p95_ms": 25,
        "memory": {
            "before": before,
            "peak": peak,
            "during": f"{pages} real pages queued in batches of 25, then processed",
        },
    }
