-- Names this database's installation. Live call state in Redis (the ACD, call sessions) is kept
-- under it, so a fresh or restored database never meets the Redis state of another one that
-- used the same REDIS_PREFIX: interaction ids would collide and calls would not be queued.
INSERT INTO app_meta (key, value) VALUES ('installation_id', lower(hex(randomblob(8))));
