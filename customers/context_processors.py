"""The header's unread-message count, read only when a template asks for it: the header
asks for signed-in customers only, so an anonymous page runs no query for it. The signed-in
user arrives with the count already (customers.auth_backends), so a signed-in page runs no
extra query either; a user loaded another way gets it in one query."""

from .notifications import unread_count


def inbox(request):
    def unread_messages() -> int:
        count = getattr(request.user, "unread_messages_count", None)
        return unread_count(request.user) if count is None else count

    return {"unread_messages": unread_messages}
