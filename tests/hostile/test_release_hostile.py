"""A release is data, never code: hostile release folders and manifests are refused with one
line (exit 2, no traceback, nothing written), within a memory ceiling and a time bound."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from bounded import ROOT, assert_one_line_failure, run_bounded, snapshot

RELEASE = "2026-01-01"


@pytest.fixture
def tree(tmp_path):
    """A scratch copy of the release (without its reconstruction folder) and an output folder
    holding a previous spec."""
    source = ROOT / "spec" / "sources" / RELEASE
    shutil.copytree(
        source, tmp_path / "sources" / RELEASE, ignore=shutil.ignore_patterns("reconstruction")
    )
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f"{RELEASE}.json").write_text("previous output\n")
    return tmp_path


def manifest_path(tree: Path) -> Path:
    return tree / "sources" / RELEASE / "release.json"


def edit_manifest(tree: Path, **values) -> None:
    path = manifest_path(tree)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(values)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def spec(tree: Path, release: str = RELEASE):
    before = snapshot(tree / "out")
    result = run_bounded(
        "-m",
        "codegen.cli",
        "spec",
        "--release",
        release,
        "--sources",
        str(tree / "sources"),
        "--output",
        str(tree / "out"),
    )
    assert snapshot(tree / "out") == before
    return result


def test_the_copy_itself_is_accepted(tree):
    """The fixture is a sound release: every refusal below comes from what each test breaks."""
    result = run_bounded(
        "-m",
        "codegen.cli",
        "spec",
        "--release",
        RELEASE,
        "--json",
        "--sources",
        str(tree / "sources"),
        "--output",
        str(tree / "out"),
    )
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize(
    "release",
    [
        "../x",
        "../../etc",
        "2026-01-01/..",
        "2026-1-1",
        "2026-13-01",
        'x"y',
        "2026-01-01\n",
        "２０２６-01-01",
    ],
)
def test_a_release_name_that_is_not_a_date_is_refused(tree, release):
    assert_one_line_failure(spec(tree, release), "smdbgen", "YYYY-MM-DD")


def test_generate_refuses_a_release_outside_the_sources():
    result = run_bounded("-m", "codegen.cli", "generate", "--release", "../x")
    assert_one_line_failure(result, "smdbgen", "YYYY-MM-DD")


@pytest.mark.parametrize(
    "value",
    ['2026-01-01"; import os; os.system("touch pwned"); x = "', "2026-01-02", "../2026-01-01"],
)
def test_the_manifest_release_must_be_its_folder_date(tree, value):
    edit_manifest(tree, release=value)
    assert_one_line_failure(spec(tree), "smdbgen", "release.json", "release")


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [
        ("wsdls", "SecureHentData-v1.wsdl", "'wsdls' must be a list of file names"),
        ("wsdls", [1, 2], "'wsdls' must be a list of file names"),
        ("workbook", ["a.xlsx"], "'workbook' must be a file name"),
        ("workbook", None, "'workbook' must be a file name"),
        ("effective", 20260101, "'effective' must be a date"),
        ("kravspec", {"a": 1}, "'kravspec' must be a string"),
        ("limits", {"wsdl_bytes": "big"}, "'limits' must be"),
        ("limits", {"unknown_bytes": 5}, "'limits' must be"),
        ("surprise", 1, "unknown key"),
    ],
)
def test_wrong_value_types_are_refused(tree, key, value, needle):
    edit_manifest(tree, **{key: value})
    assert_one_line_failure(spec(tree), "smdbgen", "release.json", needle)


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '"x"',
        "[" * 100_000 + "]" * 100_000,
        '{"release": ' + "9" * 5000 + "}",
        '{"release": "\\ud800"',
        "\xff\xfe",
    ],
)
def test_a_manifest_that_is_not_one_is_refused(tree, text):
    manifest_path(tree).write_bytes(
        text.encode("utf-8", errors="surrogateescape") if text != "\xff\xfe" else b"\xff\xfe{}"
    )
    assert_one_line_failure(spec(tree), "smdbgen", "release.json")


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("/etc/passwd", "not a file name inside the release folder"),
        ("../2026-01-01/actions.csv", "not a file name inside the release folder"),
        ("sub/../../x.wsdl", "not a file name inside the release folder"),
        ("..\\x.wsdl", "not a file name inside the release folder"),
        ("missing.wsdl", "no such file"),
        ("reconstruction", "not a regular file"),
        ("a" * 300, "must be a list of file names"),
    ],
)
def test_manifest_paths_stay_inside_the_release(tree, name, needle):
    (tree / "sources" / RELEASE / "reconstruction").mkdir()
    edit_manifest(tree, wsdls=[name])
    assert_one_line_failure(spec(tree), "smdbgen", "release.json", needle)


def test_a_symlink_out_of_the_release_is_refused(tree):
    secret = tree / "secret.wsdl"
    secret.write_text("top secret")
    (tree / "sources" / RELEASE / "linked.wsdl").symlink_to(secret)
    edit_manifest(tree, wsdls=["linked.wsdl"])
    line = assert_one_line_failure(spec(tree), "smdbgen", "leads out of the release folder")
    assert "top secret" not in line


def test_an_unnamed_symlink_out_of_the_release_is_refused_too(tree):
    """Every file of the folder is hashed into the spec: a link to a secret would leak its hash."""
    secret = tree / "secret.txt"
    secret.write_text("top secret")
    (tree / "sources" / RELEASE / "notes.txt").symlink_to(secret)
    assert_one_line_failure(spec(tree), "smdbgen", "notes.txt", "leads out of the release folder")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_never_read(tree, device):
    """A WSDL linked to /dev/zero once ate memory until killed."""
    link = tree / "sources" / RELEASE / "SecureHentData-v1.wsdl"
    link.unlink()
    link.symlink_to(device)
    assert_one_line_failure(spec(tree), "smdbgen", "SecureHentData-v1.wsdl")


def test_a_device_inside_the_folder_by_a_relative_link_is_refused(tree):
    folder = tree / "sources" / RELEASE
    os.mkfifo(folder / "pipe.wsdl")
    edit_manifest(tree, wsdls=["pipe.wsdl"])
    assert_one_line_failure(spec(tree), "smdbgen", "not a regular file")


def test_a_fifo_in_the_folder_is_refused(tree):
    os.mkfifo(tree / "sources" / RELEASE / "stray")
    assert_one_line_failure(spec(tree), "smdbgen", "stray", "not a regular file")


def test_a_wsdl_over_the_size_limit_is_refused_before_it_is_read(tree):
    edit_manifest(tree, limits={"wsdl_bytes": 1000})
    assert_one_line_failure(spec(tree), "smdbgen", "more than the limit of 1,000")


def test_a_wsdl_that_grows_after_its_size_check_is_read_only_up_to_the_limit(tree, monkeypatch):
    from codegen.build import build_spec
    from codegen.errors import SourceError
    from codegen.importers import release

    edit_manifest(tree, limits={"wsdl_bytes": 1000})
    # As if each file passed its check and was then swapped for a larger one.
    monkeypatch.setattr(release, "source_file", lambda *args: None)
    with pytest.raises(SourceError, match="larger than the limit of 1,000 bytes"):
        build_spec(RELEASE, tree / "sources")


def test_the_wsdl_importer_itself_reads_only_up_to_its_limit(tree):
    from codegen.errors import SourceError
    from codegen.importers.wsdl import load_wsdl

    path = tree / "sources" / RELEASE / "SecureHentData-v1.wsdl"
    with pytest.raises(SourceError, match="larger than the limit of 1,000 bytes") as caught:
        load_wsdl(path, root=tree, limit=1000)
    assert "SecureHentData-v1.wsdl" in str(caught.value)


def test_a_large_sparse_wsdl_is_refused_by_the_default_limit(tree):
    path = tree / "sources" / RELEASE / "SecureHentData-v1.wsdl"
    with path.open("r+b") as handle:
        handle.truncate(10 << 30)  # 10 GB, sparse: costs no disk
    assert_one_line_failure(spec(tree), "smdbgen", "more than the limit")


def test_a_huge_manifest_is_read_only_up_to_its_limit(tree):
    with manifest_path(tree).open("r+b") as handle:
        handle.truncate(10 << 30)
    assert_one_line_failure(spec(tree), "smdbgen", "release.json", "larger than the limit")


@pytest.mark.parametrize("code", ["²⁴⁷", "①④⑦", "١٤٧", "9" * 5000, "147\x1b[2J"])
def test_municipality_codes_are_ascii_digits_only(tree, code):
    path = tree / "sources" / RELEASE / "kommunekoder.csv"
    path.write_text(f"kode,navn\n{code},Hostile\n", encoding="utf-8")
    line = assert_one_line_failure(spec(tree), "smdbgen", "kommunekoder.csv", "line 2")
    assert "\x1b" not in line


@pytest.mark.parametrize(
    "args",
    [("frobnicate",), ("spec", "--bogus"), ("spec", "--release"), ("generate", "--release\x1b[2J")],
)
def test_usage_errors_are_one_line(args):
    line = assert_one_line_failure(run_bounded("-m", "codegen.cli", *args), "smdbgen")
    assert "\x1b" not in line


def test_a_wsdl_nested_too_deeply_is_one_line(tree):
    path = tree / "sources" / RELEASE / "SecureTokenTest-v1.wsdl"
    path.write_text("<a>" * 100_000 + "</a>" * 100_000, encoding="utf-8")
    assert_one_line_failure(spec(tree), "smdbgen", "SecureTokenTest-v1.wsdl")


@pytest.mark.parametrize("command", ["spec", "generate"])
def test_a_huge_file_nobody_names_is_refused_without_reading_it_whole(tree, command):
    """Every file of the folder is hashed (into the spec, and for `generate`'s up-to-date
    check): a 10 GB sparse file must neither fill memory nor pass."""
    with (tree / "sources" / RELEASE / "notes.bin").open("wb") as handle:
        handle.truncate(10 << 30)
    before = snapshot(tree / "out")
    result = run_bounded(
        "-m",
        "codegen.cli",
        command,
        "--release",
        RELEASE,
        "--sources",
        str(tree / "sources"),
        "--output",
        str(tree / "out"),
    )
    assert_one_line_failure(result, "smdbgen", "notes.bin", "more than any file")
    assert snapshot(tree / "out") == before
