from concurrent.futures import ThreadPoolExecutor


class Model:
    def score(self, x):
        return x * 2

    def run(self, xs):
        with ThreadPoolExecutor() as pool:
            return list(pool.map(self.score, xs))
