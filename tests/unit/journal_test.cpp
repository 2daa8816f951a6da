#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/usage.hpp"
#include "core/voice_route.hpp"
#include "tests/unit/store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

using namespace csctl;
using namespace csctl::test;

TEST_CASE("the write path journals each change and rolls back a dry run or a failure")
{
    TempTenant t;
    auto before = to_json(t.store->document());
    SUBCASE("dry run reports items and changes nothing") {
        auto r = t.change(
            [](TenantStore& s) {
                Notes n;
                new_gateway(s, "sbc1.contoso.com", edit_of({{"sipSignalingPort", 5061}}), n);
            },
            true);
        CHECK(r.id == 0);
        REQUIRE(r.items.size() == 1);
        CHECK(r.items[0].before.is_null());
        CHECK(r.items[0].after["fqdn"] == "sbc1.contoso.com");
        CHECK(to_json(t.store->document()) == before);
        CHECK(t.store->journal(10, std::nullopt, false).empty());
    }
    SUBCASE("a failure half way leaves nothing behind") {
        CHECK_THROWS_AS(t.change([](TenantStore& s) {
            Notes n;
            new_gateway(s, "sbc1.contoso.com", edit_of({{"sipSignalingPort", 5061}}), n);
            add_usages(s, {"US"});
            new_route(s, "R", edit_of({{"onlinePstnUsages", {"nope"}}}), n);
        }),
                        Error);
        CHECK(to_json(t.store->document()) == before);
    }
    SUBCASE("a real change is one journal entry with before and after") {
        auto r = t.change([](TenantStore& s) {
            Notes n;
            new_gateway(s, "sbc1.contoso.com", edit_of({{"sipSignalingPort", 5061}}), n);
            add_usages(s, {"US"});
        });
        CHECK(r.id > 0);
        auto entry = t.store->journal_entry(r.id);
        REQUIRE(entry);
        CHECK(entry->command_line == "test");
        CHECK(entry->os_user == "tester");
        REQUIRE(entry->items.size() == 2);
        CHECK(entry->items[0].kind == kind::gateway);
        CHECK(entry->items[1].kind == kind::usage);
        CHECK(entry->items[1].after == Json({"US"}));
    }
    SUBCASE("a change that changes nothing is not journaled") {
        t.change([](TenantStore& s) { add_usages(s, {"US"}); });
        auto r = t.change([](TenantStore& s) { add_usages(s, {"us"}); });
        CHECK(r.id == 0);
        CHECK(t.store->journal(10, std::nullopt, false).size() == 1);
    }
}

TEST_CASE("undo restores the previous state and refuses when a later change intervened")
{
    TempTenant t;
    t.change([](TenantStore& s) {
        Notes n;
        new_gateway(s, "sbc1.contoso.com", edit_of({{"sipSignalingPort", 5061}}), n);
        add_usages(s, {"US"});
        new_route(s, "A", edit_of({{"priority", 1}, {"onlinePstnUsages", {"US"}}}), n);
        new_route(s, "B", edit_of({{"priority", 2}, {"onlinePstnUsages", {"US"}}}), n);
    });
    auto before = to_json(t.store->document());
    auto insert = t.change([](TenantStore& s) {
        Notes n;
        new_route(s, "C", edit_of({{"priority", 1}, {"onlinePstnUsages", {"US"}}}), n);
    });
    CHECK(insert.items.size() == 3);
    auto info = ChangeInfo{"undo", "tester", std::nullopt};
    auto undone = t.store->undo(std::nullopt, info, false);
    CHECK(undone.id > insert.id);
    CHECK(to_json(t.store->document()) == before);
    CHECK(t.store->journal_entry(insert.id)->reverted_by == undone.id);
    CHECK_THROWS_AS(t.store->undo(insert.id, info, false), Error);

    SUBCASE("an older change touched again later is not undone") {
        auto set = t.change([](TenantStore& s) {
            Notes n;
            set_route(s, "A", edit_of({{"description", "one"}}), n);
        });
        t.change([](TenantStore& s) {
            Notes n;
            set_route(s, "A", edit_of({{"description", "two"}}), n);
        });
        auto now = to_json(t.store->document());
        try {
            t.store->undo(set.id, info, false);
            FAIL("expected a conflict");
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::conflict);
        }
        CHECK(to_json(t.store->document()) == now);
    }
}

TEST_CASE("schema 5: a journal written in the WITHOUT ROWID table of schema 4 is carried over")
{
    TempTenant t;
    t.change([](TenantStore& s) { add_usages(s, {"US and Canada"}); });
    std::vector<UserChange> users;
    for (int i = 0; i < 300; ++i) {  // more than one JSON item: journaled as one bulk row
        User u;
        u.user_principal_name = "user" + std::to_string(i) + "@contoso.com";
        u.sip_address = "sip:" + u.user_principal_name;
        users.push_back({std::nullopt, u});
    }
    t.change([&](TenantStore& s) { s.put_users(users); });
    auto before = t.store->journal(10, std::nullopt, true);
    auto path = t.dir + "/t.db";
    t.store.reset();
    {
        // The table as schema 4 had it.
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec(R"sql(
CREATE TABLE change_items_v4 (change_id INTEGER NOT NULL REFERENCES changes(id), seq INTEGER NOT NULL,
  kind TEXT NOT NULL, identity TEXT NOT NULL, before TEXT, after TEXT, PRIMARY KEY (change_id, seq)) WITHOUT ROWID;
INSERT INTO change_items_v4 SELECT change_id, seq, kind, identity, before, after FROM change_items;
DROP TABLE change_items;
ALTER TABLE change_items_v4 RENAME TO change_items;
PRAGMA user_version = 4;)sql");
    }
    t.store = SqliteTenant::open(path, SqliteTenant::Mode::read_only);  // upgrades on open
    auto after = t.store->journal(10, std::nullopt, true);
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        REQUIRE(after[i].items.size() == before[i].items.size());
        for (std::size_t j = 0; j < after[i].items.size(); ++j) {
            CHECK(after[i].items[j].identity == before[i].items[j].identity);
            CHECK(after[i].items[j].after == before[i].items[j].after);
        }
    }
    {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        CHECK(db.execAndGet("PRAGMA user_version").getInt() == SqliteTenant::schema_version());
        CHECK(db.execAndGet("SELECT count(*) FROM pragma_table_list WHERE name = 'change_items' AND wr = 0").getInt() == 1);
    }
    t.store = SqliteTenant::open(path, SqliteTenant::Mode::read_write);
    t.store->undo(std::nullopt, ChangeInfo{"test", "tester", std::nullopt}, false);
    CHECK(t.store->user_count() == 0);
}
