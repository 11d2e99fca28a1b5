def count_errors(path):
    errors = 0
    with open(path) as f:
        for line in f:
            if "ERROR" in line:
                errors += 1
    return errors
