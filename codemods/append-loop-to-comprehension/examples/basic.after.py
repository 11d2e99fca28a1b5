def active_emails(users):
    # Only active users receive mail
    emails = [user["email"].lower() for user in users if user["is_active"]]
    return emails
