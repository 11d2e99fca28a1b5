def clip(words, limit):
    text = ""
    for word in words:
        if len(text) > limit:  # the partial string is read in the loop
            break
        text += word
    return text
