"""Search the way villagers type: 砖, 瓷砖, 防水涂料, cizhuan, cz, brand names.

Each product stores `search_terms`: space-separated tokens (CJK single characters and
bigrams, the pinyin of each bigram and syllable, initials, latin words) of its name, brand,
spec and category, and `name_terms`, the same of its name and brand only. A query is cut the
same way and every token must match: PostgreSQL uses GIN indexes on
to_tsvector('simple', ...) (no locale involved, so Chinese works on any collation); SQLite,
the embedded default, matches tokens with LIKE.

Relevance comes in two tiers, each newest first: products whose name or brand matches, then
those that match only elsewhere (category, spec). No query ranks every match: a common token
fills its page from the newest rows, a rare one has few matches to sort
(services._relevance_page).
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


def like_clause(q: str, column):
    """Every query token among the column's space-separated tokens, with plain LIKEs."""
    tokens = query_tokens(q)
    if not tokens:
        return sa.false()
    padded = sa.literal(" ") + column + sa.literal(" ")
    return sa.and_(*(padded.like(f"% {t}%" if prefix else f"% {t} %") for t, prefix in tokens))


def match_clause(q: str, dialect: str, column=None):
    """Every query token among the column's tokens (search_terms unless told), the way the
    database can index: PostgreSQL's GIN on to_tsvector('simple', column), else LIKEs."""
    column = Product.search_terms if column is None else column
    tokens = query_tokens(q)
    if dialect != "postgresql" or not tokens:
        return like_clause(q, column)
    # The same expression as the column's GIN index (ix_products_[name_]search).
    vector = sa.func.to_tsvector(sa.literal_column("'simple'"), column)
    return vector.op("@@")(sa.func.to_tsquery(sa.literal_column("'simple'"), _tsquery(tokens)))
