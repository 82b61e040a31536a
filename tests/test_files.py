"""showcase.files: what counts as a file that may be read from a contributed folder."""

from __future__ import annotations

import os

import pytest

from showcase.files import NOT_REGULAR, OUTSIDE, SYMLINK, UnsafeFile, read_regular_file, unsafe_files


@pytest.fixture
def tree(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (root / "ok.txt").write_text("内容")
    (root / "sub" / "ok.txt").write_text("x")
    (outside / "secret.txt").write_text("SECRET")
    os.symlink(outside / "secret.txt", root / "link.txt")
    os.symlink(root / "ok.txt", root / "inner-link.txt")  # even pointing inside: refused
    os.symlink(outside, root / "sub" / "folder-link")
    os.mkfifo(root / "fifo")
    return root, outside


@pytest.mark.parametrize(("path", "reason"), [
    ("link.txt", SYMLINK), ("inner-link.txt", SYMLINK), ("sub/folder-link/secret.txt", SYMLINK),
    ("fifo", NOT_REGULAR), ("sub", NOT_REGULAR), ("../outside/secret.txt", OUTSIDE),
])
def test_unsafe_files_are_refused_without_reading_them(tree, path, reason):
    root, _ = tree
    with pytest.raises(UnsafeFile) as error:
        read_regular_file(str(root / path), str(root), 100)
    assert str(error.value) == reason
    assert "SECRET" not in str(error.value)


def test_regular_files_are_read_up_to_one_byte_past_the_limit(tree):
    root, _ = tree
    assert read_regular_file(str(root / "ok.txt"), str(root), 100) == "内容".encode()
    assert read_regular_file(str(root / "ok.txt"), str(root), 2) == "内容".encode()[:3]
    with pytest.raises(FileNotFoundError):
        read_regular_file(str(root / "missing.txt"), str(root), 100)


def test_every_unsafe_entry_of_a_tree_is_listed_and_symlinked_folders_not_entered(tree):
    root, _ = tree
    assert unsafe_files(str(root)) == [
        ("fifo", NOT_REGULAR), ("inner-link.txt", SYMLINK), ("link.txt", SYMLINK), ("sub/folder-link", SYMLINK)]
