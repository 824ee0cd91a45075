"""Platform limits every channel must fit (Telegram is the tightest we serve)."""

MAX_MESSAGE_CHARS = 4096  # Telegram sendMessage text
MAX_BUTTON_LABEL_CHARS = 64  # longer labels are cut off on phone screens
MAX_ACTION_BYTES = 64  # Telegram callback_data
# Room kept in a message for headers, counters and button hints around authored text.
MESSAGE_OVERHEAD_CHARS = 300
