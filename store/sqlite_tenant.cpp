#include "store/sqlite_tenant.hpp"

#include "core/bulk.hpp"
#include "core/error.hpp"
#include "core/plan.hpp"
#include "core/text.hpp"
#include "store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <set>
#include <unordered_map>

namespace csctl {

namespace {

// Parallel invocations (CI jobs) wait for each other instead of failing with "database is locked".
constexpr int k_busy_timeout_ms = 60'000;

// A journal row of kind K + this suffix is a chunk of items of kind K (see record_text).
constexpr std::string_view k_chunk_suffix = "[]";
constexpr std::size_t k_chunk_items = 4096;

std::vector<std::string> split_chunk_identities(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        auto end = text.find('\n', start);
        out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos)
            return out;
        start = end + 1;
    }
}

std::string utc_now()
{
    auto now = std::chrono::system_clock::now();
    auto seconds = std::chrono::system_clock::to_time_t(now);
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buffer, static_cast<int>(millis));
    return out;
}

Json parse(const std::string& text) { return Json::parse(text); }
std::string dump(const Json& j) { return j.dump(); }
Json nullable(SQLite::Column column) { return column.isNull() ? Json(nullptr) : parse(column.getString()); }

void exec_begin(SQLite::Database& db)
{
    // IMMEDIATE takes the write lock up front: two writers queue on the busy timeout instead of
    // one failing when it upgrades a read lock.
    db.exec("BEGIN IMMEDIATE");
}

Error storage_error(const SQLite::Exception& e, const std::string& path)
{
    auto code = e.getErrorCode();
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return Error(ExitCode::conflict, "tenant database " + quote(path) + " stayed locked by another csctl: " + e.what());
    return Error(ExitCode::internal, "tenant database " + quote(path) + ": " + e.what());
}

}  // namespace

SqliteTenant::SqliteTenant(std::unique_ptr<SQLite::Database> db) : m_db(std::move(db)) {}
SqliteTenant::~SqliteTenant() = default;

int SqliteTenant::schema_version() { return static_cast<int>(tenant_migrations().size()); }

std::unique_ptr<SqliteTenant> SqliteTenant::open(const std::string& path, Mode mode)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw not_found("tenant database " + quote(path) + " does not exist (create it with `csctl tenant init NAME`)");
    try {
        // One connection per process, used by one thread: no SQLite mutexes.
        int flags = (mode == Mode::read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE) | SQLite::OPEN_NOMUTEX;
        auto db = std::make_unique<SQLite::Database>(path, flags, k_busy_timeout_ms);
        std::unique_ptr<SqliteTenant> store(new SqliteTenant(std::move(db)));
        int version = store->m_db->execAndGet("PRAGMA user_version").getInt();
        if (version > schema_version())
            throw Error(ExitCode::usage, "tenant database " + quote(path) + " has schema version " + std::to_string(version) +
                                             ", newer than this csctl understands (" + std::to_string(schema_version()) +
                                             "); upgrade csctl");
        if (version < schema_version()) {
            if (mode == Mode::read_only) {
                store.reset();
                open(path, Mode::read_write);  // upgrades the schema, then read as asked
                return open(path, mode);
            }
            store->migrate();
        }
        store->m_db->exec("PRAGMA foreign_keys = ON");
        if (mode == Mode::read_write)
            store->m_db->exec("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY");
        return store;
    } catch (const SQLite::Exception& e) {
        throw storage_error(e, path);
    }
}

std::unique_ptr<SqliteTenant> SqliteTenant::create(const std::string& path, const TenantInfo& info)
{
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        throw conflict("tenant database " + quote(path) + " already exists");
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    try {
        auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, k_busy_timeout_ms);
        db->exec("PRAGMA page_size = 16384");
        db->exec("PRAGMA journal_mode = WAL");
        std::unique_ptr<SqliteTenant> store(new SqliteTenant(std::move(db)));
        store->migrate();
        store->m_db->exec("PRAGMA foreign_keys = ON");
        exec_begin(*store->m_db);
        SQLite::Statement tenant(*store->m_db, "INSERT INTO tenant(id, data) VALUES (1, ?)");
        tenant.bind(1, dump(to_json(info)));
        tenant.exec();
        SQLite::Statement global(*store->m_db, "INSERT INTO policies(name, data) VALUES ('Global', ?)");
        global.bind(1, dump(to_json(VoiceRoutingPolicy{"Global", {}, {}})));
        global.exec();
        store->m_db->exec("COMMIT");
        return store;
    } catch (const SQLite::Exception& e) {
        std::filesystem::remove(path, ec);
        throw storage_error(e, path);
    }
}

void SqliteTenant::migrate()
{
    const auto& migrations = tenant_migrations();
    exec_begin(*m_db);
    try {
        int version = m_db->execAndGet("PRAGMA user_version").getInt();
        for (auto i = static_cast<std::size_t>(version); i < migrations.size(); ++i)
            m_db->exec(std::string(migrations[i]));
        m_db->exec("PRAGMA user_version = " + std::to_string(migrations.size()));
        m_db->exec("COMMIT");
    } catch (...) {
        m_db->exec("ROLLBACK");
        throw;
    }
}

// ---- the write path ---------------------------------------------------------------------------

ChangeResult SqliteTenant::change(const ChangeInfo& info, bool dry_run, const std::function<void(TenantStore&)>& fn)
{
    ChangeResult result;
    try {
        exec_begin(*m_db);
    } catch (const SQLite::Exception& e) {
        throw storage_error(e, m_db->getFilename());
    }
    m_in_change = true;
    m_gateway_memo.clear();
    m_items.clear();
    m_item_seqs.clear();
    m_info = &info;
    m_change_id = 0;
    m_seq = 0;
    m_text_count = 0;
    m_chunk.count = 0;
    try {
        fn(*this);
        if (!dry_run)
            flush_chunk();
        m_chunk.count = 0;
        result.items = std::move(m_items);
        m_items.clear();
        result.bulk_items = m_text_count;
        if (dry_run || !result.changed()) {
            m_db->exec("ROLLBACK");
        } else {
            result.id = change_id();
            auto& item = cached("INSERT INTO change_items(change_id, seq, kind, identity, before, after) "
                                "VALUES (?, ?, ?, ?, ?, ?)");
            for (std::size_t i = 0; i < result.items.size(); ++i) {
                const auto& it = result.items[i];
                item.reset();
                item.bind(1, static_cast<int64_t>(result.id));
                item.bind(2, m_item_seqs[i]);
                item.bind(3, it.kind);
                item.bind(4, it.identity);
                if (it.before.is_null())
                    item.bind(5);
                else
                    item.bind(5, dump(it.before));
                if (it.after.is_null())
                    item.bind(6);
                else
                    item.bind(6, dump(it.after));
                item.exec();
            }
            if (!info.idempotency_key.empty()) {
                SQLite::Statement key(*m_db, "INSERT INTO applied_change_sets(key, request_hash, change_id) VALUES (?, ?, ?)");
                key.bind(1, info.idempotency_key);
                key.bind(2, info.request_hash);
                key.bind(3, static_cast<int64_t>(result.id));
                key.exec();
            }
            try {
                m_db->exec("COMMIT");
            } catch (const SQLite::Exception& e) {
                if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY)
                    throw conflict("the change would leave an object referring to one that does not exist; nothing was changed");
                throw;
            }
        }
    } catch (const SQLite::Exception& e) {
        m_in_change = false;
        m_gateway_memo.clear();
        if (!sqlite3_get_autocommit(m_db->getHandle()))
            m_db->exec("ROLLBACK");
        throw storage_error(e, m_db->getFilename());
    } catch (...) {
        m_in_change = false;
        m_gateway_memo.clear();
        if (!sqlite3_get_autocommit(m_db->getHandle()))
            m_db->exec("ROLLBACK");
        throw;
    }
    m_in_change = false;
    m_gateway_memo.clear();
    return result;
}

void SqliteTenant::require_change(const char* what) const
{
    if (!m_in_change)
        throw Error(ExitCode::internal, std::string("internal: ") + what + " outside a change");
}

void SqliteTenant::record(std::string kind, std::string identity, Json before, Json after)
{
    flush_chunk();  // journal order is the order of the writes
    m_items.push_back(ChangeItem{std::move(kind), std::move(identity), std::move(before), std::move(after)});
    m_item_seqs.push_back(m_seq++);
}

long long SqliteTenant::change_id()
{
    if (m_change_id)
        return m_change_id;
    auto& head = cached("INSERT INTO changes(time, os_user, command_line, reverts) VALUES (?, ?, ?, ?)");
    head.bind(1, utc_now());
    head.bind(2, m_info->os_user);
    head.bind(3, m_info->command_line);
    if (m_info->reverts)
        head.bind(4, static_cast<int64_t>(*m_info->reverts));
    else
        head.bind(4);
    head.exec();
    m_change_id = m_db->getLastInsertRowid();
    return m_change_id;
}

// ---- tenant -----------------------------------------------------------------------------------

