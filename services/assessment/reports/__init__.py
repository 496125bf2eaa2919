"""Reports of closed rounds, computed in SQL and released only as the anonymity engine allows."""
