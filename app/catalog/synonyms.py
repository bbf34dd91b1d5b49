"""Search synonyms: the words villagers type, rewritten to the words products are named with."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.catalog.cache import catalog_changed
from app.catalog.models import SearchSynonym
from app.core.errors import conflict, not_found, unprocessable
from app.extensions import db

# What the migration seeds: words heard at expos for what the certificates call otherwise.
SEED = (("马桶", "坐便器"), ("座便器", "坐便器"), ("地板砖", "瓷砖"), ("油漆", "涂料"),
        ("乳胶漆", "涂料"), ("泡沫板", "保温板"), ("塑钢窗", "门窗"), ("铝合金窗", "门窗"))

_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{1,20}$")


def rewrite(q: str) -> str:
    """The query with each known villager word replaced by the catalogue's (longest first,
    so 乳胶漆 is not read as 漆)."""
    pairs = db.session.execute(sa.select(SearchSynonym.term, SearchSynonym.canonical)).all()
    for term, canonical in sorted(pairs, key=lambda pair: -len(pair[0])):
        if term in q:
            q = q.replace(term, f" {canonical} ")
    return " ".join(q.split())


def all_synonyms() -> sa.Select:
    return sa.select(SearchSynonym)


def add(term: str, canonical: str) -> SearchSynonym:
    term, canonical = term.strip(), canonical.strip()
    for field, word in (("term", term), ("canonical", canonical)):
        if not _WORD.match(word):
            raise unprocessable("invalid_synonym", "同义词只能是 1–20 个汉字、字母或数字",
                                {field: ["只能是 1–20 个汉字、字母或数字"]})
    if term == canonical:
        raise unprocessable("invalid_synonym", "同义词与标准词相同", {"canonical": ["与原词相同"]})
    if db.session.scalar(sa.select(SearchSynonym.id).where(SearchSynonym.term == term)):
        raise conflict("synonym_exists", f"「{term}」已有同义词，请先删除")
    synonym = SearchSynonym(term=term, canonical=canonical)
    db.session.add(synonym)
    db.session.flush()
    catalog_changed()  # cached search pages were computed without it
    return synonym


def remove(synonym_id: int) -> None:
    synonym = db.session.get(SearchSynonym, synonym_id)
    if synonym is None:
        raise not_found("synonym_not_found", "未找到该同义词")
    db.session.delete(synonym)
    db.session.flush()
    catalog_changed()
