# test: runnable
def pack(chunks):
    data_parts = []
    for chunk in chunks:
        data_parts.append(chunk)
    data = b"".join(data_parts)
    return data


print(pack([b"ab", b"cd"]))
