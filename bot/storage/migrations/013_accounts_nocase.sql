-- WeCom UserIDs are the same whatever their case (ZhangWei is zhangwei): a roster's WeCom
-- column and an incoming callback find an account ignoring case, through this index.
CREATE INDEX accounts_nocase ON accounts (channel, user_ref COLLATE NOCASE);
