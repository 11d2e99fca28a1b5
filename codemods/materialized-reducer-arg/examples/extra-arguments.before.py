class Report:
    def totals(self, rows, offset):
        total = sum([row.amount for row in rows], offset)
        longest = max([len(row.name) for row in rows], default=0)
        cheapest = min(
            # prices in cents
            [row.price for row in rows if row.price],
            key=abs,
        )
        return total, longest, cheapest
