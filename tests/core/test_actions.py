"""core.actions.post_action: the one way a page POST runs a service."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from dangjian.core.actions import error_text, post_action


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_success_shows_its_message_and_redirects():
    request, ran = _request(), []
    response = post_action(request, lambda: ran.append(1), success="已保存。", to="core:audit")
    assert ran == [1] and response.status_code == 302 and response.url == "/audit/"
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("success", "已保存。")]


def test_a_refusal_shows_every_reason_in_one_line_and_no_success():
    request = _request()

    def refuse():
        raise ValidationError(["日期不能晚于今天。", "请填写原因。"])

    response = post_action(request, refuse, success="已保存。", to="/me/")
    assert response.url == "/me/"
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("error", "日期不能晚于今天。；请填写原因。")]


def test_error_text_joins_the_reasons():
    assert error_text(ValidationError("一")) == "一"
    assert error_text(ValidationError(["一", "二"])) == "一；二"
    # A refusal caught beside a ValidationError (a score that does not parse) is its own text.
    assert error_text(ArithmeticError("分值无效")) == "分值无效"


def test_other_errors_are_not_swallowed():
    with pytest.raises(ZeroDivisionError):  # a programming error must not become a page message
        post_action(_request(), lambda: 1 / 0, to="/")
