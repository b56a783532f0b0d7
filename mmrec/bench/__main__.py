"""``python -m mmrec.bench NAME [args]``: run one benchmark (each also runs as ``python -m mmrec.bench.NAME``)."""

import importlib
import sys

from . import BENCHMARKS

if len(sys.argv) < 2 or sys.argv[1] not in BENCHMARKS:
    print("usage: python -m mmrec.bench NAME [args]\n")
    for name, what in BENCHMARKS.items():
        print(f"  {name:16} {what}")
    sys.exit(2)
name = sys.argv.pop(1)
importlib.import_module(f"mmrec.bench.{name}").main()
