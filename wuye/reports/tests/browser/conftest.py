from wuye.core.tests.browser.conftest import *  # noqa: F403