TenantInfo SqliteTenant::tenant()
{
    return tenant_from_json(parse(m_db->execAndGet("SELECT data FROM tenant WHERE id = 1").getString()));
}

void SqliteTenant::put_tenant(const TenantInfo& info)
{
    require_change("put_tenant");
    auto before = to_json(tenant());
    auto after = to_json(info);
    if (before == after)
        return;
    SQLite::Statement st(*m_db, "UPDATE tenant SET data = ? WHERE id = 1");
    st.bind(1, dump(after));
    st.exec();
    record(kind::tenant, info.name, before, after);
}

// ---- gateways ---------------------------------------------------------------------------------

std::optional<Gateway> SqliteTenant::find_gateway(std::string_view fqdn)
{
    std::string key;
    if (m_in_change) {
        key = to_lower(fqdn);
        if (auto it = m_gateway_memo.find(key); it != m_gateway_memo.end())
            return it->second;
    }
    auto& st = cached("SELECT fqdn, data FROM gateways WHERE fqdn = ?");
    st.bind(1, std::string(fqdn));
    std::optional<Gateway> g;
    if (st.executeStep())
        g = gateway_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString());
    st.reset();
    if (m_in_change)
        m_gateway_memo.emplace(std::move(key), g);
    return g;
}

std::vector<Gateway> SqliteTenant::gateways()
{
    std::vector<Gateway> out;
    SQLite::Statement st(*m_db, "SELECT fqdn, data FROM gateways ORDER BY fqdn COLLATE NOCASE");
    while (st.executeStep())
        out.push_back(gateway_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString()));
    return out;
}

void SqliteTenant::put_gateway(const Gateway& g)
{
    require_change("put_gateway");
    auto existing = find_gateway(g.fqdn);
    Json before = existing ? to_json(*existing) : Json(nullptr);
    Json after = to_json(g);
    if (before == after)
        return;
    m_gateway_memo.clear();
    SQLite::Statement st(*m_db, "INSERT INTO gateways(fqdn, data) VALUES (?1, ?2) "
                                "ON CONFLICT(fqdn) DO UPDATE SET data = ?2");
    st.bind(1, g.fqdn);
    st.bind(2, dump(after));
    st.exec();
    record(kind::gateway, g.fqdn, before, after);
}

void SqliteTenant::erase_gateway(std::string_view fqdn)
{
    require_change("erase_gateway");
    auto existing = find_gateway(fqdn);
    if (!existing)
        return;
    m_gateway_memo.clear();
    SQLite::Statement st(*m_db, "DELETE FROM gateways WHERE fqdn = ?");
    st.bind(1, existing->fqdn);
    st.exec();
    record(kind::gateway, existing->fqdn, to_json(*existing), nullptr);
}

// ---- usages -----------------------------------------------------------------------------------

std::vector<std::string> SqliteTenant::usages()
{
    std::vector<std::string> out;
    auto& st = cached("SELECT name FROM usages ORDER BY position");  // read for every route validated
    while (st.executeStep())
        out.push_back(st.getColumn(0).getString());
    st.reset();
    return out;
}

void SqliteTenant::put_usages(const std::vector<std::string>& list)
{
    require_change("put_usages");
    auto before = usages();
    if (before == list)
        return;
    m_db->exec("DELETE FROM usages");
    SQLite::Statement st(*m_db, "INSERT INTO usages(name, position) VALUES (?, ?)");
    int position = 0;
    for (const auto& name : list) {
        st.bind(1, name);
        st.bind(2, position++);
        st.exec();
        st.reset();
    }
    record(kind::usage, "Global", before, list);
}

// ---- voice routes -----------------------------------------------------------------------------

std::optional<VoiceRoute> SqliteTenant::find_route(std::string_view identity)
{
    auto& st = cached("SELECT identity, data FROM routes WHERE identity = ?");
    st.bind(1, std::string(identity));
    if (!st.executeStep())
        return std::nullopt;
    auto r = route_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString());
    st.reset();
    return r;
}

std::vector<VoiceRoute> SqliteTenant::routes()
{
    std::vector<VoiceRoute> out;
    SQLite::Statement st(*m_db, "SELECT identity, data FROM routes ORDER BY priority, identity COLLATE NOCASE");
    while (st.executeStep())
        out.push_back(route_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString()));
    return out;
}

void SqliteTenant::write_route(const VoiceRoute& r, bool fresh)
{
    // Cached statements: a change set writes thousands of routes. A new route has no list rows.
    auto& st = fresh ? cached("INSERT INTO routes(identity, priority, data) VALUES (?1, ?2, ?3)")
                     : cached("INSERT INTO routes(identity, priority, data) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT(identity) DO UPDATE SET priority = ?2, data = ?3");
    st.bind(1, r.identity);
    st.bind(2, r.priority);
    st.bind(3, dump(to_json(r)));
    st.exec();
    auto replace_list = [&](const char* delete_sql, const char* insert_sql, const std::vector<std::string>& items) {
        if (!fresh) {
            auto& del = cached(delete_sql);
            del.bind(1, r.identity);
            del.exec();
        }
        auto& ins = cached(insert_sql);
        int position = 0;
        for (const auto& item : items) {
            ins.bind(1, r.identity);
            ins.bind(2, item);
            ins.bind(3, position++);
            ins.exec();
            ins.reset();
        }
    };
    replace_list("DELETE FROM route_usages WHERE route = ?",
                 "INSERT INTO route_usages(route, usage, position) VALUES (?, ?, ?)", r.online_pstn_usages);
    replace_list("DELETE FROM route_gateways WHERE route = ?",
                 "INSERT INTO route_gateways(route, gateway, position) VALUES (?, ?, ?)", r.online_pstn_gateway_list);
}

void SqliteTenant::put_route(const VoiceRoute& r)
{
    require_change("put_route");
    auto existing = find_route(r.identity);
    Json before = existing ? to_json(*existing) : Json(nullptr);
    Json after = to_json(r);
    if (before == after)
        return;
    write_route(r, !existing);
    record(kind::voice_route, r.identity, before, after);
}

void SqliteTenant::erase_route(std::string_view identity)
{
    require_change("erase_route");
    auto existing = find_route(identity);
    if (!existing)
        return;
    SQLite::Statement st(*m_db, "DELETE FROM routes WHERE identity = ?");
    st.bind(1, existing->identity);
    st.exec();
    record(kind::voice_route, existing->identity, to_json(*existing), nullptr);
}

std::optional<int> SqliteTenant::max_route_priority()
{
    auto column = m_db->execAndGet("SELECT max(priority) FROM routes");
    if (column.isNull())
        return std::nullopt;
    return column.getInt();
}

std::optional<int> SqliteTenant::route_priority(std::string_view identity)
{
    auto& st = cached("SELECT priority FROM routes WHERE identity = ?");
    st.bind(1, std::string(identity));
    std::optional<int> priority;
    if (st.executeStep())
        priority = st.getColumn(0).getInt();
    st.reset();
    return priority;
}

bool SqliteTenant::route_priority_taken(int priority, std::string_view except_identity)
{
    auto& st = cached("SELECT 1 FROM routes WHERE priority = ? AND identity <> ? LIMIT 1");
    st.bind(1, priority);
    st.bind(2, std::string(except_identity));
    bool taken = st.executeStep();
    st.reset();
    return taken;
}

void SqliteTenant::shift_route_priorities(int from, std::string_view except_identity)
{
    require_change("shift_route_priorities");
    std::vector<VoiceRoute> moving;
    {
        SQLite::Statement st(*m_db, "SELECT identity, data FROM routes WHERE priority >= ? AND identity <> ? "
                                    "ORDER BY priority DESC");
        st.bind(1, from);
        st.bind(2, std::string(except_identity));
        while (st.executeStep())
            moving.push_back(route_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString()));
    }
    SQLite::Statement update(*m_db, "UPDATE routes SET priority = ?, data = ? WHERE identity = ?");
    for (auto& r : moving) {
        auto before = to_json(r);
        ++r.priority;
        auto after = to_json(r);
        update.bind(1, r.priority);
        update.bind(2, dump(after));
        update.bind(3, r.identity);
        update.exec();
        update.reset();
        record(kind::voice_route, r.identity, std::move(before), std::move(after));
    }
}

std::vector<std::string> SqliteTenant::routes_using_gateway(std::string_view fqdn)
{
    std::vector<std::string> out;
    SQLite::Statement st(*m_db, "SELECT r.identity FROM route_gateways g JOIN routes r ON r.identity = g.route "
                                "WHERE g.gateway = ? ORDER BY r.priority");
    st.bind(1, std::string(fqdn));
    while (st.executeStep())
        out.push_back(st.getColumn(0).getString());
    return out;
}

std::vector<std::string> SqliteTenant::routes_using_usage(std::string_view usage)
{
    std::vector<std::string> out;
    SQLite::Statement st(*m_db, "SELECT r.identity FROM route_usages u JOIN routes r ON r.identity = u.route "
                                "WHERE u.usage = ? ORDER BY r.priority");
    st.bind(1, std::string(usage));
    while (st.executeStep())
        out.push_back(st.getColumn(0).getString());
    return out;
}

