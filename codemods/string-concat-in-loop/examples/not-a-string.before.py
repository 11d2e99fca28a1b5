def render(words, prefix):
    # A number, and a start perfmod cannot see is a string (a list would be
    # extended by `+=`).
    total = 0
    for word in words:
        total += len(word)
    text = prefix
    for word in words:
        text += word
    return text, total
