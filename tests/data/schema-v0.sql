CREATE TABLE IF NOT EXISTS instances (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    alias TEXT,
    identity TEXT NOT NULL,
    region TEXT NOT NULL,
    account TEXT NOT NULL,
    created_time REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS routing_profiles (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (instance_id, id)
);
CREATE TABLE IF NOT EXISTS security_profiles (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (instance_id, id)
);
CREATE TABLE IF NOT EXISTS hierarchy_levels (
    instance_id TEXT NOT NULL REFERENCES instances(id),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (instance_id, level)
);
CREATE TABLE IF NOT EXISTS hierarchy_groups (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent_id TEXT,
    UNIQUE (instance_id, id)
);
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances(id),
    id TEXT NOT NULL,
    username TEXT NOT NULL,
    -- the login, lower-cased: the service's names are unique ignoring case
    username_key TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    secondary_email TEXT,
    mobile TEXT,
    phone_type TEXT NOT NULL,
    auto_accept INTEGER NOT NULL,
    acw_timeout INTEGER NOT NULL,
    desk_phone_number TEXT,
    persistent_connection INTEGER,
    routing_profile_id TEXT NOT NULL,
    security_profile_ids TEXT NOT NULL, -- JSON array
    hierarchy_group_id TEXT,
    directory_user_id TEXT,
    tags TEXT NOT NULL, -- JSON object
    modified_time REAL NOT NULL,
    UNIQUE (instance_id, id),
    UNIQUE (instance_id, username_key)
);
