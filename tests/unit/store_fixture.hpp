// A real SQLite tenant in a temporary file, for unit tests of core operations and the store.
#pragma once

#include "store/sqlite_tenant.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace csctl::test {

struct TempTenant {
    std::string dir;
    std::unique_ptr<SqliteTenant> store;

    explicit TempTenant(std::vector<std::string> domains = {"contoso.com"})
    {
        char tmpl[] = "/tmp/csctl-unit-XXXXXX";
        dir = mkdtemp(tmpl);
        TenantInfo info;
        info.name = "contoso";
        info.domains = std::move(domains);
        store = SqliteTenant::create(dir + "/t.db", info);
    }
    ~TempTenant()
    {
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    // Runs fn as one change; returns the journal id.
    template <typename F>
    ChangeResult change(F&& fn, bool dry_run = false)
    {
        return store->change(ChangeInfo{"test", "tester", std::nullopt}, dry_run, [&](TenantStore& s) { fn(s); });
    }
};

inline Edit edit_of(Json set)
{
    Edit e;
    e.set = std::move(set);
    return e;
}

}  // namespace csctl::test
