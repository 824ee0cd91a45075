"""Loading and validating YAML content packs (study items, quiz banks)."""
