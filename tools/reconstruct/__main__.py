"""Rebuild the reconstructed release sources: `python -m tools.reconstruct --release R`.

For maintainers only: a real DST release is dropped into spec/sources/<release>/ as is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.reconstruct.workbook import build_workbook
from tools.reconstruct.wsdl import build_wsdls

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.reconstruct")
    parser.add_argument("--release", default="2026-01-01")
    args = parser.parse_args()
    release_dir = ROOT / "spec" / "sources" / args.release
    written = [build_workbook(release_dir), *build_wsdls(release_dir)]
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
