// Every bad input: the documented exit code, a message naming the object and field, and a tenant
// whose export is byte-identical before and after.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace csctl::test;

namespace {

struct Case {
    std::vector<std::string> args;
    int code;
    std::string message;  // must appear in stderr
};

void check_rejected(const Sandbox& s, const Case& c)
{
    auto before = s.export_json();
    auto r = s.csctl(c.args);
    INFO("args: ", doctest::toString(c.args.empty() ? std::string() : c.args[0]), " … stderr: ", r.err);
    CHECK(r.code == c.code);
    CHECK(r.err.rfind("csctl: error: ", 0) == 0);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.out.empty());
    CHECK(s.export_json() == before);
}

}  // namespace

TEST_CASE("bad input is refused with its exit code and changes nothing")
{
    Sandbox s;
    build_worked_example(s);
    const std::vector<Case> cases{
        {{"online-pstn-gateway", "new", "sbc 7.contoso.com", "--sip-signaling-port", "5061"},
         2,
         "online pstn gateway \"sbc 7.contoso.com\": Fqdn \"sbc 7.contoso.com\" contains  , which is not allowed"},
        {{"online-pstn-gateway", "new", "sbc7", "--sip-signaling-port", "5061"}, 2, "Fqdn \"sbc7\" is not a fully qualified"},
        {{"online-pstn-gateway", "new", "sbc7.fabrikam.com", "--sip-signaling-port", "5061"},
         2,
         "\"fabrikam.com\" is not one of \"contoso.com\""},
        {{"online-pstn-gateway", "new", "sbc7.contoso.com", "--sip-signaling-port", "0"},
         2,
         "online pstn gateway \"sbc7.contoso.com\": SipSignalingPort is required"},
        {{"online-pstn-gateway", "new", "sbc7.contoso.com", "--sip-signaling-port", "70000"},
         2,
         "online pstn gateway \"sbc7.contoso.com\": SipSignalingPort 70000 is out of range (1-65535)"},
        {{"online-pstn-gateway", "set", "sbc1.contoso.com", "--sip-signaling-port", "70000"},
         2,
         "SipSignalingPort 70000 is out of range"},
        {{"online-pstn-gateway", "set", "sbc1.contoso.com", "--sip-signaling-port", "abc"},
         2,
         "online pstn gateway \"sbc1.contoso.com\": SipSignalingPort \"abc\" is not an integer"},
        {{"online-pstn-gateway", "set", "sbc1.contoso.com", "--enabled=maybe"}, 2, "Enabled \"maybe\" is not a boolean"},
        {{"online-pstn-gateway", "set", "sbc1.contoso.com", "--failover-response-codes", "408,200"},
         2,
         "FailoverResponseCodes 200 is not a SIP failure response (400-699)"},
        {{"online-pstn-gateway", "set", "sbc1.contoso.com", "--bypass-mode", "Never"},
         2,
         "BypassMode \"Never\" is not one of None, Always, OnlyForLocalUsers"},
        {{"online-pstn-gateway", "new", "sbc1.contoso.com", "--sip-signaling-port", "5061"},
         4,
         "online pstn gateway \"sbc1.contoso.com\" already exists"},
        {{"online-pstn-gateway", "new", "SBC1.CONTOSO.COM", "--sip-signaling-port", "5061"}, 4, "already exists"},
        {{"online-pstn-gateway", "set", "sbc9.contoso.com", "--enabled"}, 3, "online pstn gateway \"sbc9.contoso.com\" does not exist"},
        {{"online-pstn-gateway", "remove", "sbc1.contoso.com", "--yes"},
         4,
         "online pstn gateway \"sbc1.contoso.com\" is still used by voice route \"Redmond 1\""},
        {{"voice-route", "new", "Bad", "--number-pattern", "^\\+1(425"},
         2,
         "voice route \"Bad\": NumberPattern \"^\\+1(425\" does not compile at position 9"},
        {{"voice-route", "new", "Bad", "--number-pattern", "[0-9", "--usages", "US and Canada"},
         2,
         "does not compile at position 5: missing terminating ] for character class"},
        {{"voice-route", "new", "Bad", "--usages", "US and Canda"},
         2,
         "voice route \"Bad\": usage \"US and Canda\" does not exist (usages: \"US and Canada\", \"International\")"},
        {{"voice-route", "new", "Bad", "--usages", "US and Canada", "--gateways", "sbc9.contoso.com"},
         2,
         "voice route \"Bad\": OnlinePstnGatewayList names gateway \"sbc9.contoso.com\", which does not exist"},
        {{"voice-route", "set", "Redmond 1", "--add-usage", "Nowhere"}, 2, "voice route \"Redmond 1\": usage \"Nowhere\" does not exist"},
        {{"voice-route", "set", "Redmond 1", "--remove-gateway", "sbc6.contoso.com"},
         2,
         "voice route \"Redmond 1\": OnlinePstnGatewayList does not contain \"sbc6.contoso.com\""},
        {{"voice-route", "set", "Redmond 1", "--priority", "-3"}, 2, "voice route \"Redmond 1\": Priority -3 must be 0 or more"},
        {{"voice-route", "new", "redmond 1"}, 4, "voice route \"Redmond 1\" already exists"},
        {{"voice-route", "set", "Nope", "--priority", "1"}, 3, "voice route \"Nope\" does not exist"},
        {{"voice-route", "get", "Nope"}, 3, "voice route \"Nope\" does not exist"},
        {{"voice-route", "remove", "Nope", "--yes"}, 3, "voice route \"Nope\" does not exist"},
        {{"usage", "remove", "International", "--yes"},
         4,
         "pstn usage \"International\" is still used by voice route \"International\" and voice routing policy \"No Restrictions\""},
        {{"usage", "replace", "US and Canada", "--yes"}, 4, "pstn usage \"International\" is still used"},
        {{"usage", "remove", "Nowhere", "--yes"}, 2, "usage \"Nowhere\" does not exist"},
        {{"voice-routing-policy", "new", "US Only"}, 4, "voice routing policy \"US Only\" already exists"},
        {{"voice-routing-policy", "new", "Tag:us only"}, 4, "already exists"},
        {{"voice-routing-policy", "new", "P", "--usages", "Nowhere"}, 2, "voice routing policy \"P\": usage \"Nowhere\" does not exist"},
        {{"voice-routing-policy", "set", "Nope", "--description", "x"}, 3, "voice routing policy \"Nope\" does not exist"},
        {{"voice-routing-policy", "grant", "Nope", "--global", "--yes"}, 3, "voice routing policy \"Nope\" does not exist"},
        {{"voice-route", "get", "--bogus"}, 2, "--bogus"},
        {{"voice-route", "new"}, 2, "identity is required"},
        {{"voice-route", "frobnicate"}, 2, "voice-route: \"frobnicate\" is not a command (commands: new, set, get, remove)"},
        {{"-o", "xml", "voice-route", "get"}, 2, "output format \"xml\" is not one of table, json, yaml, csv, list"},
    };
    for (const auto& c : cases) {
        std::string joined;
        for (const auto& a : c.args)
            joined += a + " ";
        CAPTURE(joined);
        check_rejected(s, c);
    }
}

