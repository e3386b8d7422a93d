"""Enterprise networking: which endpoints a stack creates, and the offline reachability check."""
