from dataclasses import dataclass


@dataclass
class Job:
    name: str


def schedule(job: Job):
    # Not a field: with slots this raises AttributeError.
    job.started = True