// ---- voice routing policies -------------------------------------------------------------------

std::optional<VoiceRoutingPolicy> SqliteTenant::find_policy(std::string_view name)
{
    SQLite::Statement st(*m_db, "SELECT name, data FROM policies WHERE name = ?");
    st.bind(1, std::string(name));
    if (!st.executeStep())
        return std::nullopt;
    return policy_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString());
}

std::vector<VoiceRoutingPolicy> SqliteTenant::policies()
{
    std::vector<VoiceRoutingPolicy> out;
    SQLite::Statement st(*m_db, "SELECT name, data FROM policies ORDER BY name <> 'Global', name COLLATE NOCASE");
    while (st.executeStep())
        out.push_back(policy_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString()));
    return out;
}

void SqliteTenant::put_policy(const VoiceRoutingPolicy& p)
{
    require_change("put_policy");
    auto existing = find_policy(p.name);
    Json before = existing ? to_json(*existing) : Json(nullptr);
    Json after = to_json(p);
    if (before == after)
        return;
    SQLite::Statement st(*m_db, "INSERT INTO policies(name, data) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET data = ?2");
    st.bind(1, p.name);
    st.bind(2, dump(after));
    st.exec();
    SQLite::Statement del(*m_db, "DELETE FROM policy_usages WHERE policy = ?");
    del.bind(1, p.name);
    del.exec();
    SQLite::Statement ins(*m_db, "INSERT INTO policy_usages(policy, usage, position) VALUES (?, ?, ?)");
    int position = 0;
    for (const auto& u : p.online_pstn_usages) {
        ins.bind(1, p.name);
        ins.bind(2, u);
        ins.bind(3, position++);
        ins.exec();
        ins.reset();
    }
    record(kind::voice_routing_policy, p.identity(), before, after);
}

void SqliteTenant::erase_policy(std::string_view name)
{
    require_change("erase_policy");
    auto existing = find_policy(name);
    if (!existing)
        return;
    SQLite::Statement st(*m_db, "DELETE FROM policies WHERE name = ?");
    st.bind(1, existing->name);
    st.exec();
    record(kind::voice_routing_policy, existing->identity(), to_json(*existing), nullptr);
}

std::vector<std::string> SqliteTenant::policies_using_usage(std::string_view usage)
{
    std::vector<std::string> out;
    SQLite::Statement st(*m_db, "SELECT policy FROM policy_usages WHERE usage = ? ORDER BY policy COLLATE NOCASE");
    st.bind(1, std::string(usage));
    while (st.executeStep())
        out.push_back(st.getColumn(0).getString());
    return out;
}

// ---- (key, data) objects: dial plans, translation rules, blocked and exempt numbers ------------

std::optional<std::pair<std::string, Json>> SqliteTenant::find_row(const char* table, const char* key,
                                                                   std::string_view id)
{
    SQLite::Statement st(*m_db, std::string("SELECT ") + key + ", data FROM " + table + " WHERE " + key + " = ?");
    st.bind(1, std::string(id));
    if (!st.executeStep())
        return std::nullopt;
    return std::make_pair(st.getColumn(0).getString(), parse(st.getColumn(1).getString()));
}

std::vector<std::pair<std::string, Json>> SqliteTenant::all_rows(const char* table, const char* key, const char* order)
{
    std::vector<std::pair<std::string, Json>> out;
    SQLite::Statement st(*m_db, std::string("SELECT ") + key + ", data FROM " + table + " ORDER BY " + order);
    while (st.executeStep())
        out.emplace_back(st.getColumn(0).getString(), parse(st.getColumn(1).getString()));
    return out;
}

void SqliteTenant::put_row(const char* table, const char* key, const char* k, const std::string& id,
                           const std::string& journal_id, const Json& before, const Json& after)
{
    if (before == after)
        return;
    SQLite::Statement st(*m_db, std::string("INSERT INTO ") + table + "(" + key + ", data) VALUES (?1, ?2) ON CONFLICT(" +
                                    key + ") DO UPDATE SET data = ?2");
    st.bind(1, id);
    st.bind(2, dump(after));
    st.exec();
    record(k, journal_id, before, after);
}

void SqliteTenant::erase_row(const char* table, const char* key, const char* k, const std::string& id,
                             const std::string& journal_id, const Json& before)
{
    SQLite::Statement st(*m_db, std::string("DELETE FROM ") + table + " WHERE " + key + " = ?");
    st.bind(1, id);
    st.exec();
    record(k, journal_id, before, nullptr);
}

std::optional<TenantDialPlan> SqliteTenant::find_dial_plan(std::string_view name)
{
    auto row = find_row("dial_plans", "name", name);
    return row ? std::optional(dial_plan_from_json(row->second, row->first)) : std::nullopt;
}

std::vector<TenantDialPlan> SqliteTenant::dial_plans()
{
    std::vector<TenantDialPlan> out;
    for (const auto& [name, data] : all_rows("dial_plans", "name", "name <> 'Global', name COLLATE NOCASE"))
        out.push_back(dial_plan_from_json(data, name));
    return out;
}

void SqliteTenant::put_dial_plan(const TenantDialPlan& d)
{
    require_change("put_dial_plan");
    auto existing = find_dial_plan(d.name);
    put_row("dial_plans", "name", kind::dial_plan, d.name, d.identity(), existing ? to_json(*existing) : Json(nullptr),
            to_json(d));
}

void SqliteTenant::erase_dial_plan(std::string_view name)
{
    require_change("erase_dial_plan");
    if (auto existing = find_dial_plan(name))
        erase_row("dial_plans", "name", kind::dial_plan, existing->name, existing->identity(), to_json(*existing));
}

std::optional<TranslationRule> SqliteTenant::find_translation_rule(std::string_view identity)
{
    auto row = find_row("translation_rules", "identity", identity);
    return row ? std::optional(translation_rule_from_json(row->second, row->first)) : std::nullopt;
}

std::vector<TranslationRule> SqliteTenant::translation_rules()
{
    std::vector<TranslationRule> out;
    for (const auto& [id, data] : all_rows("translation_rules", "identity", "identity COLLATE NOCASE"))
        out.push_back(translation_rule_from_json(data, id));
    return out;
}

void SqliteTenant::put_translation_rule(const TranslationRule& t)
{
    require_change("put_translation_rule");
    auto existing = find_translation_rule(t.identity);
    put_row("translation_rules", "identity", kind::translation_rule, t.identity, t.identity,
            existing ? to_json(*existing) : Json(nullptr), to_json(t));
}

void SqliteTenant::erase_translation_rule(std::string_view identity)
{
    require_change("erase_translation_rule");
    if (auto existing = find_translation_rule(identity))
        erase_row("translation_rules", "identity", kind::translation_rule, existing->identity, existing->identity,
                  to_json(*existing));
}

namespace {
const char* number_table(bool exempt) { return exempt ? "exempt_numbers" : "blocked_numbers"; }
const char* number_kind(bool exempt) { return exempt ? kind::exempt_number : kind::blocked_number; }
}  // namespace

std::optional<NumberPattern> SqliteTenant::find_number_pattern(bool exempt, std::string_view identity)
{
    auto row = find_row(number_table(exempt), "identity", identity);
    return row ? std::optional(number_pattern_from_json(row->second, row->first, exempt)) : std::nullopt;
}

std::vector<NumberPattern> SqliteTenant::number_patterns(bool exempt)
{
    std::vector<NumberPattern> out;
    for (const auto& [id, data] : all_rows(number_table(exempt), "identity", "identity COLLATE NOCASE"))
        out.push_back(number_pattern_from_json(data, id, exempt));
    return out;
}

void SqliteTenant::put_number_pattern(bool exempt, const NumberPattern& p)
{
    require_change("put_number_pattern");
    auto existing = find_number_pattern(exempt, p.identity);
    put_row(number_table(exempt), "identity", number_kind(exempt), p.identity, p.identity,
            existing ? to_json(*existing, exempt) : Json(nullptr), to_json(p, exempt));
}

void SqliteTenant::erase_number_pattern(bool exempt, std::string_view identity)
{
    require_change("erase_number_pattern");
    if (auto existing = find_number_pattern(exempt, identity))
        erase_row(number_table(exempt), "identity", number_kind(exempt), existing->identity, existing->identity,
                  to_json(*existing, exempt));
}

// ---- statements and bulk journal --------------------------------------------------------------

SQLite::Statement& SqliteTenant::cached(const char* sql)
{
    auto& slot = m_statements[sql];
    if (!slot) {
        slot = std::make_unique<SQLite::Statement>(*m_db, sql);
    } else {
        slot->reset();
        slot->clearBindings();
    }
    return *slot;
}

