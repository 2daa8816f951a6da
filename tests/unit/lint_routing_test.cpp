#include "core/lint_routing.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace csctl;

namespace {

TenantDocument tenant()
{
    TenantDocument d;
    d.tenant.name = "contoso";
    for (const char* fqdn : {"sbc1.contoso.com", "sbc2.contoso.com"}) {
        Gateway g;
        g.fqdn = fqdn;
        g.sip_signaling_port = 5061;
        g.enabled = true;
        d.gateways.push_back(g);
    }
    d.usages = {"US and Canada"};
    d.routes = {VoiceRoute{"Redmond 1", R"(^\+1(425|206)(\d{7})$)", 1, {"US and Canada"}, {"sbc1.contoso.com"}, {}, {}}};
    d.policies = {VoiceRoutingPolicy{"Global", {}, {}}, VoiceRoutingPolicy{"US Only", {"US and Canada"}, {}}};
    return d;
}

std::vector<RoutingFinding> about(const std::vector<RoutingFinding>& all, const std::string& identity)
{
    std::vector<RoutingFinding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const auto& f) { return f.identity == identity; });
    return out;
}

}  // namespace

TEST_CASE("a clean tenant has no findings")
{
    CHECK(lint_routing(tenant()).empty());
}

TEST_CASE("routes shadowed by a higher route with the same pattern and usage")
{
    auto d = tenant();
    SUBCASE("same gateways: never places a call") {
        d.routes.push_back(VoiceRoute{"Redmond copy", d.routes[0].number_pattern, 2, {"US and Canada"}, {"sbc1.contoso.com"}, {}, {}});
        auto f = about(lint_routing(d), "Redmond copy");
        REQUIRE(f.size() == 1);
        CHECK(f[0].severity == "warning");
        CHECK(f[0].kind == kind::voice_route);
        CHECK(f[0].message.find("is shadowed by voice route \"Redmond 1\"") != std::string::npos);
    }
    SUBCASE("other gateways: a failover route, reported as info") {
        d.routes.push_back(VoiceRoute{"Redmond 2", d.routes[0].number_pattern, 2, {"US and Canada"}, {"sbc2.contoso.com"}, {}, {}});
        auto f = about(lint_routing(d), "Redmond 2");
        REQUIRE(f.size() == 1);
        CHECK(f[0].severity == "info");
    }
}

TEST_CASE("usages, policies, gateways")
{
    auto d = tenant();
    SUBCASE("a usage no policy uses") {
        d.usages.push_back("International");
        auto f = about(lint_routing(d), "International");
        REQUIRE(f.size() == 1);
        CHECK(f[0].kind == kind::usage);
    }
    SUBCASE("a policy whose usages have no routes") {
        d.usages.push_back("Empty");
        d.policies.push_back(VoiceRoutingPolicy{"Nowhere", {"Empty"}, {}});
        auto f = about(lint_routing(d), "Tag:Nowhere");
        REQUIRE(f.size() == 1);
        CHECK(f[0].severity == "warning");
        CHECK(f[0].message.find("none of its usages (\"Empty\") has a voice route") != std::string::npos);
    }
    SUBCASE("a route whose gateways are all disabled") {
        d.gateways[0].enabled = false;
        auto f = about(lint_routing(d), "Redmond 1");
        REQUIRE(f.size() == 1);
        CHECK(f[0].message.find("is disabled") != std::string::npos);
    }
    SUBCASE("SendSipOptions off and FailoverResponseCodes without the defaults") {
        d.gateways[1].send_sip_options = false;
        d.gateways[1].failover_response_codes = {408, 486};
        auto f = about(lint_routing(d), "sbc2.contoso.com");
        REQUIRE(f.size() == 2);
        CHECK(f[0].message.find("SendSipOptions is off") != std::string::npos);
        CHECK(f[1].message.find("lacks the default 503,504") != std::string::npos);
    }
}

TEST_CASE("patterns that cannot match a number")
{
    CHECK(pattern_cannot_match(R"(^\+1(\d{10})$)").empty());
    CHECK(pattern_cannot_match(".*").empty());
    CHECK(pattern_cannot_match("^sip:").find("numbers never contain \"s\"") != std::string::npos);
    CHECK(pattern_cannot_match(R"(^1\+)").find("'+' after the first character") != std::string::npos);
    CHECK(pattern_cannot_match(R"(\d+x)").find("requires the character \"x\"") != std::string::npos);
    CHECK(pattern_cannot_match(R"(^\+1\d{30}$)").find("needs at least 32 characters") != std::string::npos);
    auto d = tenant();
    d.routes[0].number_pattern = R"(^\+1\d{30}$)";
    auto f = about(lint_routing(d), "Redmond 1");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == "error");
    CHECK(to_json(f[0])["kind"] == "onlineVoiceRoute");
}
