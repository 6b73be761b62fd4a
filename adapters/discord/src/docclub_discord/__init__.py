"""Discord adapter for docclub (filled by the Discord issue)."""
