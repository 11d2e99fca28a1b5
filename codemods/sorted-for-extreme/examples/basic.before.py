def cheapest_offer(offers):
    return sorted(offers, key=lambda offer: offer["price"])[0]
