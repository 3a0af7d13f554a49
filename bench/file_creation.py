"""How much dearer creating files gets right after deleting many: on ext4 without a journal,
a new inode skips those deleted in the last minutes (why bench/run.py removes its sites only
at the end).

    python bench/file_creation.py [--files 30000] [--rounds 3] [--folder DIR]

Each round creates the files (500 bytes each) in a new folder, then deletes them; the CPU
time of the creation is printed. On this project's machine the first round, after the
machine had been idle, was far cheaper than the rounds that follow a deletion.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path


def create(folder: Path, files: int) -> float:
    """Create `files` small files in the new `folder`; the CPU seconds it took."""
    folder.mkdir()
    started = time.process_time()
    for number in range(files):
        (folder / f"{number}.txt").write_bytes(b"x" * 500)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--files", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="where to create them (a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="file-creation-", dir=args.folder) as temporary:
        for round_ in range(1, args.rounds + 1):
            folder = Path(temporary) / str(round_)
            seconds = create(folder, args.files)
            note = "" if round_ == 1 else f", right after deleting {args.files:,}"
            print(f"round {round_}: {args.files:,} files created in {seconds:.2f} s of CPU{note}")
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
