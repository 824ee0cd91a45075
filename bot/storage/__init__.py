"""SQLite storage: one writer connection, numbered migrations, online backup."""
