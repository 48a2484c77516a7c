"""Scale tooling (issue 6): a deterministic synthetic district and the benchmark of the worker pages.

- ``generator.generate_synthetic``: a seeded synthetic district of any size (``metro`` = 100,000
  households), written straight into the tables (COPY on PostgreSQL).
- ``benchmark``: server time of the worker pages against the raw SQL of the same data, and the
  throughput of a mixed read load under gunicorn.

Nothing in the product imports this package; ``manage.py generate_synthetic`` and
``manage.py benchmark`` are its entry points (see bench/README.md).
"""
