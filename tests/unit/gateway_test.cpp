#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/usage.hpp"
#include "core/voice_route.hpp"
#include "tests/unit/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace csctl;
using namespace csctl::test;

TEST_CASE("gateway FQDN rules")
{
    TenantInfo tenant;
    tenant.domains = {"contoso.com"};
    CHECK_FALSE(fqdn_problem("sbc1.contoso.com", tenant));
    CHECK_FALSE(fqdn_problem("SBC1.Contoso.COM", tenant));
    CHECK(*fqdn_problem("sbc1", tenant) == "is not a fully qualified domain name (it has no dot)");
    CHECK(fqdn_problem("sbc_1.contoso.com", tenant));
    CHECK(fqdn_problem("-sbc.contoso.com", tenant));
    CHECK(fqdn_problem("sbc..contoso.com", tenant));
    CHECK(fqdn_problem("192.168.1.10", tenant));
    CHECK(fqdn_problem(std::string(60, 'a') + ".contoso.com", tenant));  // over 63 characters
    CHECK(fqdn_problem("sbc1.fabrikam.com", tenant)->find("not in a domain of the tenant") != std::string::npos);
    TenantInfo open;
    CHECK_FALSE(fqdn_problem("sbc1.fabrikam.com", open));
    CHECK(fqdn_problem("sbc1.contoso.onmicrosoft.com", open)->find("onmicrosoft.com") != std::string::npos);
}

TEST_CASE("gateway defaults and validation")
{
    TempTenant t;
    auto create = [&](Json set, Notes& notes) {
        Gateway g;
        t.change([&](TenantStore& s) { g = new_gateway(s, "sbc1.contoso.com", edit_of(set), notes); });
        return g;
    };
    SUBCASE("defaults of domain.md, and the disabled-by-default warning") {
        Notes notes;
        auto g = create({{"sipSignalingPort", 5061}}, notes);
        CHECK_FALSE(g.enabled);
        CHECK(g.send_sip_options);
        CHECK(g.failover_time_seconds == 10);
        CHECK(g.failover_response_codes == std::vector<int>{408, 503, 504});
        CHECK_FALSE(g.max_concurrent_sessions);
        CHECK(g.ip_address_version == "IPv4");
        REQUIRE(notes.warnings.size() == 1);
        CHECK(notes.warnings[0].find("is disabled") != std::string::npos);
    }
    SUBCASE("replacing failover codes warns about each dropped default") {
        Notes notes;
        create({{"sipSignalingPort", 5061}, {"enabled", true}, {"failoverResponseCodes", {408, 503}}}, notes);
        REQUIRE(notes.warnings.size() == 1);
        CHECK(notes.warnings[0].find("504 will no longer fail over") != std::string::npos);
    }
    Notes notes;
    SUBCASE("port is required and 1-65535") {
        CHECK_THROWS_WITH_AS(create({}, notes),
                             "online pstn gateway \"sbc1.contoso.com\": SipSignalingPort is required (--sip-signaling-port, e.g. 5061)",
                             Error);
        CHECK_THROWS_WITH_AS(create({{"sipSignalingPort", 70000}}, notes),
                             "online pstn gateway \"sbc1.contoso.com\": SipSignalingPort 70000 is out of range (1-65535)", Error);
        CHECK_THROWS_AS(create({{"sipSignalingPort", -1}}, notes), Error);
        CHECK(t.store->gateways().empty());
    }
    SUBCASE("other ranges") {
        CHECK_THROWS_AS(create({{"sipSignalingPort", 5061}, {"failoverTimeSeconds", 0}}, notes), Error);
        CHECK_THROWS_AS(create({{"sipSignalingPort", 5061}, {"failoverResponseCodes", {399}}}, notes), Error);
        CHECK_THROWS_AS(create({{"sipSignalingPort", 5061}, {"failoverResponseCodes", {700}}}, notes), Error);
        CHECK_THROWS_AS(create({{"sipSignalingPort", 5061}, {"maxConcurrentSessions", 0}}, notes), Error);
        CHECK_THROWS_AS(create({{"sipSignalingPort", 5061}, {"maxConcurrentSessions", 100001}}, notes), Error);
        CHECK_THROWS_AS(create({{"sipSignalingPort", 5061}, {"mediaRelayRoutingLocationOverride", "usa"}}, notes), Error);
        CHECK_THROWS_AS(create({{"sipSignalingPort", 5061}, {"proxySbc", "not a name"}}, notes), Error);
        CHECK(t.store->gateways().empty());
    }
}

TEST_CASE("a gateway a route uses cannot be removed, the routes are named")
{
    TempTenant t;
    t.change([](TenantStore& s) {
        Notes n;
        new_gateway(s, "sbc1.contoso.com", edit_of({{"sipSignalingPort", 5061}}), n);
        add_usages(s, {"US"});
        new_route(s, "R1", edit_of({{"onlinePstnGatewayList", {"sbc1.contoso.com"}}, {"onlinePstnUsages", {"US"}}}), n);
    });
    try {
        t.change([](TenantStore& s) { remove_gateway(s, "SBC1.contoso.com"); });
        FAIL("expected a conflict");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::conflict);
        CHECK(std::string(e.what()).find("voice route \"R1\"") != std::string::npos);
    }
    CHECK(t.store->find_gateway("sbc1.contoso.com"));
}

TEST_CASE("field parsing names the field and the value")
{
    const auto& fields = gateway_fields();
    const auto* port = find_field(fields, "sipSignalingPort");
    const auto* enabled = find_field(fields, "enabled");
    const auto* bypass = find_field(fields, "bypassMode");
    const auto* codes = find_field(fields, "failoverResponseCodes");
    CHECK(parse_field(*port, "5061", "g") == 5061);
    CHECK_THROWS_WITH_AS(parse_field(*port, "50x", "g"), "g: SipSignalingPort \"50x\" is not an integer", Error);
    CHECK(parse_field(*enabled, "$false", "g") == false);
    CHECK(parse_field(*enabled, "TRUE", "g") == true);
    CHECK_THROWS_AS(parse_field(*enabled, "maybe", "g"), Error);
    CHECK(parse_field(*bypass, "always", "g") == "Always");
    CHECK(parse_field(*bypass, "$null", "g").is_null());
    CHECK_THROWS_WITH_AS(parse_field(*bypass, "Never", "g"),
                         "g: BypassMode \"Never\" is not one of None, Always, OnlyForLocalUsers", Error);
    CHECK(parse_field(*codes, "408, 503", "g") == Json({408, 503}));
}
