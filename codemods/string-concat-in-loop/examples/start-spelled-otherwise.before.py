def render(words):
    # Non-empty starts perfmod takes are spelled `= "..."`, `= b"..."` or
    # `= f"..."` (what its prefilter looks for): these are left alone.
    text =  "aligned"
    for word in words:
        text += word
    raw = r"\d"
    for word in words:
        raw += word
    return text, raw
