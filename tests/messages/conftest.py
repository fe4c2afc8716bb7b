from tests.messages.fakes import fake_server, fake_smtp, wecom  # noqa: F401 - fixtures
