// A tenant in one SQLite file: schema and migrations, the TenantStore of core, and the journal.
// Every change runs through change(): one IMMEDIATE transaction, each put/erase journaled with
// its before and after, rolled back instead of committed for a dry run.
#pragma once

#include "core/tenant_store.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace csctl {

struct ChangeItem {
    std::string kind;       // kind::gateway …
    std::string identity;
    Json before;            // null when the object did not exist
    Json after;             // null when the object was removed
};

struct ChangeInfo {
    std::string command_line;
    std::string os_user;
    std::optional<long long> reverts;  // set for an undo
    // A change set applied by the server: recorded with the change, so a retry finds it.
    std::string idempotency_key;
    std::string request_hash;
};

// Where this tenant is pushed to and pulled from, and what both sides held at the last sync.
struct RemoteSettings {
    std::string url;
    std::string remote_tenant;
    std::string token_file;
    std::string cacert;
    std::optional<long long> revision;  // the remote revision at the last push or pull
    long long journal_id = 0;           // the local journal's latest id at that moment
    std::string synced_at;
};

struct AppliedChangeSet {
    std::string request_hash;
    long long change_id = 0;
};

struct ChangeResult {
    long long id = 0;                  // journal id; 0 for a dry run or when nothing changed
    std::vector<ChangeItem> items;
};

struct JournalEntry {
    long long id = 0;
    std::string time;                  // UTC, ISO 8601
    std::string os_user;
    std::string command_line;
    std::optional<long long> reverts;
    std::optional<long long> reverted_by;
    std::vector<ChangeItem> items;
};

class SqliteTenant final : public TenantStore {
public:
    enum class Mode { read_only, read_write };

    // Opens an existing tenant database (upgrading its schema when writable).
    static std::unique_ptr<SqliteTenant> open(const std::string& path, Mode mode);
    // Creates the database with the tenant's name; a conflict error if it exists already.
    static std::unique_ptr<SqliteTenant> create(const std::string& path, const TenantInfo& info);
    static int schema_version();

    ~SqliteTenant() override;

    // The one write path: fn changes the tenant through the TenantStore calls.
    ChangeResult change(const ChangeInfo& info, bool dry_run, const std::function<void(TenantStore&)>& fn);

    std::vector<JournalEntry> journal(long long limit, std::optional<long long> before_id, bool with_items);
    std::optional<JournalEntry> journal_entry(long long id);
    // Reverts change id (or the latest change not yet reverted) as a new change.
    ChangeResult undo(std::optional<long long> id, const ChangeInfo& info, bool dry_run);

    TenantDocument document();

    // The revision: the id of the latest journal entry (0 for a tenant never changed).
    long long revision();
    std::optional<AppliedChangeSet> applied_change_set(const std::string& key);

    std::optional<RemoteSettings> remote();
    // Sets the remote; the sync state is kept when URL and remote tenant stay the same.
    void set_remote(const RemoteSettings& settings);
    // Records the revision and document both sides hold; may run inside change().
    void record_sync(long long revision, const Json& document);
    // Records a sync that changed some objects only: section is the document key, identity ""
    // for a section that is one value; data null removes the object.
    struct SyncPatch {
        std::string section;
        std::string identity;
        Json data;
    };
    void record_sync_patch(long long revision, const std::vector<SyncPatch>& patches);
    // The document recorded at the last sync (null before the first).
    Json synced_document();
    // One recorded object (identity "" for a one-value section), null when not recorded.
    Json synced_object(const std::string& section, const std::string& identity);
    // The objects (kind, identity) the journal changed after change after_id, up to upto_id.
    std::vector<std::pair<std::string, std::string>> changed_since(long long after_id, long long upto_id);
    // The current JSON form of one object as the journal names it (nullopt when it does not exist).
    std::optional<Json> current(const std::string& kind, const std::string& identity) { return snapshot(kind, identity); }

    TenantInfo tenant() override;
    void put_tenant(const TenantInfo& info) override;
    std::optional<Gateway> find_gateway(std::string_view fqdn) override;
    std::vector<Gateway> gateways() override;
    void put_gateway(const Gateway& gateway) override;
    void erase_gateway(std::string_view fqdn) override;
    std::vector<std::string> usages() override;
    void put_usages(const std::vector<std::string>& usages) override;
    std::optional<VoiceRoute> find_route(std::string_view identity) override;
    std::vector<VoiceRoute> routes() override;
    void put_route(const VoiceRoute& route) override;
    void erase_route(std::string_view identity) override;
    std::optional<int> max_route_priority() override;
    bool route_priority_taken(int priority, std::string_view except_identity) override;
    void shift_route_priorities(int from, std::string_view except_identity) override;
    std::vector<std::string> routes_using_gateway(std::string_view fqdn) override;
    std::vector<std::string> routes_using_usage(std::string_view usage) override;
    std::optional<VoiceRoutingPolicy> find_policy(std::string_view name) override;
    std::vector<VoiceRoutingPolicy> policies() override;
    void put_policy(const VoiceRoutingPolicy& policy) override;
    void erase_policy(std::string_view name) override;
    std::vector<std::string> policies_using_usage(std::string_view usage) override;

private:
    explicit SqliteTenant(std::unique_ptr<SQLite::Database> db);
    void migrate();
    void require_change(const char* what) const;
    void record(std::string kind, std::string identity, Json before, Json after);
    std::optional<Json> snapshot(const std::string& kind, const std::string& identity);
    void restore(const std::string& kind, const std::string& identity, const Json& state);
    void write_route(const VoiceRoute& route);

    std::unique_ptr<SQLite::Database> m_db;
    bool m_in_change = false;
    std::vector<ChangeItem> m_items;
};

}  // namespace csctl
