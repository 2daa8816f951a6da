// Black-box tests of route test / route inbound / route check and the objects they use.
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
    REQUIRE_MESSAGE(r.code == 0, r.err);
}

json route_test(const Sandbox& s, std::vector<std::string> args)
{
    args.insert(args.begin(), {"route", "test"});
    args.insert(args.end(), {"--seed", "42", "-o", "json"});
    auto r = s.csctl(args);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return json::parse(r.out);
}

std::vector<std::string> routes_of(const json& result)
{
    std::vector<std::string> out;
    for (const auto& r : result["routes"])
        out.push_back(r["identity"]);
    return out;
}

// The gateways of route i that are tried (candidate or demoted), as a set.
std::set<std::string> tried(const json& result, std::size_t i)
{
    std::set<std::string> out;
    for (const auto& g : result["routes"][i]["gateways"])
        if (g["state"] == "candidate" || g["state"] == "demoted")
            out.insert(g["fqdn"].get<std::string>());
    return out;
}

const std::string k_down14 = "sbc1.contoso.com,sbc2.contoso.com,sbc3.contoso.com,sbc4.contoso.com";
const std::string k_down16 = k_down14 + ",sbc5.contoso.com,sbc6.contoso.com";

}  // namespace

TEST_CASE("route test reproduces every row of Microsoft's worked example")
{
    Sandbox s;
    build_worked_example(s);
    const std::vector<std::string> spencer{"--policy", "US Only"};
    const std::vector<std::string> john{"--policy", "No Restrictions"};
    auto with = [](std::vector<std::string> a, std::vector<std::string> b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };

    SUBCASE("Spencer, +1 425, all up") {
        auto r = route_test(s, with(spencer, {"--number", "+1 425 555 0100"}));
        CHECK(r["user"].is_null());
        CHECK(r["dialedNumber"] == "+14255550100");
        CHECK(r["normalizedNumber"] == "+14255550100");
        CHECK(r["normalizationRule"].is_null());
        CHECK(r["policy"] == "Tag:US Only");
        CHECK(r["policySource"] == "direct");
        CHECK(r["usage"] == "US and Canada");
        CHECK(routes_of(r) == std::vector<std::string>{"Redmond 1", "Redmond 2", "Other +1"});
        CHECK(tried(r, 0) == std::set<std::string>{"sbc1.contoso.com", "sbc2.contoso.com"});
        CHECK(tried(r, 1) == std::set<std::string>{"sbc3.contoso.com", "sbc4.contoso.com"});
        CHECK(tried(r, 2) == std::set<std::string>{"sbc5.contoso.com", "sbc6.contoso.com"});
        CHECK(r["routes"][0]["priority"] == 1);
        CHECK(r["routes"][0]["gateways"][0]["calledNumber"] == "+14255550100");
        CHECK(r["outcome"] == "routed");
    }
    SUBCASE("Spencer, +1 425, sbc1 and sbc2 down: Redmond 2") {
        auto r = route_test(s, with(spencer, {"--number", "+14255550100", "--unavailable", "sbc1.contoso.com,sbc2.contoso.com"}));
        CHECK(r["routes"][0]["gateways"][0]["state"] == "unavailable");
        CHECK(r["firstRoute"] == "Redmond 2");
        CHECK(tried(r, 1) == std::set<std::string>{"sbc3.contoso.com", "sbc4.contoso.com"});
        CHECK(r["outcome"] == "routed");
    }
    SUBCASE("Spencer, +1 425, sbc1-sbc4 down: Other +1 is the third route tried") {
        auto r = route_test(s, with(spencer, {"--number", "+14255550100", "--unavailable", k_down14}));
        CHECK(r["firstRoute"] == "Other +1");
        CHECK(tried(r, 2) == std::set<std::string>{"sbc5.contoso.com", "sbc6.contoso.com"});
        auto all = route_test(s, with(spencer, {"--number", "+14255550100", "--unavailable", k_down16}));
        CHECK(all["outcome"] == "dropped");
    }
    SUBCASE("Spencer, +1 324 567 8989: Other +1; dropped with sbc5 and sbc6 down") {
        auto r = route_test(s, with(spencer, {"--number", "+13245678989"}));
        CHECK(routes_of(r) == std::vector<std::string>{"Other +1"});
        CHECK(tried(r, 0) == std::set<std::string>{"sbc5.contoso.com", "sbc6.contoso.com"});
        auto down = route_test(s, with(spencer, {"--number", "+13245678989", "--unavailable", "sbc5.contoso.com,sbc6.contoso.com"}));
        CHECK(down["outcome"] == "dropped");
        CHECK(routes_of(down) == std::vector<std::string>{"Other +1"});
    }
    SUBCASE("Spencer, a non-US number: dropped; calling-plan with the licence") {
        auto r = route_test(s, with(spencer, {"--number", "+442079460000"}));
        CHECK(r["outcome"] == "dropped");
        CHECK(r["usage"].is_null());
        CHECK(r["routes"].empty());
        auto cp = route_test(s, with(spencer, {"--number", "+442079460000", "--calling-plan"}));
        CHECK(cp["outcome"] == "calling-plan");
    }
    SUBCASE("John, +1 425: US and Canada; International never evaluated") {
        auto r = route_test(s, with(john, {"--number", "+14255550100"}));
        CHECK(r["usage"] == "US and Canada");
        CHECK(routes_of(r) == std::vector<std::string>{"Redmond 1", "Redmond 2", "Other +1"});
    }
    SUBCASE("John, +44: International via sbc2 and sbc5") {
        auto r = route_test(s, with(john, {"--number", "+442079460000"}));
        CHECK(r["usage"] == "International");
        CHECK(routes_of(r) == std::vector<std::string>{"International"});
        CHECK(tried(r, 0) == std::set<std::string>{"sbc2.contoso.com", "sbc5.contoso.com"});
    }
    SUBCASE("John with the policy reordered: +1 425 goes International") {
        ok(s, {"voice-routing-policy", "set", "No Restrictions", "--usages", "International,US and Canada"});
        auto r = route_test(s, with(john, {"--number", "+14255550100"}));
        CHECK(r["usage"] == "International");
        CHECK(tried(r, 0) == std::set<std::string>{"sbc2.contoso.com", "sbc5.contoso.com"});
    }
    SUBCASE("a forwarded call that entered on sbc5, re-routed to +1 324 567 8989: sbc5 first") {
        auto r = route_test(s, with(spencer, {"--number", "+13245678989", "--ingress", "sbc5.contoso.com"}));
        CHECK(r["routes"][0]["gateways"][0]["fqdn"] == "sbc5.contoso.com");
        CHECK(r["routes"][0]["gateways"][0]["ingress"] == true);
        CHECK(r["firstGateway"] == "sbc5.contoso.com");
    }
}

