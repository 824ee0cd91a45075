"""Business logic. Never imports telegram, a channel or a scheduler."""
