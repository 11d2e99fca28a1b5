class Printer:
    def info(self, text):
        print(text)


def show(printer, name):
    printer.info(f"hello {name}")
    print(f"hello {name}")
    parser = object()
    parser.error("bad %s" % name)
