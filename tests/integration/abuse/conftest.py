"""The api fixtures of tests/integration/api, shared with the abuse suite: per-test clients
over the real service, and the role matrix's module-long running api and seeded office."""

from tests.integration.api.conftest import (  # noqa: F401  (pytest finds fixtures by name)
    client,
    clock,
    make_client,
    queries,
    read_side,
    settings,
    store,
    write_client,
)
from tests.integration.api.test_role_matrix import http, running, world  # noqa: F401
