// Routing through the directory, black box: dial plans granted to users and groups, dial-plan test
// and route test for a user, the inbound reverse lookup, and route check with user cases and
// --all-users. Every rejected command must leave the export byte-identical.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <set>

using namespace csctl::test;
using nlohmann::json;

namespace {

void ok(const Sandbox& s, const std::vector<std::string>& args)
{
    auto r = s.csctl(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
}

json json_of(const Sandbox& s, const std::vector<std::string>& args)
{
    auto r = s.csctl(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
    return json::parse(r.out);
}

// Runs a command that must fail with code, a message containing text (on stderr, or for a bulk
// run in its report of rows), and no change.
void rejected(const Sandbox& s, const std::vector<std::string>& args, int code, const std::string& text)
{
    auto before = s.export_json();
    auto r = s.csctl(args);
    INFO(r.err);
    INFO(r.out);
    CHECK(r.code == code);
    CHECK((r.err + r.out).find(text) != std::string::npos);
    CHECK(s.export_json() == before);
}

// The worked example with its people: Spencer Low (US Only, PhoneSystem), John Woods (No
// Restrictions), Olga (US Only, PhoneSystem and CallingPlan); all TeamsOnly with numbers.
void people(const Sandbox& s)
{
    build_worked_example(s);
    ok(s, {"user", "add", "spencer@contoso.com", "--display-name", "Spencer Low", "--usage-location", "US", "--license",
           "PhoneSystem"});
    ok(s, {"user", "add", "john@contoso.com", "--display-name", "John Woods", "--usage-location", "US", "--license",
           "PhoneSystem"});
    ok(s, {"user", "add", "olga@contoso.com", "--usage-location", "US", "--license", "PhoneSystem", "--license",
           "CallingPlan"});
    ok(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--user", "spencer@contoso.com,john@contoso.com,olga@contoso.com"});
    ok(s, {"user-enable", "spencer@contoso.com", "--number", "+14255388797", "--number-type", "DirectRouting"});
    ok(s, {"user-enable", "john@contoso.com", "--number", "+12065550123"});
    ok(s, {"user-enable", "olga@contoso.com", "--number", "+14255550177"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "spencer@contoso.com"});
    ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--user", "john@contoso.com"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "olga@contoso.com"});
}

// Two dial plans with the normalization examples of the public pages.
void dial_plans(const Sandbox& s)
{
    ok(s, {"dial-plan", "new", "Redmond"});
    ok(s, {"normalization-rule", "new", "4digitExtension", "--dial-plan", "Redmond", "--pattern", R"(^(\d{4})$)",
           "--translation", "+1425555$1", "--is-internal-extension"});
    ok(s, {"dial-plan", "new", "Seattle"});
    ok(s, {"normalization-rule", "new", "4digitExtension", "--dial-plan", "Seattle", "--pattern", R"(^(\d{4})$)",
           "--translation", "+1206555$1"});
}

json route_test(const Sandbox& s, const std::string& user, const std::string& number, std::vector<std::string> more = {})
{
    std::vector<std::string> args{"route", "test", "--user", user, "--number", number, "--seed", "7", "-o", "json"};
    args.insert(args.end(), more.begin(), more.end());
    return json_of(s, args);
}

std::vector<std::string> routes_of(const json& result)
{
    std::vector<std::string> out;
    for (const auto& r : result["routes"])
        out.push_back(r["identity"]);
    return out;
}

std::set<std::string> tried(const json& result, std::size_t i)
{
    std::set<std::string> out;
    for (const auto& g : result["routes"][i]["gateways"])
        if (g["state"] == "candidate" || g["state"] == "demoted")
            out.insert(g["fqdn"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("dial-plan grant: users, groups by rank, the tenant, CSV, user get shows the effective plan and its source")
{
    Sandbox s;
    people(s);
    dial_plans(s);
    ok(s, {"group", "new", "sales"});
    ok(s, {"group", "new", "west"});
    ok(s, {"group", "add-member", "sales", "spencer@contoso.com"});
    ok(s, {"group", "add-member", "west", "spencer@contoso.com"});
    auto effective = [&](const std::string& upn) {
        return json_of(s, {"user", "get", upn, "-o", "json"})[0]["effectivePolicies"]["tenantDialPlan"];
    };
    CHECK(effective("spencer@contoso.com") ==
          json({{"name", "Global"}, {"source", "global"}, {"group", nullptr}, {"rank", nullptr}}));

    ok(s, {"dial-plan", "grant", "Seattle", "--global", "--yes"});
    CHECK(effective("spencer@contoso.com")["source"] == "tenant");
    ok(s, {"dial-plan", "grant", "Seattle", "--group", "west", "--rank", "2"});
    ok(s, {"dial-plan", "grant", "Tag:Redmond", "--group", "sales", "--rank", "1"});
    CHECK(effective("spencer@contoso.com") ==
          json({{"name", "Redmond"}, {"source", "group"}, {"group", "sales"}, {"rank", 1}}));
    auto g = json_of(s, {"group", "get", "sales", "-o", "json"});
    CHECK(g[0]["tenantDialPlan"] == "Redmond");
    CHECK(g[0]["tenantDialPlanRank"] == 1);

    ok(s, {"dial-plan", "grant", "Seattle", "--user", "spencer@contoso.com"});
    CHECK(effective("spencer@contoso.com") ==
          json({{"name", "Seattle"}, {"source", "direct"}, {"group", nullptr}, {"rank", nullptr}}));
    auto get = s.csctl({"user", "get", "spencer@contoso.com"});
    CHECK(get.out.find("Seattle (direct)") != std::string::npos);

    SUBCASE("a null name unassigns: back to the group, then the tenant") {
        ok(s, {"dial-plan", "grant", "$null", "--user", "spencer@contoso.com"});
        CHECK(effective("spencer@contoso.com")["group"] == "sales");
        ok(s, {"dial-plan", "grant", "", "--group", "sales"});
        CHECK(effective("spencer@contoso.com")["group"] == "west");
        ok(s, {"dial-plan", "grant", "Global", "--group", "west"});
        CHECK(effective("spencer@contoso.com")["source"] == "tenant");
        auto r = s.csctl({"user", "get", "spencer@contoso.com"});
        CHECK(r.out.find("Seattle (tenant default)") != std::string::npos);
    }
    SUBCASE("undo reverts a user grant") {
        ok(s, {"undo"});
        CHECK(effective("spencer@contoso.com")["source"] == "group");
    }
    SUBCASE("many users: a list and a CSV, one change; a bad row applies nothing") {
        ok(s, {"dial-plan", "grant", "Redmond", "--user", "john@contoso.com,olga@contoso.com"});
        CHECK(effective("john@contoso.com")["name"] == "Redmond");
        CHECK(effective("olga@contoso.com")["name"] == "Redmond");
        s.write("grant.csv", "userPrincipalName,policyName\njohn@contoso.com,Seattle\nolga@contoso.com,\n");
        ok(s, {"dial-plan", "grant", "--from-csv", "grant.csv"});
        CHECK(effective("john@contoso.com") ==
              json({{"name", "Seattle"}, {"source", "direct"}, {"group", nullptr}, {"rank", nullptr}}));
        CHECK(effective("olga@contoso.com")["source"] == "tenant");
        s.write("bad.csv", "userPrincipalName\njohn@contoso.com\nnobody@contoso.com\n");
        rejected(s, {"dial-plan", "grant", "Redmond", "--from-csv", "bad.csv"}, 3, "user \"nobody@contoso.com\" does not exist");
        CHECK(effective("john@contoso.com")["name"] == "Seattle");
    }
    SUBCASE("a plan still granted cannot be removed") {
        rejected(s, {"dial-plan", "remove", "Seattle", "--yes"}, 4,
                 "tenant dial plan \"Seattle\" is the tenant default");
        ok(s, {"dial-plan", "grant", "Global", "--global", "--yes"});
        rejected(s, {"dial-plan", "remove", "Seattle", "--yes"}, 4,
                 "tenant dial plan \"Seattle\" is still granted to 1 user (\"spencer@contoso.com\")");
        ok(s, {"dial-plan", "grant", "", "--user", "spencer@contoso.com"});
        rejected(s, {"dial-plan", "remove", "Seattle", "--yes"}, 4,
                 "tenant dial plan \"Seattle\" is still granted to group \"west\"");
        ok(s, {"dial-plan", "grant", "", "--group", "west"});
        ok(s, {"dial-plan", "remove", "Seattle", "--yes"});
    }
}

TEST_CASE("dial-plan grant refuses bad input and changes nothing")
{
    Sandbox s;
    people(s);
    dial_plans(s);
    ok(s, {"group", "new", "sales"});
    rejected(s, {"dial-plan", "grant", "Nowhere", "--user", "spencer@contoso.com"}, 3,
             "tenant dial plan \"Nowhere\" does not exist");
    rejected(s, {"dial-plan", "grant", "Redmond", "--user", "nobody@contoso.com"}, 3, "user \"nobody@contoso.com\" does not exist");
    rejected(s, {"dial-plan", "grant", "Redmond", "--group", "nogroup"}, 3, "group \"nogroup\" does not exist");
    rejected(s, {"dial-plan", "grant", "Redmond", "--group", "sales", "--rank", "0"}, 2, "Rank 0 must be 1 or more");
    rejected(s, {"dial-plan", "grant", "", "--group", "sales", "--rank", "1"}, 2, "removing the assignment takes no rank");
    rejected(s, {"dial-plan", "grant", "Redmond", "--user", "spencer@contoso.com", "--rank", "1"}, 2, "--rank goes with --group");
    rejected(s, {"dial-plan", "grant", "Redmond"}, 2, "say whom to grant to");
    rejected(s, {"dial-plan", "grant", "Redmond", "--user", "spencer@contoso.com", "--global"}, 2, "say whom to grant to");
    rejected(s, {"dial-plan", "grant", "--user", "spencer@contoso.com"}, 2, "name the dial plan");
    rejected(s, {"dial-plan", "grant", "Redmond", "--user", ""}, 2, "--user is empty");
    rejected(s, {"dial-plan", "grant", "Redmond", "--user", "spencer@contoso.com,nobody@contoso.com"}, 3,
             "user \"nobody@contoso.com\" does not exist");
    rejected(s, {"dial-plan", "grant", "Redmond", "--from-csv", "missing.csv"}, 3, "missing.csv");
}

TEST_CASE("dial-plan test --user: the effective plan and its source, the rule that matched, the result")
{
    Sandbox s;
    people(s);
    dial_plans(s);
    ok(s, {"group", "new", "sales"});
    ok(s, {"group", "add-member", "sales", "john@contoso.com"});
    ok(s, {"dial-plan", "grant", "Redmond", "--user", "spencer@contoso.com"});
    ok(s, {"dial-plan", "grant", "Seattle", "--group", "sales", "--rank", "1"});

    auto spencer = json_of(s, {"dial-plan", "test", "--user", "spencer@contoso.com", "--number", "0100", "-o", "json"});
    CHECK(spencer["user"] == "spencer@contoso.com");
    CHECK(spencer["dialedNumber"] == "0100");
    CHECK(spencer["normalizedNumber"] == "+14255550100");
    CHECK(spencer["normalizationRule"] == "4digitExtension");
    CHECK(spencer["isInternalExtension"] == true);
    CHECK(spencer["dialPlan"] == "Tag:Redmond");
    CHECK(spencer["dialPlanSource"] == "direct");
    CHECK(spencer["effectiveDialPlan"] == json({{"name", "Redmond"}, {"source", "direct"}, {"group", nullptr}, {"rank", nullptr}}));

    auto john = json_of(s, {"dial-plan", "test", "--user", "JOHN@contoso.com", "--number", "0100", "-o", "json"});
    CHECK(john["normalizedNumber"] == "+12065550100");
    CHECK(john["dialPlanSource"] == "group");
    CHECK(john["effectiveDialPlan"]["group"] == "sales");

    // No rule matches: the country dial plan of the user's UsageLocation.
    auto olga = json_of(s, {"dial-plan", "test", "--user", "olga@contoso.com", "--number", "(425) 555-0199", "-o", "json"});
    CHECK(olga["dialPlan"] == "Global");
    CHECK(olga["dialPlanSource"] == "global");
    CHECK(olga["normalizationRule"].is_null());
    CHECK(olga["countryDialPlan"] == "US");
    CHECK(olga["normalizedNumber"] == "+14255550199");

    auto human = s.csctl({"dial-plan", "test", "--user", "john@contoso.com", "--number", "0100"});
    REQUIRE(human.code == 0);
    CHECK(human.out == "user john@contoso.com: dial plan Tag:Seattle (group \"sales\" rank 1)\n"
                       "0100 -> +12065550100\n"
                       "  rule \"4digitExtension\" of dial plan Tag:Seattle\n");

    SUBCASE("bad input") {
        auto before = s.export_json();
        auto r = s.csctl({"dial-plan", "test", "--user", "nobody@contoso.com", "--number", "0100"});
        CHECK(r.code == 3);
        CHECK(r.err == "csctl: error: dial-plan test: user \"nobody@contoso.com\" does not exist (list them with `csctl user "
                       "list`)\n");
        r = s.csctl({"dial-plan", "test", "--user", "john@contoso.com", "--number", "01OO"});
        CHECK(r.code == 2);
        CHECK(r.err.find("dial-plan test: --number \"01OO\" contains \"O\"") != std::string::npos);
        r = s.csctl({"dial-plan", "test", "Redmond", "--user", "john@contoso.com", "--number", "0100"});
        CHECK(r.code == 2);
        CHECK(r.err.find("--user takes the dial plan and usage location from the directory") != std::string::npos);
        CHECK(s.export_json() == before);
    }
}

TEST_CASE("route test --user: Microsoft's worked example through the directory")
{
    Sandbox s;
    people(s);

    SUBCASE("Spencer, +1 425: Redmond 1, Redmond 2, Other +1; his policy and its source are shown") {
        auto r = route_test(s, "spencer@contoso.com", "+1 425 555 0100");
        CHECK(r["user"] == "spencer@contoso.com");
        CHECK(r["policy"] == "Tag:US Only");
        CHECK(r["policySource"] == "direct");
        CHECK(r["usage"] == "US and Canada");
        CHECK(routes_of(r) == std::vector<std::string>{"Redmond 1", "Redmond 2", "Other +1"});
        CHECK(tried(r, 0) == std::set<std::string>{"sbc1.contoso.com", "sbc2.contoso.com"});
        CHECK(r["outcome"] == "routed");
        // His own number is the From of every attempt.
        CHECK(r["routes"][0]["gateways"][0]["callingNumber"] == "+14255388797");
        auto human = s.csctl({"route", "test", "--user", "spencer@contoso.com", "--number", "+14255550100", "--seed", "1"});
        REQUIRE(human.code == 0);
        CHECK(human.out.find("policy      Tag:US Only  (direct)  usages: \"US and Canada\"\n") != std::string::npos);
    }
    SUBCASE("Spencer, +1 425 with sbc1-sbc4 down: Other +1; dropped with all six down") {
        auto r = route_test(s, "spencer@contoso.com", "+14255550100",
                            {"--unavailable", "sbc1.contoso.com,sbc2.contoso.com,sbc3.contoso.com,sbc4.contoso.com"});
        CHECK(r["firstRoute"] == "Other +1");
        auto all = route_test(s, "spencer@contoso.com", "+14255550100",
                              {"--unavailable", "sbc1.contoso.com,sbc2.contoso.com,sbc3.contoso.com,sbc4.contoso.com,"
                                                "sbc5.contoso.com,sbc6.contoso.com"});
        CHECK(all["outcome"] == "dropped");
    }
    SUBCASE("Spencer, +1 324 567 8989: Other +1 only") {
        auto r = route_test(s, "spencer@contoso.com", "+13245678989");
        CHECK(routes_of(r) == std::vector<std::string>{"Other +1"});
    }
    SUBCASE("a non-US number: Spencer's call is dropped; Olga's goes by Calling Plan (her licence)") {
        auto spencer = route_test(s, "spencer@contoso.com", "+442079460000");
        CHECK(spencer["outcome"] == "dropped");
        CHECK(spencer["usage"].is_null());
        auto olga = route_test(s, "olga@contoso.com", "+442079460000");
        CHECK(olga["outcome"] == "calling-plan");
    }
    SUBCASE("John: +1 425 uses US and Canada; +44 goes International via sbc2 and sbc5") {
        auto us = route_test(s, "john@contoso.com", "+14255550100");
        CHECK(us["policy"] == "Tag:No Restrictions");
        CHECK(us["usage"] == "US and Canada");
        CHECK(routes_of(us) == std::vector<std::string>{"Redmond 1", "Redmond 2", "Other +1"});
        auto uk = route_test(s, "john@contoso.com", "+442079460000");
        CHECK(uk["usage"] == "International");
        CHECK(tried(uk, 0) == std::set<std::string>{"sbc2.contoso.com", "sbc5.contoso.com"});
    }
    SUBCASE("John with his policy reordered: +1 425 goes International") {
        ok(s, {"voice-routing-policy", "set", "No Restrictions", "--usages", "International,US and Canada"});
        auto r = route_test(s, "john@contoso.com", "+14255550100");
        CHECK(r["usage"] == "International");
        CHECK(routes_of(r) == std::vector<std::string>{"International"});
    }
    SUBCASE("a forwarded call that entered on sbc5: sbc5 first") {
        auto r = route_test(s, "john@contoso.com", "+13245678989", {"--ingress", "sbc5.contoso.com"});
        CHECK(r["firstGateway"] == "sbc5.contoso.com");
    }
    SUBCASE("the policy source follows the directory: group rank, then tenant default, then Global") {
        ok(s, {"voice-routing-policy", "grant", "", "--user", "spencer@contoso.com"});
        CHECK(route_test(s, "spencer@contoso.com", "+14255550100")["policySource"] == "global");
        ok(s, {"voice-routing-policy", "grant", "US Only", "--global", "--yes"});
        CHECK(route_test(s, "spencer@contoso.com", "+14255550100")["policySource"] == "tenant");
        ok(s, {"group", "new", "intl"});
        ok(s, {"group", "add-member", "intl", "spencer@contoso.com"});
        ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--group", "intl", "--rank", "1"});
        auto r = route_test(s, "spencer@contoso.com", "+442079460000");
        CHECK(r["policy"] == "Tag:No Restrictions");
        CHECK(r["policySource"] == "group");
        CHECK(r["usage"] == "International");
    }
    SUBCASE("the user's dial plan normalises what they dial") {
        dial_plans(s);
        ok(s, {"dial-plan", "grant", "Seattle", "--user", "spencer@contoso.com"});
        auto r = route_test(s, "spencer@contoso.com", "0100");
        CHECK(r["normalizedNumber"] == "+12065550100");
        CHECK(r["normalizationRule"] == "4digitExtension");
        CHECK(r["dialPlan"] == "Tag:Seattle");
        CHECK(r["dialPlanSource"] == "direct");
        CHECK(r["firstRoute"] == "Redmond 1");
        // Without a tenant rule, the country dial plan of the user's UsageLocation.
        auto national = route_test(s, "john@contoso.com", "(206) 555-0100");
        CHECK(national["normalizedNumber"] == "+12065550100");
        CHECK(national["countryDialPlan"] == "US");
    }
    SUBCASE("bad input: an unknown user, a user with what-if options, a number with letters") {
        auto before = s.export_json();
        auto r = s.csctl({"route", "test", "--user", "nobody@contoso.com", "--number", "+14255550100"});
        CHECK(r.code == 3);
        CHECK(r.err == "csctl: error: route test: user \"nobody@contoso.com\" does not exist (list them with `csctl user "
                       "list`)\n");
        r = s.csctl({"route", "test", "--user", "spencer@contoso.com", "--policy", "US Only", "--number", "+14255550100"});
        CHECK(r.code == 2);
        CHECK(r.err.find("--user takes the policy, dial plan, usage location, licences and number from the directory") !=
              std::string::npos);
        r = s.csctl({"route", "test", "--user", "spencer@contoso.com", "--number", "+1425CALLNOW"});
        CHECK(r.code == 2);
        CHECK(r.err.find("route test: --number \"+1425CALLNOW\" contains \"C\"") != std::string::npos);
        CHECK(s.export_json() == before);
    }
}

TEST_CASE("route inbound finds the user by number: delivered, not TeamsOnly, unassigned")
{
    Sandbox s;
    people(s);
    auto inbound = [&](const std::string& called) {
        return json_of(s, {"route", "inbound", "--gateway", "sbc1.contoso.com", "--called", called, "--calling",
                           "+13125550100", "-o", "json"});
    };
    auto spencer = inbound("+14255388797");
    CHECK(spencer["user"] == "spencer@contoso.com");
    CHECK(spencer["outcome"] == "delivered");
    CHECK(inbound("+1 425 538 8797")["user"] == "spencer@contoso.com");
    auto nobody = inbound("+14255388798");
    CHECK(nobody["user"].is_null());
    CHECK(nobody["outcome"] == "unassigned");

    // After translation: the SBC sends 10 digits, AddPlus1 makes the user's number of it.
    ok(s, {"translation-rule", "new", "AddPlus1", "--pattern", R"(^(\d{10})$)", "--translation", "+1$1"});
    ok(s, {"online-pstn-gateway", "set", "sbc1.contoso.com", "--inbound-teams-number-translation-rules", "AddPlus1"});
    auto translated = inbound("4255388797");
    CHECK(translated["calledNumber"] == "+14255388797");
    CHECK(translated["user"] == "spencer@contoso.com");
    CHECK(translated["outcome"] == "delivered");

    // The number must equal the user's PhoneNumber as a string: an extension is part of it.
    ok(s, {"user", "add", "ext@contoso.com", "--license", "PhoneSystem"});
    ok(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--user", "ext@contoso.com"});
    ok(s, {"user-enable", "ext@contoso.com", "--number", "+14255550100;ext=123"});
    CHECK(inbound("+14255550100;ext=123")["user"] == "ext@contoso.com");
    CHECK(inbound("+14255550100")["outcome"] == "unassigned");

    // A user in Islands mode gets the number but Teams does not ring them.
    ok(s, {"user", "add", "islands@contoso.com", "--license", "PhoneSystem"});
    ok(s, {"user-enable", "islands@contoso.com", "--number", "+14255550155"});
    auto islands = inbound("+14255550155");
    CHECK(islands["user"] == "islands@contoso.com");
    CHECK(islands["outcome"] == "not-teams-only");

    auto human = s.csctl({"route", "inbound", "--gateway", "sbc1.contoso.com", "--called", "+14255388797", "--calling",
                          "+13125550100"});
    REQUIRE(human.code == 0);
    CHECK(human.out.find("outcome     delivered: delivered to user \"spencer@contoso.com\"") != std::string::npos);
}

TEST_CASE("route check: cases by user, and failures exit 2")
{
    Sandbox s;
    people(s);
    s.write("cases.yaml", R"(- name: Spencer dials Redmond
  user: spencer@contoso.com
  number: "+1 425 555 0100"
  expect: {outcome: routed, usage: US and Canada, routes: [Redmond 1, Redmond 2, Other +1], callingNumber: "+14255388797"}
- name: Spencer abroad
  user: spencer@contoso.com
  number: "+442079460000"
  expect: {outcome: dropped}
- name: Olga abroad
  user: olga@contoso.com
  number: "+442079460000"
  expect: {outcome: calling-plan}
- name: John abroad
  user: john@contoso.com
  number: "+442079460000"
  expect: {usage: International, gateways: [sbc2.contoso.com, sbc5.contoso.com]}
- name: a call to Spencer
  inbound: {gateway: sbc3.contoso.com, called: "+14255388797", calling: "+13125550100"}
  expect: {outcome: delivered, user: spencer@contoso.com}
)");
    auto r = s.csctl({"route", "check", "-f", "cases.yaml"});
    CHECK_MESSAGE(r.code == 0, (r.out + r.err));
    CHECK(r.out == "5 passed, 0 failed\n");

    SUBCASE("a change of grant breaks a case: printed, exit code 2") {
        ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "john@contoso.com"});
        auto f = s.csctl({"route", "check", "-f", "cases.yaml"});
        CHECK(f.code == 2);
        CHECK(f.out == "FAIL cases.yaml:13 \"John abroad\"\n"
                       "    gateways: expected {sbc2.contoso.com, sbc5.contoso.com}, got []\n"
                       "    usage: expected \"International\", got (none)\n"
                       "4 passed, 1 failed\n");
        CHECK(f.err == "csctl: error: route check: 1 of 5 cases failed\n");
        auto j = s.csctl({"route", "check", "-f", "cases.yaml", "-o", "json"});
        CHECK(j.code == 2);
        auto doc = json::parse(j.out);
        CHECK(doc["failed"] == 1);
        CHECK(doc["cases"][3]["passed"] == false);
    }
    SUBCASE("an unknown user fails its case, names the place, and the others still run") {
        s.write("ghost.yaml", "- name: ghost\n  user: ghost@contoso.com\n  number: \"+14255550100\"\n  expect: {outcome: routed}\n");
        auto f = s.csctl({"route", "check", "-f", "ghost.yaml"});
        CHECK(f.code == 2);
        CHECK(f.out == "FAIL ghost.yaml:1 \"ghost\"\n"
                       "    ghost.yaml:1:3: \"ghost\": user \"ghost@contoso.com\" does not exist (list them with `csctl user "
                       "list`)\n"
                       "0 passed, 1 failed\n");
    }
    SUBCASE("a user with what-if keys, and a user on an inbound case, are refused with their place") {
        s.write("mixed.yaml", "- name: mixed\n  user: john@contoso.com\n  policy: US Only\n  number: \"+1\"\n  expect: {outcome: routed}\n");
        auto f = s.csctl({"route", "check", "-f", "mixed.yaml"});
        CHECK(f.code == 2);
        CHECK(f.out.find("--user takes the policy") != std::string::npos);
        s.write("in.yaml", "- name: in\n  user: john@contoso.com\n  inbound: {gateway: sbc1.contoso.com, called: \"+1\", "
                           "calling: \"+1\"}\n  expect: {outcome: delivered}\n");
        f = s.csctl({"route", "check", "-f", "in.yaml"});
        CHECK(f.code == 2);
        CHECK(f.err == "csctl: error: in.yaml:2:9: \"in\": an inbound call has no caller from the directory (to check who "
                       "receives it: expect: {user: UPN})\n");
    }
    SUBCASE("a syntax error names file, line and column, and nothing runs") {
        s.write("broken.yaml", "- name: x\n  user: john@contoso.com\n  number: \"+1425\n  expect: {outcome: routed}\n");
        auto f = s.csctl({"route", "check", "-f", "broken.yaml"});
        CHECK(f.code == 2);
        CHECK(f.out.empty());
        CHECK(f.err.rfind("csctl: error: broken.yaml:", 0) == 0);
        s.write("tab.yaml", "- name: x\n  expect: {outcome: routed\n");
        f = s.csctl({"route", "check", "-f", "tab.yaml"});
        CHECK(f.code == 2);
        CHECK(f.err.rfind("csctl: error: tab.yaml:3:1: ", 0) == 0);
    }
    SUBCASE("neither a file nor --all-users") {
        auto f = s.csctl({"route", "check"});
        CHECK(f.code == 2);
        CHECK(f.err == "csctl: error: route check: give a cases file (-f FILE), --all-users, or both\n");
    }
}

TEST_CASE("route check --all-users: every enabled user's own number under their own policy")
{
    Sandbox s;
    people(s);
    // Users the check skips: no number, or not enabled for Enterprise Voice.
    ok(s, {"user", "add", "nonumber@contoso.com", "--license", "PhoneSystem"});
    auto r = s.csctl({"route", "check", "--all-users"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.out == "all users: 3 enabled with a number (of 4): 3 routed, 0 by Calling Plan, 0 not routable\n");

    // A London user granted "US Only", and one whose policy has no usages; a London user with a
    // CallingPlan licence is routed by Calling Plan.
    ok(s, {"user", "add", "emma@contoso.com", "--usage-location", "GB", "--license", "PhoneSystem"});
    ok(s, {"user-enable", "emma@contoso.com", "--number", "+442079460123"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "emma@contoso.com"});
    ok(s, {"user", "add", "cp@contoso.com", "--usage-location", "GB", "--license", "PhoneSystem", "--license", "CallingPlan"});
    ok(s, {"user-enable", "cp@contoso.com", "--number", "+442079460124"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "cp@contoso.com"});
    ok(s, {"voice-routing-policy", "new", "Empty"});
    ok(s, {"user", "add", "empty@contoso.com", "--license", "PhoneSystem"});
    ok(s, {"user-enable", "empty@contoso.com", "--number", "+14255550188"});
    ok(s, {"voice-routing-policy", "grant", "Empty", "--user", "empty@contoso.com"});

    auto f = s.csctl({"route", "check", "--all-users"});
    CHECK(f.code == 2);
    CHECK(f.out == "NOT ROUTABLE emma@contoso.com  +442079460123  policy Tag:US Only (direct): no route of usage "
                   "\"US and Canada\" matches the number\n"
                   "NOT ROUTABLE empty@contoso.com  +14255550188  policy Tag:Empty (direct): the policy has no usages\n"
                   "all users: 6 enabled with a number (of 7): 3 routed, 1 by Calling Plan, 2 not routable\n");
    CHECK(f.err == "csctl: error: route check: 2 of 6 enabled users cannot be routed to their own number\n");

    auto j = s.csctl({"route", "check", "--all-users", "-o", "json"});
    CHECK(j.code == 2);
    auto doc = json::parse(j.out)["allUsers"];
    CHECK(doc["users"] == 7);
    CHECK(doc["checked"] == 6);
    CHECK(doc["routed"] == 3);
    CHECK(doc["callingPlan"] == 1);
    CHECK(doc["dropped"] == 2);
    REQUIRE(doc["droppedUsers"].size() == 2);
    CHECK(doc["droppedUsers"][0] == json({{"userPrincipalName", "emma@contoso.com"},
                                          {"phoneNumber", "+442079460123"},
                                          {"normalizedNumber", "+442079460123"},
                                          {"policy", "Tag:US Only"},
                                          {"policySource", "direct"},
                                          {"outcome", "dropped"},
                                          {"reason", "no route of usage \"US and Canada\" matches the number"},
                                          {"usage", nullptr},
                                          {"route", nullptr}}));

    SUBCASE("routes whose gateways are all disabled do not place the call") {
        ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--user", "emma@contoso.com"});
        ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--user", "empty@contoso.com"});
        CHECK(s.csctl({"route", "check", "--all-users"}).code == 0);
        ok(s, {"online-pstn-gateway", "set", "sbc2.contoso.com", "--enabled=false"});
        ok(s, {"online-pstn-gateway", "set", "sbc5.contoso.com", "--enabled=false"});
        auto d = s.csctl({"route", "check", "--all-users"});
        CHECK(d.code == 2);
        CHECK(d.out.find("NOT ROUTABLE emma@contoso.com  +442079460123  policy Tag:No Restrictions (direct): every gateway "
                         "of route \"International\" (usage \"International\") is disabled\n") != std::string::npos);
    }
    SUBCASE("with a cases file: both run, both reported") {
        s.write("ok.yaml", "- {name: a, user: john@contoso.com, number: \"+14255550100\", expect: {outcome: routed}}\n");
        auto both = s.csctl({"route", "check", "-f", "ok.yaml", "--all-users", "-o", "json"});
        CHECK(both.code == 2);
        auto all = json::parse(both.out);
        CHECK(all["passed"] == 1);
        CHECK(all["allUsers"]["dropped"] == 2);
    }
}
