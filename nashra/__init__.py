"""nashra: a static site generator for Arabic right-to-left news digests."""

__version__ = "0.1.0"
