# test: runnable
def pack(chunks):
    data = b""
    for chunk in chunks:
        data += chunk
    return data


print(pack([b"ab", b"cd"]))
