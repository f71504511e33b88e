"""newsclean: a staged cleaner for scraped news pages."""

__version__ = "0.1.0"
