"""The repository checks that need a running integration use its fixtures."""

from tests.ha.conftest import (  # noqa: F401
    auto_enable_custom_integrations,
    devices,
    frozen_start,
    init_integration,
    mock_config_entry,
    options,
    time_zone,
)
