// export, import, apply -f, diff -f: the tenant as a document, and a document as desired state
// (csctl's own schema and PowerShell's ConvertTo-Json output).
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace csctl::test;
using nlohmann::json;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string fixture(const std::string& name)
{
    return std::string(CSCTL_SOURCE_DIR) + "/tests/fixtures/powershell/" + name;
}

// A second, empty tenant of the same name in another database: its export names it the same.
std::vector<std::string> other(const Sandbox& s, std::vector<std::string> args)
{
    args.insert(args.begin(), {"--db", s.file("other.db")});
    return args;
}

// One row per object of an export document: the tenant, the usage list, and each object.
std::size_t objects_in(const std::string& export_json)
{
    std::size_t n = 2;
    auto document = json::parse(export_json);
    for (auto it = document.begin(); it != document.end(); ++it)
        if (it->is_array() && it.key() != "onlinePstnUsages")
            n += it->size();
    return n;
}

// The worked example plus the other kinds of the document: dial plans, translation rules,
// blocked and exempt patterns, groups, users and their grants.
void build_full_tenant(const Sandbox& s)
{
    build_worked_example(s);
    auto ok = [&](const std::vector<std::string>& args) {
        auto r = s.csctl(args);
        REQUIRE_MESSAGE(r.code == 0, r.err);
    };
    ok({"tenant", "domain", "add", "fabrikam.com"});
    ok({"voice-routing-policy", "grant", "US Only", "--global", "--yes"});
    ok({"dial-plan", "new", "Redmond"});
    ok({"normalization-rule", "new", "5digitExtension", "--dial-plan", "Redmond", "--pattern", "^5(\\d{4})$",
        "--translation", "+1425555$1"});
    ok({"translation-rule", "new", "StripPlus1", "--pattern", "^\\+1(\\d{10})$", "--translation", "$1"});
    ok({"online-pstn-gateway", "set", "sbc1.contoso.com", "--outbound-pstn-number-translation-rules", "StripPlus1"});
    ok({"blocked-number", "new", "BlockRange1", "--pattern", "^\\+?1312555\\d{4}$"});
    ok({"exempt-number", "new", "AllowContoso1", "--pattern", "^\\+?1312555888[2|3]$"});
    ok({"group", "new", "sales"});
    ok({"user", "add", "spencer@contoso.com", "--display-name", "Spencer Low", "--usage-location", "US", "--license",
        "PhoneSystem", "--groups", "sales"});
    ok({"user", "add", "olga@contoso.com", "--license", "PhoneSystem", "--license", "CallingPlan"});
    ok({"user-enable", "spencer@contoso.com", "--number", "+14255388797", "--number-type", "DirectRouting"});
    ok({"voice-routing-policy", "grant", "No Restrictions", "--user", "olga@contoso.com"});
    ok({"voice-routing-policy", "grant", "US Only", "--group", "sales", "--rank", "1"});
    ok({"dial-plan", "grant", "Redmond", "--global", "--yes"});
}

}  // namespace

TEST_CASE("export, apply into an empty tenant, export: the same document")
{
    Sandbox s;
    build_full_tenant(s);
    auto full = s.export_json();
    CHECK(json::parse(full)["users"].size() == 2);
    for (const char* format : {"yaml", "json"}) {
        CAPTURE(format);
        auto file = s.file(std::string("contoso.") + format);
        REQUIRE(s.csctl({"export", "-f", file}).code == 0);
        Sandbox& t = s;
        REQUIRE(t.run({"rm", "-f", t.file("other.db")}).code == 0);
        REQUIRE(s.csctl(other(s, {"tenant", "init", "contoso"})).code == 0);
        auto applied = s.csctl(other(s, {"apply", "-f", file}));
        REQUIRE_MESSAGE(applied.code == 0, applied.err);
        CHECK(contains(applied.out, "create voice route \"Redmond 1\""));
        CHECK(contains(applied.err, "journal change"));
        auto again = s.csctl(other(s, {"export", "-o", "json"}));
        CHECK(again.out == s.export_json());

        // Applying it again changes nothing and says every object is unchanged.
        auto log_before = s.csctl(other(s, {"log", "-o", "json"})).out;
        auto second = s.csctl(other(s, {"apply", "-f", file, "-o", "json"}));
        REQUIRE_MESSAGE(second.code == 0, second.err);
        auto rows = json::parse(second.out);
        CHECK(rows.size() == objects_in(full));
        for (const auto& row : rows)
            CHECK(row["result"] == "unchanged");
        CHECK(contains(second.err, "already matches"));
        CHECK(s.csctl(other(s, {"log", "-o", "json"})).out == log_before);
        auto diff = s.csctl(other(s, {"diff", "-f", file, "--prune", "--detailed-exitcode"}));
        CHECK(diff.code == 0);
        CHECK(diff.out.empty());
    }
}

