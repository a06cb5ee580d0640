"""Searching the library in Chinese.

Chinese has no spaces, so a plain ``LIKE`` or a PostgreSQL text-search vector over the raw
title finds 企业信息化专项资金 only by its exact beginning. The service therefore keeps
``Policy.search_tokens``: title, number, body, key points, scope and clause titles cut into
words by jieba (search mode, so 信息化 yields 信息 and 信息化 as well). A query is cut the
same way, and every word must match:

* on PostgreSQL through ``SearchVector('search_tokens', config='simple')`` (a GIN index in
  migration 0003 serves it), plus trigram similarity on the title for near misses (pg_trgm).
  The near miss is asked with the ``%`` operator (``TrigramSimilar``, threshold
  ``pg_trgm.similarity_threshold``, 0.3 by default), not ``similarity(...) > 0.3``: only the
  operator can be answered by the trigram index, and only when both arms of the OR are
  indexable does PostgreSQL read the two GIN indexes instead of scanning every policy;
* on SQLite with ``icontains`` over the tokens, or the raw query in the title.
"""

import logging

import jieba
from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet, Value

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_WORDS = 12


def words(text: str) -> list[str]:
    """The distinct searchable words of ``text``, in order (punctuation and spaces dropped)."""
    seen: dict[str, None] = {}
    for word in jieba.cut_for_search(text or ""):
        word = word.strip().lower()
        if word and any(character.isalnum() for character in word):
            seen.setdefault(word, None)
    return list(seen)


def tokens_for(*texts: str) -> str:
    return " ".join(words(" ".join(text for text in texts if text)))


def apply_search(policies: QuerySet, query: str) -> QuerySet:
    """``policies`` narrowed to those matching ``query``, best match first (unchanged if empty)."""
    query = (query or "").strip()[:100]
    query_words = words(query)[:MAX_QUERY_WORDS]
    if not query_words:
        return policies
    if connection.vendor == "postgresql":
        search = SearchQuery(" ".join(query_words), config="simple", search_type="plain")
        return (
            policies.annotate(
                search=SearchVector("search_tokens", config="simple"),
                similarity=TrigramSimilarity("title", query),
            )
            .filter(Q(search=search) | Q(TrigramSimilar(F("title"), Value(query))))
            .annotate(rank=SearchRank(F("search"), search) + F("similarity"))
            .order_by("-rank", "-effective_from", "-id")
        )
    every_word = Q()
    for word in query_words:
        every_word &= Q(search_tokens__icontains=word)
    return policies.filter(every_word | Q(title__icontains=query))
