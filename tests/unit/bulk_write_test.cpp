// The bulk write paths against a real SQLite store: new users written by multi-row INSERTs
// (chunk boundaries, a failing row in the middle of a chunk, creations mixed with updates and
// removals), the CSV reader's in-place unquoting, and the case-insensitive identity index.
#include "core/bulk.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/policy_assignment.hpp"
#include "core/upgrade_policy.hpp"
#include "core/user.hpp"
#include "store/sqlite_tenant.hpp"
#include "tests/unit/store_fixture.hpp"

#include <doctest/doctest.h>


using namespace csctl;

namespace {

using Tenant = csctl::test::TempTenant;

std::string upn(int i) { return "user" + std::to_string(1000 + i) + "@contoso.com"; }

// A user with every kind of field set, different per i.
User full_user(int i)
{
    User u;
    u.user_principal_name = upn(i);
    u.display_name = "User " + std::to_string(i);
    u.object_id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + i);
    u.usage_location = i % 2 ? "US" : "GB";
    u.account_type = i % 3 ? "User" : "ResourceAccount";
    u.licenses = {"PhoneSystem", "CallingPlan"};
    u.enterprise_voice_enabled = true;
    u.phone_number = "+1425555" + std::to_string(1000 + i);
    u.phone_number_type = "DirectRouting";
    u.hosted_voice_mail = i % 5 == 0;
    u.online_voice_routing_policy = i % 4 ? "" : "Global";
    return validate(u);
}

std::vector<UserChange> creations(int n)
{
    std::vector<UserChange> changes;
    for (int i = 0; i < n; ++i)
        changes.push_back(UserChange{std::nullopt, full_user(i)});
    return changes;
}

}  // namespace

TEST_CASE("new users in multi-row INSERTs: every count around the chunk size reads back field for field")
{
    for (int n : {1, 63, 64, 65, 127, 128, 129, 200}) {
        CAPTURE(n);
        Tenant t;
        auto changes = creations(n);
        auto result = t.change([&](TenantStore& s) { s.put_users(changes); });
        CHECK(result.changed());
        REQUIRE(t.store->user_count() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            auto stored = t.store->find_user(upn(i));
            REQUIRE(stored);
            CHECK(to_json(*stored) == to_json(*changes[static_cast<std::size_t>(i)].after));
        }
        auto entry = t.store->journal_entry(result.id);
        REQUIRE(entry);
        CHECK(entry->items.size() == static_cast<std::size_t>(n));
        CHECK(entry->items.back().identity == upn(n - 1));
        // Undo removes them all again.
        t.store->undo(result.id, ChangeInfo{"undo", "tester", {}}, false);
        CHECK(t.store->user_count() == 0);
    }
}

TEST_CASE("a failing row in the middle of a multi-row INSERT is named, and nothing is written")
{
    Tenant t;
    t.change([](TenantStore& s) { s.put_user(full_user(500)); });
    const auto before = to_json(t.store->document());

    SUBCASE("a number already taken by a user in the same chunk") {
        auto changes = creations(150);
        changes[40].after->phone_number = changes[10].after->phone_number;
        CHECK_THROWS_WITH(t.change([&](TenantStore& s) { s.put_users(changes); }),
                          "user \"user1040@contoso.com\": PhoneNumber \"+14255551010\" is assigned to another user");
    }
    SUBCASE("a number already taken by a user outside the change, in the second chunk") {
        auto changes = creations(150);
        changes[100].after->phone_number = "+14255551500";
        CHECK_THROWS_WITH(t.change([&](TenantStore& s) { s.put_users(changes); }),
                          "user \"user1100@contoso.com\": PhoneNumber \"+14255551500\" is assigned to another user");
    }
    SUBCASE("the same user created twice in one chunk") {
        auto changes = creations(70);
        changes[30].after->user_principal_name = "USER1005@contoso.com";
        try {
            t.change([&](TenantStore& s) { s.put_users(changes); });
            FAIL("the duplicate was written");
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::internal);
            CHECK(std::string(e.what()).find("UNIQUE constraint failed: users.upn") != std::string::npos);
        }
    }
    CHECK(t.store->user_count() == 1);
    CHECK(to_json(t.store->document()) == before);
    // The store still writes after a failed multi-row INSERT.
    auto changes = creations(64);
    t.change([&](TenantStore& s) { s.put_users(changes); });
    CHECK(t.store->user_count() == 65);
}

