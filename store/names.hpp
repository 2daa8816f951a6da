// Object names for shell completion: a prefix-matched, capped list of the names of one kind, read
// straight from a tenant database opened read-only (never migrated, never written, short busy wait).
#pragma once

#include <string>
#include <vector>

namespace csctl {

struct NameKind {
    std::string kind;    // what the command line calls it: "gateway", "usage", "route" …
    std::string table;   // table of the tenant schema (store/migrations.cpp)
    std::string column;  // its name column; COLLATE NOCASE, so the prefix range uses its index
    std::string sql;     // instead of table/column: ?1 prefix, ?2 end of the prefix range, ?3 limit
};

// The kinds the tenant database can name. Adding a kind is one row in store/names.cpp.
const std::vector<NameKind>& name_kinds();
const NameKind* find_name_kind(const std::string& kind);
// The SELECT that lists a kind's names (parameters as in NameKind::sql).
std::string name_query(const NameKind& kind);

// Names of kind starting with prefix (case-insensitively), sorted, at most limit. Throws on any
// problem (missing file, unknown kind, older schema); completion callers swallow it.
std::vector<std::string> complete_names(const std::string& db_path, const std::string& kind, const std::string& prefix,
                                        int limit);

}  // namespace csctl
