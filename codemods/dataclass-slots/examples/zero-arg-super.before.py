from dataclasses import dataclass


@dataclass
class Base:
    name: str

    def describe(self):
        # `super()` without arguments is bound to the class before slots=True replaces it.
        return super().__repr__()