TEST_CASE("creations mixed with updates and removals keep their order")
{
    Tenant t;
    auto first = creations(10);
    t.change([&](TenantStore& s) { s.put_users(first); });
    std::vector<UserChange> changes;
    for (int i = 10; i < 80; ++i)
        changes.push_back(UserChange{std::nullopt, full_user(i)});
    // In the middle of a chunk of new users: an update that takes a number from a removed user,
    // and a removal.
    auto renamed = *first[3].after;
    renamed.display_name = "Renamed";
    changes.insert(changes.begin() + 30, UserChange{first[2].after, std::nullopt});
    auto taker = *first[4].after;
    taker.phone_number = first[2].after->phone_number;
    changes.insert(changes.begin() + 31, UserChange{first[4].after, taker});
    changes.insert(changes.begin() + 32, UserChange{first[3].after, renamed});
    // A new user created, then changed again in the same list.
    auto later = full_user(90);
    changes.insert(changes.begin() + 33, UserChange{std::nullopt, later});
    auto again = later;
    again.display_name = "Again";
    changes.insert(changes.begin() + 34, UserChange{later, again});
    auto result = t.change([&](TenantStore& s) { s.put_users(changes); });
    CHECK(t.store->user_count() == 10 - 1 + 70 + 1);
    CHECK_FALSE(t.store->find_user(upn(2)));
    CHECK(t.store->find_user(upn(3))->display_name == "Renamed");
    CHECK(t.store->find_user(upn(4))->phone_number == first[2].after->phone_number);
    CHECK(t.store->find_user(upn(90))->display_name == "Again");
    CHECK(t.store->find_user(upn(79))->display_name == "User 79");
    auto entry = t.store->journal_entry(result.id);
    REQUIRE(entry);
    REQUIRE(entry->items.size() == changes.size());
    CHECK(entry->items[30].identity == upn(2));
    CHECK(entry->items[30].after.is_null());
    CHECK(entry->items[32].after.at("displayName") == "Renamed");
    t.store->undo(result.id, ChangeInfo{"undo", "tester", {}}, false);
    CHECK(t.store->user_count() == 10);
    CHECK(to_json(*t.store->find_user(upn(2))) == to_json(*first[2].after));
    CHECK(to_json(*t.store->find_user(upn(4))) == to_json(*first[4].after));
}

