"""docclub's HTTP side: the one server, the club page and its calendar feed, /healthz, /metrics.

Each part is a small module that calls the core; none reads the store itself."""
