def cheapest_offer(offers):
    return min(offers, key=lambda offer: offer["price"])
