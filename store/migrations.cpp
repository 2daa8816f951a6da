#include "store/migrations.hpp"

namespace csctl {

const std::vector<std::string_view>& tenant_migrations()
{
    // Objects are stored as their JSON form (data) plus the columns that keys, order and
    // references need. Reference tables carry deferred foreign keys: an object can never point
    // at a missing one, and a transaction may reorder rows freely before it commits.
    static const std::vector<std::string_view> migrations{
        R"sql(
CREATE TABLE tenant (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  data TEXT NOT NULL
);
CREATE TABLE gateways (
  fqdn TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  data TEXT NOT NULL
);
CREATE TABLE usages (
  name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  position INTEGER NOT NULL
);
CREATE TABLE routes (
  identity TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  priority INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX routes_by_priority ON routes(priority);
CREATE TABLE route_usages (
  route TEXT NOT NULL COLLATE NOCASE REFERENCES routes(identity) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  usage TEXT NOT NULL COLLATE NOCASE REFERENCES usages(name) DEFERRABLE INITIALLY DEFERRED,
  position INTEGER NOT NULL,
  PRIMARY KEY (route, usage)
) WITHOUT ROWID;
CREATE INDEX route_usages_by_usage ON route_usages(usage);
CREATE TABLE route_gateways (
  route TEXT NOT NULL COLLATE NOCASE REFERENCES routes(identity) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  gateway TEXT NOT NULL COLLATE NOCASE REFERENCES gateways(fqdn) DEFERRABLE INITIALLY DEFERRED,
  position INTEGER NOT NULL,
  PRIMARY KEY (route, gateway)
) WITHOUT ROWID;
CREATE INDEX route_gateways_by_gateway ON route_gateways(gateway);
CREATE TABLE policies (
  name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  data TEXT NOT NULL
);
CREATE TABLE policy_usages (
  policy TEXT NOT NULL COLLATE NOCASE REFERENCES policies(name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  usage TEXT NOT NULL COLLATE NOCASE REFERENCES usages(name) DEFERRABLE INITIALLY DEFERRED,
  position INTEGER NOT NULL,
  PRIMARY KEY (policy, usage)
) WITHOUT ROWID;
CREATE INDEX policy_usages_by_usage ON policy_usages(usage);
CREATE TABLE changes (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  os_user TEXT NOT NULL,
  command_line TEXT NOT NULL,
  reverts INTEGER REFERENCES changes(id)
);
CREATE INDEX changes_by_reverts ON changes(reverts) WHERE reverts IS NOT NULL;
CREATE TABLE change_items (
  change_id INTEGER NOT NULL REFERENCES changes(id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  identity TEXT NOT NULL,
  before TEXT,
  after TEXT,
  PRIMARY KEY (change_id, seq)
) WITHOUT ROWID;
)sql",
        // 2: tenant dial plans (normalization rules kept in order inside data), Teams translation
        // rules, inbound blocked and exempt number patterns. Global dial plan always exists.
        R"sql(
CREATE TABLE dial_plans (
  name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  data TEXT NOT NULL
);
INSERT INTO dial_plans(name, data) VALUES ('Global', '{"identity":"Global","description":"","normalizationRules":[]}');
CREATE TABLE translation_rules (
  identity TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  data TEXT NOT NULL
);
CREATE TABLE blocked_numbers (
  identity TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  data TEXT NOT NULL
);
CREATE TABLE exempt_numbers (
  identity TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  data TEXT NOT NULL
);
)sql",
        // 3: the directory (users, groups, memberships) and policy assignments. Users are columns,
        // not JSON, so that bulk imports and grants are plain set-based row writes.
        R"sql(
CREATE TABLE users (
  upn TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  sip_address TEXT NOT NULL,
  display_name TEXT NOT NULL,
  object_id TEXT,
  usage_location TEXT,
  account_type TEXT NOT NULL,
  homed TEXT NOT NULL,
  licenses TEXT NOT NULL,
  enterprise_voice_enabled INTEGER NOT NULL,
  phone_number TEXT,
  phone_number_type TEXT,
  hosted_voice_mail INTEGER NOT NULL,
  voice_routing_policy TEXT COLLATE NOCASE,
  tenant_dial_plan TEXT COLLATE NOCASE,
  upgrade_policy TEXT COLLATE NOCASE
) WITHOUT ROWID;
CREATE UNIQUE INDEX users_by_phone_number ON users(phone_number) WHERE phone_number IS NOT NULL;
CREATE INDEX users_by_voice_routing_policy ON users(voice_routing_policy) WHERE voice_routing_policy IS NOT NULL;
CREATE INDEX users_by_tenant_dial_plan ON users(tenant_dial_plan) WHERE tenant_dial_plan IS NOT NULL;
CREATE TABLE groups (
  name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  data TEXT NOT NULL
);
CREATE TABLE group_members (
  upn TEXT NOT NULL COLLATE NOCASE REFERENCES users(upn) DEFERRABLE INITIALLY DEFERRED,
  grp TEXT NOT NULL COLLATE NOCASE REFERENCES groups(name) DEFERRABLE INITIALLY DEFERRED,
  position INTEGER NOT NULL,
  PRIMARY KEY (upn, grp)
) WITHOUT ROWID;
CREATE INDEX group_members_by_group ON group_members(grp);
)sql",
        // 4: the remote this tenant is pushed to and pulled from, with the tenant document both sides held
        // at the last sync, one row per object (client side); and the change sets
        // a server applied, by idempotency key (server side).
        R"sql(
CREATE TABLE remote (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  url TEXT NOT NULL,
  remote_tenant TEXT NOT NULL,
  token_file TEXT NOT NULL DEFAULT '',
  cacert TEXT NOT NULL DEFAULT '',
  revision INTEGER,
  journal_id INTEGER,
  synced_at TEXT
);
CREATE TABLE remote_objects (
  section TEXT NOT NULL,
  identity TEXT NOT NULL COLLATE NOCASE,
  data TEXT NOT NULL,
  PRIMARY KEY (section, identity)
);
CREATE TABLE applied_change_sets (
  key TEXT NOT NULL PRIMARY KEY,
  request_hash TEXT NOT NULL,
  change_id INTEGER NOT NULL REFERENCES changes(id)
);
)sql",
        // 5: journal items in a rowid table. A bulk item (4,096 users) is a row of megabytes; in a
        // WITHOUT ROWID table every key comparison of an insert copied such a row whole. The key
        // (change_id, seq) is now a small index of its own.
        R"sql(
CREATE TABLE change_items_v5 (
  change_id INTEGER NOT NULL REFERENCES changes(id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  identity TEXT NOT NULL,
  before TEXT,
  after TEXT,
  PRIMARY KEY (change_id, seq)
);
INSERT INTO change_items_v5(change_id, seq, kind, identity, before, after)
  SELECT change_id, seq, kind, identity, before, after FROM change_items;
DROP TABLE change_items;
ALTER TABLE change_items_v5 RENAME TO change_items;
)sql",
    };
    return migrations;
}

}  // namespace csctl
