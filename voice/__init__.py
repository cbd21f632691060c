"""A hands-free, offline voice exercise coach."""

__version__ = "0.1.0"
