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
        // 2: the remote this tenant is pushed to and pulled from, with the tenant document both sides held
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
    };
    return migrations;
}

}  // namespace csctl
