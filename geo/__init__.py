"""Conflict Atlas: read conflict news, find its places, join them to dated control."""

__version__ = "0.1.0"
