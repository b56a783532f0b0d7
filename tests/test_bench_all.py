"""`python -m mmrec.bench all` knows how to run every registered benchmark."""

from pathlib import Path

import pytest

from mmrec.bench import BENCHMARKS
from mmrec.bench.all import benchmark_argv


@pytest.mark.parametrize("name", [n for n in BENCHMARKS if n != "all"])
@pytest.mark.parametrize("full", [False, True])
def test_every_benchmark_has_its_arguments_in_the_report(name, full, tmp_path):
    argv = benchmark_argv(name, Path("assets/demo_catalog"), tmp_path, full)
    assert argv is None or argv[-2:] == ["--out", str(tmp_path / f"{name}.json")]