// A journal chunk is one change_items row standing for up to k_chunk_items items of one kind, in
// order: kind is the items' kind with k_chunk_suffix, identity their identities joined by "\n"
// (no identity contains a line break), before and after JSON arrays of their states (null: did
// not exist / removed). journal() and changed_since() read it back as the items it stands for.
void SqliteTenant::record_text(const char* kind, const std::string& identity, const std::optional<std::string>& before,
                               const std::optional<std::string>& after)
{
    auto& chunk = chunk_item(kind, identity);
    chunk.before += before ? *before : std::string_view("null");
    chunk.after += after ? *after : std::string_view("null");
}

SqliteTenant::Chunk& SqliteTenant::chunk_item(const char* kind, std::string_view identity)
{
    if (m_chunk.count > 0 && (m_chunk.count >= k_chunk_items || m_chunk.kind != kind))
        flush_chunk();
    if (m_chunk.count == 0) {
        m_chunk.kind = kind;
        m_chunk.seq = m_seq++;
        m_chunk.identities.clear();
        m_chunk.before.assign(1, '[');
        m_chunk.after.assign(1, '[');
    } else {
        m_chunk.identities += '\n';
        m_chunk.before += ',';
        m_chunk.after += ',';
    }
    m_chunk.identities += identity;
    ++m_chunk.count;
    ++m_text_count;
    return m_chunk;
}

void SqliteTenant::flush_chunk()
{
    if (m_chunk.count == 0)
        return;
    m_chunk.before += ']';
    m_chunk.after += ']';
    auto kind = m_chunk.kind;
    kind += k_chunk_suffix;
    auto& item = cached("INSERT INTO change_items(change_id, seq, kind, identity, before, after) VALUES (?, ?, ?, ?, ?, ?)");
    item.bind(1, static_cast<int64_t>(change_id()));
    item.bind(2, m_chunk.seq);
    item.bindNoCopy(3, kind);
    item.bindNoCopy(4, m_chunk.identities);
    item.bindNoCopy(5, m_chunk.before);
    item.bindNoCopy(6, m_chunk.after);
    item.exec();
    m_chunk.count = 0;
}

// ---- users ------------------------------------------------------------------------------------

namespace {

// Bulk writes of more objects than this journal them as text, not as JSON values.
constexpr std::size_t k_json_items_max = 100;

constexpr const char* k_user_columns =
    "upn, sip_address, display_name, object_id, usage_location, account_type, homed, licenses, "
    "enterprise_voice_enabled, phone_number, phone_number_type, hosted_voice_mail, voice_routing_policy, "
    "tenant_dial_plan, upgrade_policy";

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

// The column's text into out, reusing out's storage (NULL: empty).
void read_text(const SQLite::Column& c, std::string& out)
{
    const char* text = c.getText(nullptr);
    if (text)
        out.assign(text, static_cast<std::size_t>(c.getBytes()));
    else
        out.clear();
}

void read_user_row(SQLite::Statement& st, User& u)
{
    read_text(st.getColumn(0), u.user_principal_name);
    read_text(st.getColumn(1), u.sip_address);
    read_text(st.getColumn(2), u.display_name);
    read_text(st.getColumn(3), u.object_id);
    read_text(st.getColumn(4), u.usage_location);
    read_text(st.getColumn(5), u.account_type);
    read_text(st.getColumn(6), u.homed);
    u.licenses = split_list(st.getColumn(7).getString(), ';');
    u.enterprise_voice_enabled = st.getColumn(8).getInt() != 0;
    read_text(st.getColumn(9), u.phone_number);
    read_text(st.getColumn(10), u.phone_number_type);
    u.hosted_voice_mail = st.getColumn(11).getInt() != 0;
    read_text(st.getColumn(12), u.online_voice_routing_policy);
    read_text(st.getColumn(13), u.tenant_dial_plan);
    read_text(st.getColumn(14), u.teams_upgrade_policy);
}

User user_from_row(SQLite::Statement& st)
{
    User u;
    read_user_row(st, u);
    return u;
}

void bind_text_or_null(SQLite::Statement& st, int index, const std::string& value)
{
    if (value.empty())
        st.bind(index);
    else
        st.bindNoCopy(index, value);
}

const char* policy_column(PolicyType type)
{
    switch (type) {
    case PolicyType::voice_routing: return "voice_routing_policy";
    case PolicyType::upgrade: return "upgrade_policy";
    case PolicyType::dial_plan: return "tenant_dial_plan";
    }
    return "voice_routing_policy";
}

const char* assignment_kind(PolicyType type)
{
    switch (type) {
    case PolicyType::voice_routing: return kind::voice_routing_policy_assignment;
    case PolicyType::upgrade: return kind::upgrade_policy_assignment;
    case PolicyType::dial_plan: return kind::dial_plan_assignment;
    }
    return kind::voice_routing_policy_assignment;
}

std::string& policy_field(User& u, PolicyType type)
{
    switch (type) {
    case PolicyType::voice_routing: return u.online_voice_routing_policy;
    case PolicyType::upgrade: return u.teams_upgrade_policy;
    case PolicyType::dial_plan: return u.tenant_dial_plan;
    }
    return u.online_voice_routing_policy;
}

std::optional<std::string> assignment_text(const std::string& name)
{
    if (name.empty())
        return std::nullopt;
    return Json(name).dump();
}

}  // namespace

std::optional<User> SqliteTenant::find_user(std::string_view upn)
{
    auto& st = cached("SELECT upn, sip_address, display_name, object_id, usage_location, account_type, homed, licenses, "
                      "enterprise_voice_enabled, phone_number, phone_number_type, hosted_voice_mail, "
                      "voice_routing_policy, tenant_dial_plan, upgrade_policy FROM users WHERE upn = ?");
    st.bind(1, std::string(upn));
    if (!st.executeStep())
        return std::nullopt;
    auto u = user_from_row(st);
    st.reset();
    auto& groups = cached("SELECT grp FROM group_members WHERE upn = ? ORDER BY position");
    groups.bind(1, u.user_principal_name);
    while (groups.executeStep())
        u.groups.push_back(groups.getColumn(0).getString());
    groups.reset();
    return u;
}

std::vector<User> SqliteTenant::users()
{
    std::vector<User> out;
    {
        // Built in place in a vector of the right size (tenants hold 100,000s of users).
        auto count = m_db->execAndGet("SELECT count(*) FROM users").getInt64();
        out.reserve(static_cast<std::size_t>(count));
        SQLite::Statement st(*m_db, std::string("SELECT ") + k_user_columns + " FROM users ORDER BY upn");
        while (st.executeStep())
            read_user_row(st, out.emplace_back());
    }
    // Memberships in one ordered pass, merged by UPN (both sorted the same way: NOCASE).
    SQLite::Statement members(*m_db, "SELECT upn, grp FROM group_members ORDER BY upn, position");
    std::size_t at = 0;
    while (members.executeStep()) {
        auto upn = members.getColumn(0).getString();
        while (at < out.size() && !iequals(out[at].user_principal_name, upn) &&
               to_lower(out[at].user_principal_name) < to_lower(upn))
            ++at;
        if (at < out.size() && iequals(out[at].user_principal_name, upn))
            out[at].groups.push_back(members.getColumn(1).getString());
    }
    return out;
}

namespace {

// SQLite's NOCASE order (ASCII letters folded), for merging two scans sorted by it.
int nocase_compare(const char* a, const char* b)
{
    auto fold = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; };
    for (;; ++a, ++b) {
        int x = fold(static_cast<unsigned char>(*a)), y = fold(static_cast<unsigned char>(*b));
        if (x != y || x == 0)
            return x - y;
    }
}

}  // namespace

void SqliteTenant::each_voice_user(const std::function<void(const User&)>& fn)
{
    // Two scans in UPN order (both tables are keyed by it), merged: no lookup per user. The
    // order of memberships does not matter to the effective policy (best rank, then group name).
    SQLite::Statement st(*m_db, "SELECT upn, usage_location, licenses, phone_number, phone_number_type, "
                                "voice_routing_policy, tenant_dial_plan, upgrade_policy, homed FROM users "
                                "WHERE enterprise_voice_enabled <> 0 AND phone_number IS NOT NULL ORDER BY upn");
    SQLite::Statement members(*m_db, "SELECT upn, grp FROM group_members ORDER BY upn");
    bool member = members.executeStep();
    User u;
    u.enterprise_voice_enabled = true;
    auto text = [&st](int column, std::string& out) {
        auto c = st.getColumn(column);
        out.assign(c.getText(""), static_cast<std::size_t>(c.getBytes()));
    };
    std::string licenses;
    while (st.executeStep()) {
        text(0, u.user_principal_name);
        text(1, u.usage_location);
        text(2, licenses);
        u.licenses.clear();
        for (std::size_t at = 0; at < licenses.size();) {
            auto end = std::min(licenses.find(';', at), licenses.size());
            if (end > at)
                u.licenses.emplace_back(licenses, at, end - at);
            at = end + 1;
        }
        text(3, u.phone_number);
        text(4, u.phone_number_type);
        text(5, u.online_voice_routing_policy);
        text(6, u.tenant_dial_plan);
        text(7, u.teams_upgrade_policy);
        text(8, u.homed);
        u.groups.clear();
        const char* upn = u.user_principal_name.c_str();
        while (member && nocase_compare(members.getColumn(0).getText(""), upn) < 0)
            member = members.executeStep();
        while (member && nocase_compare(members.getColumn(0).getText(""), upn) == 0) {
            u.groups.emplace_back(members.getColumn(1).getText(""));
            member = members.executeStep();
        }
        fn(u);
    }
}

