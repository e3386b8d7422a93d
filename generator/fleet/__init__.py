"""Fleet operations: one action over many products at once (bounded parallelism, one summary), gate shards."""
