"""partnerdir: a static site generator for partner directories."""

__version__ = "0.1.0"
