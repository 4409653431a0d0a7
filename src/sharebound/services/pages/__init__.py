"""One read model per page, each built in one transaction by one function (like `services.home`).

The page only renders what its model holds: it applies no rule of the domain itself. Each
model carries `unread`, the person's unread notifications for the navigation bar, so that the
page needs no other transaction.
"""
