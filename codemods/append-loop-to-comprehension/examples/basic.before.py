def active_emails(users):
    emails = []
    for user in users:
        # Only active users receive mail
        if user["is_active"]:
            emails.append(user["email"].lower())
    return emails
