"""The ordering API under /api/v1/: cart, checkout and orders, for ERP clients."""
