// Routing objects for unit tests, and Microsoft's worked example of routing.md ("Configure call
// routing for Direct Routing") as a tenant document.
#pragma once

#include "core/model.hpp"

#include <string>
#include <utility>
#include <vector>

namespace csctl::test {

inline Gateway gateway(const std::string& fqdn, int port = 5061)
{
    Gateway g;
    g.fqdn = fqdn;
    g.sip_signaling_port = port;
    g.enabled = true;
    return g;
}

inline VoiceRoute route(const std::string& name, const std::string& pattern, int priority, const std::string& usage,
                        std::vector<std::string> gateways)
{
    VoiceRoute r;
    r.identity = name;
    r.number_pattern = pattern;
    r.priority = priority;
    r.online_pstn_usages = {usage};
    r.online_pstn_gateway_list = std::move(gateways);
    return r;
}

// Six SBCs, the usages "US and Canada" and "International", the routes Redmond 1, Redmond 2,
// Other +1 and International, and the policies US Only and No Restrictions.
inline TenantDocument worked_example()
{
    TenantDocument d;
    d.tenant.name = "contoso";
    for (int i = 1; i <= 6; ++i)
        d.gateways.push_back(gateway("sbc" + std::to_string(i) + ".contoso.com"));
    d.usages = {"US and Canada", "International"};
    d.routes = {route("Redmond 1", R"(^\+1(425|206)(\d{7})$)", 1, "US and Canada", {"sbc1.contoso.com", "sbc2.contoso.com"}),
                route("Redmond 2", R"(^\+1(425|206)(\d{7})$)", 2, "US and Canada", {"sbc3.contoso.com", "sbc4.contoso.com"}),
                route("Other +1", R"(^\+1(\d{10})$)", 3, "US and Canada", {"sbc5.contoso.com", "sbc6.contoso.com"}),
                route("International", ".*", 4, "International", {"sbc2.contoso.com", "sbc5.contoso.com"})};
    d.policies = {VoiceRoutingPolicy{"Global", {}, {}}, VoiceRoutingPolicy{"US Only", {"US and Canada"}, {}},
                  VoiceRoutingPolicy{"No Restrictions", {"US and Canada", "International"}, {}}};
    d.dial_plans = {TenantDialPlan{"Global", {}, {}}};
    return d;
}

}  // namespace csctl::test
