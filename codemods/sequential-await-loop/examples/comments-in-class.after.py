import asyncio


class Crawler:
    async def crawl(self, pages):
        semaphore = asyncio.Semaphore(10)

        async def bounded(coro):
            async with semaphore:
                return await coro

        # one body per page
        # the page order is kept
        bodies = await asyncio.gather(*[bounded(self.download(page)) for page in pages])
        return bodies

    async def download(self, page):
        await asyncio.sleep(0)
        return page
