// Core rules of the directory against a real SQLite store: effective policy resolution, the
// journal form of users, phone numbers, CSV reading, bulk outcomes and undo.
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/phone_number.hpp"
#include "core/policy_assignment.hpp"
#include "core/upgrade_policy.hpp"
#include "core/user.hpp"
#include "store/sqlite_tenant.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

using namespace csctl;

namespace {

struct TempTenant {
    std::string path;
    std::unique_ptr<SqliteTenant> store;
    TempTenant()
    {
        path = std::filesystem::temp_directory_path() / ("csctl-unit-" + std::to_string(getpid()) + "-" +
                                                         std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".db");
        std::filesystem::remove(path);
        TenantInfo info;
        info.name = "contoso";
        store = SqliteTenant::create(path, info);
    }
    ~TempTenant()
    {
        store.reset();
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path + suffix);
    }
    void change(const std::function<void(TenantStore&)>& fn) { store->change(ChangeInfo{"test", "tester", {}}, false, fn); }
};

User user(const std::string& upn)
{
    User u;
    u.user_principal_name = upn;
    u.licenses = {"PhoneSystem"};
    return validate(u);
}

}  // namespace

TEST_CASE("effective policy: direct, then best group rank, then tenant default, then Global")
{
    TempTenant t;
    t.change([](TenantStore& s) {
        s.put_policy(VoiceRoutingPolicy{"A", {}, {}});
        s.put_policy(VoiceRoutingPolicy{"B", {}, {}});
        Group g1{"g1", "", "A", 2, "", std::nullopt};
        Group g2{"g2", "", "B", std::nullopt, "", std::nullopt};
        Group g3{"g3", "", "B", 1, "", std::nullopt};
        s.put_group(g1);
        s.put_group(g2);
        s.put_group(g3);
    });
    User u = user("u@contoso.com");
    auto resolve = [&](const User& x) { return PolicyResolver(*t.store).voice_routing(x); };
    CHECK(resolve(u).source == "global");
    CHECK(resolve(u).name == "Global");

    t.change([](TenantStore& s) {
        auto info = s.tenant();
        info.voice_routing_policy = "A";
        s.put_tenant(info);
    });
    CHECK(resolve(u).source == "tenant");
    CHECK(resolve(u).describe() == "tenant default");

    SUBCASE("unranked groups come after ranked ones") {
        u.groups = {"g2", "g1"};
        CHECK(resolve(u).group == "g1");
        CHECK(resolve(u).describe() == "group \"g1\" rank 2");
        u.groups = {"g2"};
        CHECK(resolve(u).describe() == "group \"g2\" (no rank)");
    }
    SUBCASE("the lowest rank wins") {
        u.groups = {"g1", "g3"};
        CHECK(resolve(u).name == "B");
        CHECK(resolve(u).rank == 1);
    }
    SUBCASE("a direct assignment beats every group") {
        u.groups = {"g1", "g3"};
        u.online_voice_routing_policy = "A";
        CHECK(resolve(u).source == "direct");
    }
    SUBCASE("upgrade mode: Global is Islands, UpgradeToTeams is TeamsOnly") {
        PolicyResolver r(*t.store);
        CHECK(r.mode(u) == "Islands");
        u.teams_upgrade_policy = "UpgradeToTeams";
        CHECK(r.mode(u) == "TeamsOnly");
    }
}

TEST_CASE("the journal text of a user reads back to the same user")
{
    User u = user("ann@contoso.com");
    CHECK(user_json_text(u) == R"({"licenses":["PhoneSystem"]})");
    u.display_name = "Ann \"the voice\" O'Neil\tü";
    u.homed = "onprem";
    u.groups = {"sales"};
    u.phone_number = "+14255550100;ext=12";
    u.phone_number_type = "CallingPlan";
    u.teams_upgrade_policy = "Islands";
    u.sip_address = "sip:other@contoso.com";
    auto text = user_json_text(u);
    auto back = user_from_json(Json::parse(text), u.user_principal_name);
    CHECK(to_json(back) == to_json(u));
}

