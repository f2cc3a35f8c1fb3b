"""Domain errors of the catalog; their messages are shown to customers and staff as they are."""


class CatalogError(Exception):
    """Base class: ``str(error)`` is a message fit to show."""


class InsufficientStock(CatalogError):
    """Some parts cannot be covered by own stock and supplier offers together.

    ``shortages`` maps each such part id to the pieces that are available for it."""

    def __init__(self, shortages: dict[int, int]):
        self.shortages = dict(shortages)
        super().__init__(
            "Not enough stock for "
            + ", ".join(f"part {pk} ({free:,} available)" for pk, free in sorted(shortages.items()))
        )
