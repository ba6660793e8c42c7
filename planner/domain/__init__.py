"""Business rules; functions take a session and flush, the caller commits."""