TEST_CASE("apply is one change: undo reverts it, --dry-run changes nothing")
{
    Sandbox s;
    build_worked_example(s);
    REQUIRE(s.csctl({"export", "-f", s.file("contoso.yaml")}).code == 0);
    REQUIRE(s.csctl(other(s, {"tenant", "init", "contoso"})).code == 0);
    auto empty = s.csctl(other(s, {"export", "-o", "json"})).out;

    auto dry = s.csctl(other(s, {"apply", "-f", s.file("contoso.yaml"), "--dry-run"}));
    REQUIRE_MESSAGE(dry.code == 0, dry.err);
    CHECK(contains(dry.out, "create online pstn gateway \"sbc1.contoso.com\""));
    CHECK(contains(dry.err, "dry run"));
    CHECK(s.csctl(other(s, {"export", "-o", "json"})).out == empty);

    auto diff = s.csctl(other(s, {"diff", "-f", s.file("contoso.yaml"), "--detailed-exitcode"}));
    CHECK(diff.code == 10);
    CHECK(contains(diff.out, "create voice routing policy \"Tag:US Only\""));

    auto entries = json::parse(s.csctl(other(s, {"log", "-o", "json"})).out).size();
    REQUIRE(s.csctl(other(s, {"apply", "-f", s.file("contoso.yaml")})).code == 0);
    auto log = json::parse(s.csctl(other(s, {"log", "-o", "json"})).out);
    REQUIRE(log.size() == entries + 1);  // one journal entry for the whole apply
    auto undo = s.csctl(other(s, {"undo", "--yes"}));
    REQUIRE_MESSAGE(undo.code == 0, undo.err);
    CHECK(s.csctl(other(s, {"export", "-o", "json"})).out == empty);
}

