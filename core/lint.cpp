#include "core/lint.hpp"

#include "core/policy_assignment.hpp"
#include "core/text.hpp"
#include "core/upgrade_policy.hpp"

#include <map>
#include <unordered_map>
#include <unordered_set>

namespace csctl {

Json to_json(const Finding& f)
{
    return Json{{"severity", f.severity}, {"rule", f.rule}, {"object", f.object}, {"message", f.message}};
}

std::vector<Finding> lint_tenant(TenantStore& store)
{
    std::vector<Finding> out;
    auto error = [&](std::string rule, std::string object, std::string message) {
        out.push_back({"error", std::move(rule), std::move(object), std::move(message)});
    };
    auto warning = [&](std::string rule, std::string object, std::string message) {
        out.push_back({"warning", std::move(rule), std::move(object), std::move(message)});
    };
    std::map<std::string, VoiceRoutingPolicy> policies;  // lower-case name
    for (auto& p : store.policies())
        policies.emplace(to_lower(p.name), std::move(p));
    auto policy = [&](const std::string& name) -> const VoiceRoutingPolicy* {
        auto it = policies.find(to_lower(name));
        return it == policies.end() ? nullptr : &it->second;
    };
    std::unordered_set<std::string> dial_plans;  // lower-case name
    for (const auto& d : store.dial_plans())
        dial_plans.insert(to_lower(d.name));
    auto dial_plan_missing = [&](const std::string& identity) {
        return !identity.empty() && !dial_plans.count(to_lower(dial_plan_name_from_identity(identity)));
    };
    auto tenant = store.tenant();
    if (dial_plan_missing(tenant.tenant_dial_plan))
        error("grant-to-missing-policy", "tenant " + quote(tenant.name),
              "the tenant default dial plan " + quote(tenant.tenant_dial_plan) + " does not exist");
    if (!tenant.voice_routing_policy.empty() && !policy(tenant.voice_routing_policy))
        error("grant-to-missing-policy", "tenant " + quote(tenant.name),
              "the tenant default voice routing policy " + quote(tenant.voice_routing_policy) + " does not exist");
    if (!tenant.teams_upgrade_policy.empty() && !find_upgrade_policy(tenant.teams_upgrade_policy))
        error("grant-to-missing-policy", "tenant " + quote(tenant.name),
              "the tenant default teams upgrade policy " + quote(tenant.teams_upgrade_policy) + " does not exist");
    for (const auto& g : store.groups()) {
        if (!g.online_voice_routing_policy.empty() && !policy(g.online_voice_routing_policy))
            error("grant-to-missing-policy", group_label(g.name),
                  "voice routing policy " + quote(g.online_voice_routing_policy) + " is granted but does not exist");
        if (dial_plan_missing(g.tenant_dial_plan))
            error("grant-to-missing-policy", group_label(g.name),
                  "tenant dial plan " + quote(g.tenant_dial_plan) + " is granted but does not exist");
    }

    PolicyResolver resolver(store);
    std::unordered_map<std::string, std::string> numbers;  // number → first holder
    // A SIP address or object id names one user (inbound calls and -Identity find users by them).
    std::unordered_map<std::string, std::string> sip_addresses, object_ids;  // lower-case → first holder
    for (const auto& u : store.users()) {
        const auto object = user_label(u.user_principal_name);
        if (auto [at, first] = sip_addresses.emplace(to_lower(u.sip_address), u.user_principal_name); !first)
            error("duplicate-sip-address", object,
                  "SipAddress " + quote(u.sip_address) + " is also the SIP address of " + user_label(at->second));
        if (!u.object_id.empty())
            if (auto [at, first] = object_ids.emplace(to_lower(u.object_id), u.user_principal_name); !first)
                error("duplicate-object-id", object,
                      "ObjectId " + quote(u.object_id) + " is also the object id of " + user_label(at->second));
        if (!u.online_voice_routing_policy.empty() && !policy(u.online_voice_routing_policy))
            error("grant-to-missing-policy", object,
                  "voice routing policy " + quote(u.online_voice_routing_policy) + " is granted but does not exist");
        if (dial_plan_missing(u.tenant_dial_plan))
            error("grant-to-missing-policy", object,
                  "tenant dial plan " + quote(u.tenant_dial_plan) + " is granted but does not exist");
        if (!u.teams_upgrade_policy.empty() && !find_upgrade_policy(u.teams_upgrade_policy))
            error("grant-to-missing-policy", object,
                  "teams upgrade policy " + quote(u.teams_upgrade_policy) + " is granted but does not exist");
        if (!u.phone_number.empty()) {
            auto [at, first] = numbers.emplace(u.phone_number, u.user_principal_name);
            if (!first)
                error("duplicate-number", object,
                      "PhoneNumber " + quote(u.phone_number) + " is also assigned to " + user_label(at->second));
            if (u.phone_number_type == "DirectRouting" && !u.has_license("PhoneSystem"))
                error("number-without-phone-system", object,
                      "has DirectRouting number " + quote(u.phone_number) + " but no PhoneSystem licence");
            if (u.phone_number_type == "DirectRouting" && u.homed != "online")
                error("direct-routing-on-prem", object,
                      "has DirectRouting number " + quote(u.phone_number) + " but is homed on-premises");
        }
        if (u.homed == "onprem" && resolver.mode(u) == "TeamsOnly") {
            auto effective = resolver.upgrade(u);
            error("teams-only-on-prem", object,
                  "is homed on-premises but TeamsOnly (teams upgrade policy " + quote(effective.name) + ", " +
                      effective.describe() + "); a TeamsOnly user must be homed online");
        }
        if (!u.enterprise_voice_enabled)
            continue;
        if (auto mode = resolver.mode(u); mode != "TeamsOnly")
            warning("user-not-teams-only", object,
                    "is Enterprise Voice enabled but not TeamsOnly (" + mode + "); Direct Routing calls will not reach the user");
        auto effective = resolver.voice_routing(u);
        const auto* p = policy(effective.name);
        if (p && p->online_pstn_usages.empty())
            warning("policy-without-usages", object,
                    "effective voice routing policy " + quote(effective.name) + " (" + effective.describe() +
                        ") has no PSTN usages; the user cannot place PSTN calls");
    }
    return out;
}

}  // namespace csctl
