"""docclub: a chat bot for documentary clubs."""

__version__ = "0.1.0"
