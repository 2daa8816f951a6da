// A tenant in one SQLite file: schema and migrations, the TenantStore of core, and the journal.
// Every change runs through change(): one IMMEDIATE transaction, each put/erase journaled with
// its before and after, rolled back instead of committed for a dry run.
#pragma once

#include "core/tenant_store.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}
struct sqlite3_stmt;

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
    std::size_t bulk_items = 0;        // journaled as text by bulk writes (not in items)
    bool changed() const { return !items.empty() || bulk_items > 0; }
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
    // What routing needs (document() without users and groups): the routing engine is built from
    // it, and callers are looked up one by one, so a command never reads the whole directory.
    TenantDocument routing_document();
    // Each enterprise-voice enabled user with a phone number, by UPN, with what routing reads of
    // them (UPN, usage location, licences, number, direct grants, groups; other fields default).
    // One user at a time: route check --all-users never holds the directory.
    void each_voice_user(const std::function<void(const User&)>& fn);

    // The revision: the id of the latest journal entry (0 for a tenant never changed).
    long long revision();
    std::optional<AppliedChangeSet> applied_change_set(const std::string& key);

    std::optional<RemoteSettings> remote();
    // Sets the remote; the sync state is kept when URL and remote tenant stay the same.
    void set_remote(const RemoteSettings& settings);
    // Records the revision and document both sides hold; may run inside change().
    void record_sync(long long revision, const Json& document);
    void record_sync(long long revision, const TenantDocument& document);
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
    std::optional<int> route_priority(std::string_view identity) override;
    bool route_priority_taken(int priority, std::string_view except_identity) override;
    void shift_route_priorities(int from, std::string_view except_identity) override;
    std::vector<std::string> routes_using_gateway(std::string_view fqdn) override;
    std::vector<std::string> routes_using_usage(std::string_view usage) override;
    std::optional<VoiceRoutingPolicy> find_policy(std::string_view name) override;
    std::vector<VoiceRoutingPolicy> policies() override;
    void put_policy(const VoiceRoutingPolicy& policy) override;
    void erase_policy(std::string_view name) override;
    std::vector<std::string> policies_using_usage(std::string_view usage) override;
    std::optional<TenantDialPlan> find_dial_plan(std::string_view name) override;
    std::vector<TenantDialPlan> dial_plans() override;
    void put_dial_plan(const TenantDialPlan& plan) override;
    void erase_dial_plan(std::string_view name) override;
    std::optional<TranslationRule> find_translation_rule(std::string_view identity) override;
    std::vector<TranslationRule> translation_rules() override;
    void put_translation_rule(const TranslationRule& rule) override;
    void erase_translation_rule(std::string_view identity) override;
    std::optional<NumberPattern> find_number_pattern(bool exempt, std::string_view identity) override;
    std::vector<NumberPattern> number_patterns(bool exempt) override;
    void put_number_pattern(bool exempt, const NumberPattern& pattern) override;
    void erase_number_pattern(bool exempt, std::string_view identity) override;
    std::optional<User> find_user(std::string_view upn) override;
    std::vector<User> find_users(const std::vector<std::string>& upns) override;
    std::vector<User> users() override;
    std::size_t user_count() override;
    void put_user(const User& user) override;
    void erase_user(std::string_view upn) override;
    void put_users(const std::vector<UserChange>& changes) override;
    std::optional<std::string> user_with_phone_number(std::string_view number) override;
    std::vector<UserAssignment> user_assignments(PolicyType type, const std::vector<std::string>& upns) override;
    void assign_user_policies(PolicyType type, const std::vector<AssignmentChange>& changes) override;
    std::vector<std::string> users_with_policy(PolicyType type, std::string_view name, std::size_t limit,
                                               std::size_t& count) override;
    std::optional<Group> find_group(std::string_view name) override;
    std::vector<Group> groups() override;
    void put_group(const Group& group) override;
    void erase_group(std::string_view name) override;
    std::vector<std::string> group_members(std::string_view name) override;

private:

    explicit SqliteTenant(std::unique_ptr<SQLite::Database> db);
    void migrate();
    void require_change(const char* what) const;
    void record(std::string kind, std::string identity, Json before, Json after);
    std::optional<Json> snapshot(const std::string& kind, const std::string& identity);
    void restore(const std::string& kind, const std::string& identity, const Json& state);
    void write_route(const VoiceRoute& route, bool fresh);  // fresh: the route does not exist yet
    // Objects kept as (key, data) rows: find, list, upsert and delete, journaled under kind.
    std::optional<std::pair<std::string, Json>> find_row(const char* table, const char* key, std::string_view id);
    std::vector<std::pair<std::string, Json>> all_rows(const char* table, const char* key, const char* order);
    void put_row(const char* table, const char* key, const char* kind, const std::string& id,
                 const std::string& journal_id, const Json& before, const Json& after);
    void erase_row(const char* table, const char* key, const char* kind, const std::string& id,
                   const std::string& journal_id, const Json& before);
    // A prepared statement kept for the life of the store, reset and unbound for reuse. sql is a
    // string literal: its address is the key.
    SQLite::Statement& cached(const char* sql);
    void write_user(const std::optional<User>& before, const User& after);
    void write_members(const User& user, bool had_members);
    // New users in one multi-row INSERT (k_insert_rows of them) or one INSERT each (fewer); a
    // constraint failure in the multi-row INSERT is found again row by row, for its message.
    void insert_users(const User* const* users, std::size_t count);
    // Journals an item given as JSON text: bulk writes gather items of one kind into a chunk row
    // (see flush_chunk), so that 100,000 users cost a few journal rows, not 100,000.
    void record_text(const char* kind, const std::string& identity, const std::optional<std::string>& before,
                     const std::optional<std::string>& after);
    void flush_chunk();
    void write_sync(long long revision, const Json& document, const std::vector<User>* users);
    // Starts the next item of the chunk of kind (record_text without its copies): the caller
    // appends the item's before and after texts (JSON, or null) to the returned chunk.
    struct Chunk {
        std::string kind;
        int seq = 0;
        std::size_t count = 0;
        std::string identities, before, after;
    };
    Chunk& chunk_item(const char* kind, std::string_view identity);
    // The journal id of the change in progress: its head row is written with the first item.
    long long change_id();

    std::unique_ptr<SQLite::Database> m_db;
    std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> m_statements;  // after m_db: destroyed first
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> m_insert_users{nullptr, nullptr};  // see insert_users
    bool m_in_change = false;
    // find_gateway's answers during one change (lower-case FQDN): validating thousands of routes
    // looks up the same few gateways. Forgotten when a gateway is written and when the change ends.
    std::unordered_map<std::string, std::optional<Gateway>> m_gateway_memo;
    std::vector<ChangeItem> m_items;
    std::vector<int> m_item_seqs;                 // journal position of each of m_items
    const ChangeInfo* m_info = nullptr;
    long long m_change_id = 0;
    int m_seq = 0;
    std::size_t m_text_count = 0;
    Chunk m_chunk;                                // the journal chunk being gathered
};

}  // namespace csctl
