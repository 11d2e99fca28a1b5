# test: runnable
from collections import OrderedDict

prices = {"apple": 0.5, "pear": 0.75}
print("pear" in prices.keys(), "kiwi" not in prices.keys())
for name in prices.keys():
    print(name, prices[name])
ordered = OrderedDict(b=2, a=1)
print([key for key in ordered.keys()])
try:
    for key in prices.keys():
        prices[key + "!"] = 0
except RuntimeError as error:
    print("RuntimeError:", error)
