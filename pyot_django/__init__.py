"""pyot_django: the Pyot pipeline for Django.

Riot Games API data flows through an ordered chain of stores (memory, any Django
cache, a Django ORM table) with the Riot API itself last, behind a rate limiter.
"""

__all__ = ["__version__"]

__version__ = "0.1.0.dev0"
