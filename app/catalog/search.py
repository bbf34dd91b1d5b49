"""Search the way villagers type: 砖, 瓷砖, 防水涂料, cizhuan, cz, brand names.

Each product stores `search_terms`: space-separated tokens (CJK single characters and
bigrams, the pinyin of each bigram and syllable, initials, latin words). A query is cut the
same way and every token must match: PostgreSQL uses a GIN index on
to_tsvector('simple', search_terms) (no locale involved, so Chinese works on any collation);
SQLite, the embedded default, matches tokens with LIKE.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from pypinyin import Style, lazy_pinyin

from app.catalog.models import Product

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+")


def _cjk_tokens(run: str) -> set[str]:
    tokens = set(run)
    syllables = lazy_pinyin(run, style=Style.NORMAL)
    initials = "".join(s[0] for s in syllables if s)
    tokens.update(syllables)
    if len(run) > 1:
        tokens.add(initials)
    for i in range(len(run) - 1):
        tokens.add(run[i:i + 2])
    # pinyin and initials of every 2- to 4-character stretch: 坐便器 → zuobianqi, zbq
    for size in (2, 3, 4):
        for i in range(len(run) - size + 1):
            part = syllables[i:i + size]
            tokens.add("".join(part))
            tokens.add("".join(s[:1] for s in part))
    return tokens


def terms_for(*texts: str | None) -> str:
    """The search_terms of a product made of these texts (name, brand, category, spec...)."""
    tokens: set[str] = set()
    for text in texts:
        text = (text or "").lower()
        for run in _CJK_RUN.findall(text):
            tokens |= _cjk_tokens(run)
        tokens.update(_WORD.findall(text))
    return " ".join(sorted(tokens))


def query_tokens(q: str) -> list[tuple[str, bool]]:
    """(token, prefix?) pairs that must all match; latin words match as prefixes."""
    q = q.lower()
    out: list[tuple[str, bool]] = []
    for run in _CJK_RUN.findall(q):
        parts = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        out.extend((p, False) for p in parts)
    out.extend((w, True) for w in _WORD.findall(q))
    seen: set[str] = set()
    return [(t, p) for t, p in out if not (t in seen or seen.add(t))][:12]


def _tsquery(tokens: list[tuple[str, bool]]) -> str:
    return " & ".join(f"{t}:*" if prefix else t for t, prefix in tokens)


def match_clause(q: str, dialect: str):
    tokens = query_tokens(q)
    if not tokens:
        return sa.false()
    if dialect == "postgresql":
        vector = sa.func.to_tsvector(sa.literal_column("'simple'"), Product.search_terms)
        return vector.op("@@")(sa.func.to_tsquery(sa.literal_column("'simple'"),
                                                   _tsquery(tokens)))
    padded = sa.literal(" ") + Product.search_terms + sa.literal(" ")
    return sa.and_(*(padded.like(f"% {t}%" if prefix else f"% {t} %") for t, prefix in tokens))


def rank_expression(q: str, dialect: str):
    """Higher is better: the name containing the query beats the brand, which beats a match
    elsewhere (category, spec). Plain LIKEs on two short columns: ts_rank would re-parse
    every match's tokens, which costs seconds when a one-character query hits 20k rows."""
    text = q.strip()
    return (sa.case((Product.name.contains(text, autoescape=True), 2), else_=0)
            + sa.case((Product.brand.contains(text, autoescape=True), 1), else_=0))