TEST_CASE("the export text of a user is the dump of its JSON, byte for byte")
{
    auto export_text = [](const User& u) {
        std::string out = "[";  // appended after other text, as push writes it
        append_user_export_json(out, u);
        return out.substr(1);
    };
    User u = user("ann@contoso.com");
    CHECK(export_text(u) == to_json(u).dump());
    u.display_name = "Ann \"the voice\" O'Neil\tü\x01\\";
    u.object_id = "00000000-0000-4000-8000-000000000001";
    u.usage_location = "GB";
    u.homed = "onprem";
    u.licenses = {"PhoneSystem", "CallingPlan"};
    u.groups = {"sales", "support"};
    u.enterprise_voice_enabled = true;
    u.phone_number = "+14255550100;ext=12";
    u.phone_number_type = "DirectRouting";
    u.hosted_voice_mail = true;
    u.online_voice_routing_policy = "Tag:US Only";
    u.tenant_dial_plan = "Tag:UK";
    u.teams_upgrade_policy = "UpgradeToTeams";
    CHECK(export_text(u) == to_json(u).dump());
    u.licenses.clear();
    u.groups.clear();
    CHECK(export_text(u) == to_json(u).dump());
}

TEST_CASE("phone numbers: canonical text is kept, human formats are parsed, bad ones are refused")
{
    const std::string owner = "user \"u\"";
    CHECK(is_canonical_phone_number("+14255550100"));
    CHECK(is_canonical_phone_number("+14255550100;ext=51297"));
    CHECK(is_canonical_phone_number("4255550100"));
    CHECK_FALSE(is_canonical_phone_number("+1 425 555 0100"));
    CHECK_FALSE(is_canonical_phone_number("+0123456789"));
    auto before = slow_path_parses();
    CHECK(normalise_phone_number("tel:+14255550100", "", owner) == "+14255550100");
    CHECK(normalise_phone_number("+14255550100;EXT=7", "", owner) == "+14255550100;ext=7");
    CHECK(slow_path_parses() == before);  // no libphonenumber for canonical text
    CHECK(normalise_phone_number("+1 (425) 555-0100", "", owner) == "+14255550100");
    CHECK(normalise_phone_number("+44 20 7946 0958", "", owner) == "+442079460958");
    CHECK(normalise_phone_number("020 7946 0958", "GB", owner) == "+442079460958");
    CHECK(normalise_phone_number("+1 425-555-0100 ext. 51297", "", owner) == "+14255550100;ext=51297");
    CHECK(slow_path_parses() == before + 4);
    auto refused = [&](const std::string& text, const std::string& region, const std::string& message) {
        try {
            normalise_phone_number(text, region, owner);
            FAIL("accepted " << text);
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::usage);
            CHECK(std::string(e.what()) == message);
        }
    };
    refused("", "", "user \"u\": PhoneNumber is empty");
    refused("+1 425", "", "user \"u\": PhoneNumber \"+1 425\" is not a valid number in US (country code +1)");
    refused("+1 (099) 555-0100", "", "user \"u\": PhoneNumber \"+1 (099) 555-0100\" is not a valid number in US (country code +1)");
    refused("(425) 555-0100", "", "user \"u\": PhoneNumber \"(425) 555-0100\" has no country calling code; give it in E.164 "
                                  "form (+14255550100) or set the user's UsageLocation");
    refused("hello", "", "user \"u\": PhoneNumber \"hello\" is not a phone number");
}

TEST_CASE("CSV: header matched case-insensitively, quotes, CRLF, BOM, errors name the line")
{
    auto t = parse_csv("\xEF\xBB\xBF" "UPN,Name\r\na,\"x, \"\"y\"\"\"\r\n\r\nb,\"multi\nline\"\nc", "f.csv");
    CHECK(t.header == std::vector<std::string>{"UPN", "Name"});
    REQUIRE(t.size() == 3);
    CHECK(t.cell(0, t.column("name")) == "x, \"y\"");
    CHECK(t.lines == std::vector<std::size_t>{2, 4, 6});
    CHECK(t.cell(1, 1) == "multi\nline");
    CHECK(t.cell(2, 1).empty());
    CHECK(t.column("missing") == -1);
    CHECK_THROWS_WITH(parse_csv("", "f.csv"), "f.csv: the file is empty (it needs a header row naming the columns)");
    CHECK_THROWS_WITH(parse_csv("a\n\"x\n", "f.csv"), "f.csv:2: a quoted field is never closed");
    CHECK_THROWS_WITH(parse_csv("a\nok\n\xC3\x28\n", "f.csv"), "f.csv:3: the file is not valid UTF-8 (save it as UTF-8)");
}