TEST_CASE("without a terminal, destructive commands need --yes and never wait")
{
    Sandbox s;
    build_worked_example(s);
    auto before = s.export_json();
    auto r = s.csctl({"voice-route", "remove", "International"});
    CHECK(r.code == 2);
    CHECK(r.err.find("Remove voice route \"International\"? Not asking without a terminal: pass --yes to confirm") !=
          std::string::npos);
    CHECK(s.export_json() == before);
    r = s.csctl({"voice-route", "remove", "International", "--yes"});
    CHECK(r.code == 0);
    CHECK(s.export_json() != before);
}

TEST_CASE("with -o json an error is a JSON object on stderr")
{
    Sandbox s;
    build_worked_example(s);
    auto r = s.csctl({"voice-route", "get", "Nope", "-o", "json"});
    CHECK(r.code == 3);
    auto error = nlohmann::json::parse(r.err);
    CHECK(error["error"]["code"] == 3);
    CHECK(error["error"]["message"].get<std::string>().find("voice route \"Nope\" does not exist") != std::string::npos);
}

TEST_CASE("no tenant selected, or a tenant that does not exist")
{
    Sandbox s;
    auto r = s.csctl({"voice-route", "get"});
    CHECK(r.code == 2);
    CHECK(r.err.find("no tenant selected") != std::string::npos);
    r = s.csctl({"--tenant", "nope", "voice-route", "get"});
    CHECK(r.code == 3);
    CHECK(r.err.find("tenant \"nope\" does not exist (create it with `csctl tenant init nope`)") != std::string::npos);
    r = s.csctl({"tenant", "init", "bad name"});
    CHECK(r.code == 2);
    CHECK(r.err.find("tenant \"bad name\": the name may contain only") != std::string::npos);
}

TEST_CASE("on a terminal, destructive commands ask first, anything but y leaves the tenant as it was")
{
    Sandbox s;
    build_worked_example(s);
    auto before = s.export_json();
    // script(1) gives csctl a real pseudo-terminal; the answer is typed on it.
    auto command = csctl_binary() + " voice-route remove International";
    auto r = s.run({"script", "-qec", command, "/dev/null"}, "n\n");
    CHECK(r.out.find("Remove voice route \"International\"? [y/N]") != std::string::npos);
    CHECK(r.out.find("cancelled: nothing was changed") != std::string::npos);
    CHECK(s.export_json() == before);
    r = s.run({"script", "-qec", command, "/dev/null"}, "y\n");
    CHECK(r.code == 0);
    CHECK(s.export_json() != before);
    // Validation comes before the question: nothing is asked about a route that does not exist.
    r = s.run({"script", "-qec", csctl_binary() + " voice-route remove Nope", "/dev/null"}, "y\n");
    CHECK(r.out.find("[y/N]") == std::string::npos);
    CHECK(r.out.find("voice route \"Nope\" does not exist") != std::string::npos);
}
