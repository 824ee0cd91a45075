-- WeCom (企业微信) channel state.

-- Per person: numbered text replies instead of template cards (the WeChat plug-in shows
-- no cards), the actions their last numbered choices stand for, and whether they were
-- told how to switch.
CREATE TABLE wecom_users (
    user_ref   TEXT    PRIMARY KEY,
    text_mode  INTEGER NOT NULL DEFAULT 0,
    choices    TEXT    NOT NULL DEFAULT '[]',   -- JSON list of button actions, numbered from 1
    hinted     INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT    NOT NULL
);

-- Group robots (群机器人): a WeCom group is reached through its robot's webhook, bound to a
-- unit like a Telegram group; its groups row has channel 'wecom' and this chat_ref. The
-- key is a credential: it is read only by the sender and never logged or shown again.
CREATE TABLE wecom_robots (
    chat_ref    TEXT PRIMARY KEY,               -- "robot:" + the first 16 hex of SHA-256(key)
    webhook_key TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
