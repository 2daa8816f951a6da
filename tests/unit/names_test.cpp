// Object names for completion: prefix match on a real tenant database, capped, read-only, and
// answered from the name's index (so a tenant of any size completes as fast as a small one).
#include "core/error.hpp"
#include "store/names.hpp"
#include "store/sqlite_tenant.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

using namespace csctl;

namespace {
struct TempTenant {
    TempTenant()
    {
        char tmpl[] = "/tmp/csctl-names-XXXXXX";
        dir = mkdtemp(tmpl);
        path = dir + "/t.db";
        TenantInfo info;
        info.name = "t";
        info.domains = {"contoso.com", "Fabrikam.com"};
        SqliteTenant::create(path, info);
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO gateways(fqdn, data) VALUES ('sbc1.contoso.com', '{}'), ('SBC2.contoso.com', '{}'), "
                "('other.contoso.com', '{}');"
                "INSERT INTO policies(name, data) VALUES ('US Only', '{}'), ('US_West', '{}');");
    }
    ~TempTenant() { std::filesystem::remove_all(dir); }
    std::string dir;
    std::string path;
};
using V = std::vector<std::string>;
}  // namespace

TEST_CASE("complete_names matches a prefix case-insensitively, sorted and capped")
{
    TempTenant t;
    CHECK(complete_names(t.path, "gateway", "sbc", 100) == V{"sbc1.contoso.com", "SBC2.contoso.com"});
    CHECK(complete_names(t.path, "gateway", "SBC", 1) == V{"sbc1.contoso.com"});
    CHECK(complete_names(t.path, "gateway", "", 100).size() == 3);
    CHECK(complete_names(t.path, "policy", "US ", 100) == V{"US Only"});
    CHECK(complete_names(t.path, "policy", "us_", 100) == V{"US_West"});  // _ is no wildcard
    CHECK(complete_names(t.path, "policy", "x", 100).empty());
    CHECK(complete_names(t.path, "domain", "f", 100) == V{"Fabrikam.com"});
    CHECK(complete_names(t.path, "change", "", 100) == V{});
    CHECK_THROWS_AS(complete_names(t.path, "spaceship", "", 100), Error);
}

TEST_CASE("complete_names never creates or changes a database")
{
    TempTenant t;
    auto missing = t.dir + "/missing.db";
    CHECK_THROWS(complete_names(missing, "gateway", "", 100));
    CHECK_FALSE(std::filesystem::exists(missing));
    auto before = std::filesystem::last_write_time(t.path);
    complete_names(t.path, "route", "", 100);
    CHECK(std::filesystem::last_write_time(t.path) == before);
}

TEST_CASE("every kind of name is answered from an index, not a scan")
{
    TempTenant t;
    SQLite::Database db(t.path, SQLite::OPEN_READONLY);
    for (const auto& kind : name_kinds()) {
        if (kind.table.empty())
            continue;  // hand-written queries over small data (the tenant row, the journal)
        CAPTURE(kind.kind);
        SQLite::Statement plan(db, "EXPLAIN QUERY PLAN " + name_query(kind));
        std::string text;
        while (plan.executeStep())
            text += plan.getColumn(3).getString() + "\n";
        // A WITHOUT ROWID table's primary key is itself the covering index.
        CHECK((text.find("USING COVERING INDEX") != std::string::npos || text.find("USING PRIMARY KEY") != std::string::npos));
        CHECK(text.find("SCAN") == std::string::npos);
    }
}
