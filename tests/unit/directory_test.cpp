// Core rules of the directory against a real SQLite store: effective policy resolution, the
// journal form of users, phone numbers, CSV reading, bulk outcomes and undo.
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/phone_number.hpp"
#include "core/policy_assignment.hpp"
#include "core/upgrade_policy.hpp"
#include "core/user.hpp"
#include "store/sqlite_tenant.hpp"

#include <doctest/doctest.h>

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

TEST_CASE("CSV: header matched case-insensitively, quotes, CRLF, BOM; errors name the line")
{
    auto t = parse_csv("\xEF\xBB\xBF" "UPN,Name\r\na,\"x, \"\"y\"\"\"\r\n\r\nb,\"multi\nline\"\nc", "f.csv");
    CHECK(t.header == std::vector<std::string>{"UPN", "Name"});
    REQUIRE(t.rows.size() == 3);
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
