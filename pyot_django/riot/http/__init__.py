"""The HTTP client every service store uses: transport, pools, attempts, deadlines, limits.

Data flows caller → pipeline → store → :class:`HttpClient` → limiter slot →
transport. The modules, one concern each:

``client``       the attempt loop and what bounds it (``HttpClient``)
``attempt``      one call's state and the retry decision (``Call``)
``transport``    one request over h1 (or an httpx session), body read with a cap
``h1``           the lean HTTP/1.1 client (asyncio + httptools) under the transport
``pools``        one-connection pools per event loop, closed with their loop
``body``         2xx body → value, or why it is not data
``retry_after``  the one ``Retry-After`` parser, and its cap
``secret``       the API key, masked everywhere but in the header
"""

from .client import DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT, HttpClient
from .retry_after import DEFAULT_MAX_RETRY_AFTER, MAX_RETRY_AFTER_LIMIT, RetryAfterCap, parse_retry_after
from .secret import Secret, key_identity, key_problem, mask_keys
from .transport import full_url

__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRY_AFTER",
    "DEFAULT_TIMEOUT",
    "MAX_RETRY_AFTER_LIMIT",
    "HttpClient",
    "RetryAfterCap",
    "Secret",
    "full_url",
    "key_identity",
    "key_problem",
    "mask_keys",
    "parse_retry_after",
]