TEST_CASE("bulk import writes one change, and undo of it restores every user")
{
    TempTenant t;
    std::vector<UserRow> rows;
    for (int i = 0; i < 300; ++i) {  // more than the store journals as JSON values
        UserRow r;
        r.row = static_cast<std::size_t>(i + 2);
        r.upn = "user" + std::to_string(i) + "@contoso.com";
        r.licenses = "PhoneSystem";
        r.has_licenses = true;
        rows.push_back(r);
    }
    Notes notes;
    BulkReport report;
    auto result = t.store->change(ChangeInfo{"import", "tester", {}}, false,
                                  [&](TenantStore& s) { report = import_users(s, rows, BulkOptions{}, notes); });
    CHECK(report.applied);
    CHECK(report.count("created") == 300);
    CHECK(result.bulk_items == 300);
    CHECK(t.store->user_count() == 300);
    auto entry = t.store->journal_entry(result.id);
    REQUIRE(entry);
    CHECK(entry->items.size() == 300);

    // A grant on top, then undo both in turn.
    std::vector<GrantRow> grants;
    for (int i = 0; i < 300; ++i)
        grants.push_back(GrantRow{static_cast<std::size_t>(i + 2), "USER" + std::to_string(i) + "@contoso.com", "UpgradeToTeams"});
    auto granted = t.store->change(ChangeInfo{"grant", "tester", {}}, false,
                                   [&](TenantStore& s) { report = grant_upgrade_policy_bulk(s, grants, BulkOptions{}); });
    CHECK(report.count("updated") == 300);
    CHECK(t.store->find_user("user7@contoso.com")->teams_upgrade_policy == "UpgradeToTeams");
    t.store->undo(granted.id, ChangeInfo{"undo", "tester", {}}, false);
    CHECK(t.store->find_user("user7@contoso.com")->teams_upgrade_policy.empty());
    t.store->undo(result.id, ChangeInfo{"undo", "tester", {}}, false);
    CHECK(t.store->user_count() == 0);
}

TEST_CASE("a bulk change is journaled in chunks that read back as one item per user, and undo restores it")
{
    TempTenant t;
    std::vector<UserRow> rows;
    for (int i = 0; i < 5000; ++i) {  // more than one chunk
        UserRow r;
        r.row = static_cast<std::size_t>(i + 2);
        r.upn = "user" + std::to_string(i) + "@contoso.com";
        r.display_name = "User " + std::to_string(i);
        r.licenses = "PhoneSystem";
        r.has_licenses = true;
        rows.push_back(r);
    }
    Notes notes;
    BulkReport report;
    auto imported = t.store->change(ChangeInfo{"import", "tester", {}}, false,
                                    [&](TenantStore& s) { report = import_users(s, rows, BulkOptions{}, notes); });
    CHECK(imported.bulk_items == 5000);
    {
        SQLite::Database db(t.path, SQLite::OPEN_READONLY);
        SQLite::Statement n(db, "SELECT count(*), min(kind), max(kind) FROM change_items WHERE change_id = ?");
        n.bind(1, static_cast<int64_t>(imported.id));
        REQUIRE(n.executeStep());
        CHECK(n.getColumn(0).getInt() == 2);
        CHECK(n.getColumn(1).getString() == "user[]");
    }
    auto entry = t.store->journal_entry(imported.id);
    REQUIRE(entry);
    REQUIRE(entry->items.size() == 5000);
    CHECK(entry->items[0].kind == "user");
    CHECK(entry->items[0].identity == "user0@contoso.com");
    CHECK(entry->items[4999].identity == "user4999@contoso.com");
    CHECK(entry->items[4096].before.is_null());
    CHECK(entry->items[4096].after == Json::parse(R"({"displayName":"User 4096","licenses":["PhoneSystem"]})"));
    auto changed = t.store->changed_since(0, imported.id);
    CHECK(std::count(changed.begin(), changed.end(), std::pair<std::string, std::string>("user", "user4321@contoso.com")) == 1);
    CHECK(std::count_if(changed.begin(), changed.end(), [](const auto& c) { return c.first == "user"; }) == 5000);

    // An update of every user journals before and after; undo puts the display names back.
    for (auto& r : rows)
        r.display_name += " (renamed)";
    auto before_update = to_json(t.store->document());
    auto updated = t.store->change(ChangeInfo{"import", "tester", {}}, false,
                                   [&](TenantStore& s) { report = import_users(s, rows, BulkOptions{}, notes); });
    CHECK(report.count("updated") == 5000);
    CHECK(t.store->find_user("user17@contoso.com")->display_name == "User 17 (renamed)");
    t.store->undo(updated.id, ChangeInfo{"undo", "tester", {}}, false);
    CHECK(to_json(t.store->document()) == before_update);

    // A grant to all of them, chunked the same way; undo removes it again.
    std::vector<GrantRow> grants;
    for (int i = 0; i < 5000; ++i)
        grants.push_back(GrantRow{static_cast<std::size_t>(i + 2), "user" + std::to_string(i) + "@contoso.com", "UpgradeToTeams"});
    auto granted = t.store->change(ChangeInfo{"grant", "tester", {}}, false,
                                   [&](TenantStore& s) { report = grant_upgrade_policy_bulk(s, grants, BulkOptions{}); });
    CHECK(report.count("updated") == 5000);
    entry = t.store->journal_entry(granted.id);
    REQUIRE(entry);
    REQUIRE(entry->items.size() == 5000);
    CHECK(entry->items[4999].kind == "teamsUpgradePolicyAssignment");
    CHECK(entry->items[4999].before.is_null());
    CHECK(entry->items[4999].after == "UpgradeToTeams");
    t.store->undo(granted.id, ChangeInfo{"undo", "tester", {}}, false);
    CHECK(to_json(t.store->document()) == before_update);
    t.store->undo(imported.id, ChangeInfo{"undo", "tester", {}}, false);
    CHECK(t.store->user_count() == 0);
}