std::vector<User> SqliteTenant::find_users(const std::vector<std::string>& upns)
{
    // Point lookups for a few; one ordered scan when the list is a sizeable part of the directory
    // (the caller picks the users it asked for).
    if (upns.size() < 2000 || upns.size() * 4 < user_count()) {
        std::vector<User> out;
        for (const auto& upn : upns)
            if (auto u = find_user(upn))
                out.push_back(std::move(*u));
        return out;
    }
    return users();
}

std::size_t SqliteTenant::user_count()
{
    return static_cast<std::size_t>(m_db->execAndGet("SELECT count(*) FROM users").getInt64());
}

void SqliteTenant::write_user(const std::optional<User>& before, const User& u)
{
    // A plain INSERT for a new user, an UPDATE for an existing one: cheaper than an upsert.
    auto& st = before ? cached("UPDATE users SET sip_address = ?2, display_name = ?3, object_id = ?4, usage_location = ?5, "
                               "account_type = ?6, homed = ?7, licenses = ?8, enterprise_voice_enabled = ?9, "
                               "phone_number = ?10, phone_number_type = ?11, hosted_voice_mail = ?12, "
                               "voice_routing_policy = ?13, tenant_dial_plan = ?14, upgrade_policy = ?15 WHERE upn = ?1")
                      : cached("INSERT INTO users(upn, sip_address, display_name, object_id, usage_location, account_type, "
                               "homed, licenses, enterprise_voice_enabled, phone_number, phone_number_type, "
                               "hosted_voice_mail, voice_routing_policy, tenant_dial_plan, upgrade_policy) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    auto licenses = join(u.licenses, ";");
    st.bindNoCopy(1, u.user_principal_name);
    st.bindNoCopy(2, u.sip_address);
    st.bindNoCopy(3, u.display_name);
    bind_text_or_null(st, 4, u.object_id);
    bind_text_or_null(st, 5, u.usage_location);
    st.bindNoCopy(6, u.account_type);
    st.bindNoCopy(7, u.homed);
    st.bindNoCopy(8, licenses);
    st.bind(9, u.enterprise_voice_enabled ? 1 : 0);
    bind_text_or_null(st, 10, u.phone_number);
    bind_text_or_null(st, 11, u.phone_number_type);
    st.bind(12, u.hosted_voice_mail ? 1 : 0);
    bind_text_or_null(st, 13, u.online_voice_routing_policy);
    bind_text_or_null(st, 14, u.tenant_dial_plan);
    bind_text_or_null(st, 15, u.teams_upgrade_policy);
    try {
        st.exec();
    } catch (const SQLite::Exception& e) {
        if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
            throw conflict(user_label(u.user_principal_name) + ": PhoneNumber " + quote(u.phone_number) +
                           " is assigned to another user");
        throw;
    }
    if (before ? before->groups != u.groups : !u.groups.empty())
        write_members(u, before && !before->groups.empty());
}

void SqliteTenant::write_members(const User& u, bool had_members)
{
    if (had_members) {
        auto& del = cached("DELETE FROM group_members WHERE upn = ?");
        del.bindNoCopy(1, u.user_principal_name);
        del.exec();
    }
    auto& ins = cached("INSERT INTO group_members(upn, grp, position) VALUES (?, ?, ?)");
    int position = 0;
    for (const auto& g : u.groups) {
        ins.reset();
        ins.bindNoCopy(1, u.user_principal_name);
        ins.bindNoCopy(2, g);
        ins.bind(3, position++);
        ins.exec();
    }
}

namespace {

// New users per multi-row INSERT: the statement's set-up and halt, and the opening of the
// table's and indexes' cursors, are paid once per this many users (15 parameters each).
constexpr std::size_t k_insert_rows = 64;

const std::string& insert_users_sql()
{
    static const std::string sql = [] {
        std::string out = std::string("INSERT INTO users(") + k_user_columns + ") VALUES ";
        for (std::size_t i = 0; i < k_insert_rows; ++i)
            out += i ? ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        return out;
    }();
    return sql;
}

void bind_raw(sqlite3_stmt* st, int index, const std::string& value)
{
    sqlite3_bind_text(st, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}

void bind_raw_or_null(sqlite3_stmt* st, int index, const std::string& value)
{
    if (value.empty())
        sqlite3_bind_null(st, index);
    else
        bind_raw(st, index, value);
}

}  // namespace

void SqliteTenant::insert_users(const User* const* users, std::size_t count)
{
    if (count < k_insert_rows) {
        for (std::size_t i = 0; i < count; ++i)
            write_user(std::nullopt, *users[i]);
        return;
    }
    auto* db = m_db->getHandle();
    if (!m_insert_users) {
        sqlite3_stmt* st = nullptr;
        const auto& sql = insert_users_sql();
        if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()) + 1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
            throw SQLite::Exception(db, sqlite3_errcode(db));
        m_insert_users = {st, sqlite3_finalize};
    }
    auto* st = m_insert_users.get();
    std::string licenses[k_insert_rows];
    for (std::size_t done = 0; done < count; done += k_insert_rows) {
        const auto n = std::min(k_insert_rows, count - done);
        if (n < k_insert_rows) {
            insert_users(users + done, n);
            break;
        }
        int p = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const User& u = *users[done + i];
            licenses[i].clear();
            for (std::size_t k = 0; k < u.licenses.size(); ++k) {
                if (k)
                    licenses[i] += ';';
                licenses[i] += u.licenses[k];
            }
            bind_raw(st, ++p, u.user_principal_name);
            bind_raw(st, ++p, u.sip_address);
            bind_raw(st, ++p, u.display_name);
            bind_raw_or_null(st, ++p, u.object_id);
            bind_raw_or_null(st, ++p, u.usage_location);
            bind_raw(st, ++p, u.account_type);
            bind_raw(st, ++p, u.homed);
            bind_raw(st, ++p, licenses[i]);
            sqlite3_bind_int(st, ++p, u.enterprise_voice_enabled ? 1 : 0);
            bind_raw_or_null(st, ++p, u.phone_number);
            bind_raw_or_null(st, ++p, u.phone_number_type);
            sqlite3_bind_int(st, ++p, u.hosted_voice_mail ? 1 : 0);
            bind_raw_or_null(st, ++p, u.online_voice_routing_policy);
            bind_raw_or_null(st, ++p, u.tenant_dial_plan);
            bind_raw_or_null(st, ++p, u.teams_upgrade_policy);
        }
        const int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            if ((rc & 0xff) != SQLITE_CONSTRAINT)
                throw SQLite::Exception(db, rc);
            // The statement wrote nothing; one INSERT per user names the one that failed.
            for (std::size_t i = 0; i < n; ++i)
                write_user(std::nullopt, *users[done + i]);
            continue;
        }
        for (std::size_t i = 0; i < n; ++i)
            if (!users[done + i]->groups.empty())
                write_members(*users[done + i], false);
    }
}

void SqliteTenant::put_users(const std::vector<UserChange>& changes)
{
    require_change("put_users");
    // A few users are journaled as JSON values (dry runs print them); many as compact text.
    const bool as_text = changes.size() > k_json_items_max;
    // New users wait for a multi-row INSERT; an update or removal writes them first, so writes
    // keep their order.
    std::vector<const User*> created;
    created.reserve(std::min(changes.size(), k_insert_rows));
    auto insert_created = [&] {
        insert_users(created.data(), created.size());
        created.clear();
    };
    std::string before_text, after_text;
    for (const auto& c : changes) {
        if (c.after && !c.before) {
            created.push_back(&*c.after);
            if (created.size() == k_insert_rows)
                insert_created();
            if (as_text) {
                auto& chunk = chunk_item(kind::user, c.after->user_principal_name);
                chunk.before += "null";
                append_user_json_text(chunk.after, *c.after);
            } else {
                record(kind::user, c.after->user_principal_name, nullptr, to_json(*c.after));
            }
        } else if (c.after) {
            before_text.clear();
            append_user_json_text(before_text, *c.before);
            after_text.clear();
            append_user_json_text(after_text, *c.after);
            if (before_text == after_text)
                continue;
            insert_created();
            write_user(c.before, *c.after);
            if (as_text) {
                auto& chunk = chunk_item(kind::user, c.after->user_principal_name);
                chunk.before += before_text;
                chunk.after += after_text;
            } else {
                record(kind::user, c.after->user_principal_name, to_json(*c.before), to_json(*c.after));
            }
        } else if (c.before) {
            insert_created();
            auto& members = cached("DELETE FROM group_members WHERE upn = ?");
            members.bindNoCopy(1, c.before->user_principal_name);
            members.exec();
            auto& del = cached("DELETE FROM users WHERE upn = ?");
            del.bindNoCopy(1, c.before->user_principal_name);
            del.exec();
            if (as_text) {
                auto& chunk = chunk_item(kind::user, c.before->user_principal_name);
                append_user_json_text(chunk.before, *c.before);
                chunk.after += "null";
            } else {
                record(kind::user, c.before->user_principal_name, to_json(*c.before), nullptr);
            }
        }
    }
    insert_created();
}

