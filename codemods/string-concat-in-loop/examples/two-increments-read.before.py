def line(words, limit):
    # Two `+=`, but the partial string is also read: not reported.
    text = ""
    for word in words:
        text += word
        if len(text) > limit:
            break
        text += " "
    return text
