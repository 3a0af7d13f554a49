"""Entry point: `python build.py [command] ...`; see `python build.py --help`."""

from partnerdir.cli import run

if __name__ == "__main__":
    run()
