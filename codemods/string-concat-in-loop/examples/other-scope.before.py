text = "module "


def render(words):
    text = ""
    for word in words:
        text += word

        class Note:
            # A class body reads `text` from the module, not from `render`.
            text += "!"

    return text
