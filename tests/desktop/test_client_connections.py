"""The desktop's HTTP client never lets one request's connection hold up another.

A pooled keep-alive connection left locked by a request cancelled mid-flight once made the
report wait forever (no httpx timeout covers a connection's internal lock). The client keeps
no idle connection, and requests cancelled at every point of their flight leave later ones
answering in time. Real backend, real client; a plain asyncio loop (pooling does not depend on
the loop, and a qasync loop closed at a module's end has crashed the next module's Qt events).
"""

from __future__ import annotations

import asyncio

from desktop.client import BackendClient


def _client(backend) -> BackendClient:
    return BackendClient(backend.base, backend.ws_base, backend.token)


def _pooled(client: BackendClient) -> list:
    return list(client._client()._transport._pool.connections)  # type: ignore[attr-defined]


def test_a_finished_request_leaves_no_connection_to_share(live_backend):
    async def scenario():
        client = _client(live_backend)
        try:
            assert isinstance(await client.sessions(), list)
            assert _pooled(client) == [], "a kept-alive connection could be handed on locked"
        finally:
            await client.aclose()

    asyncio.run(asyncio.wait_for(scenario(), 60))


def test_requests_cancelled_mid_flight_never_stall_the_next_one(live_backend):
    async def scenario():
        client = _client(live_backend)
        try:
            for step in range(60):
                calls = [asyncio.ensure_future(client.sessions()) for _ in range(3)]
                for _ in range(step % 30):  # cancel at a different point of the flight
                    await asyncio.sleep(0)
                calls[step % 3].cancel()
                await asyncio.gather(*calls, return_exceptions=True)
                assert isinstance(await asyncio.wait_for(client.sessions(), 30), list), step
        finally:
            await client.aclose()

    asyncio.run(asyncio.wait_for(scenario(), 240))
