# test: runnable
def shout(words):
    text_parts = []
    for word in words:
        text_parts.append(word.upper() + "!")
    text = "".join(text_parts)
    return text


print(shout(["fast", "code"]))
