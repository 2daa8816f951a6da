#include "store/names.hpp"

#include "core/error.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace csctl {

const std::vector<NameKind>& name_kinds()
{
    static const std::vector<NameKind> kinds{
        {"gateway", "gateways", "fqdn", ""},
        {"usage", "usages", "name", ""},
        {"route", "routes", "identity", ""},
        {"policy", "policies", "name", ""},
        {"user", "users", "upn", ""},
        {"group", "groups", "name", ""},
        {"dial-plan", "dial_plans", "name", ""},
        {"translation-rule", "translation_rules", "identity", ""},
        {"blocked-number", "blocked_numbers", "identity", ""},
        {"exempt-number", "exempt_numbers", "identity", ""},
        {"domain", "", "",
         "SELECT d.value FROM tenant, json_each(tenant.data, '$.domains') AS d WHERE d.value >= ?1 COLLATE NOCASE "
         "AND d.value < ?2 COLLATE NOCASE ORDER BY 1 COLLATE NOCASE LIMIT ?3"},
        {"change", "", "", "SELECT id FROM changes WHERE CAST(id AS TEXT) >= ?1 AND CAST(id AS TEXT) < ?2 "
                           "ORDER BY id DESC LIMIT ?3"},
    };
    return kinds;
}

const NameKind* find_name_kind(const std::string& kind)
{
    for (const auto& k : name_kinds())
        if (k.kind == kind)
            return &k;
    return nullptr;
}

std::string name_query(const NameKind& k)
{
    if (!k.sql.empty())
        return k.sql;
    return "SELECT " + k.column + " FROM " + k.table + " WHERE " + k.column + " >= ?1 AND " + k.column + " < ?2 ORDER BY " +
           k.column + " LIMIT ?3";
}

std::vector<std::string> complete_names(const std::string& db_path, const std::string& kind, const std::string& prefix,
                                        int limit)
{
    const auto* k = find_name_kind(kind);
    if (!k)
        throw usage_error("no such kind of name: " + kind);
    // A writer never blocks a reader under WAL; the short wait only covers a checkpoint or a
    // database in rollback mode, where completing nothing beats hanging the shell.
    SQLite::Database db(db_path, SQLite::OPEN_READONLY, 200);
    SQLite::Statement query(db, name_query(*k));
    // Every name starting with prefix sorts at or after it and before prefix + U+10FFFF.
    query.bind(1, prefix);
    query.bind(2, prefix + "\xF4\x8F\xBF\xBF");
    query.bind(3, limit);
    std::vector<std::string> names;
    while (query.executeStep())
        names.push_back(query.getColumn(0).getString());
    return names;
}

}  // namespace csctl
