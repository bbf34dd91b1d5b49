"""The small-list pager: every page, the last, an empty list and a cursor past the end."""

from __future__ import annotations

from app.core.pagination import paginate_ordered


def _walk(items: list[str], limit: int) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = paginate_ordered(items, str, limit=limit, cursor=cursor)
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages


def test_pages_then_the_last_one_says_so():
    assert _walk(["a", "b", "c", "d", "e"], 2) == [["a", "b"], ["c", "d"], ["e"]]
    assert _walk(["a", "b"], 2) == [["a", "b"]]


def test_an_empty_list_and_a_cursor_past_the_end_are_empty_last_pages():
    assert paginate_ordered([], str, limit=5, cursor=None) == {"items": [], "next_cursor": None}
    first = paginate_ordered(["a", "b", "c"], str, limit=2, cursor=None)
    assert paginate_ordered(["a", "b"], str, limit=2, cursor=first["next_cursor"]) == {
        "items": [], "next_cursor": None}
