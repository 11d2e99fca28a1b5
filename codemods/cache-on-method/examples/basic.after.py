from functools import lru_cache


class PriceCalculator:
    def __init__(self, tax_rate):
        self.tax_rate = tax_rate

    @lru_cache(maxsize=256)
    def price_with_tax(self, net):
        return round(net * (1 + self.tax_rate), 2)
