from wuye.core.tests.browser.conftest import *  # noqa: F403
from wuye.core.tests.browser.conftest import pytest_collection_modifyitems, pytest_runtest_makereport  # noqa: F401