TEST_CASE("route test: human output, the tenant default policy, the country dial plan")
{
    Sandbox s;
    build_worked_example(s);
    auto r = s.csctl({"route", "test", "--number", "4255550100", "--usage-location", "US", "--seed", "1"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("normalized  +14255550100  (country dial plan US)") != std::string::npos);
    CHECK(r.out.find("policy      Global  (global)") != std::string::npos);
    CHECK(r.out.find("outcome     dropped: no route") != std::string::npos);
    ok(s, {"voice-routing-policy", "grant", "US Only", "--global", "--yes"});
    auto j = route_test(s, {"--number", "4255550100", "--usage-location", "US"});
    CHECK(j["policy"] == "Tag:US Only");
    CHECK(j["policySource"] == "tenant");
    CHECK(j["countryDialPlan"] == "US");
    CHECK(j["outcome"] == "routed");
}

TEST_CASE("route test: bad input names the problem, exits with its code")
{
    Sandbox s;
    build_worked_example(s);
    auto before = s.export_json();
    SUBCASE("a number with letters") {
        auto r = s.csctl({"route", "test", "--policy", "US Only", "--number", "+1425555CALL"});
        CHECK(r.code == 2);
        CHECK(r.err == "csctl: error: route test: --number \"+1425555CALL\" contains \"C\", which is not part of a number "
                       "(use digits, * and #, with an optional leading +)\n");
    }
    SUBCASE("an unknown policy") {
        auto r = s.csctl({"route", "test", "--policy", "Nowhere", "--number", "+14255550100"});
        CHECK(r.code == 3);
        CHECK(r.err.find("voice routing policy \"Nowhere\" does not exist") != std::string::npos);
    }
    SUBCASE("an unknown gateway in --unavailable") {
        auto r = s.csctl({"route", "test", "--number", "+14255550100", "--unavailable", "sbc9.contoso.com"});
        CHECK(r.code == 2);
        CHECK(r.err.find("--unavailable names gateway \"sbc9.contoso.com\", which does not exist") != std::string::npos);
    }
    SUBCASE("an unknown gateway for route inbound, as JSON") {
        auto r = s.csctl({"route", "inbound", "--gateway", "sbc1.contoso.com", "--called", "alice", "--calling", "1"});
        CHECK(r.code == 2);
        CHECK(r.err.find("route inbound: --called \"alice\" contains \"a\"") != std::string::npos);
        auto r2 = s.csctl({"route", "inbound", "--gateway", "sbc9.contoso.com", "--called", "+14255550100", "--calling",
                           "+13125550100", "-o", "json"});
        CHECK(r2.code == 3);
        CHECK(json::parse(r2.err)["error"]["code"] == 3);
    }
    CHECK(s.export_json() == before);
}

TEST_CASE("translation rules on a gateway: Microsoft's SBC example end to end")
{
    Sandbox s;
    build_worked_example(s);
    ok(s, {"translation-rule", "new", "AddPlus1", "--pattern", R"(^(\d{10})$)", "--translation", "+1$1"});
    ok(s, {"translation-rule", "new", "AddE164SeattleAreaCode", "--pattern", R"(^(\d{4})$)", "--translation", "+1206555$1"});
    ok(s, {"translation-rule", "new", "AddSeattleAreaCode", "--pattern", R"(^(\d{4})$)", "--translation", "425555$1"});
    ok(s, {"translation-rule", "new", "StripPlus1", "--pattern", R"(^\+1(\d{10})$)", "--translation", "$1"});
    ok(s, {"online-pstn-gateway", "set", "sbc1.contoso.com", "--outbound-pstn-number-translation-rules",
           "AddSeattleAreaCode,StripPlus1", "--outbound-teams-number-translation-rules", "StripPlus1",
           "--inbound-teams-number-translation-rules", "AddPlus1,AddE164SeattleAreaCode",
           "--inbound-pstn-number-translation-rules", "AddPlus1"});

    SUBCASE("inbound to a US number and to an extension") {
        auto r = s.csctl({"route", "inbound", "--gateway", "sbc1.contoso.com", "--called", "4255550100", "--calling",
                          "2065550100", "-o", "json"});
        REQUIRE(r.code == 0);
        auto j = json::parse(r.out);
        CHECK(j["gateway"] == "sbc1.contoso.com");
        CHECK(j["calledNumber"] == "+14255550100");
        CHECK(j["calledTranslationRule"] == "AddPlus1");
        CHECK(j["callingNumber"] == "+12065550100");
        CHECK(j["callingTranslationRule"] == "AddPlus1");
        CHECK(j["blocked"] == false);
        CHECK(j["user"].is_null());
        CHECK(j["outcome"] == "unassigned");
        auto ext = json::parse(s.csctl({"route", "inbound", "--gateway", "sbc1.contoso.com", "--called", "0100",
                                        "--calling", "4255550100", "-o", "json"}).out);
        CHECK(ext["calledNumber"] == "+12065550100");
        CHECK(ext["calledTranslationRule"] == "AddE164SeattleAreaCode");
    }
    SUBCASE("outbound to a US number: To and From lose the +1 on sbc1") {
        auto r = route_test(s, {"--policy", "US Only", "--number", "+12065550100", "--calling", "+14255550100"});
        bool seen = false;
        for (const auto& g : r["routes"][0]["gateways"])
            if (g["fqdn"] == "sbc1.contoso.com") {
                seen = true;
                CHECK(g["calledNumber"] == "2065550100");
                CHECK(g["callingNumber"] == "4255550100");
                CHECK(g["calledTranslationRule"] == "StripPlus1");
            }
        CHECK(seen);
    }
    SUBCASE("route check expects the numbers as the placing gateway sends them") {
        s.write("cases.yaml", R"(- name: via sbc1
  policy: US Only
  number: "+12065550100"
  calling: "+14255550100"
  unavailable: sbc2.contoso.com
  expect: {route: Redmond 1, calledNumber: "2065550100", callingNumber: "4255550100"}
- name: via sbc3 (no rules)
  policy: US Only
  number: "+12065550100"
  unavailable: [sbc1.contoso.com, sbc2.contoso.com]
  expect: {route: Redmond 2, calledNumber: "+12065550100"}
)");
        auto r = s.csctl({"route", "check", "-f", "cases.yaml"});
        CHECK_MESSAGE(r.code == 0, r.out);
        CHECK(r.out == "2 passed, 0 failed\n");
    }
    SUBCASE("outbound to an extension: translation-rule test with the gateway's list") {
        auto r = s.csctl({"translation-rule", "test", "--number", "0100", "--rule", "AddSeattleAreaCode,StripPlus1", "-o", "json"});
        REQUIRE(r.code == 0);
        auto j = json::parse(r.out);
        CHECK(j["translatedNumber"] == "4255550100");
        CHECK(j["translationRule"] == "AddSeattleAreaCode");
    }
    SUBCASE("a referenced rule cannot be removed; an unknown one cannot be listed") {
        auto before = s.export_json();
        auto r = s.csctl({"translation-rule", "remove", "StripPlus1", "--yes"});
        CHECK(r.code == 4);
        CHECK(r.err.find("is still used by online pstn gateway \"sbc1.contoso.com (OutboundPstnNumberTranslationRules)\"") !=
              std::string::npos);
        r = s.csctl({"online-pstn-gateway", "set", "sbc2.contoso.com", "--add-inbound-pstn-number-translation-rule", "Nope"});
        CHECK(r.code == 2);
        CHECK(r.err.find("InboundPstnNumberTranslationRules names translation rule \"Nope\", which does not exist") !=
              std::string::npos);
        r = s.csctl({"translation-rule", "new", "Broken", "--pattern", "^(1", "--translation", "2"});
        CHECK(r.code == 2);
        CHECK(r.err.find("does not compile at position 4") != std::string::npos);
        CHECK(s.export_json() == before);
    }
    SUBCASE("an empty value clears a list; -o yaml prints the same document") {
        ok(s, {"online-pstn-gateway", "set", "sbc1.contoso.com", "--inbound-pstn-number-translation-rules", ""});
        auto g = json::parse(s.csctl({"online-pstn-gateway", "get", "sbc1.contoso.com", "-o", "json"}).out);
        CHECK(g[0]["inboundPstnNumberTranslationRules"].empty());
        auto y = s.csctl({"route", "inbound", "--gateway", "sbc1.contoso.com", "--called", "4255550100", "--calling",
                          "2065550100", "-o", "yaml"});
        REQUIRE(y.code == 0);
        CHECK(y.out.find("calledNumber: \"+14255550100\"") != std::string::npos);
        CHECK(y.out.find("callingNumber: \"2065550100\"") != std::string::npos);  // untranslated, quoted as text
    }
    SUBCASE("--remove- modifiers and undo") {
        ok(s, {"online-pstn-gateway", "set", "sbc1.contoso.com", "--remove-outbound-pstn-number-translation-rule", "StripPlus1"});
        auto g = json::parse(s.csctl({"online-pstn-gateway", "get", "sbc1.contoso.com", "-o", "json"}).out);
        CHECK(g[0]["outboundPstnNumberTranslationRules"] == json({"AddSeattleAreaCode"}));
        ok(s, {"undo"});
        g = json::parse(s.csctl({"online-pstn-gateway", "get", "sbc1.contoso.com", "-o", "json"}).out);
        CHECK(g[0]["outboundPstnNumberTranslationRules"] == json({"AddSeattleAreaCode", "StripPlus1"}));
    }
}

TEST_CASE("dial plans and normalization rules from the command line")
{
    Sandbox s;
    build_worked_example(s);
    ok(s, {"dial-plan", "new", "Redmond", "--description", "Redmond site"});
    ok(s, {"normalization-rule", "new", "4digitExtension", "--dial-plan", "Redmond", "--pattern", R"(^(\d{4})$)",
           "--translation", "+1425555$1", "--is-internal-extension"});
    ok(s, {"normalization-rule", "new", "Redmond/5digitExtension", "--pattern", R"(^5(\d{4})$)", "--translation",
           "+1425555$1", "--position", "0"});
    ok(s, {"normalization-rule", "new", "RedmondOperator", "--dial-plan", "Redmond", "--pattern", "^0$", "--translation",
           "+14255550100"});
    auto plans = json::parse(s.csctl({"dial-plan", "get", "Redmond", "-o", "json"}).out);
    REQUIRE(plans.size() == 1);
    CHECK(plans[0]["identity"] == "Tag:Redmond");
    CHECK(plans[0]["normalizationRules"][0]["name"] == "5digitExtension");
    CHECK(plans[0]["normalizationRules"][1]["isInternalExtension"] == true);

    auto test = json::parse(s.csctl({"dial-plan", "test", "Redmond", "--number", "51234", "-o", "json"}).out);
    CHECK(test["normalizedNumber"] == "+14255551234");
    CHECK(test["normalizationRule"] == "5digitExtension");
    auto rule = json::parse(
        s.csctl({"normalization-rule", "test", "RedmondOperator", "--dial-plan", "Redmond", "--number", "0", "-o", "json"}).out);
    CHECK(rule["normalizedNumber"] == "+14255550100");

    auto routed = route_test(s, {"--policy", "US Only", "--dial-plan", "Redmond", "--number", "1234"});
    CHECK(routed["normalizedNumber"] == "+14255551234");
    CHECK(routed["normalizationRule"] == "4digitExtension");
    CHECK(routed["dialPlan"] == "Tag:Redmond");
    CHECK(routed["firstRoute"] == "Redmond 1");

    SUBCASE("the tenant default dial plan applies without --dial-plan") {
        ok(s, {"dial-plan", "grant", "Redmond", "--global", "--yes"});
        CHECK(route_test(s, {"--policy", "US Only", "--number", "0"})["normalizedNumber"] == "+14255550100");
        auto r = s.csctl({"dial-plan", "remove", "Redmond", "--yes"});
        CHECK(r.code == 4);
    }
    SUBCASE("a rule list over its limit is refused and nothing changes") {
        for (int i = 3; i < 50; ++i)
            ok(s, {"normalization-rule", "new", "r" + std::to_string(i), "--dial-plan", "Redmond"});
        auto before = s.export_json();
        auto r = s.csctl({"normalization-rule", "new", "r50", "--dial-plan", "Redmond"});
        CHECK(r.code == 2);
        CHECK(r.err == "csctl: error: tenant dial plan \"Redmond\": NormalizationRules has 51 rules; a dial plan holds at "
                       "most 50 (remove one with `csctl normalization-rule remove NAME --dial-plan Redmond`)\n");
        CHECK(s.export_json() == before);
    }
    SUBCASE("unknown objects") {
        auto before = s.export_json();
        auto r = s.csctl({"normalization-rule", "new", "x", "--dial-plan", "Nowhere"});
        CHECK(r.code == 3);
        CHECK(r.err == "csctl: error: tenant dial plan \"Nowhere\" does not exist (list them with `csctl dial-plan get`)\n");
        r = s.csctl({"normalization-rule", "remove", "nope", "--dial-plan", "Redmond"});
        CHECK(r.code == 3);
        r = s.csctl({"route", "test", "--number", "1234", "--dial-plan", "Nowhere"});
        CHECK(r.code == 3);
        r = s.csctl({"normalization-rule", "new", "x"});
        CHECK(r.code == 2);
        CHECK(r.err.find("say which dial plan holds it (--dial-plan NAME)") != std::string::npos);
        CHECK(s.export_json() == before);
    }
    SUBCASE("--dry-run changes nothing") {
        auto before = s.export_json();
        auto r = s.csctl({"normalization-rule", "remove", "RedmondOperator", "--dial-plan", "Redmond", "--dry-run"});
        CHECK(r.code == 0);
        CHECK(r.out.find("update tenant dial plan \"Tag:Redmond\"") != std::string::npos);
        CHECK(s.export_json() == before);
    }
}

TEST_CASE("blocked and exempt numbers: Microsoft's example and the tenant switch")
{
    Sandbox s;
    build_worked_example(s);
    ok(s, {"blocked-number", "new", "BlockRange1", "--pattern", R"(^\+?1312555\d{4}$)"});
    ok(s, {"exempt-number", "new", "AllowContoso1", "--pattern", R"(^\+?1312555888[2|3]$)"});
    auto test = [&](const std::string& number) {
        auto r = s.csctl({"blocked-number", "test", "--number", number, "-o", "json"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        return json::parse(r.out);
    };
    CHECK(test("13125558884")["outcome"] == "blocked");
    CHECK(test("13125558884")["blockedBy"] == "BlockRange1");
    CHECK(test("13125558883")["outcome"] == "allowed");
    CHECK(test("13125558883")["exemptedBy"] == "AllowContoso1");
    auto in = json::parse(s.csctl({"route", "inbound", "--gateway", "sbc1.contoso.com", "--called", "+14255550100",
                                   "--calling", "+1 312 555 8884", "-o", "json"}).out);
    CHECK(in["blocked"] == true);
    CHECK(in["blockedBy"] == "BlockRange1");
    CHECK(in["outcome"] == "blocked");
    ok(s, {"blocked-number", "disable"});
    CHECK(test("13125558884")["outcome"] == "allowed");
    ok(s, {"blocked-number", "enable"});
    ok(s, {"blocked-number", "set", "BlockRange1", "--resource-account", "11111111-2222-3333-4444-555555555555"});
    CHECK(test("13125558884")["outcome"] == "redirected");
    auto before = s.export_json();
    auto r = s.csctl({"exempt-number", "new", "Bad", "--pattern", "[0-9"});
    CHECK(r.code == 2);
    r = s.csctl({"blocked-number", "get", "Nope"});
    CHECK(r.code == 3);
    CHECK(s.export_json() == before);
}

TEST_CASE("route check runs saved expectations")
{
    Sandbox s;
    build_worked_example(s);
    s.write("cases.yaml", R"(cases:
  - name: Spencer dials Redmond
    policy: US Only
    number: "+1 425 555 0100"
    expect:
      outcome: routed
      usage: US and Canada
      route: Redmond 1
      routes: [Redmond 1, Redmond 2, Other +1]
      gateways: [sbc2.contoso.com, sbc1.contoso.com]
      normalizedNumber: "+14255550100"
  - name: Redmond down
    policy: US Only
    number: "+14255550100"
    unavailable: [sbc1.contoso.com, sbc2.contoso.com]
    expect: {route: Redmond 2, gateways: [sbc3.contoso.com, sbc4.contoso.com]}
  - name: Spencer abroad
    policy: US Only
    number: "+442079460000"
    expect: {outcome: dropped}
  - name: inbound
    inbound: {gateway: sbc1.contoso.com, called: "+14255550100", calling: "+13125550100"}
    expect: {outcome: unassigned, blocked: false}
)");
    auto r = s.csctl({"route", "check", "-f", "cases.yaml"});
    CHECK_MESSAGE(r.code == 0, (r.out + r.err));
    CHECK(r.out == "4 passed, 0 failed\n");

    SUBCASE("a failing case is printed and the exit code is 2") {
        s.write("fail.yaml", R"(- name: wrong route
  policy: No Restrictions
  number: "+442079460000"
  expect:
    route: Redmond 1
    outcome: routed
)");
        auto f = s.csctl({"route", "check", "-f", "fail.yaml"});
        CHECK(f.code == 2);
        CHECK(f.out == "FAIL fail.yaml:1 \"wrong route\"\n    route: expected \"Redmond 1\", got International\n0 passed, 1 failed\n");
        CHECK(f.err == "csctl: error: route check: 1 of 1 cases failed\n");
    }
    SUBCASE("a syntax error names file, line and column") {
        s.write("broken.yaml", "cases:\n  - name: x\n    number: [unclosed\n");
        auto f = s.csctl({"route", "check", "-f", "broken.yaml"});
        CHECK(f.code == 2);
        CHECK(f.err.find("csctl: error: broken.yaml:4:1: ") == 0);
    }
    SUBCASE("an unknown key names its place") {
        s.write("typo.yaml", "- name: x\n  policy: US Only\n  numbr: \"+1\"\n  expect: {outcome: routed}\n");
        auto f = s.csctl({"route", "check", "-f", "typo.yaml"});
        CHECK(f.code == 2);
        CHECK(f.err.find("csctl: error: typo.yaml:3:3: \"x\": unknown key \"numbr\"") == 0);
    }
    SUBCASE("a missing file") {
        auto f = s.csctl({"route", "check", "-f", "nope.yaml"});
        CHECK(f.code == 3);
    }
}

TEST_CASE("export carries the new objects and undo reverts them")
{
    Sandbox s;
    build_worked_example(s);
    auto before = json::parse(s.export_json());
    CHECK(before["tenantDialPlans"][0]["identity"] == "Global");
    CHECK(before["teamsTranslationRules"].empty());
    CHECK(before["tenant"]["blockedCallingNumbersEnabled"] == true);
    ok(s, {"translation-rule", "new", "StripPlus1", "--pattern", R"(^\+1(\d{10})$)", "--translation", "$1"});
    auto after = json::parse(s.export_json());
    CHECK(after["teamsTranslationRules"][0]["identity"] == "StripPlus1");
    ok(s, {"undo"});
    CHECK(json::parse(s.export_json()) == before);
}
