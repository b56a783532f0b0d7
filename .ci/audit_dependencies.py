"""Known-vulnerability check of the installed dependencies with pip-audit, for .ci/run.

pip-audit asks PyPI's JSON API for advisories; machines that reach only a package index mirror
cannot audit. Then this says so plainly and passes; a vulnerability found fails the run.
"""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pip_audit", "-f", "json", "--progress-spinner", "off"],
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        print("pip-audit: the advisory service did not answer within 10 minutes; dependencies NOT audited")
        return 0
    try:
        deps = json.loads(run.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        print(f"pip-audit failed to run (exit {run.returncode}): {run.stderr.strip()[-500:]}")
        return 1
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        print(
            f"pip-audit: the advisory service is not reachable from this machine; {len(deps)} dependencies NOT audited"
        )
        return 0
    for d in vulnerable:
        for v in d["vulns"]:
            print(
                f"VULNERABLE {d['name']}=={d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions', [])) or '?'})"
            )
    print(
        f"pip-audit: {len(audited)} of {len(deps)} dependencies audited, {len(vulnerable)} with known vulnerabilities"
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
