"""Writing generated rows straight into tables: COPY on PostgreSQL, executemany elsewhere.

The synthetic district is millions of rows; going through model instances (or even
``bulk_create``) would spend most of the ten-minute budget building Python objects. Rows here are
plain tuples in a declared column order. Every NOT NULL column of the model must be declared, so
that a new required field fails the load (and the generator's test) loudly instead of silently.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connections, models

BATCH = 5_000  # rows per executemany on SQLite


class Loader:
    def __init__(self, using: str = "default"):
        self.connection = connections[using]
        self.connection.ensure_connection()
        self.is_postgres = self.connection.vendor == "postgresql"
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.loaded_models: list[type[models.Model]] = []

    def next_id(self, model: type[models.Model]) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) + 1 FROM "{model._meta.db_table}"')
            return cursor.fetchone()[0]

    def load(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple], prepared: Sequence[str] = ()
    ) -> int:
        """Insert ``rows`` (tuples in ``columns`` order, attnames such as ``case_id``) into ``model``'s table.

        ``prepared`` names columns whose values are already database values (e.g. an RRN the
        generator encrypted itself): they are written as given.
        """
        fields = [self._field(model, name) for name in columns]
        constants = self._constant_defaults(model, columns)
        self._check_required(model, list(columns) + [f.attname for f in constants])
        if constants:  # e.g. a lock_version added later: its constant default, written for every row
            fields += constants
            tail = tuple(f.default for f in constants)
            rows = (row + tail for row in rows)
        table = model._meta.db_table
        column_sql = ", ".join(f'"{f.column}"' for f in fields)
        began = time.perf_counter()
        if self.is_postgres:
            count = self._copy(table, column_sql, fields, rows)
        else:
            count = self._insert(table, column_sql, fields, rows, prepared)
        label = model._meta.label
        self.rows[label] = self.rows.get(label, 0) + count
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - began
        if model not in self.loaded_models:
            self.loaded_models.append(model)
        return count

    @contextmanager
    def indexes_deferred(self, big_models: Sequence[type[models.Model]]) -> Iterator[None]:
        """On PostgreSQL, load ``big_models`` without their indexes and constraints, then rebuild them.

        What pg_restore does: maintaining a dozen b-trees row by row and queueing a foreign-key
        check per row and key costs several times more than building each index once and
        validating each foreign key with one join at the end. The keys are still checked (adding
        a FOREIGN KEY constraint validates every row), and all of it happens inside the load's
        transaction, so a failure leaves the database as it was. Elsewhere: nothing to do.
        """
        if not self.is_postgres:
            yield
            return
        saved: list[tuple[str, str, str, str]] = []  # (table, kind, name, definition)
        with self.connection.cursor() as cursor:
            # Foreign keys are deferred: check what this transaction wrote so far now, so that no
            # pending check stands in the way of altering the tables.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for model in big_models:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c "
                    "WHERE c.conrelid = %s::regclass AND c.contype IN ('f', 'u') ORDER BY c.contype DESC, c.conname",
                    [table],
                )
                for name, definition, kind in cursor.fetchall():
                    saved.append((table, "constraint-" + kind, name, definition))
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                    "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    saved.append((table, "index", name, definition))
            for table, kind, name, _definition in saved:
                if kind == "index":
                    cursor.execute(f'DROP INDEX "{name}"')
                else:
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        yield
        began = time.perf_counter()
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # Indexes and unique constraints first: the foreign keys' validation joins use them.
            order = {"index": 0, "constraint-u": 1, "constraint-f": 2}
            for table, kind, name, definition in sorted(saved, key=lambda s: order[s[1]]):
                if kind == "index":
                    cursor.execute(definition)
                else:
                    cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        self.seconds["indexes and keys rebuilt"] = time.perf_counter() - began

    def reset_sequences(self) -> None:
        """After explicit ids, the next row inserted by the application must not collide."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), self.loaded_models)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self) -> None:
        if not self.is_postgres:
            return
        with self.connection.cursor() as cursor:
            for model in self.loaded_models:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')

    def vacuum_analyze(self) -> None:
        """After the commit (VACUUM cannot run in a transaction): leave the tables as a production
        database's autovacuum would (issue 15: this machine runs with autovacuum off) — statistics
        for the planner and the visibility map that lets index-only scans skip the heap."""
        if not self.is_postgres or self.connection.in_atomic_block:  # e.g. inside a test's transaction
            return
        with self.connection.cursor() as cursor:
            for model in self.loaded_models:
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')

    # --- internals ------------------------------------------------------------------------------

    @staticmethod
    def _field(model, name: str):
        for field in model._meta.concrete_fields:
            if name in (field.attname, field.name):
                return field
        raise ValueError(f"{model._meta.label} has no column {name!r}")

    @staticmethod
    def _constant_defaults(model, columns: Sequence[str]) -> list:
        given = set(columns)
        return [
            f
            for f in model._meta.concrete_fields
            if f.attname not in given
            and f.name not in given
            and not f.null
            and f.has_default()
            and not callable(f.default)
        ]

    @staticmethod
    def _check_required(model, columns: Sequence[str]) -> None:
        given = set(columns)
        missing = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in given
            and f.name not in given
            and not f.null
            and getattr(f, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED
        ]
        if missing:
            raise ValueError(f"{model._meta.label}: the generator does not fill required columns {missing}")

    def _copy(self, table: str, column_sql: str, fields, rows: Iterable[tuple]) -> int:
        json_positions = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        raw = self.connection.connection  # the psycopg connection, inside Django's transaction
        count = 0
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({column_sql}) FROM STDIN') as copy:
            for row in rows:
                if json_positions:
                    row = list(row)
                    for i in json_positions:
                        row[i] = json.dumps(row[i], ensure_ascii=False)
                copy.write_row(row)
                count += 1
        return count

    def _insert(self, table: str, column_sql: str, fields, rows: Iterable[tuple], prepared: Sequence[str]) -> int:
        connection = self.connection
        preps = [
            (lambda value: value)
            if f.attname in prepared
            else (lambda value, f=f: f.get_db_prep_save(value, connection))
            for f in fields
        ]
        sql = f'INSERT INTO "{table}" ({column_sql}) VALUES ({", ".join(["%s"] * len(fields))})'
        count, batch = 0, []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append([prep(value) for prep, value in zip(preps, row, strict=True)])
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count
