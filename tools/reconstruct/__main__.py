"""Rebuild the reconstructed release sources: `python -m tools.reconstruct --release R`.

For maintainers only: a real DST release is dropped into spec/sources/<release>/ as is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.errors import SourceError
from tools.reconstruct.workbook import build_workbook
from tools.reconstruct.wsdl import build_wsdls

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.reconstruct")
    parser.add_argument("--release", help="default: every release with a reconstruction/")
    args = parser.parse_args()
    sources = ROOT / "spec" / "sources"
    releases = (
        [sources / args.release]
        if args.release
        else sorted(p.parent for p in sources.glob("*/reconstruction") if p.is_dir())
    )
    try:
        written = [
            path
            for release_dir in releases
            for path in (build_workbook(release_dir), *build_wsdls(release_dir))
        ]
    except SourceError as exc:
        print(f"reconstruct: error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
