"""The record of a folder a command wrote (:mod:`clitools.record`) and the folder rule built on
it (:func:`clitools.replaced_folder`): the cases no single command shows."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from clitools import MARKER, UsageError, check_replaceable, replaced_folder
from clitools.record import Changes, changes, read_record, sha256

OWNER = "python -m demo"


def written(folder: Path, files: dict[str, str]) -> Path:
    """``folder`` written by :data:`OWNER` with ``files`` (relative path → text)."""
    with replaced_folder(folder, OWNER) as new:
        for name, text in files.items():
            (new / name).parent.mkdir(parents=True, exist_ok=True)
            (new / name).write_text(text)
    return folder


def test_the_record_lists_every_file_with_its_sha256_and_sha256sum_agrees(tmp_path) -> None:
    out = written(tmp_path / "out", {"a.txt": "a", "feedback/ada.md": "ada", "b\\c": "odd"})
    lines = (out / MARKER).read_text().splitlines()
    assert lines[0] == OWNER
    record = read_record(out)
    assert set(record.files) == {"a.txt", "feedback/ada.md", "b\\c"}
    assert all(record.files[p] == sha256(out / p) for p in record.files)
    assert any(line.startswith("\\") and line.endswith("  b\\\\c") for line in lines)
    if shutil.which("sha256sum"):  # the record checks by hand too
        done = subprocess.run(["sha256sum", "-c", "-"], cwd=out, input="\n".join(lines[1:]),
                              capture_output=True, text=True)
        assert done.returncode == 0 and done.stdout.count(": OK") == 3, done.stdout


def test_a_record_of_the_first_format_is_still_read(tmp_path) -> None:
    """Names only, no hashes: each name covers what lies under it, unverified."""
    out = tmp_path / "report"
    (out / "feedback").mkdir(parents=True)
    (out / MARKER).write_text(f"{OWNER}\nsolution.tex\nfeedback\n")
    (out / "solution.tex").write_text("edited or not: unknown")
    (out / "feedback" / "ada.md").write_text("x")
    assert check_replaceable(out, OWNER) == out.resolve()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match=r"did not write \(notes.txt\)"):
        check_replaceable(out, OWNER)


def test_a_file_added_inside_a_written_subfolder_is_the_users(tmp_path) -> None:
    out = written(tmp_path / "grades", {"feedback/ada.md": "ada"})
    (out / "feedback" / "my-notes.md").write_text("mine")
    assert changes(out, OWNER).foreign == ("feedback/my-notes.md",)
    with pytest.raises(UsageError, match=r"did not write \(feedback/my-notes.md\)"):
        check_replaceable(out, OWNER)


def test_a_deleted_output_file_loses_nothing_and_an_empty_folder_holds_nothing(tmp_path):
    out = written(tmp_path / "out", {"a.txt": "a", "b.txt": "b"})
    (out / "a.txt").unlink()
    (out / "empty").mkdir()
    assert changes(out, OWNER) == Changes(foreign=(), edited=())
    check_replaceable(out, OWNER)


def test_a_link_in_place_of_a_written_file_counts_as_a_change(tmp_path) -> None:
    out = written(tmp_path / "out", {"a.txt": "a"})
    (tmp_path / "elsewhere.txt").write_text("a")
    (out / "a.txt").unlink()
    (out / "a.txt").symlink_to(tmp_path / "elsewhere.txt")
    (out / "link").symlink_to(tmp_path)
    found = changes(out, OWNER)
    assert found.edited == ("a.txt",) and found.foreign == ("link",)


def test_another_commands_folder_is_not_this_ones(tmp_path) -> None:
    out = written(tmp_path / "out", {"a.txt": "a"})
    with pytest.raises(UsageError, match=r"did not write \(a.txt\)"):
        check_replaceable(out, "python -m other")


def test_the_message_names_up_to_three_edited_files(tmp_path) -> None:
    out = written(tmp_path / "out", {f"{n}.txt": str(n) for n in range(5)})
    for n in range(5):
        (out / f"{n}.txt").write_text("edited")
    with pytest.raises(UsageError) as refused:
        check_replaceable(out, OWNER)
    message = str(refused.value)
    assert message.startswith(f"{out / '0.txt'}, {out / '1.txt'}, {out / '2.txt'} and more "
                              f"were changed after {OWNER} wrote them; --out {out} is "
                              "replaced as a whole")
    assert message.endswith(f"or pass --force to replace {out} and lose them")


def test_an_edit_made_while_the_command_runs_is_not_lost(tmp_path) -> None:
    """The folder is checked again just before the swap: a file the user edited while the
    command ran stays, and the new output is not kept."""
    out = written(tmp_path / "report", {"solution.tex": "first"})
    with pytest.raises(UsageError, match="was changed after .* its new output was not kept"):
        with replaced_folder(out, OWNER) as new:
            (new / "solution.tex").write_text("second")
            (out / "solution.tex").write_text("first, with my note")
    assert (out / "solution.tex").read_text() == "first, with my note"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_force_replaces_an_edited_folder(tmp_path) -> None:
    out = written(tmp_path / "report", {"solution.tex": "first"})
    (out / "solution.tex").write_text("edited")
    with replaced_folder(out, OWNER, force=True) as new:
        (new / "solution.tex").write_text("second")
    assert (out / "solution.tex").read_text() == "second"
    assert read_record(out).files["solution.tex"] == sha256(out / "solution.tex")
