def render(prefix, words):
    text = ""
    print("starting")  # something runs between the initialisation and the loop
    for word in words:
        text += word
    text2 = prefix
    for word in words:
        text2 += word
    return text, text2
