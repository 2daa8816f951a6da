// -o table|json|yaml|csv|list, --filter, and the Global policy's rules.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace csctl::test;
using nlohmann::json;

TEST_CASE("output formats")
{
    Sandbox s;
    build_worked_example(s);
    SUBCASE("table has a header and one line per object in priority order") {
        auto r = s.csctl({"voice-route", "get"});
        CHECK(r.code == 0);
        CHECK(r.out.rfind("Priority  Identity", 0) == 0);
        CHECK(r.out.find("1         Redmond 1      ^\\+1(425|206)(\\d{7})$  US and Canada     sbc1.contoso.com, sbc2.contoso.com") !=
              std::string::npos);
    }
    SUBCASE("csv has the JSON keys as header and ;-joined lists") {
        auto r = s.csctl({"voice-route", "get", "Redmond 1", "-o", "csv"});
        CHECK(r.out == "identity,name,numberPattern,priority,onlinePstnUsages,onlinePstnGatewayList,bridgeSourcePhoneNumber,"
                       "description\nRedmond 1,Redmond 1,^\\+1(425|206)(\\d{7})$,1,US and Canada,sbc1.contoso.com;sbc2.contoso.com,,\n");
    }
    SUBCASE("list is the Format-List look") {
        auto r = s.csctl({"online-pstn-gateway", "get", "sbc1.contoso.com", "-o", "list"});
        // Names padded to the longest property (OutboundTeamsNumberTranslationRules, 35 characters).
        CHECK(r.out.find("\nFqdn" + std::string(31, ' ') + " : sbc1.contoso.com\n") != std::string::npos);
        CHECK(r.out.find("\nFailoverResponseCodes" + std::string(14, ' ') + " : 408, 503, 504\n") != std::string::npos);
    }
    SUBCASE("yaml reads back as the same data as json") {
        auto yaml = s.csctl({"voice-routing-policy", "get", "-o", "yaml"});
        CHECK(yaml.out.find("- identity: Global\n  onlinePstnUsages: []\n") != std::string::npos);
        CHECK(yaml.out.find("- identity: Tag:No Restrictions\n  onlinePstnUsages:\n    - US and Canada\n    - International\n") !=
              std::string::npos);
    }
    SUBCASE("json keys are the PowerShell property names in camelCase") {
        auto g = json::parse(s.csctl({"gateway", "get", "sbc1.contoso.com", "-o", "json"}).out);
        REQUIRE(g.is_array());
        for (const char* key : {"identity", "fqdn", "sipSignalingPort", "enabled", "sendSipOptions", "forwardCallHistory",
                                "forwardPai", "mediaBypass", "pidfLoSupported", "failoverTimeSeconds",
                                "failoverResponseCodes", "maxConcurrentSessions", "bypassMode", "ipAddressVersion",
                                "gatewaySiteId", "proxySbc", "mediaRelayRoutingLocationOverride", "description",
                                "inboundTeamsNumberTranslationRules", "outboundPstnNumberTranslationRules"})
            CHECK_MESSAGE(g[0].contains(key), key);
        CHECK(g[0]["maxConcurrentSessions"].is_null());
    }
    SUBCASE("--filter is a case-insensitive wildcard on the identity") {
        auto routes = json::parse(s.csctl({"voice-route", "get", "--filter", "REDMOND*", "-o", "json"}).out);
        CHECK(routes.size() == 2);
        auto gateways = json::parse(s.csctl({"gateway", "get", "--filter", "sbc?.contoso.com", "-o", "json"}).out);
        CHECK(gateways.size() == 6);
        auto none = json::parse(s.csctl({"gateway", "get", "--filter", "x*", "-o", "json"}).out);
        CHECK(none.empty());
        auto policies = json::parse(s.csctl({"voice-routing-policy", "get", "--filter", "tag:us*", "-o", "json"}).out);
        REQUIRE(policies.size() == 1);
        CHECK(policies[0]["identity"] == "Tag:US Only");
    }
}

TEST_CASE("Global policy: always there, editable, removing resets it, the tenant default grant")
{
    Sandbox s;
    build_worked_example(s);
    REQUIRE(s.csctl({"voice-routing-policy", "set", "global", "--usages", "US and Canada"}).code == 0);
    auto global = json::parse(s.csctl({"voice-routing-policy", "get", "Global", "-o", "json"}).out);
    CHECK(global[0]["onlinePstnUsages"] == json({"US and Canada"}));
    CHECK(s.csctl({"voice-routing-policy", "new", "Global"}).code == 4);
    REQUIRE(s.csctl({"voice-routing-policy", "remove", "Global", "--yes"}).code == 0);
    global = json::parse(s.csctl({"voice-routing-policy", "get", "Global", "-o", "json"}).out);
    CHECK(global[0]["onlinePstnUsages"].empty());

    auto r = s.csctl({"voice-routing-policy", "grant", "US Only", "--global"});
    CHECK(r.code == 2);  // needs confirmation
    REQUIRE(s.csctl({"voice-routing-policy", "grant", "US Only", "--global", "--yes"}).code == 0);
    CHECK(json::parse(s.export_json())["tenant"]["onlineVoiceRoutingPolicy"] == "US Only");
    auto before = s.export_json();
    r = s.csctl({"voice-routing-policy", "remove", "US Only", "--yes"});
    CHECK(r.code == 4);
    CHECK(r.err.find("is the tenant default") != std::string::npos);
    CHECK(s.export_json() == before);
    REQUIRE(s.csctl({"voice-routing-policy", "grant", "$null", "--global", "--yes"}).code == 0);
    CHECK(json::parse(s.export_json())["tenant"]["onlineVoiceRoutingPolicy"].is_null());
    REQUIRE(s.csctl({"voice-routing-policy", "remove", "Tag:US Only", "--yes"}).code == 0);
}

TEST_CASE("usages: add is idempotent, remove with --cascade detaches, replace keeps order")
{
    Sandbox s;
    build_worked_example(s);
    auto before = s.export_json();
    auto r = s.csctl({"usage", "add", "us and canada"});
    CHECK(r.code == 0);
    CHECK(r.err.find("unchanged") != std::string::npos);
    CHECK(s.export_json() == before);
    REQUIRE(s.csctl({"usage", "remove", "International", "--cascade", "--yes"}).code == 0);
    auto doc = json::parse(s.export_json());
    CHECK(doc["onlinePstnUsages"] == json({"US and Canada"}));
    CHECK(doc["onlineVoiceRoutes"][3]["onlinePstnUsages"].empty());
    CHECK(doc["onlineVoiceRoutingPolicies"][1]["onlinePstnUsages"] == json({"US and Canada"}));
    REQUIRE(s.csctl({"usage", "replace", "Emergency,US and Canada", "--yes"}).code == 0);
    CHECK(json::parse(s.export_json())["onlinePstnUsages"] == json({"Emergency", "US and Canada"}));
}
