"""What pip, setuptools and Python leave in the generated tree (build/, *.egg-info/,
__pycache__/) is not generation's: `write_tree` neither removes it nor reports it, while a
file no emitter makes any more is still removed."""

from __future__ import annotations

from codegen.generate import is_leftover, write_tree


def test_leftovers_are_kept_and_stale_outputs_removed(tmp_path):
    leftovers = [
        "python/build/lib/smdb/cli.py",
        "python/smdb.egg-info/PKG-INFO",
        "python/smdb/__pycache__/cli.cpython-311.pyc",
    ]
    for relative in [*leftovers, "python/smdb/gone.py"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x", encoding="utf-8")
    changed = write_tree(tmp_path, {"python/smdb/cli.py": "print()\n"}, ("python",))
    assert sorted(changed) == ["python/smdb/cli.py", "python/smdb/gone.py"]
    assert all((tmp_path / relative).is_file() for relative in leftovers)
    assert not (tmp_path / "python/smdb/gone.py").exists()


def test_only_a_package_folders_own_build_is_a_leftover():
    assert is_leftover("python/build/lib/smdb/x.py")
    assert not is_leftover("python/smdb/build/x.py")  # an emitted module may be named so
    assert not is_leftover("python/smdb/cli.py")
