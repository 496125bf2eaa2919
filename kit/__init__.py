"""The shared kernel: what every service needs once, and no domain."""
