// Black-box tests of `csctl ps`: Microsoft's published Direct Routing examples, run as a script,
// build the worked-example tenant; a script that fails anywhere changes nothing and names its line.
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

// The commands of "Configure call routing for Direct Routing" (examples 1 and 2) with the SBC
// pairing of "Connect your SBC", as copied from the rendered pages: typographic quotes and dashes,
// a console prompt. The pages wrap two commands inside a pattern; here they are whole lines again
// (one continued with a backtick, as a script would write it).
const std::string k_direct_routing_script =
    "# Connect the SBCs\n"
    "PS C:\\> New-CsOnlinePSTNGateway -Fqdn sbc1.contoso.com -SipSignallingPort 5061 -Enabled $true\n"
    "New-CsOnlinePSTNGateway -Fqdn sbc2.contoso.com -SipSignalingPort 5061 -Enabled $true\n"
    "New-CsOnlinePSTNGateway -Fqdn sbc3.contoso.com -SipSignalingPort 5061 -Enabled $true\n"
    "New-CsOnlinePSTNGateway -Fqdn sbc4.contoso.com -SipSignalingPort 5061 -Enabled $true\n"
    "New-CsOnlinePSTNGateway -Fqdn sbc5.contoso.com -SipSignalingPort 5061 -Enabled $true\n"
    "New-CsOnlinePSTNGateway -Fqdn sbc6.contoso.com -SipSignalingPort 5061 -Enabled $true\n"
    "\n"
    "# Example 1: Voice routing with one PSTN usage\n"
    "Set-CsOnlinePstnUsage -Identity Global -Usage @{Add=\u201CUS and Canada\u201D}\n"
    "New-CsOnlineVoiceRoute -Identity \u201CRedmond 1\u201D -NumberPattern \u201C^\\+1(425|206)(\\d{7})$\u201D "
    "-OnlinePstnGatewayList sbc1.contoso.com, sbc2.contoso.com -Priority 1 -OnlinePstnUsages \u201CUS and Canada\u201D\n"
    "New-CsOnlineVoiceRoute -Identity \u201CRedmond 2\u201D -NumberPattern \u201C^\\+1(425|206)(\\d{7})$\u201D "
    "-OnlinePstnGatewayList sbc3.contoso.com, sbc4.contoso.com -Priority 2 -OnlinePstnUsages \u201CUS and Canada\u201D\n"
    "New-CsOnlineVoiceRoute -Identity \u201COther +1\u201D -NumberPattern \u201C^\\+1(\\d{10})$\u201D `\n"
    "\u2013OnlinePstnGatewayList sbc5.contoso.com, sbc6.contoso.com -OnlinePstnUsages \u201CUS and Canada\u201D\n"
    "New-CsOnlineVoiceRoutingPolicy \u201CUS Only\u201D -OnlinePstnUsages \u201CUS and Canada\u201D\n"
    "Grant-CsOnlineVoiceRoutingPolicy -Identity \u201CSpencer Low\u201D -PolicyName \u201CUS Only\u201D\n"
    "\n"
    "# Example 2: Voice routing with multiple PSTN usages\n"
    "Set-CsOnlinePstnUsage -Identity Global -Usage @{Add=\u201CInternational\u201D}\n"
    "New-CsOnlineVoiceRoute -Identity \u201CInternational\u201D -NumberPattern \u201C.*\u201D "
    "-OnlinePstnGatewayList sbc2.contoso.com, sbc5.contoso.com -OnlinePstnUsages \u201CInternational\u201D\n"
    "New-CsOnlineVoiceRoutingPolicy \u201CNo Restrictions\u201D -OnlinePstnUsages \u201CUS and Canada\u201D, "
    "\u201CInternational\u201D\n"
    "Grant-CsOnlineVoiceRoutingPolicy -Identity \u201CJohn Woods\u201D -PolicyName \u201CNo Restrictions\u201D\n";

void add_users(const Sandbox& s)
{
    ok(s, {"tenant", "init", "contoso", "--domain", "contoso.com"});
    ok(s, {"user", "add", "spencer@contoso.com", "--display-name", "Spencer Low", "--usage-location", "US", "--license",
           "PhoneSystem"});
    ok(s, {"user", "add", "john@contoso.com", "--display-name", "John Woods", "--usage-location", "US", "--license",
           "PhoneSystem"});
}

