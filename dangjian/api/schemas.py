from ninja import Schema


class Error(Schema):
    detail: str


class ValidationErrors(Schema):
    detail: list | str


class Page(Schema):
    """Envelope of every list: the page's items with the total and where the page starts."""

    count: int
    offset: int
    limit: int
