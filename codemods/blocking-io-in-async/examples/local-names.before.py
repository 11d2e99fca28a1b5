class Api:
    def get(self, url):
        return url


requests = Api()


def open(path):
    return path


async def main(session):
    data = requests.get("https://example.com")
    text = open("x").read()
    body = session.get("https://example.com")
    return data, text, body
