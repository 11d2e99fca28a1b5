# test: runnable
from collections import OrderedDict

prices = {"apple": 0.5, "pear": 0.75}
print("pear" in prices, "kiwi" not in prices)
for name in prices:
    print(name, prices[name])
ordered = OrderedDict(b=2, a=1)
print([key for key in ordered])
try:
    for key in prices:
        prices[key + "!"] = 0
except RuntimeError as error:
    print("RuntimeError:", error)
