"""Synthetic province-scale data for benchmarks (``manage.py generate_scale``, DESIGN §5).

``organisation`` makes districts, grid teams and their officers, the bureaus and categories the
ledger needs, and the enterprises; ``activity`` gives each enterprise its months of visits,
weekly tracking and ledger issues with their timelines; ``rows`` writes them in bulk (COPY on
PostgreSQL). Synthetic rows are marked so they never mix with the demo zone: codes start with
``S``, usernames with ``scale-``, USCCs carry the region code 990000, which no real region has.
"""
