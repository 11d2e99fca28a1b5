def render(words):
    text = "header:"
    for word in words:
        text += word
    total = 0
    for word in words:
        total += len(word)
    return text, total