void SqliteTenant::put_user(const User& user)
{
    require_change("put_user");
    put_users({UserChange{find_user(user.user_principal_name), user}});
}

void SqliteTenant::erase_user(std::string_view upn)
{
    require_change("erase_user");
    auto existing = find_user(upn);
    if (existing)
        put_users({UserChange{existing, std::nullopt}});
}

std::optional<std::string> SqliteTenant::user_with_phone_number(std::string_view number)
{
    auto& st = cached("SELECT upn FROM users WHERE phone_number = ?");
    st.bind(1, std::string(number));
    std::optional<std::string> out;
    if (st.executeStep())
        out = st.getColumn(0).getString();
    st.reset();
    return out;
}

std::vector<UserAssignment> SqliteTenant::user_assignments(PolicyType type, const std::vector<std::string>& upns)
{
    std::vector<UserAssignment> out;
    const int column = type == PolicyType::voice_routing ? 2 : type == PolicyType::upgrade ? 3 : 4;
    auto take = [&](SQLite::Statement& st) {
        out.push_back(UserAssignment{st.getColumn(0).getString(), st.getColumn(1).getString(), text_or_empty(st.getColumn(column))});
    };
    // Point lookups for a few; one scan when the list is a sizeable part of the directory.
    if (upns.size() < 2000 || upns.size() * 4 < user_count()) {
        for (const auto& upn : upns) {
            auto& st = cached("SELECT upn, homed, voice_routing_policy, upgrade_policy, tenant_dial_plan FROM users WHERE upn = ?");
            st.bindNoCopy(1, upn);
            if (st.executeStep())
                take(st);
        }
        return out;
    }
    // The scan reads the three columns straight from SQLite: 100,000s of rows.
    out.reserve(upns.size());
    auto* db = m_db->getHandle();
    const auto sql = std::string("SELECT upn, homed, ") + policy_column(type) + " FROM users";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()) + 1, &raw, nullptr) != SQLITE_OK)
        throw SQLite::Exception(db, sqlite3_errcode(db));
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw, sqlite3_finalize);
    auto text = [&st](int at) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), at));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st.get(), at))) : std::string();
    };
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
        out.push_back(UserAssignment{text(0), text(1), text(2)});
    if (rc != SQLITE_DONE)
        throw SQLite::Exception(db, rc);
    return out;
}

namespace {

// The new direct assignments of a bulk grant by UPN, for the SQL function csctl_assignment(upn,
// current): a granted user's new policy name (NULL for none), anyone else's current value.
struct AssignmentMap {
    IdentityIndex index;               // UPN → position in changes
    const std::vector<AssignmentChange>* changes = nullptr;
};

void assignment_function(sqlite3_context* context, int, sqlite3_value** argv)
{
    const auto& map = *static_cast<const AssignmentMap*>(sqlite3_user_data(context));
    const auto* text = sqlite3_value_text(argv[0]);
    std::string_view upn(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_value_bytes(argv[0])));
    auto at = text ? map.index.find(upn) : IdentityIndex::npos;
    if (at == IdentityIndex::npos) {
        sqlite3_result_value(context, argv[1]);
        return;
    }
    const auto& name = (*map.changes)[at].after;
    if (name.empty())
        sqlite3_result_null(context);
    else
        sqlite3_result_text(context, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
}

}  // namespace

void SqliteTenant::assign_user_policies(PolicyType type, const std::vector<AssignmentChange>& changes)
{
    require_change("assign_user_policies");
    std::size_t changing = 0;
    for (const auto& c : changes)
        changing += c.before != c.after;
    if (changing == 0)
        return;
    const std::string column = policy_column(type);
    if (changing >= 1024 && changing * 8 >= user_count()) {
        // A grant to a sizeable part of the directory: one pass over the table, which finds the
        // rows through a hash of the UPNs, is several times cheaper than a search of the
        // (case-insensitive) key per user.
        AssignmentMap map{IdentityIndex(changing), &changes};
        for (std::size_t i = 0; i < changes.size(); ++i)
            if (changes[i].before != changes[i].after)
                map.index.emplace(changes[i].upn, i);
        auto* db = m_db->getHandle();
        if (sqlite3_create_function(db, "csctl_assignment", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, &map, assignment_function,
                                    nullptr, nullptr) != SQLITE_OK)
            throw Error(ExitCode::internal, std::string("cannot register a SQL function: ") + sqlite3_errmsg(db));
        try {
            m_db->exec("UPDATE users SET " + column + " = csctl_assignment(upn, " + column + ") WHERE csctl_assignment(upn, " +
                       column + ") IS NOT " + column);
        } catch (...) {
            sqlite3_create_function(db, "csctl_assignment", 2, SQLITE_UTF8, nullptr, nullptr, nullptr, nullptr);
            throw;
        }
        sqlite3_create_function(db, "csctl_assignment", 2, SQLITE_UTF8, nullptr, nullptr, nullptr, nullptr);
    } else {
        SQLite::Statement st(*m_db, "UPDATE users SET " + column + " = ? WHERE upn = ?");
        for (const auto& c : changes) {
            if (c.before == c.after)
                continue;
            st.reset();
            bind_text_or_null(st, 1, c.after);
            st.bindNoCopy(2, c.upn);
            st.exec();
        }
    }
    // The JSON text of the names, made once per distinct name (a grant repeats one name, so the
    // last one is tried first).
    struct Texts {
        std::unordered_map<std::string, std::optional<std::string>> texts;
        const std::string* last = nullptr;
        const std::optional<std::string>* last_text = nullptr;
        const std::optional<std::string>& operator()(const std::string& name)
        {
            if (last && *last == name)
                return *last_text;
            auto it = texts.find(name);
            if (it == texts.end())
                it = texts.emplace(name, assignment_text(name)).first;
            last = &it->first;
            last_text = &it->second;
            return it->second;
        }
    } before_text, after_text;
    for (const auto& c : changes) {
        if (c.before == c.after)
            continue;
        if (changing > k_json_items_max)
            record_text(assignment_kind(type), c.upn, before_text(c.before), after_text(c.after));
        else
            record(assignment_kind(type), c.upn, c.before.empty() ? Json(nullptr) : Json(c.before),
                   c.after.empty() ? Json(nullptr) : Json(c.after));
    }
}

std::vector<std::string> SqliteTenant::users_with_policy(PolicyType type, std::string_view name, std::size_t limit,
                                                         std::size_t& count)
{
    std::string column = policy_column(type);
    SQLite::Statement n(*m_db, "SELECT count(*) FROM users WHERE " + column + " = ?");
    n.bind(1, std::string(name));
    n.executeStep();
    count = static_cast<std::size_t>(n.getColumn(0).getInt64());
    std::vector<std::string> out;
    SQLite::Statement st(*m_db, "SELECT upn FROM users WHERE " + column + " = ? ORDER BY upn LIMIT ?");
    st.bind(1, std::string(name));
    st.bind(2, static_cast<int64_t>(limit));
    while (st.executeStep())
        out.push_back(st.getColumn(0).getString());
    return out;
}

// ---- groups -----------------------------------------------------------------------------------

std::optional<Group> SqliteTenant::find_group(std::string_view name)
{
    auto& st = cached("SELECT name, data FROM groups WHERE name = ?");
    st.bind(1, std::string(name));
    std::optional<Group> out;
    if (st.executeStep())
        out = group_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString());
    st.reset();
    return out;
}

std::vector<Group> SqliteTenant::groups()
{
    std::vector<Group> out;
    SQLite::Statement st(*m_db, "SELECT name, data FROM groups ORDER BY name");
    while (st.executeStep())
        out.push_back(group_from_json(parse(st.getColumn(1).getString()), st.getColumn(0).getString()));
    return out;
}

void SqliteTenant::put_group(const Group& g)
{
    require_change("put_group");
    auto existing = find_group(g.name);
    Json before = existing ? to_json(*existing) : Json(nullptr);
    Json after = to_json(g);
    if (before == after)
        return;
    auto& st = cached("INSERT INTO groups(name, data) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET data = ?2");
    st.bind(1, g.name);
    st.bind(2, dump(after));
    st.exec();
    record(kind::group, g.name, before, after);
}

void SqliteTenant::erase_group(std::string_view name)
{
    require_change("erase_group");
    auto existing = find_group(name);
    if (!existing)
        return;
    auto& st = cached("DELETE FROM groups WHERE name = ?");
    st.bind(1, existing->name);
    st.exec();
    record(kind::group, existing->name, to_json(*existing), nullptr);
}

