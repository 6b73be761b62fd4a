"""The club: platform-blind domain and use cases. No I/O except through ports."""
