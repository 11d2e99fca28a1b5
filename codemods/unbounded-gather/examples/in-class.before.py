import asyncio


class Crawler:
    async def crawl(self, pages):
        # one request per page
        bodies = await asyncio.gather(
            *[
                self.download(page)  # keeps the page order
                for page in pages
                if page  # skip empty entries
            ]
        )
        return bodies

    async def download(self, page):
        await asyncio.sleep(0)
        return page
