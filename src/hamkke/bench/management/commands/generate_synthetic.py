"""``manage.py generate_synthetic --size metro --seed 1``: load a synthetic district (issue 6)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from hamkke.bench.generator import METRO, SIZES, generate_synthetic


class Command(BaseCommand):
    help = "Write a deterministic synthetic district (metro = 100,000 households) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--size", default="small", help=f"one of {', '.join(SIZES)} (metro: {METRO})")
        parser.add_argument("--factor", type=float, help="any factor of metro instead of --size, e.g. 0.05")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="the last day of the history (default: today); with the seed, fixes every row",
        )

    def handle(self, *args, size, factor, seed, today, **options):
        if factor is None:
            if size not in SIZES:
                raise CommandError(f"--size must be one of {', '.join(SIZES)}")
            factor = SIZES[size]
        self.stdout.write(f"Generating a synthetic district: factor {factor:g} of metro, seed {seed}")
        try:
            result = generate_synthetic(factor=factor, seed=seed, today=today, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for label, rows in result.rows.items():
            self.stdout.write(f"  {label:<40} {rows:>10,} rows  {result.seconds[label]:7.1f} s")
        for note in result.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(
            self.style.SUCCESS(
                f"District '{result.district.name}' (id {result.district.pk}) loaded in {result.total_seconds:.1f} s"
            )
        )
