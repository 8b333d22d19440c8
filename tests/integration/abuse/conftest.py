"""The api fixtures of tests/integration/api, shared with the abuse suite."""

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
