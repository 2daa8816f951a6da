// The API's per-call answers (server/route_query): the decision written as text is the same bytes
// as the JSON tree of `route test -o json`, and rtjson lists the gateways to try in order.
#include "core/routing.hpp"
#include "server/route_query.hpp"
#include "tests/unit/routing_fixture.hpp"

#include <doctest/doctest.h>

using namespace csctl;
using namespace csctl::test;

namespace {

// The worked example with a port per SBC and sbc6 disabled.
TenantDocument tenant()
{
    auto d = worked_example();
    for (std::size_t i = 0; i < d.gateways.size(); ++i)
        d.gateways[i].sip_signaling_port = 5061 + static_cast<int>(i);
    d.gateways[5].enabled = false;
    return d;
}

CallerContext caller(const std::string& policy)
{
    CallerContext c;
    c.user = "spencer@contoso.com";
    c.policy = policy;
    c.policy_source = "direct";
    return c;
}

std::string tree_text(const OutboundResult& r) { return to_json(r).dump() + "\n"; }

}  // namespace

TEST_CASE("decision_json writes the bytes of to_json(decision).dump()")
{
    server::RouteSnapshot snap(tenant(), 3);
    OutboundOptions options;
    options.seed = 11;
    SUBCASE("routed, with random order, already tried and disabled gateways") {
        auto r = snap.route(caller("No Restrictions"), "+14255550100", options);
        REQUIRE(r.outcome == "routed");
        CHECK(server::decision_json(r) == tree_text(r));
    }
    SUBCASE("some gateways unavailable or demoted") {
        options.unavailable = {"sbc1.contoso.com"};
        options.demoted = {"sbc3.contoso.com"};
        auto r = snap.route(caller("US Only"), "+14255550100", options);
        CHECK(server::decision_json(r) == tree_text(r));
    }
    SUBCASE("dropped: no route for the number") {
        auto r = snap.route(caller("US Only"), "+442071234567", options);
        REQUIRE(r.outcome != "routed");
        CHECK(server::decision_json(r) == tree_text(r));
    }
    SUBCASE("no user, empty lists and fields") {
        OutboundResult r;
        r.outcome = "dropped";
        CHECK(server::decision_json(r) == tree_text(r));
    }
    SUBCASE("quotes, backslashes, control characters and UTF-8 in names") {
        OutboundResult r;
        r.user = "zoë@contoso.com";
        r.policy = "Tag:\"Quoted\" \\ back";
        r.reason = std::string("tab\there, newline\n, bell\a, escape\x1b, del\x7f, \b\f\r, nul") + '\0' + "end";
        r.policy_usages = {"Zürich", "", "a/b"};
        RouteAttempt a;
        a.identity = "Route \"1\"";
        a.priority = -3;
        a.number_pattern = R"(^\+1(\d{10})$)";
        a.gateways.push_back(GatewayAttempt{});
        a.already_tried = {"x", "y"};
        r.routes = {a, a};
        CHECK(server::decision_json(r) == tree_text(r));
    }
    SUBCASE("invalid UTF-8 is refused as by the JSON tree") {
        OutboundResult r;
        r.reason = "bad \xff byte";
        CHECK_THROWS_AS(tree_text(r), Json::type_error);
        CHECK_THROWS_AS(server::decision_json(r), Json::type_error);
    }
}

TEST_CASE("rtjson lists the gateways to try, in order, with their ports")
{
    server::RouteSnapshot snap(tenant(), 3);
    OutboundOptions options;
    options.seed = 11;
    options.unavailable = {"sbc1.contoso.com", "sbc2.contoso.com", "sbc3.contoso.com"};
    auto r = snap.route(caller("US Only"), "+14255550100", options);
    CHECK(snap.rtjson(r) ==
          R"({"version":"1.0","routing":"serial","routes":[{"uri":"sip:+14255550100@sbc4.contoso.com:5064","dst_uri":"sip:sbc4.contoso.com:5064"},)"
          R"({"uri":"sip:+14255550100@sbc5.contoso.com:5065","dst_uri":"sip:sbc5.contoso.com:5065"}],"outcome":"routed"})"
          "\n");
    options.unavailable.push_back("sbc4.contoso.com");
    options.unavailable.push_back("sbc5.contoso.com");
    auto dropped = snap.route(caller("US Only"), "+14255550100", options);
    CHECK(snap.rtjson(dropped) == R"({"version":"1.0","routing":"serial","routes":[],"outcome":"dropped"})"
                                  "\n");
}
