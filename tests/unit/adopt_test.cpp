#include "cmd/document_text.hpp"
#include "core/adopt.hpp"
#include "core/error.hpp"
#include "core/model.hpp"
#include "core/plan.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

using namespace csctl;

namespace {

Json fixture(const std::string& name)
{
    std::ifstream in(std::string(CSCTL_SOURCE_DIR) + "/tests/fixtures/powershell/" + name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return parse_document_text(text.str(), name);
}

std::string error_of(const Json& input, const std::string& kind = {})
{
    try {
        adopt_document(input, {"f.json", kind});
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("adopt_document: csctl's schema keeps only the sections the file has")
{
    auto doc = adopt_document(Json::parse(R"({"onlinePstnUsages": ["A"],
        "onlineVoiceRoutes": [{"identity": "R", "numberPattern": "^1", "onlinePstnUsages": ["A"]}]})"),
                              {"f.json", ""});
    CHECK(doc.format == DocumentFormat::csctl);
    CHECK(doc.objects == 2);
    CHECK(doc.sections == std::vector<std::string>{"onlinePstnUsages", "onlineVoiceRoutes"});
    REQUIRE(doc.document.routes.size() == 1);
    // Read into the model: the fields the file leaves out hold their defaults.
    CHECK(doc.document.routes[0].priority == 0);
    CHECK(doc.document.routes[0].online_pstn_gateway_list.empty());
    CHECK(error_of(Json::parse(R"({"onlinePstnUsages": ["A", "B", "A"]})")).find("\"A\" is listed twice") !=
          std::string::npos);
    CHECK(error_of(Json::parse(R"({"users": [{"userPrincipalName": "a@contoso.com"},
        {"userPrincipalName": "A@contoso.com"}]})")) ==
          "f.json: user \"A@contoso.com\" is listed twice (users items 1 and 2)");
    CHECK(error_of(Json::parse(R"({"schemaVersion": 2})")).find("schemaVersion 2") != std::string::npos);
}

TEST_CASE("adopt_document: PowerShell dial plans at -Depth 5 and at the default depth read the same")
{
    auto deep = adopt_document(fixture("dial-plans-depth5.json"), {"d5.json", ""});
    auto shallow = adopt_document(fixture("dial-plan-depth2.json"), {"d2.json", ""});
    CHECK(deep.format == DocumentFormat::powershell);
    REQUIRE(deep.document.dial_plans.size() == 2);
    auto redmond = to_json(deep.document.dial_plans[1]);
    CHECK(redmond["identity"] == "Tag:Redmond");
    REQUIRE(redmond["normalizationRules"].size() == 2);
    // Ordered by Priority, not by the order printed.
    CHECK(redmond["normalizationRules"][0]["name"] == "5digitExtension");
    CHECK(redmond["normalizationRules"][1]["name"] == "4digitExtension");
    CHECK(redmond["normalizationRules"][1]["isInternalExtension"] == true);
    REQUIRE(shallow.document.dial_plans.size() == 1);
    CHECK(to_json(shallow.document.dial_plans[0]) == redmond);
}

TEST_CASE("adopt_document: PowerShell users")
{
    auto doc = adopt_document(fixture("users.json"), {"u.json", ""});
    REQUIRE(doc.document.users.size() == 2);
    CHECK(doc.sections == std::vector<std::string>{"users"});
    auto spencer = to_json(doc.document.users[0]);
    CHECK(spencer["userPrincipalName"] == "spencer@contoso.com");
    CHECK(spencer["objectId"] == "2f1fb2a2-9c0e-4bd4-9d5b-5c6c1f0a6e11");
    CHECK(spencer["licenses"] == Json{"PhoneSystem"});
    CHECK(spencer["phoneNumber"] == "+14255388797");
    CHECK(spencer["phoneNumberType"] == "DirectRouting");
    CHECK(spencer["onlineVoiceRoutingPolicy"] == "US Only");
    CHECK(spencer["homed"] == "online");
    auto olga = to_json(doc.document.users[1]);
    CHECK(olga["phoneNumber"].is_null());
    CHECK(olga["licenses"] == Json::array());
}

TEST_CASE("adopt_document: PowerShell objects that cannot be mapped")
{
    CHECK(error_of(Json::parse(R"({"Identity": "A", "Pattern": "^1"})")).find("--kind blocked-number") !=
          std::string::npos);
    CHECK(adopt_document(Json::parse(R"({"Identity": "A", "Pattern": "^1"})"), {"f.json", "inboundExemptNumberPatterns"})
              .has("inboundExemptNumberPatterns"));
    CHECK(error_of(Json::parse(R"([{"Identity": "sbc1.contoso.com", "Fqdn": "sbc1.contoso.com", "BypassMode": 7}])")) ==
          "f.json: object 1 (online pstn gateway \"sbc1.contoso.com\"): property \"BypassMode\" must be None, Always or "
          "OnlyForLocalUsers, not 7");
    CHECK(error_of(Json::parse(R"({"Identity": "Tag:X", "NormalizationRules": ["System.Object"]})")).find(
              "ConvertTo-Json -Depth 5") != std::string::npos);
    CHECK(error_of(Json::parse(R"([{"Identity": "R", "NumberPattern": "^1"}, {"Identity": "r", "NumberPattern": "^2"}])"))
              .find("voice route \"r\" is in the file twice") != std::string::npos);
    CHECK(error_of(Json::parse("[1, 2]")).find("f.json: object 1 is 1") != std::string::npos);
    CHECK(error_of(Json::parse("42")).find("expected a tenant document") != std::string::npos);
}

TEST_CASE("parse_document_text: syntax errors name line and column")
{
    auto message = [](const std::string& text) {
        try {
            parse_document_text(text, "t");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    CHECK(message("{\n  \"a\": [1,\n  2,,]\n}").find("t:3:5: JSON syntax error") == 0);
    CHECK(message("a: [1, 2\nb: 3\n").find("t:") == 0);
    CHECK(message(std::string(100, '[')).find("nested deeper than 64 levels") != std::string::npos);
    CHECK(parse_document_text("\xEF\xBB\xBF{\"a\": 1}", "t") == Json{{"a", 1}});
}

TEST_CASE("merged_document: add, update and prune")
{
    auto current = document_from_json(Json::parse(R"({"onlinePstnUsages": ["A", "B"],
        "onlineVoiceRoutingPolicies": [{"identity": "Global", "onlinePstnUsages": [], "description": ""},
                                       {"identity": "Tag:Old", "onlinePstnUsages": ["A"], "description": ""}]})"));
    auto file = adopt_document(Json::parse(R"({"onlinePstnUsages": ["C", "A"],
        "onlineVoiceRoutingPolicies": [{"identity": "Tag:New", "onlinePstnUsages": ["C"]}]})"),
                               {"f", ""});
    auto update = to_json(merged_document(current, file, MergeMode::update));
    CHECK(update["onlinePstnUsages"] == Json{"A", "B", "C"});
    CHECK(update["onlineVoiceRoutingPolicies"].size() == 3);
    auto prune = to_json(merged_document(current, file, MergeMode::prune));
    CHECK(prune["onlinePstnUsages"] == Json{"C", "A"});
    // Global is built in: kept although the file does not list it.
    REQUIRE(prune["onlineVoiceRoutingPolicies"].size() == 2);
    CHECK(prune["onlineVoiceRoutingPolicies"][0]["identity"] == "Global");
    CHECK(prune["onlineVoiceRoutingPolicies"][1]["identity"] == "Tag:New");
}

TEST_CASE("adoption_plan is the plan to merged_document, and gives the file's objects back")
{
    auto current = document_from_json(Json::parse(R"({"tenant": {"name": "t", "domains": ["a.com"]},
        "onlinePstnUsages": ["A", "B"],
        "onlinePstnGateways": [{"identity": "sbc1.a.com"}, {"identity": "sbc2.a.com", "enabled": false}],
        "onlineVoiceRoutes": [{"identity": "Global", "numberPattern": "^1", "onlinePstnUsages": ["A"]},
                              {"identity": "Kept", "numberPattern": "^2", "onlinePstnUsages": ["B"]}],
        "onlineVoiceRoutingPolicies": [{"identity": "Global", "onlinePstnUsages": ["A"]},
                                       {"identity": "Tag:Old", "onlinePstnUsages": ["A"]}],
        "users": [{"userPrincipalName": "a@a.com", "displayName": "A"}, {"userPrincipalName": "b@a.com"}]})"));
    auto file = adopt_document(Json::parse(R"({"tenant": {"domains": ["b.com"]}, "onlinePstnUsages": ["C", "A"],
        "onlinePstnGateways": [{"identity": "SBC2.a.com"}, {"identity": "sbc3.a.com"}],
        "onlineVoiceRoutes": [{"identity": "New", "numberPattern": "^3", "onlinePstnUsages": ["C"]}],
        "onlineVoiceRoutingPolicies": [{"identity": "Tag:New", "onlinePstnUsages": ["C"]}],
        "users": [{"userPrincipalName": "B@a.com", "displayName": "B"}, {"userPrincipalName": "c@a.com"}]})"),
                               {"f", ""});
    const auto before = to_json(file.document);
    for (auto mode : {MergeMode::add, MergeMode::update, MergeMode::prune}) {
        CAPTURE(static_cast<int>(mode));
        auto expected = plan_json(make_plan(current, merged_document(current, file, mode)));
        CHECK(plan_json(adoption_plan(current, file, mode)) == expected);
        CHECK(to_json(file.document) == before);
    }
    // With prune the route named Global goes and so does Tag:Old; the built-in Global policy stays.
    std::set<std::string> deleted;
    for (const auto& op : adoption_plan(current, file, MergeMode::prune))
        if (op.action == "delete")
            deleted.insert(op.kind + " " + op.identity);
    CHECK(deleted == std::set<std::string>{std::string(kind::voice_route) + " Global", std::string(kind::voice_route) + " Kept",
                                           std::string(kind::voice_routing_policy) + " Tag:Old",
                                           std::string(kind::gateway) + " sbc1.a.com", std::string(kind::user) + " a@a.com"});
}

namespace {

// The document the general path (text → tree → model) reads.
AdoptedDocument by_tree(const std::string& text)
{
    return adopt_document(parse_document_text(text, "f.json"), {"f.json", ""});
}

bool same(const AdoptedDocument& a, const AdoptedDocument& b)
{
    return a.format == b.format && to_json(a.document) == to_json(b.document) && a.sections == b.sections &&
           a.objects == b.objects;
}

}  // namespace

TEST_CASE("adopt_csctl_json_text reads a csctl JSON document exactly as the tree does")
{
    const std::string text = "\xEF\xBB\xBF"
                             R"( {"schemaVersion": 1, "tenant": {"domains": ["contoso.com"]},
        "onlinePstnUsages": ["US and Canada", "Intl"],
        "onlinePstnGateways": [{"identity": "sbc1.contoso.com", "sipSignalingPort": 5067, "enabled": false,
            "failoverResponseCodes": "408,503", "maxConcurrentSessions": null}],
        "onlineVoiceRoutes": [{"identity": "R\u00e9\"1\"", "numberPattern": "^\\+1(\\d{10})$", "priority": 2,
            "onlinePstnUsages": ["US and Canada"], "onlinePstnGatewayList": ["sbc1.contoso.com"]}],
        "onlineVoiceRoutingPolicies": [{"identity": "Tag:US", "onlinePstnUsages": ["US and Canada"]}],
        "tenantDialPlans": [{"identity": "Tag:DP", "normalizationRules": [{"name": "x", "pattern": "^(\\d{4})$",
            "translation": "+1425555$1", "isInternalExtension": true}]}],
        "groups": [{"name": "G", "onlineVoiceRoutingPolicy": "US", "onlineVoiceRoutingPolicyRank": 1}],
        "inboundBlockedNumberPatterns": [{"identity": "B", "pattern": "^\\+1900", "enabled": true}],
        "users": [{"userPrincipalName": "a@contoso.com", "licenses": ["PhoneSystem"], "groups": ["G"],
                   "enterpriseVoiceEnabled": true, "phoneNumber": "+14255550100", "tenantDialPlan": null},
                  {"displayName": "B", "userPrincipalName": "b@contoso.com"}],
        "teamsTranslationRules": null} )";
    auto fast = adopt_csctl_json_text(text, {"f.json", ""});
    REQUIRE(fast);
    CHECK(same(*fast, by_tree(text)));
    CHECK(fast->document.routes.at(0).identity == "R\xC3\xA9\"1\"");
    CHECK(fast->document.gateways.at(0).failover_response_codes == std::vector<int>{408, 503});
    CHECK(fast->document.users.at(1).sip_address == "sip:b@contoso.com");
    CHECK(fast->sections.size() == 9);  // the null section is not the file's
}