std::vector<std::string> SqliteTenant::group_members(std::string_view name)
{
    std::vector<std::string> out;
    SQLite::Statement st(*m_db, "SELECT upn FROM group_members WHERE grp = ? ORDER BY upn");
    st.bind(1, std::string(name));
    while (st.executeStep())
        out.push_back(st.getColumn(0).getString());
    return out;
}

// ---- document ---------------------------------------------------------------------------------

TenantDocument SqliteTenant::routing_document()
{
    TenantDocument d;
    d.tenant = tenant();
    d.gateways = gateways();
    d.usages = usages();
    d.routes = routes();
    d.policies = policies();
    d.dial_plans = dial_plans();
    d.translation_rules = translation_rules();
    d.blocked_numbers = number_patterns(false);
    d.exempt_numbers = number_patterns(true);
    return d;
}

TenantDocument SqliteTenant::document()
{
    auto d = routing_document();
    d.groups = groups();
    d.users = users();
    return d;
}

// ---- revisions and sync ----------------------------------------------------------------------

long long SqliteTenant::revision() { return m_db->execAndGet("SELECT coalesce(max(id), 0) FROM changes").getInt64(); }

std::optional<AppliedChangeSet> SqliteTenant::applied_change_set(const std::string& key)
{
    SQLite::Statement st(*m_db, "SELECT request_hash, change_id FROM applied_change_sets WHERE key = ?");
    st.bind(1, key);
    if (!st.executeStep())
        return std::nullopt;
    return AppliedChangeSet{st.getColumn(0).getString(), st.getColumn(1).getInt64()};
}

std::optional<RemoteSettings> SqliteTenant::remote()
{
    SQLite::Statement st(*m_db, "SELECT url, remote_tenant, token_file, cacert, revision, journal_id, synced_at "
                                "FROM remote WHERE id = 1");
    if (!st.executeStep())
        return std::nullopt;
    RemoteSettings r;
    r.url = st.getColumn(0).getString();
    r.remote_tenant = st.getColumn(1).getString();
    r.token_file = st.getColumn(2).getString();
    r.cacert = st.getColumn(3).getString();
    if (!st.getColumn(4).isNull())
        r.revision = st.getColumn(4).getInt64();
    r.journal_id = st.getColumn(5).isNull() ? 0 : st.getColumn(5).getInt64();
    r.synced_at = st.getColumn(6).isNull() ? "" : st.getColumn(6).getString();
    return r;
}

