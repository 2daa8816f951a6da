// A directory user as routing sees them (core/caller) and the own-number check of every user
// (core/coverage), against a real SQLite tenant for the group grants the resolver reads.
#include "core/caller.hpp"
#include "core/coverage.hpp"
#include "core/fields.hpp"
#include "tests/unit/routing_fixture.hpp"
#include "tests/unit/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace csctl;
using csctl::test::route;
using csctl::test::TempTenant;

namespace {

User user(const std::string& upn, const std::string& number, const std::string& policy = {})
{
    User u;
    u.user_principal_name = upn;
    u.sip_address = "sip:" + upn;
    u.licenses = {"PhoneSystem"};
    u.enterprise_voice_enabled = !number.empty();
    u.phone_number = number;
    u.online_voice_routing_policy = policy;
    return u;
}

TenantDocument routes_document()
{
    TenantDocument d;
    d.tenant.name = "contoso";
    for (const char* fqdn : {"sbc1.contoso.com", "sbc2.contoso.com"}) {
        Gateway g;
        g.fqdn = fqdn;
        g.enabled = true;
        d.gateways.push_back(g);
    }
    d.gateways[1].enabled = false;
    d.usages = {"US and Canada", "UK"};
    d.routes = {route("US", R"(^\+1(\d{10})$)", 1, "US and Canada", {"sbc1.contoso.com"}),
                route("UK", R"(^\+44\d+$)", 2, "UK", {"sbc2.contoso.com"})};
    d.policies = {VoiceRoutingPolicy{"Global", {}, {}}, VoiceRoutingPolicy{"US Only", {"US and Canada"}, {}},
                  VoiceRoutingPolicy{"UK", {"UK"}, {}}};
    d.dial_plans = {TenantDialPlan{"Global", {}, {}}};
    return d;
}

}  // namespace

TEST_CASE("caller_from_user: effective policy and dial plan with their sources, licence, number without extension")
{
    TempTenant t;
    t.change([](TenantStore& s) {
        Group sales;
        sales.name = "sales";
        sales.tenant_dial_plan = "Redmond";
        sales.tenant_dial_plan_rank = 1;
        s.put_group(sales);
        auto u = user("amy@contoso.com", "+14255550100;ext=12", "US Only");
        u.groups = {"sales"};
        u.usage_location = "US";
        u.licenses.push_back("CallingPlan");
        s.put_user(u);
    });
    PolicyResolver resolver(*t.store);
    auto c = caller_from_user(*t.store->find_user("amy@contoso.com"), resolver);
    CHECK(c.user == "amy@contoso.com");
    CHECK(c.policy == "US Only");
    CHECK(c.policy_source == "direct");
    CHECK(c.dial_plan == "Redmond");
    CHECK(c.dial_plan_source == "group");
    CHECK(c.usage_location == "US");
    CHECK(c.calling_plan);
    CHECK(c.phone_number == "+14255550100");

    auto bare = caller_from_user(user("bob@contoso.com", ""), resolver);
    CHECK(bare.policy == "Global");
    CHECK(bare.policy_source == "global");
    CHECK(bare.dial_plan == "Global");
    CHECK(bare.dial_plan_source == "global");
    CHECK_FALSE(bare.calling_plan);

    auto in = inbound_user(user("bob@contoso.com", "+14255550101"), resolver);
    CHECK(in.user_principal_name == "bob@contoso.com");
    CHECK_FALSE(in.teams_only);  // Global upgrade policy: Islands
    CHECK(in.enterprise_voice_enabled);
}

TEST_CASE("check_user_coverage: own numbers under each user's policy, disabled gateways and Calling Plan")
{
    TempTenant t;  // the resolver reads the tenant and its groups (none here)
    PolicyResolver resolver(*t.store);
    RoutingEngine engine(routes_document());
    auto calling_plan = user("cp@contoso.com", "+442079460001", "US Only");
    calling_plan.licenses.push_back("CallingPlan");
    std::vector<User> users{user("a@contoso.com", "+14255550100", "US Only"),
                            user("b@contoso.com", "+442079460000", "US Only"),   // no route matches
                            user("c@contoso.com", "+442079460002", "UK"),        // UK's only gateway is disabled
                            user("d@contoso.com", "+14255550101"),               // Global: no usages
                            user("e@contoso.com", ""),                           // not enabled: skipped
                            calling_plan};
    auto r = check_user_coverage(engine, users, resolver);
    CHECK(r.users == 6);
    CHECK(r.checked == 5);
    CHECK(r.routed == 1);
    CHECK(r.calling_plan == 1);
    CHECK(r.dropped == 3);
    REQUIRE(r.dropped_users.size() == 3);
    CHECK(r.dropped_users[0].user == "b@contoso.com");
    CHECK(r.dropped_users[0].policy == "Tag:US Only");
    CHECK(r.dropped_users[0].policy_source == "direct");
    CHECK(r.dropped_users[0].reason == "no route of usage \"US and Canada\" matches the number");
    CHECK(r.dropped_users[1].user == "c@contoso.com");
    CHECK(r.dropped_users[1].reason == "every gateway of route \"UK\" (usage \"UK\") is disabled");
    CHECK(r.dropped_users[1].usage == "UK");
    CHECK(r.dropped_users[1].route == "UK");
    CHECK(r.dropped_users[2].policy == "Global");
    CHECK(r.dropped_users[2].policy_source == "no assignment");
    CHECK(r.dropped_users[2].reason == "the policy has no usages");
    auto j = to_json(r);
    CHECK(j["droppedUsers"].size() == 3);
    CHECK(j["callingPlan"] == 1);
}
