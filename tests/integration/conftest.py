from __future__ import annotations

import pytest

from sharebound.bootstrap import App
from tests.integration.world import World, build_world


@pytest.fixture
def world(app: App) -> World:
    return build_world(app)
