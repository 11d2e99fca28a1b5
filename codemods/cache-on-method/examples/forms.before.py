import functools
import functools as ft
from functools import cache as memo


class Catalog:
    @functools.lru_cache
    def lookup(self, key):
        return key.upper()

    @property
    @ft.lru_cache(maxsize=None)
    def size(self):
        return 42

    @memo
    def render(self, template, **values):
        return template.format(**values)
