#include "cmd/document_text.hpp"
#include "core/adopt.hpp"
#include "core/error.hpp"
#include "core/model.hpp"

#include <doctest/doctest.h>

#include <fstream>
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
