from tests.messages.fakes import fake_server, wecom  # noqa: F401 - fixtures
