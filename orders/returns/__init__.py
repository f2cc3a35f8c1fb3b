"""After-sales: returns and complaints (RMA) on delivered order lines."""