TEST_CASE("a TeamsOnly user cannot move to on-premises homing")
{
    TempTenant t;
    t.change([](TenantStore& s) {
        s.put_user(user("amy@contoso.com"));
        s.put_user(user("bob@contoso.com"));
        grant_upgrade_policy_to_user(s, "UpgradeToTeams", "amy@contoso.com");
    });
    Edit onprem;
    onprem.set["homed"] = "onprem";
    Notes notes;
    const auto refused = "user \"amy@contoso.com\": Homed \"onprem\" is refused: the user is TeamsOnly (teams upgrade policy "
                         "\"UpgradeToTeams\", direct) and a TeamsOnly user must stay homed online; grant a mode that keeps "
                         "Skype for Business first (`csctl upgrade-policy grant Islands --user amy@contoso.com`)";
    auto before = to_json(t.store->document());

    SUBCASE("user set") {
        CHECK_THROWS_WITH(t.change([&](TenantStore& s) { set_user(s, "amy@contoso.com", onprem, notes); }), refused);
        CHECK(to_json(t.store->document()) == before);
        t.change([&](TenantStore& s) { set_user(s, "bob@contoso.com", onprem, notes); });  // Islands: allowed
        CHECK(t.store->find_user("bob@contoso.com")->homed == "onprem");
    }
    SUBCASE("the tenant default counts, and a direct non-TeamsOnly grant overrides it") {
        t.change([](TenantStore& s) { grant_upgrade_policy_global(s, "UpgradeToTeams"); });
        try {
            t.change([&](TenantStore& s) { set_user(s, "bob@contoso.com", onprem, notes); });
            FAIL("bob was moved");
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::usage);
            CHECK(std::string(e.what()).find("(teams upgrade policy \"UpgradeToTeams\", tenant default)") != std::string::npos);
        }
        t.change([](TenantStore& s) { grant_upgrade_policy_to_user(s, "Islands", "bob@contoso.com"); });
        t.change([&](TenantStore& s) { set_user(s, "bob@contoso.com", onprem, notes); });
        CHECK(t.store->find_user("bob@contoso.com")->homed == "onprem");
    }
    SUBCASE("user import: the row fails, the others apply only with continue_on_error") {
        std::vector<UserRow> rows(2);
        rows[0].row = 2;
        rows[0].upn = "bob@contoso.com";
        rows[0].homed = "onprem";
        rows[1].row = 3;
        rows[1].upn = "amy@contoso.com";
        rows[1].homed = "onprem";
        BulkReport report;
        // As run_bulk does: a run that is not to apply is rolled back.
        CHECK_THROWS_WITH(t.change([&](TenantStore& s) {
            report = import_users(s, rows, BulkOptions{}, notes);
            if (!report.applied)
                throw Error(ExitCode::usage, "rolled back");
        }), "rolled back");
        CHECK(report.rows[0].outcome == "skipped");
        CHECK(report.rows[1].outcome == "failed");
        CHECK(report.rows[1].message == refused);
        CHECK(report.code() == ExitCode::usage);
        CHECK(to_json(t.store->document()) == before);
        BulkOptions go_on;
        go_on.continue_on_error = true;
        t.change([&](TenantStore& s) { report = import_users(s, rows, go_on, notes); });
        CHECK(report.rows[0].outcome == "updated");
        CHECK(t.store->find_user("bob@contoso.com")->homed == "onprem");
        CHECK(t.store->find_user("amy@contoso.com")->homed == "online");
    }
}
