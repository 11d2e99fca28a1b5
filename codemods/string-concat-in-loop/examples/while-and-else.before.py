def render(words):
    text = ""
    while words:
        text += words.pop()
    out = ""
    for word in words:
        out += word
    else:
        out += "."
    return text, out
