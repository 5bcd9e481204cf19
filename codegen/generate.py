"""Write a generated tree: only changed files are rewritten, and files no emitter produced
any more are removed, so `generated/` always equals what the spec says."""

from __future__ import annotations

from pathlib import Path

from codegen.files import write_if_changed


def write_tree(root: Path, files: dict[str, str], managed: tuple[str, ...]) -> list[str]:
    """Write `files` under `root`; delete other files under the `managed` subfolders.

    Returns the paths (relative to root) that were written or removed.
    """
    changed = [path for path, text in files.items() if write_if_changed(root / path, text)]
    for folder in managed:
        for existing in sorted((root / folder).rglob("*")):
            relative = existing.relative_to(root).as_posix()
            if existing.is_file() and relative not in files and "__pycache__" not in relative:
                existing.unlink()
                changed.append(relative)
    return changed