TEST_CASE("apply --prune deletes exactly the objects the file does not have")
{
    Sandbox s;
    build_worked_example(s);
    REQUIRE(s.csctl({"export", "-f", s.file("contoso.yaml")}).code == 0);
    auto original = s.export_json();
    REQUIRE(s.csctl({"usage", "add", "Extra"}).code == 0);
    REQUIRE(s.csctl({"online-pstn-gateway", "new", "sbc9.contoso.com", "--sip-signaling-port", "5061"}).code == 0);
    REQUIRE(s.csctl({"voice-route", "new", "Extra", "--number-pattern", "^\\+44", "--online-pstn-gateway-list",
                     "sbc9.contoso.com", "--online-pstn-usages", "Extra", "--priority", "9"})
                .code == 0);
    REQUIRE(s.csctl({"voice-routing-policy", "new", "Extra", "--online-pstn-usages", "Extra"}).code == 0);
    REQUIRE(s.csctl({"online-pstn-gateway", "set", "sbc1.contoso.com", "--enabled=false"}).code == 0);
    auto changed = s.export_json();

    SUBCASE("without --prune the extra objects stay and changed ones are put back") {
        auto r = s.csctl({"apply", "-f", s.file("contoso.yaml"), "-o", "json"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        auto rows = json::parse(r.out);
        REQUIRE(rows.size() == objects_in(original));
        CHECK(rows[0]["result"] == "updated");
        CHECK(rows[0]["identity"] == "sbc1.contoso.com");
        CHECK(rows[0]["fields"] == json({"enabled"}));
        auto now = json::parse(s.export_json());
        CHECK(now["onlinePstnGateways"].size() == 7);
        CHECK(now["onlinePstnGateways"][0]["enabled"] == true);
        CHECK(now["onlinePstnUsages"] == json({"US and Canada", "International", "Extra"}));
    }
    SUBCASE("--prune without --yes and without a terminal refuses and changes nothing") {
        auto r = s.csctl({"apply", "-f", s.file("contoso.yaml"), "--prune"});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "deletes 3 object(s)"));
        CHECK(contains(r.err, "--yes"));
        CHECK(s.export_json() == changed);
    }
    SUBCASE("--prune --yes") {
        auto diff = s.csctl({"diff", "-f", s.file("contoso.yaml"), "--prune"});
        CHECK(contains(diff.out, "delete voice route \"Extra\""));
        CHECK(contains(diff.out, "delete online pstn gateway \"sbc9.contoso.com\""));
        auto r = s.csctl({"apply", "-f", s.file("contoso.yaml"), "--prune", "--yes"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        CHECK(contains(r.err, "2 updated, 3 deleted"));
        CHECK(s.export_json() == original);
    }
}

TEST_CASE("a bad document changes nothing and says where and what")
{
    Sandbox s;
    build_worked_example(s);
    auto before = s.export_json();
    REQUIRE(s.csctl({"export", "-f", s.file("good.yaml")}).code == 0);
    std::ifstream in(s.file("good.yaml"));
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string good = buffer.str();
    auto replaced = [&](const std::string& from, const std::string& to) {
        auto text = good;
        auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    // Reading errors stop apply, import and diff alike; a value only the validation of the change
    // refuses stops apply (diff does not validate values; import first finds the difference).
    auto rejects = [&](const std::string& text, int code, const std::vector<std::string>& parts,
                       const std::string& name = "bad.yaml", bool read_error = true) {
        s.write(name, text);
        std::vector<std::string> commands{"apply"};
        if (read_error)
            commands = {"apply", "import", "diff"};
        for (const auto& command : commands) {
            CAPTURE(command);
            auto r = s.csctl({command, "-f", s.file(name)});
            CHECK(r.code == code);
            for (const auto& part : parts)
                CHECK_MESSAGE(contains(r.err, part), r.err);
        }
        CHECK(s.export_json() == before);
    };

    SUBCASE("YAML syntax error with line and column") {
        rejects("onlinePstnUsages:\n  - a\n  - [b\nfoo: }\n", 2, {"bad.yaml:", ":"});
        auto r = s.csctl({"apply", "-f", s.file("bad.yaml")});
        CHECK(contains(r.err, "bad.yaml:4:"));
    }
    SUBCASE("JSON syntax error with line and column") {
        rejects("{\n  \"onlinePstnUsages\": [\"a\",\n  \"b\" \"c\"]\n}\n", 2, {"bad.json:3:", "JSON syntax error", "unexpected string literal"},
                "bad.json");
    }
    SUBCASE("an unknown section") {
        rejects(replaced("onlineVoiceRoutes:", "onlineVoiceRoutez:"), 2, {"unknown field \"onlineVoiceRoutez\""});
    }
    SUBCASE("an invalid field value names the object and field") {
        rejects(replaced("sipSignalingPort: 5061", "sipSignalingPort: 70000"), 2,
                {"online pstn gateway \"sbc1.contoso.com\"", "SipSignalingPort"}, "bad.yaml", false);
    }
    SUBCASE("a field of the wrong type") {
        rejects(replaced("sipSignalingPort: 5061", "sipSignalingPort: five"), 2,
                {"online pstn gateway \"sbc1.contoso.com\"", "sipSignalingPort"});
    }
    SUBCASE("a dangling reference") {
        auto text = replaced("- sbc1.contoso.com\n", "- sbc7.contoso.com\n");
        s.write("dangling.yaml", text);
        auto r = s.csctl({"apply", "-f", s.file("dangling.yaml")});
        CHECK(r.code == 2);
        CHECK_MESSAGE(contains(r.err, "sbc7.contoso.com"), r.err);
        CHECK(contains(r.err, "voice route \"Redmond 1\""));
        CHECK(contains(r.err, "nothing was changed"));
        CHECK(s.export_json() == before);
    }
    SUBCASE("an object listed twice") {
        rejects("onlinePstnGateways:\n  - identity: a.contoso.com\n    sipSignalingPort: 5061\n"
                "  - identity: A.contoso.com\n    sipSignalingPort: 5062\n",
                2, {"online pstn gateway \"A.contoso.com\" is listed twice"});
    }
    SUBCASE("a file that does not exist") {
        auto r = s.csctl({"apply", "-f", s.file("missing.yaml")});
        CHECK(r.code == 3);
        CHECK(contains(r.err, "missing.yaml"));
    }
    SUBCASE("an empty file") { rejects("\n\n", 2, {"empty"}); }
}

TEST_CASE("import adds objects and never overwrites")
{
    Sandbox s;
    build_worked_example(s);
    REQUIRE(s.csctl({"export", "-f", s.file("contoso.json")}).code == 0);
    REQUIRE(s.csctl(other(s, {"tenant", "init", "contoso"})).code == 0);
    auto r = s.csctl(other(s, {"import", "-f", s.file("contoso.json")}));
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(s.csctl(other(s, {"export", "-o", "json"})).out == s.export_json());
    CHECK(contains(s.csctl(other(s, {"import", "-f", s.file("contoso.json")})).err, "already matches"));

    REQUIRE(s.csctl(other(s, {"online-pstn-gateway", "set", "sbc2.contoso.com", "--sip-signaling-port", "5067"})).code == 0);
    auto before = s.csctl(other(s, {"export", "-o", "json"})).out;
    auto conflict = s.csctl(other(s, {"import", "-f", s.file("contoso.json")}));
    CHECK(conflict.code == 4);
    CHECK(contains(conflict.err, "online pstn gateway \"sbc2.contoso.com\" already exists and differs"));
    CHECK(contains(conflict.err, "sipSignalingPort: 5067 -> 5061"));
    CHECK(contains(conflict.err, "csctl apply -f"));
    CHECK(s.csctl(other(s, {"export", "-o", "json"})).out == before);
}

TEST_CASE("PowerShell ConvertTo-Json output is adopted")
{
    Sandbox s;
    REQUIRE(s.csctl({"tenant", "init", "contoso", "--domain", "contoso.com"}).code == 0);
    for (const char* name : {"translation-rules.json", "usage.json", "gateways.json", "routes.json", "policies.json",
                             "dial-plans-depth5.json", "users.json"}) {
        CAPTURE(name);
        auto r = s.csctl({"apply", "-f", fixture(name)});
        REQUIRE_MESSAGE(r.code == 0, r.err);
    }
    auto doc = json::parse(s.export_json());
    CHECK(doc["onlinePstnUsages"] == json({"US and Canada", "International"}));
    REQUIRE(doc["onlinePstnGateways"].size() == 2);
    auto sbc2 = doc["onlinePstnGateways"][1];
    CHECK(sbc2["identity"] == "sbc2.contoso.com");
    CHECK(sbc2["sipSignalingPort"] == 5067);
    CHECK(sbc2["bypassMode"] == "Always");
    CHECK(sbc2["maxConcurrentSessions"] == 40);
    CHECK(sbc2["mediaBypass"] == true);
    CHECK(sbc2["failoverResponseCodes"] == json({408, 503, 504}));
    CHECK(doc["onlinePstnGateways"][0]["outboundPstnNumberTranslationRules"] == json({"StripPlus1"}));
    REQUIRE(doc["onlineVoiceRoutes"].size() == 2);
    CHECK(doc["onlineVoiceRoutes"][0]["identity"] == "Redmond 1");
    CHECK(doc["onlineVoiceRoutes"][0]["onlinePstnGatewayList"] == json({"sbc1.contoso.com", "sbc2.contoso.com"}));
    REQUIRE(doc["onlineVoiceRoutingPolicies"].size() == 3);
    CHECK(doc["onlineVoiceRoutingPolicies"][2]["identity"] == "Tag:US Only");
    CHECK(doc["teamsTranslationRules"][0]["translation"] == "+1$1");
    REQUIRE(doc["tenantDialPlans"].size() == 2);
    CHECK(doc["tenantDialPlans"][1]["normalizationRules"][0]["name"] == "5digitExtension");
    REQUIRE(doc["users"].size() == 2);
    CHECK(doc["users"][1]["userPrincipalName"] == "spencer@contoso.com");
    CHECK(doc["users"][1]["phoneNumber"] == "+14255388797");
    CHECK(doc["users"][1]["onlineVoiceRoutingPolicy"] == "US Only");
    // The same dial plan printed at the default depth (rules as text) is the same plan.
    auto shallow = s.csctl({"apply", "-f", fixture("dial-plan-depth2.json"), "-o", "json"});
    REQUIRE_MESSAGE(shallow.code == 0, shallow.err);
    CHECK(json::parse(shallow.out)[0]["result"] == "unchanged");

    // The same output again: everything unchanged.
    auto again = s.csctl({"apply", "-f", fixture("routes.json"), "-o", "json"});
    REQUIRE(again.code == 0);
    for (const auto& row : json::parse(again.out))
        CHECK(row["result"] == "unchanged");

    SUBCASE("blocked and exempt patterns need --kind") {
        auto r = s.csctl({"apply", "-f", fixture("blocked.json")});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "--kind blocked-number"));
        auto ok = s.csctl({"apply", "-f", fixture("blocked.json"), "--kind", "blocked-number"});
        REQUIRE_MESSAGE(ok.code == 0, ok.err);
        auto blocked = json::parse(s.export_json())["inboundBlockedNumberPatterns"];
        REQUIRE(blocked.size() == 1);
        CHECK(blocked[0]["pattern"] == "^\\+?1312555\\d{4}$");
    }
    SUBCASE("a list cut by ConvertTo-Json's default depth is refused with the fix") {
        auto before = s.export_json();
        auto r = s.csctl({"apply", "-f", fixture("bundle-depth2.json")});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "voice route \"Redmond 1\""));
        CHECK(contains(r.err, "property \"OnlinePstnUsages\""));
        CHECK(contains(r.err, "ConvertTo-Json -Depth 5"));
        CHECK(s.export_json() == before);
    }
    SUBCASE("an object of no known cmdlet") {
        s.write("odd.json", R"([{"Identity": "x", "Colour": "blue"}])");
        auto r = s.csctl({"apply", "-f", s.file("odd.json")});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "odd.json: object 1"));
        CHECK(contains(r.err, "not the output of a Get-Cs cmdlet"));
    }
    SUBCASE("a property of the wrong type names file, object and property") {
        s.write("bad.json", R"({"Identity": "sbc3.contoso.com", "Fqdn": "sbc3.contoso.com", "SipSignalingPort": "high"})");
        auto r = s.csctl({"apply", "-f", s.file("bad.json")});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "bad.json: object 1 (online pstn gateway \"sbc3.contoso.com\"): property \"SipSignalingPort\""));
    }
    SUBCASE("UTF-16 with a byte order mark, as Windows PowerShell writes files") {
        std::string text = R"({"Identity":"Global","Usage":["Emergency"]})";
        std::string utf16 = "\xFF\xFE";
        for (char c : text) {
            utf16 += c;
            utf16 += '\0';
        }
        s.write("usage16.json", utf16);
        auto r = s.csctl({"apply", "-f", s.file("usage16.json")});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        CHECK(json::parse(s.export_json())["onlinePstnUsages"] ==
              json({"US and Canada", "International", "Emergency"}));
    }
}
