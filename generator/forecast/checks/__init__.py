"""The forecast checks, one module per concern (each registers itself in mlprov.forecast.registry)."""
