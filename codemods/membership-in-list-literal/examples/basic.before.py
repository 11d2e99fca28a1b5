def is_retryable_status(status_code):
    return status_code in [429, 500, 502, 503, 504]