TEST_CASE("adopt_csctl_json_text leaves everything else to the tree's reader and its messages")
{
    auto fast = [](const std::string& text) { return adopt_csctl_json_text(text, {"f.json", ""}).has_value(); };
    CHECK_FALSE(fast("onlinePstnUsages: [A]\n"));  // YAML
    CHECK_FALSE(fast(R"([{"Identity": "sbc1.contoso.com", "SipSignalingPort": 5061}])"));  // PowerShell
    CHECK_FALSE(fast(R"({"Identity": "sbc1.contoso.com"})"));
    CHECK_FALSE(fast(R"({"schemaVersion": 2})"));
    CHECK_FALSE(fast(R"({"schemaVersion": "1"})"));
    CHECK_FALSE(fast(R"({"onlinePstnUsages": ["A"],})"));  // a syntax error
    CHECK_FALSE(fast(R"({"users": [{"userPrincipalName": "a@x.com", "displayNam": "A"}]})"));
    CHECK_FALSE(fast(R"({"onlineVoiceRoutes": [{"identity": "R", "priority": 1.5}]})"));
    CHECK_FALSE(fast(R"({"onlineVoiceRoutes": [{"identity": "R", "priority": 99999999999999999999}]})"));
    CHECK_FALSE(fast(std::string(40, '[') + std::string(40, ']')));
    CHECK_FALSE(fast("{}"));
    // A key given twice: the tree keeps the last, whichever this reader would have read.
    const std::string twice = R"({"users": [{"userPrincipalName": "a@x.com", "displayName": "A",
                                             "usageLocation": "US", "displayName": "B"}]})";
    CHECK_FALSE(fast(twice));
    CHECK(by_tree(twice).document.users.at(0).display_name == "B");
    CHECK_FALSE(adopt_csctl_json_text(R"({"onlinePstnUsages": ["A"]})", {"f.json", "usage"}).has_value());
    // What both read, both refuse alike.
    const std::string listed_twice = R"({"onlinePstnGateways": [{"identity": "a.x.com"}, {"identity": "A.x.com"}]})";
    CHECK_THROWS_WITH_AS(adopt_csctl_json_text(listed_twice, {"f.json", ""}),
                         "f.json: online pstn gateway \"A.x.com\" is listed twice (onlinePstnGateways items 1 and 2)",
                         Error);
    CHECK_THROWS_WITH_AS(by_tree(listed_twice),
                         "f.json: online pstn gateway \"A.x.com\" is listed twice (onlinePstnGateways items 1 and 2)",
                         Error);
}

