"""``mlprov forecast``: predict what real AWS would refuse before any change set is created.

One module per check; each registers under a stable code ``MLPROV-Fnnn`` (:mod:`mlprov.forecast.registry`).
Offline checks decide from the config and template alone; online checks make read-only calls through the
injected clients of :class:`mlprov.aws.session.Aws`.
"""