json route_test(const Sandbox& s, const std::string& user, const std::string& number)
{
    auto r = s.csctl({"route", "test", "--user", user, "--number", number, "--seed", "7", "-o", "json"});
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

std::set<std::string> gateways_of(const json& result, std::size_t i)
{
    std::set<std::string> out;
    for (const auto& g : result["routes"][i]["gateways"])
        out.insert(g["fqdn"].get<std::string>());
    return out;
}

std::size_t journal_size(const Sandbox& s)
{
    auto r = s.csctl({"log", "-o", "json", "--limit", "1000"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return json::parse(r.out).size();
}

// The routing objects of an export (users and the tenant's own fields aside).
json routing_part(const std::string& export_text)
{
    auto all = json::parse(export_text);
    json out = json::object();
    for (const auto& [key, value] : all.items())
        if (key != "users" && key != "tenant" && key != "groups")
            out[key] = value;
    return out;
}

// A rejected script: its exit code, a message naming the place, and nothing changed.
void check_rejected(const Sandbox& s, const std::vector<std::string>& args, int code, const std::string& message)
{
    auto before = s.export_json();
    auto entries = journal_size(s);
    auto r = s.csctl(args);
    INFO("stderr: ", r.err);
    CHECK(r.code == code);
    CHECK(r.err.rfind("csctl: error: ", 0) == 0);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(r.out.empty());
    CHECK(s.export_json() == before);
    CHECK(journal_size(s) == entries);
}

}  // namespace

TEST_CASE("ps -f: Microsoft's Direct Routing examples build the worked-example tenant, as one change")
{
    Sandbox s;
    add_users(s);
    s.write("direct-routing.ps1", k_direct_routing_script);
    auto entries = journal_size(s);
    auto r = s.csctl({"ps", "-f", s.file("direct-routing.ps1")});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.empty());
    CHECK(r.err.find("ran 16 cmdlets from " + s.file("direct-routing.ps1") + " as one change") != std::string::npos);
    CHECK(journal_size(s) == entries + 1);

    // The same routing objects as the worked example built with csctl commands.
    Sandbox reference;
    build_worked_example(reference);
    CHECK(routing_part(s.export_json()) == routing_part(reference.export_json()));

    SUBCASE("Spencer (US Only), +1 425: Redmond 1, Redmond 2, Other +1") {
        auto t = route_test(s, "spencer@contoso.com", "+14255550100");
        CHECK(t["policy"] == "Tag:US Only");
        CHECK(t["policySource"] == "direct");
        CHECK(t["usage"] == "US and Canada");
        CHECK(routes_of(t) == std::vector<std::string>{"Redmond 1", "Redmond 2", "Other +1"});
        CHECK(gateways_of(t, 0) == std::set<std::string>{"sbc1.contoso.com", "sbc2.contoso.com"});
        CHECK(gateways_of(t, 1) == std::set<std::string>{"sbc3.contoso.com", "sbc4.contoso.com"});
        CHECK(gateways_of(t, 2) == std::set<std::string>{"sbc5.contoso.com", "sbc6.contoso.com"});
        CHECK(t["outcome"] == "routed");
    }
    SUBCASE("Spencer, +1 324 567 8989: Other +1; a non-US number is dropped") {
        auto t = route_test(s, "spencer@contoso.com", "+13245678989");
        CHECK(routes_of(t) == std::vector<std::string>{"Other +1"});
        CHECK(route_test(s, "spencer@contoso.com", "+442079460000")["outcome"] == "dropped");
    }
    SUBCASE("John (No Restrictions): +1 425 stays in US and Canada; +44 goes International") {
        auto us = route_test(s, "john@contoso.com", "+14255550100");
        CHECK(us["policy"] == "Tag:No Restrictions");
        CHECK(us["usage"] == "US and Canada");
        CHECK(routes_of(us) == std::vector<std::string>{"Redmond 1", "Redmond 2", "Other +1"});
        auto uk = route_test(s, "john@contoso.com", "+442079460000");
        CHECK(uk["usage"] == "International");
        CHECK(gateways_of(uk, 0) == std::set<std::string>{"sbc2.contoso.com", "sbc5.contoso.com"});
    }
    SUBCASE("the documented reorder (tag:\"no Restrictions\", @{Replace=…}) sends +1 425 International") {
        ok(s, {"ps", "Set-CsOnlineVoiceRoutingPolicy -id tag:\u201Dno Restrictions\u201D -OnlinePstnUsages "
                     "@{Replace=\u201CInternational\u201D, \u201CUS and Canada\u201D}"});
        auto t = route_test(s, "john@contoso.com", "+14255550100");
        CHECK(t["usage"] == "International");
        CHECK(gateways_of(t, 0) == std::set<std::string>{"sbc2.contoso.com", "sbc5.contoso.com"});
    }
    SUBCASE("the page's line wrapped inside the pattern, run as printed, is warned about") {
        s.write("wrapped.ps1", "New-CsOnlineVoiceRoute -Identity \"Redmond 1b\" -NumberPattern \"^\\+1(425|206)\n(\\d{7})$\" "
                               "-OnlinePstnGatewayList sbc1.contoso.com, sbc2.contoso.com -Priority 1 -OnlinePstnUsages \"US and Canada\"\n");
        auto dry = s.csctl({"ps", "-f", s.file("wrapped.ps1"), "--dry-run"});
        REQUIRE_MESSAGE(dry.code == 0, dry.err);
        CHECK(dry.err.find("csctl: warning: " + s.file("wrapped.ps1") + ":1:62: New-CsOnlineVoiceRoute: the value of "
                           "-NumberPattern contains a line break (a line wrapped inside quotes?)") != std::string::npos);
    }
    SUBCASE("Get cmdlets print what they find") {
        auto get = s.csctl({"ps", "Get-CsOnlineVoiceRoute -Identity 'Other +1'", "-o", "json"});
        REQUIRE_MESSAGE(get.code == 0, get.err);
        auto routes = json::parse(get.out);
        REQUIRE(routes.size() == 1);
        CHECK(routes[0]["identity"] == "Other +1");
        CHECK(routes[0]["priority"] == 3);
        auto entries_before = journal_size(s);
        auto usage = s.csctl({"ps", "Get-CsOnlinePstnUsage; Get-CsOnlineVoiceRoutingPolicy 'US Only'"});
        REQUIRE(usage.code == 0);
        CHECK(usage.out.rfind("# command line:1 Get-CsOnlinePstnUsage\n"
                              "Identity : Global\n"
                              "Usage    : US and Canada, International\n"
                              "\n"
                              "# command line:1 Get-CsOnlineVoiceRoutingPolicy\n",
                              0) == 0);
        CHECK(usage.out.find("Tag:US Only") != std::string::npos);
        CHECK(usage.err.empty());  // reading changes nothing: no journal entry, no "unchanged"
        CHECK(journal_size(s) == entries_before);
    }
}

TEST_CASE("ps --translate prints csctl commands that build the same tenant")
{
    Sandbox s;
    s.write("direct-routing.ps1", k_direct_routing_script);
    auto t = s.csctl({"ps", "--translate", "-f", s.file("direct-routing.ps1")});
    REQUIRE_MESSAGE(t.code == 0, t.err);
    CHECK(t.out.find("csctl online-pstn-gateway new sbc1.contoso.com --sip-signaling-port 5061 --enabled\n") !=
          std::string::npos);
    CHECK(t.out.find("csctl usage add 'US and Canada'\n") != std::string::npos);
    CHECK(t.out.find("csctl voice-route new 'Redmond 1' --number-pattern '^\\+1(425|206)(\\d{7})$' --priority 1 "
                     "--online-pstn-usages 'US and Canada' --online-pstn-gateway-list sbc1.contoso.com,sbc2.contoso.com\n") !=
          std::string::npos);
    CHECK(t.out.find("csctl voice-routing-policy grant 'US Only' --user 'Spencer Low'\n") != std::string::npos);

    // Run the translation (with the users it names by display name) next to the script itself.
    Sandbox by_script, by_commands;
    add_users(by_script);
    add_users(by_commands);
    ok(by_script, {"ps", "-f", s.file("direct-routing.ps1")});
    std::string commands = t.out;
    for (const auto& [name, upn] : {std::pair{"'Spencer Low'", "spencer@contoso.com"}, std::pair{"'John Woods'", "john@contoso.com"}})
        for (auto at = commands.find(name); at != std::string::npos; at = commands.find(name))
            commands.replace(at, std::string(name).size(), upn);
    std::string sh = "set -e\ncsctl() { '" + csctl_binary() + "' \"$@\"; }\n" + commands;
    auto run = by_commands.run({"/bin/sh", "-c", sh});
    REQUIRE_MESSAGE(run.code == 0, run.err);
    CHECK(by_commands.export_json() == by_script.export_json());
}

TEST_CASE("ps: a script that fails anywhere changes nothing and names the line")
{
    Sandbox s;
    add_users(s);
    ok(s, {"ps", "Set-CsOnlinePstnUsage -Usage @{Add='US and Canada'}"});
    auto script = [&](const std::string& name, const std::string& text) {
        s.write(name, text);
        return s.file(name);
    };
    const std::string good = "New-CsOnlinePSTNGateway -Fqdn sbc1.contoso.com -SipSignalingPort 5061 -Enabled $true\n"
                             "New-CsOnlineVoiceRoute -Identity R1 -NumberPattern '.*' -OnlinePstnGatewayList sbc1.contoso.com "
                             "-OnlinePstnUsages 'US and Canada'\n";

    SUBCASE("a syntax error on line 4") {
        auto f = script("syntax.ps1", good + "\nNew-CsOnlineVoiceRoutingPolicy \"US Only -OnlinePstnUsages x\n");
        check_rejected(s, {"ps", "-f", f}, 2, f + ":4:32: the string that starts here is not closed (missing \")");
    }
    SUBCASE("a pipeline on line 3") {
        auto f = script("pipe.ps1", good + "Get-CsOnlineVoiceRoute | Where-Object Priority -eq 1\n");
        check_rejected(s, {"ps", "-f", f}, 2, f + ":3:24: pipelines ('|') are not supported");
    }
    SUBCASE("a variable on line 3") {
        auto f = script("var.ps1", good + "$u = 'spencer@contoso.com'\n");
        check_rejected(s, {"ps", "-f", f}, 2, f + ":3:1: variables are not supported");
    }
    SUBCASE("an invalid value on line 3, found before anything runs") {
        auto f = script("value.ps1", good + "Set-CsOnlinePSTNGateway -Identity sbc1.contoso.com -FailoverTimeSeconds soon\n");
        check_rejected(s, {"ps", "-f", f}, 2,
                       f + ":3:73: Set-CsOnlinePSTNGateway: online pstn gateway \"sbc1.contoso.com\": FailoverTimeSeconds "
                           "\"soon\" is not an integer");
    }
    SUBCASE("a cmdlet that fails when it runs rolls back the lines before it") {
        auto f = script("runtime.ps1", good + "New-CsOnlineVoiceRoutingPolicy 'US Only' -OnlinePstnUsages 'US and Canda'\n");
        check_rejected(s, {"ps", "-f", f}, 2, f + ":3: New-CsOnlineVoiceRoutingPolicy: voice routing policy \"US Only\": usage");
    }
    SUBCASE("a user that does not exist") {
        auto f = script("user.ps1", good + "Grant-CsOnlineVoiceRoutingPolicy -Identity 'Nobody Here' -PolicyName $null\n");
        check_rejected(s, {"ps", "-f", f}, 3, f + ":3: Grant-CsOnlineVoiceRoutingPolicy: user \"Nobody Here\" does not exist");
    }
    SUBCASE("an unknown cmdlet and an unknown parameter") {
        check_rejected(s, {"ps", "New-CsOnlineUser -Identity x"}, 2,
                       "command line:1:1: New-CsOnlineUser is not a cmdlet csctl runs");
        check_rejected(s, {"ps", "New-CsOnlineVoiceRoute -Identity x -Pattern '.*'"}, 2,
                       "command line:1:36: New-CsOnlineVoiceRoute: no parameter -Pattern (parameters: -Identity, -NumberPattern,");
    }
    SUBCASE("removing needs --yes; --dry-run shows the plan and changes nothing") {
        ok(s, {"ps", "-f", script("good.ps1", good)});
        check_rejected(s, {"ps", "Remove-CsOnlineVoiceRoute -Identity R1"}, 2, "pass --yes to confirm");
        auto before = s.export_json();
        auto dry = s.csctl({"ps", "-f", script("more.ps1", "Remove-CsOnlineVoiceRoute R1\nSet-CsOnlinePSTNGateway "
                                                            "sbc1.contoso.com -Enabled $false"),
                            "--dry-run"});
        REQUIRE_MESSAGE(dry.code == 0, dry.err);
        CHECK(dry.out == "delete voice route \"R1\"\nupdate online pstn gateway \"sbc1.contoso.com\"\n    enabled: true -> false\n");
        CHECK(s.export_json() == before);
        ok(s, {"ps", "Remove-CsOnlineVoiceRoute R1", "--yes"});
        CHECK(s.csctl({"voice-route", "get", "R1"}).code == 3);
    }
}

TEST_CASE("ps: dial plans, translation rules, blocked numbers and their Test cmdlets")
{
    Sandbox s;
    add_users(s);
    s.write("rules.ps1",
            "New-CsTenantDialPlan -Identity Redmond -Description 'Redmond office'\n"
            "New-CsVoiceNormalizationRule -Parent Redmond -Name 4digit -Pattern '^(\\d{4})$' -Translation '+1425555$1' "
            "-IsInternalExtension $true\n"
            "New-CsTeamsTranslationRule -Identity 'AddPlus1' -Pattern '^(\\d{10})$' -Translation '+1$1'\n"
            "New-CsTeamsTranslationRule -Identity 'StripPlus1' -Pattern '^\\+1(\\d{10})$' -Translation '$1'\n"
            "New-CsInboundBlockedNumberPattern -Name \"BlockRange1\" -Enabled $True -Pattern \"^\\+?1312555\\d{4}$\"\n"
            "New-CsInboundExemptNumberPattern -Identity \"AllowContoso1\" -Pattern \"^\\+?1312555888[2|3]$\" -Enabled $True\n"
            "Set-CsTenantBlockedCallingNumbers -Enabled $true\n");
    ok(s, {"ps", "-f", s.file("rules.ps1")});
    auto run = [&](const std::string& line) {
        auto r = s.csctl({"ps", line, "-o", "json"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        return json::parse(r.out);
    };
    auto n = run("Test-CsVoiceNormalizationRule -NormalizationRule Redmond/4digit -DialedNumber 0100");
    CHECK(n["translatedNumber"] == "+14255550100");
    CHECK(n["matched"] == true);
    auto plan = run("Test-CsEffectiveTenantDialPlan -DialedNumber 4255550100 -Identity spencer@contoso.com");
    CHECK(plan["normalizedNumber"] == "+14255550100");  // no tenant rule: the US country dial plan
    CHECK(plan["countryDialPlan"] == "US");
    ok(s, {"ps", "Grant-CsTeamsUpgradePolicy -PolicyName UpgradeToTeams -Identity spencer@contoso.com"});
    auto t = run("Test-CsTeamsTranslationRule -PhoneNumber 4255550100");
    REQUIRE(t.size() == 1);
    CHECK(t[0]["identity"] == "AddPlus1");
    CHECK(t[0]["translatedNumber"] == "+14255550100");
    CHECK(run("Test-CsInboundBlockedNumberPattern -PhoneNumber 13125558884")["outcome"] == "blocked");
    CHECK(run("Test-CsInboundBlockedNumberPattern -PhoneNumber 13125558883")["outcome"] == "allowed");
    auto rules = run("Get-CsTenantDialPlan Redmond");
    CHECK(rules[0]["normalizationRules"][0]["name"] == "4digit");
    // Grant-CsTenantDialPlan: the same targets as the voice routing policy grant.
    auto translated = s.csctl({"ps", "--translate", "Grant-CsTenantDialPlan -Identity spencer@contoso.com -PolicyName Redmond"});
    REQUIRE_MESSAGE(translated.code == 0, translated.err);
    CHECK(translated.out.find("csctl dial-plan grant Redmond --user spencer@contoso.com") != std::string::npos);
    ok(s, {"ps", "Grant-CsTenantDialPlan -Identity spencer@contoso.com -PolicyName Redmond"});
    auto granted = run("Test-CsEffectiveTenantDialPlan -DialedNumber 0100 -Identity spencer@contoso.com");
    CHECK(granted["normalizedNumber"] == "+14255550100");  // the 4-digit rule of Redmond
    ok(s, {"ps", "Grant-CsTenantDialPlan -Identity spencer@contoso.com -PolicyName $null"});
    CHECK(run("Test-CsEffectiveTenantDialPlan -DialedNumber 0100 -Identity spencer@contoso.com")["normalizedNumber"] !=
          "+14255550100");
    auto no_target = s.csctl({"ps", "Grant-CsTenantDialPlan -PolicyName Redmond"});
    CHECK(no_target.code == 2);
    CHECK(no_target.err.find("say whom to grant to") != std::string::npos);
    ok(s, {"ps", "Set-CsPhoneNumberAssignment -Identity spencer@contoso.com -PhoneNumber +14255388797 -PhoneNumberType DirectRouting"});
    auto user = json::parse(s.csctl({"user", "get", "spencer@contoso.com", "-o", "json"}).out);
    CHECK(user[0]["phoneNumber"] == "+14255388797");
    CHECK(user[0]["enterpriseVoiceEnabled"] == true);
    ok(s, {"ps", "Remove-CsPhoneNumberAssignment -Identity spencer@contoso.com -RemoveAll"});  // no --yes: as user-disable
    user = json::parse(s.csctl({"user", "get", "spencer@contoso.com", "-o", "json"}).out);
    CHECK(user[0]["phoneNumber"].is_null());
}

TEST_CASE("ps: list parameters as admins paste them, console prompts, and UTF-16 scripts")
{
    Sandbox s;
    ok(s, {"tenant", "init", "contoso"});
    auto gateway = [&](const std::string& fqdn) {
        auto r = s.csctl({"online-pstn-gateway", "get", fqdn, "-o", "json"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        return json::parse(r.out)[0];
    };
    // -FailoverResponseCodes is text in the cmdlet ("408,503,504"): every code of it is kept.
    ok(s, {"ps", "New-CsOnlinePSTNGateway -Fqdn sbc1.contoso.com -SipSignalingPort 5061 -FailoverResponseCodes \"408, 503, 504\""});
    CHECK(gateway("sbc1.contoso.com")["failoverResponseCodes"] == json::array({408, 503, 504}));
    ok(s, {"ps", "Set-CsOnlinePSTNGateway -Identity sbc1.contoso.com -FailoverResponseCodes @{Replace=\"408,503\"}"});
    CHECK(gateway("sbc1.contoso.com")["failoverResponseCodes"] == json::array({408, 503}));
    ok(s, {"ps", "Set-CsOnlinePSTNGateway -Identity sbc1.contoso.com -FailoverResponseCodes \"503\",\"504\""});
    CHECK(gateway("sbc1.contoso.com")["failoverResponseCodes"] == json::array({503, 504}));

    // A quoted "a,b" is one gateway name to PowerShell (which does not exist); --translate has no
    // csctl form for a name with a comma and says so instead of printing two gateways.
    ok(s, {"usage", "add", "US and Canada"});
    const std::string route = "New-CsOnlineVoiceRoute -Identity QQ -NumberPattern \"^\\+9\" "
                              "-OnlinePstnGatewayList \"sbc1.contoso.com,sbc2.contoso.com\" -OnlinePstnUsages \"US and Canada\"";
    auto before = s.export_json();
    auto run = s.csctl({"ps", route});
    CHECK(run.code == 2);
    CHECK(run.err.find("\"sbc1.contoso.com,sbc2.contoso.com\"") != std::string::npos);
    auto translated = s.csctl({"ps", "--translate", route});
    CHECK(translated.code == 2);
    CHECK(translated.err.find("command line:1:") != std::string::npos);
    CHECK(translated.err.find("holds a comma") != std::string::npos);
    CHECK(s.export_json() == before);

    // The prompt of older documentation, and a script saved by Windows PowerShell 5.1 (`>` and
    // Out-File write UTF-16 LE with a byte order mark).
    ok(s, {"ps", "C:\\PS> Set-CsOnlinePSTNGateway -Identity sbc1.contoso.com -Description \"prompt\""});
    CHECK(gateway("sbc1.contoso.com")["description"] == "prompt");
    std::string script = "PS C:\\> Set-CsOnlinePSTNGateway -Identity sbc1.contoso.com -Description \"Zürich \u2013 utf16\"\r\n";
    std::string utf16 = "\xFF\xFE";
    for (std::size_t i = 0; i < script.size();) {  // UTF-8 to UTF-16 LE (no surrogates needed here)
        auto c = static_cast<unsigned char>(script[i]);
        unsigned cp = c;
        std::size_t n = 1;
        if (c >= 0xE0)
            cp = c & 0x0F, n = 3;
        else if (c >= 0xC0)
            cp = c & 0x1F, n = 2;
        for (std::size_t k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(script[i + k]) & 0x3F);
        utf16 += static_cast<char>(cp & 0xFF);
        utf16 += static_cast<char>(cp >> 8);
        i += n;
    }
    s.write("utf16.ps1", utf16);
    ok(s, {"ps", "-f", s.file("utf16.ps1")});
    CHECK(gateway("sbc1.contoso.com")["description"] == "Zürich \u2013 utf16");
}
