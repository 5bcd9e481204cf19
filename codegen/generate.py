"""Write a generated tree: only changed files are rewritten, and files no emitter produced
any more are removed, so `generated/` always equals what the spec says."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from codegen.files import write_if_changed


def is_leftover(relative: str) -> bool:
    """Whether a path under the generated tree (relative to it, e.g. 'python/build/lib/x.py')
    is what building, installing or importing a package leaves there, never an emitter's
    output: __pycache__/, pip's build/ and *.egg-info/ (all in .gitignore). Generation neither
    removes these nor counts them among its outputs."""
    parts = PurePosixPath(relative).parts
    return (
        "__pycache__" in parts
        or any(part.endswith(".egg-info") for part in parts)
        or parts[1:2] == ("build",)
    )


def write_tree(root: Path, files: dict[str, str], managed: tuple[str, ...]) -> list[str]:
    """Write `files` under `root`; delete other files under the `managed` subfolders.

    Returns the paths (relative to root) that were written or removed.
    """
    changed = [path for path, text in files.items() if write_if_changed(root / path, text)]
    for folder in managed:
        for existing in sorted((root / folder).rglob("*")):
            relative = existing.relative_to(root).as_posix()
            if existing.is_file() and relative not in files and not is_leftover(relative):
                existing.unlink()
                changed.append(relative)
    return changed
