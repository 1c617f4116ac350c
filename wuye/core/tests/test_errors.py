"""The error pages: a database out of reach answers 503 with Retry-After (load balancers and clients retry), any
other error 500; both in Chinese."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from wuye.core.views.errors import RETRY_AFTER_SECONDS, server_error


def _handle(exc):
    request = RequestFactory().get("/tickets/")
    try:
        raise exc
    except Exception:  # noqa: BLE001 - Django calls handler500 inside its except block, as here
        return server_error(request)


@pytest.mark.parametrize("exc", [OperationalError("server closed the connection unexpectedly"),
                                 InterfaceError("connection already closed")])
def test_a_database_out_of_reach_answers_503_with_retry_after(exc):
    response = _handle(exc)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "服务暂时不可用" in response.content.decode()


def test_any_other_error_answers_500():
    response = _handle(ValueError("a bug"))
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert "出错了" in response.content.decode()