TEST_CASE("user import: a bad row in the middle of a chunk of new users")
{
    Tenant t;
    std::vector<UserRow> rows;
    for (int i = 0; i < 130; ++i) {
        UserRow r;
        r.row = static_cast<std::size_t>(i + 2);
        r.upn = upn(i);
        r.object_id = i == 70 ? "not-a-guid" : "";
        r.licenses = "PhoneSystem";
        r.has_licenses = true;
        rows.push_back(r);
    }
    const auto before = to_json(t.store->document());
    Notes notes;
    BulkReport report;
    CHECK_THROWS_WITH(t.change([&](TenantStore& s) {
        report = import_users(s, rows, BulkOptions{}, notes);
        if (!report.applied)
            throw Error(ExitCode::usage, "rolled back");
    }), "rolled back");
    CHECK(report.count("failed") == 1);
    CHECK(report.count("skipped") == 129);
    CHECK(report.rows[70].message == "user \"user1070@contoso.com\": ObjectId \"not-a-guid\" is not a GUID "
                                     "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    CHECK(to_json(t.store->document()) == before);

    BulkOptions go_on;
    go_on.continue_on_error = true;
    auto result = t.change([&](TenantStore& s) { report = import_users(s, rows, go_on, notes); });
    CHECK(report.count("created") == 129);
    CHECK(t.store->user_count() == 129);
    CHECK_FALSE(t.store->find_user(upn(70)));
    CHECK(t.store->find_user(upn(71)));
    CHECK(result.bulk_items == 129);
    // Re-running reports every applied row unchanged and writes nothing.
    result = t.change([&](TenantStore& s) { report = import_users(s, rows, go_on, notes); });
    CHECK(report.count("unchanged") == 129);
    CHECK_FALSE(result.changed());
}

TEST_CASE("grant rows carry their message only when asked")
{
    Tenant t;
    std::vector<UserChange> changes = creations(3);
    t.change([&](TenantStore& s) { s.put_users(changes); });
    std::vector<GrantRow> rows;
    for (int i = 0; i < 3; ++i)
        rows.push_back(GrantRow{static_cast<std::size_t>(i + 2), upn(i), "UpgradeToTeams"});
    BulkReport report;
    BulkOptions quiet;
    quiet.row_messages = false;
    t.change([&](TenantStore& s) { report = grant_upgrade_policy_bulk(s, {rows[0]}, quiet); });
    CHECK(report.rows[0].outcome == "updated");
    CHECK(report.rows[0].message.empty());
    t.change([&](TenantStore& s) { report = grant_upgrade_policy_bulk(s, rows, BulkOptions{}); });
    CHECK(report.rows[0].outcome == "unchanged");
    CHECK(report.rows[1].message == "(none) -> UpgradeToTeams");
    CHECK(t.store->find_user(upn(0))->teams_upgrade_policy == "UpgradeToTeams");
}

TEST_CASE("CSV cells are unquoted in place and read back as written")
{
    auto t = parse_csv("a,b,c\n\"x\"\"y\",plain,\"q\"tail\n\"\",,\"multi\nline\"\nshort\n, \"lead\n", "f.csv");
    REQUIRE(t.size() == 4);
    CHECK(t.cell(0, 0) == "x\"y");
    CHECK(t.cell(0, 1) == "plain");
    CHECK(t.cell(0, 2) == "qtail");
    CHECK(t.cell(1, 0).empty());
    CHECK(t.cell(1, 1).empty());
    CHECK(t.cell(1, 2) == "multi\nline");
    CHECK(t.cell(2, 0) == "short");
    CHECK(t.cell(2, 1).empty());   // a short row
    CHECK(t.cell(2, 5).empty());
    CHECK(t.cell(3, 1) == " \"lead");  // a quote inside a field is a character
    CHECK(t.lines == std::vector<std::size_t>{2, 3, 5, 6});
    auto moved = std::move(t);     // cells stay valid when the table moves
    CHECK(moved.cell(0, 0) == "x\"y");
    auto header_only = parse_csv("userPrincipalName\r\n", "h.csv");
    CHECK(header_only.size() == 0);
    CHECK(header_only.header == std::vector<std::string>{"userPrincipalName"});
    auto last = parse_csv("a,b\n1,\"2\"", "l.csv");
    REQUIRE(last.size() == 1);
    CHECK(last.cell(0, 1) == "2");
}

TEST_CASE("the identity index finds keys in any case and keeps the first value")
{
    IdentityIndex index;
    std::vector<std::string> keys;
    for (int i = 0; i < 1000; ++i)
        keys.push_back("User" + std::to_string(i) + "@Contoso.com");
    for (std::size_t i = 0; i < keys.size(); ++i)
        CHECK(index.emplace(keys[i], i).second);
    CHECK(index.size() == 1000);
    CHECK(index.find("user999@contoso.COM") == 999);
    CHECK(index.find("user1000@contoso.com") == IdentityIndex::npos);
    CHECK(index.emplace("USER5@CONTOSO.COM", 7) == std::pair<std::size_t, bool>(5, false));
    CHECK(index.find("") == IdentityIndex::npos);
    CHECK(index.emplace("", 3).second);
    CHECK(index.find("") == 3);
}
