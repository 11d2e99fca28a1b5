# test: runnable
def shout(words):
    text = ""
    for word in words:
        text += word.upper() + "!"
    return text


print(shout(["fast", "code"]))