TEST_CASE("a gateway's identity is its FQDN: named by either, refused when they differ")
{
    auto doc = adopt_document(Json::parse(R"({"onlinePstnGateways": [{"fqdn": "sbc2.contoso.com"}]})"), {"f.json", ""});
    REQUIRE(doc.document.gateways.size() == 1);
    CHECK(doc.document.gateways[0].fqdn == "sbc2.contoso.com");
    CHECK(error_of(Json::parse(R"({"onlinePstnGateways": [{"identity": "sbc1.contoso.com", "fqdn": "sbc9.contoso.com"}]})")) ==
          "f.json: online pstn gateway \"sbc1.contoso.com\": fqdn \"sbc9.contoso.com\" differs from the identity it is "
          "given as");
    CHECK(error_of(Json::parse(R"({"onlinePstnGateways": [{"identity": "SBC1.contoso.com", "fqdn": "sbc1.contoso.com"}]})")) ==
          "(no error)");
    CHECK(error_of(Json::parse(R"({"onlinePstnGateways": [{"identity": "a.contoso.com"}, {"sipSignalingPort": 5061}]})")) ==
          "f.json: tenant document: onlinePstnGateways: object 2 has no \"identity\" (a string) to name it");
    CHECK(error_of(Json::parse(R"([{"Identity": "sbc1.contoso.com", "Fqdn": "sbc8.contoso.com"}])")) ==
          "f.json: object 1: Fqdn \"sbc8.contoso.com\" and Identity \"sbc1.contoso.com\" differ; a gateway's identity is "
          "its FQDN");
    // The direct reader of csctl JSON says the same (it leaves the message to the tree).
    CHECK_FALSE(adopt_csctl_json_text(R"({"onlinePstnGateways": [{"identity": "a.x.com", "fqdn": "b.x.com"}]})", {"f.json", ""})
                    .has_value());
    CHECK(adopt_csctl_json_text(R"({"onlinePstnGateways": [{"fqdn": "b.x.com"}]})", {"f.json", ""}).value().document.gateways.at(0).fqdn ==
          "b.x.com");
}