void SqliteTenant::set_remote(const RemoteSettings& settings)
{
    try {
        auto old = remote();
        bool same = old && old->url == settings.url && old->remote_tenant == settings.remote_tenant;
        exec_begin(*m_db);
        SQLite::Statement st(*m_db, "INSERT OR REPLACE INTO remote(id, url, remote_tenant, token_file, cacert, revision, "
                                    "journal_id, synced_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, settings.url);
        st.bind(2, settings.remote_tenant);
        st.bind(3, settings.token_file);
        st.bind(4, settings.cacert);
        if (same && old->revision) {
            st.bind(5, static_cast<int64_t>(*old->revision));
            st.bind(6, static_cast<int64_t>(old->journal_id));
            st.bind(7, old->synced_at);
        } else {
            st.bind(5);
            st.bind(6);
            st.bind(7);
            m_db->exec("DELETE FROM remote_objects");
        }
        st.exec();
        m_db->exec("COMMIT");
    } catch (const SQLite::Exception& e) {
        if (!sqlite3_get_autocommit(m_db->getHandle()))
            m_db->exec("ROLLBACK");
        throw storage_error(e, m_db->getFilename());
    }
}

namespace {

// Writes inside the caller's transaction when there is one, else in its own.
template <typename F>
void in_transaction(SQLite::Database& db, F&& fn)
{
    bool own = sqlite3_get_autocommit(db.getHandle()) != 0;
    if (own)
        exec_begin(db);
    try {
        fn();
        if (own)
            db.exec("COMMIT");
    } catch (...) {
        if (own && !sqlite3_get_autocommit(db.getHandle()))
            db.exec("ROLLBACK");
        throw;
    }
}

}  // namespace

void SqliteTenant::record_sync(long long rev, const Json& document) { write_sync(rev, document, nullptr); }

void SqliteTenant::record_sync(long long rev, const TenantDocument& document)
{
    write_sync(rev, to_json_without_users(document), &document.users);
}

// remote_objects holds a row per object of the sections of objects (a list that is not empty),
// and a row with identity "" for every other section. users, when given, are the "users" section
// (the document's own list is empty), each written straight to text.
void SqliteTenant::write_sync(long long rev, const Json& document, const std::vector<User>* users)
{
    try {
        in_transaction(*m_db, [&] {
            m_db->exec("DELETE FROM remote_objects");
            SQLite::Statement ins(*m_db, "INSERT OR REPLACE INTO remote_objects(section, identity, data) VALUES (?, ?, ?)");
            auto row = [&](const std::string& section, const std::string& identity, const std::string& data) {
                ins.bind(1, section);
                ins.bind(2, identity);
                ins.bind(3, data);
                ins.exec();
                ins.reset();
            };
            for (const auto& [section, value] : document.items()) {
                if (users && !users->empty() && section == "users") {
                    std::string text;
                    for (const auto& u : *users) {
                        text.clear();
                        append_user_export_json(text, u);
                        row(section, u.user_principal_name, text);
                    }
                    continue;
                }
                if (value.is_array() && !value.empty() && value.front().is_object()) {
                    for (const auto& item : value)
                        row(section, section_identity(section, item), dump(item));
                    continue;
                }
                row(section, std::string(), dump(value));
            }
            SQLite::Statement st(*m_db, "UPDATE remote SET revision = ?, journal_id = ?, synced_at = ? WHERE id = 1");
            st.bind(1, static_cast<int64_t>(rev));
            st.bind(2, static_cast<int64_t>(revision()));
            st.bind(3, utc_now());
            st.exec();
        });
    } catch (const SQLite::Exception& e) {
        throw storage_error(e, m_db->getFilename());
    }
}

void SqliteTenant::record_sync_patch(long long rev, const std::vector<SyncPatch>& patches)
{
    try {
        in_transaction(*m_db, [&] {
            SQLite::Statement del(*m_db, "DELETE FROM remote_objects WHERE section = ? AND identity = ?");
            SQLite::Statement ins(*m_db, "INSERT OR REPLACE INTO remote_objects(section, identity, data) VALUES (?, ?, ?)");
            for (const auto& p : patches) {
                del.bind(1, p.section);
                del.bind(2, p.identity);
                del.exec();
                del.reset();
                if (p.data.is_null())
                    continue;
                ins.bind(1, p.section);
                ins.bind(2, p.identity);
                ins.bind(3, dump(p.data));
                ins.exec();
                ins.reset();
            }
            SQLite::Statement st(*m_db, "UPDATE remote SET revision = ?, journal_id = ?, synced_at = ? WHERE id = 1");
            st.bind(1, static_cast<int64_t>(rev));
            st.bind(2, static_cast<int64_t>(revision()));
            st.bind(3, utc_now());
            st.exec();
        });
    } catch (const SQLite::Exception& e) {
        throw storage_error(e, m_db->getFilename());
    }
}

Json SqliteTenant::synced_document()
{
    auto settings = remote();
    if (!settings || !settings->revision)
        return nullptr;
    Json doc = Json::object();
    SQLite::Statement st(*m_db, "SELECT section, identity, data FROM remote_objects ORDER BY rowid");
    while (st.executeStep()) {
        auto section = st.getColumn(0).getString();
        auto identity = st.getColumn(1).getString();
        auto data = parse(st.getColumn(2).getString());
        if (identity.empty())
            doc[section] = std::move(data);
        else
            doc[section].push_back(std::move(data));
    }
    return doc;
}

Json SqliteTenant::synced_object(const std::string& section, const std::string& identity)
{
    SQLite::Statement st(*m_db, "SELECT data FROM remote_objects WHERE section = ? AND identity = ?");
    st.bind(1, section);
    st.bind(2, identity);
    return st.executeStep() ? parse(st.getColumn(0).getString()) : Json(nullptr);
}

std::vector<std::pair<std::string, std::string>> SqliteTenant::changed_since(long long after_id, long long upto_id)
{
    std::vector<std::pair<std::string, std::string>> out;
    SQLite::Statement st(*m_db, "SELECT DISTINCT kind, identity FROM change_items WHERE change_id > ? AND change_id <= ?");
    st.bind(1, static_cast<int64_t>(after_id));
    st.bind(2, static_cast<int64_t>(upto_id));
    std::set<std::pair<std::string, std::string>> chunked;
    while (st.executeStep()) {
        std::string k = st.getColumn(0).getString();
        if (!k.ends_with(k_chunk_suffix)) {
            out.emplace_back(std::move(k), st.getColumn(1).getString());
            continue;
        }
        k.resize(k.size() - k_chunk_suffix.size());
        for (auto& identity : split_chunk_identities(st.getColumn(1).getString()))
            chunked.emplace(k, std::move(identity));
    }
    for (const auto& item : out)
        chunked.erase(item);
    out.insert(out.end(), chunked.begin(), chunked.end());
    return out;
}

// ---- journal ----------------------------------------------------------------------------------

namespace {

JournalEntry entry_from_row(SQLite::Statement& st)
{
    JournalEntry e;
    e.id = st.getColumn(0).getInt64();
    e.time = st.getColumn(1).getString();
    e.os_user = st.getColumn(2).getString();
    e.command_line = st.getColumn(3).getString();
    if (!st.getColumn(4).isNull())
        e.reverts = st.getColumn(4).getInt64();
    if (!st.getColumn(5).isNull())
        e.reverted_by = st.getColumn(5).getInt64();
    return e;
}

constexpr const char* k_entry_columns =
    "SELECT c.id, c.time, c.os_user, c.command_line, c.reverts, "
    "(SELECT max(u.id) FROM changes u WHERE u.reverts = c.id) FROM changes c ";

}  // namespace

std::vector<JournalEntry> SqliteTenant::journal(long long limit, std::optional<long long> before_id, bool with_items)
{
    std::vector<JournalEntry> out;
    SQLite::Statement st(*m_db, std::string(k_entry_columns) + "WHERE c.id < ? ORDER BY c.id DESC LIMIT ?");
    st.bind(1, static_cast<int64_t>(before_id.value_or(INT64_MAX)));
    st.bind(2, static_cast<int64_t>(limit));
    while (st.executeStep())
        out.push_back(entry_from_row(st));
    if (with_items) {
        SQLite::Statement items(*m_db, "SELECT kind, identity, before, after FROM change_items WHERE change_id = ? ORDER BY seq");
        for (auto& e : out) {
            items.bind(1, static_cast<int64_t>(e.id));
            while (items.executeStep()) {
                std::string k = items.getColumn(0).getString();
                if (!k.ends_with(k_chunk_suffix)) {
                    e.items.push_back(ChangeItem{std::move(k), items.getColumn(1).getString(), nullable(items.getColumn(2)),
                                                 nullable(items.getColumn(3))});
                    continue;
                }
                k.resize(k.size() - k_chunk_suffix.size());
                auto identities = split_chunk_identities(items.getColumn(1).getString());
                auto before = parse(items.getColumn(2).getString());
                auto after = parse(items.getColumn(3).getString());
                if (!before.is_array() || !after.is_array() || before.size() != identities.size() ||
                    after.size() != identities.size())
                    throw Error(ExitCode::internal, "change " + std::to_string(e.id) + ": a journal chunk of " + k +
                                                        " items is damaged");
                for (std::size_t i = 0; i < identities.size(); ++i)
                    e.items.push_back(ChangeItem{k, std::move(identities[i]), std::move(before[i]), std::move(after[i])});
            }
            items.reset();
        }
    }
    return out;
}

std::optional<JournalEntry> SqliteTenant::journal_entry(long long id)
{
    auto entries = journal(1, id + 1, true);
    if (entries.empty() || entries.front().id != id)
        return std::nullopt;
    return entries.front();
}

std::optional<Json> SqliteTenant::snapshot(const std::string& k, const std::string& identity)
{
    if (k == kind::tenant)
        return to_json(tenant());
    if (k == kind::usage)
        return Json(usages());
    if (k == kind::gateway) {
        auto g = find_gateway(identity);
        return g ? std::optional<Json>(to_json(*g)) : std::nullopt;
    }
    if (k == kind::voice_route) {
        auto r = find_route(identity);
        return r ? std::optional<Json>(to_json(*r)) : std::nullopt;
    }
    if (k == kind::voice_routing_policy) {
        auto p = find_policy(policy_name_from_identity(identity));
        return p ? std::optional<Json>(to_json(*p)) : std::nullopt;
    }
    if (k == kind::dial_plan) {
        auto d = find_dial_plan(dial_plan_name_from_identity(identity));
        return d ? std::optional<Json>(to_json(*d)) : std::nullopt;
    }
    if (k == kind::translation_rule) {
        auto t = find_translation_rule(identity);
        return t ? std::optional<Json>(to_json(*t)) : std::nullopt;
    }
    if (k == kind::blocked_number || k == kind::exempt_number) {
        bool exempt = k == kind::exempt_number;
        auto p = find_number_pattern(exempt, identity);
        return p ? std::optional<Json>(to_json(*p, exempt)) : std::nullopt;
    }
    if (k == kind::user) {
        auto u = find_user(identity);
        return u ? std::optional<Json>(to_json(*u)) : std::nullopt;
    }
    if (k == kind::group) {
        auto g = find_group(identity);
        return g ? std::optional<Json>(to_json(*g)) : std::nullopt;
    }
    for (auto type : {PolicyType::voice_routing, PolicyType::upgrade, PolicyType::dial_plan}) {
        if (k != assignment_kind(type))
            continue;
        auto u = find_user(identity);
        if (!u || policy_field(*u, type).empty())
            return std::nullopt;
        return Json(policy_field(*u, type));
    }
    throw Error(ExitCode::internal, "journal names an unknown object kind " + quote(k));
}

void SqliteTenant::restore(const std::string& k, const std::string& identity, const Json& state)
{
    if (k == kind::tenant)
        put_tenant(tenant_from_json(state));
    else if (k == kind::usage)
        put_usages(state.get<std::vector<std::string>>());
    else if (k == kind::gateway)
        state.is_null() ? erase_gateway(identity) : put_gateway(gateway_from_json(state, identity));
    else if (k == kind::voice_route)
        state.is_null() ? erase_route(identity) : put_route(route_from_json(state, identity));
    else if (k == kind::voice_routing_policy)
        state.is_null() ? erase_policy(policy_name_from_identity(identity)) : put_policy(policy_from_json(state, identity));
    else if (k == kind::dial_plan)
        state.is_null() ? erase_dial_plan(dial_plan_name_from_identity(identity))
                        : put_dial_plan(dial_plan_from_json(state, identity));
    else if (k == kind::translation_rule)
        state.is_null() ? erase_translation_rule(identity) : put_translation_rule(translation_rule_from_json(state, identity));
    else if (k == kind::blocked_number || k == kind::exempt_number) {
        bool exempt = k == kind::exempt_number;
        state.is_null() ? erase_number_pattern(exempt, identity)
                        : put_number_pattern(exempt, number_pattern_from_json(state, identity, exempt));
    }
    else if (k == kind::user)
        state.is_null() ? erase_user(identity) : put_user(user_from_json(state, identity));
    else if (k == kind::group)
        state.is_null() ? erase_group(identity) : put_group(group_from_json(state, identity));
    else if (k == kind::voice_routing_policy_assignment || k == kind::upgrade_policy_assignment ||
             k == assignment_kind(PolicyType::dial_plan)) {
        auto type = k == kind::upgrade_policy_assignment ? PolicyType::upgrade
                    : k == kind::voice_routing_policy_assignment ? PolicyType::voice_routing
                                                                 : PolicyType::dial_plan;
        auto u = find_user(identity);
        if (!u)
            throw conflict("cannot restore the " + k + " of " + user_label(identity) + ": the user no longer exists");
        auto before = policy_field(*u, type);
        assign_user_policies(type, {AssignmentChange{u->user_principal_name, before,
                                                     state.is_null() ? std::string() : state.get<std::string>()}});
    } else
        throw Error(ExitCode::internal, "journal names an unknown object kind " + quote(k));
}

ChangeResult SqliteTenant::undo(std::optional<long long> id, const ChangeInfo& info, bool dry_run)
{
    if (!id) {
        // The latest change that is neither an undo nor undone already: repeated undo walks back.
        auto column = m_db->execAndGet("SELECT max(id) FROM changes c WHERE reverts IS NULL "
                                       "AND NOT EXISTS (SELECT 1 FROM changes u WHERE u.reverts = c.id)");
        if (column.isNull())
            throw not_found("the journal has no change to undo");
        id = column.getInt64();
    }
    auto entry = journal_entry(*id);
    if (!entry)
        throw not_found("change " + std::to_string(*id) + " does not exist (see `csctl log`)");
    if (entry->reverted_by)
        throw conflict("change " + std::to_string(*id) + " was already undone by change " +
                       std::to_string(*entry->reverted_by));
    ChangeInfo undo_info = info;
    undo_info.reverts = *id;
    return change(undo_info, dry_run, [&](TenantStore&) {
        // Only undo what is still as the change left it; otherwise a later change would be lost.
        for (auto it = entry->items.rbegin(); it != entry->items.rend(); ++it) {
            auto current = snapshot(it->kind, it->identity);
            Json now = current ? *current : Json(nullptr);
            // Bulk changes journal users in compact form: compare them as whole objects.
            Json expected = it->kind == kind::user && !it->after.is_null()
                                ? to_json(user_from_json(it->after, it->identity))
                                : it->after;
            if (now != expected) {
                throw conflict("cannot undo change " + std::to_string(*id) + ": " + it->kind + " " + quote(it->identity) +
                               " was changed again since; undo the later changes first");
            }
            restore(it->kind, it->identity, it->before);
        }
    });
}

}  // namespace csctl
