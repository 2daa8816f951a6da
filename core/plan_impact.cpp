#include "core/plan_impact.hpp"

#include "core/policy_assignment.hpp"
#include "core/text.hpp"

#include <map>
#include <set>

namespace csctl {

namespace {

using Names = std::set<std::string>;  // lower-case

// The reach of one side of a plan: who has which effective policy and dial plan, and the chain
// usage → policy, route → usages, gateway → routes, translation rule → gateways.
class Reach {
public:
    explicit Reach(const TenantDocument& d)
    {
        PolicyResolver resolver(d.tenant, d.groups);
        for (const auto& u : d.users) {
            auto policy = resolver.voice_routing(u);
            auto plan = resolver.dial_plan(u);
            ++m_policy_users[to_lower(policy.name)];
            ++m_plan_users[to_lower(plan.name)];
            if (policy.source == "tenant" || policy.source == "global" || plan.source == "tenant" ||
                plan.source == "global" || u.teams_upgrade_policy.empty())
                ++m_default_users;
            if (!u.phone_number.empty())
                ++m_numbered_users;
            for (const auto& g : u.groups)
                ++m_group_members[to_lower(g)];
        }
        for (const auto& p : d.policies)
            for (const auto& usage : p.online_pstn_usages)
                m_usage_policies[to_lower(usage)].insert(to_lower(p.name));
        for (const auto& r : d.routes) {
            auto& usages = m_route_usages[to_lower(r.identity)];
            for (const auto& usage : r.online_pstn_usages)
                usages.insert(to_lower(usage));
            for (const auto& g : r.online_pstn_gateway_list)
                m_gateway_routes[to_lower(g)].insert(to_lower(r.identity));
        }
        for (const auto& g : d.gateways)
            for (const auto* list : {&g.inbound_teams_number_translation_rules, &g.inbound_pstn_number_translation_rules,
                                     &g.outbound_pstn_number_translation_rules,
                                     &g.outbound_teams_number_translation_rules})
                for (const auto& rule : *list)
                    m_rule_gateways[to_lower(rule)].insert(to_lower(g.fqdn));
    }

    std::size_t policy_users(const Names& policies) const
    {
        std::size_t n = 0;
        for (const auto& p : policies)
            n += count(m_policy_users, p);
        return n;
    }
    Names usage_policies(const Names& usages) const
    {
        Names out;
        for (const auto& u : usages)
            if (auto it = m_usage_policies.find(u); it != m_usage_policies.end())
                out.insert(it->second.begin(), it->second.end());
        return out;
    }
    Names route_usages(const Names& routes) const
    {
        Names out;
        for (const auto& r : routes)
            if (auto it = m_route_usages.find(r); it != m_route_usages.end())
                out.insert(it->second.begin(), it->second.end());
        return out;
    }
    Names gateway_routes(const Names& gateways) const { return lookup(m_gateway_routes, gateways); }
    Names rule_gateways(const Names& rules) const { return lookup(m_rule_gateways, rules); }

    std::size_t usages(const Names& usages) const { return policy_users(usage_policies(usages)); }
    std::size_t routes(const Names& routes) const { return usages(route_usages(routes)); }
    std::size_t gateways(const Names& gateways) const { return routes(gateway_routes(gateways)); }
    std::size_t rules(const Names& rules) const { return gateways(rule_gateways(rules)); }
    std::size_t dial_plan(const std::string& name) const { return count(m_plan_users, name); }
    std::size_t group(const std::string& name) const { return count(m_group_members, name); }
    std::size_t numbered() const { return m_numbered_users; }
    std::size_t defaults() const { return m_default_users; }

private:
    static std::size_t count(const std::map<std::string, std::size_t>& m, const std::string& key)
    {
        auto it = m.find(key);
        return it == m.end() ? 0 : it->second;
    }
    static Names lookup(const std::map<std::string, Names>& m, const Names& keys)
    {
        Names out;
        for (const auto& k : keys)
            if (auto it = m.find(k); it != m.end())
                out.insert(it->second.begin(), it->second.end());
        return out;
    }

    std::map<std::string, std::size_t> m_policy_users, m_plan_users, m_group_members;
    std::size_t m_default_users = 0, m_numbered_users = 0;
    std::map<std::string, Names> m_usage_policies, m_route_usages, m_gateway_routes, m_rule_gateways;
};

// The usage names one side of a usage-list operation holds and the other does not.
Names changed_usages(const PlanOp& op)
{
    Names before, after, out;
    if (op.before.is_array())
        for (const auto& u : op.before)
            before.insert(to_lower(u.get<std::string>()));
    if (op.after.is_array())
        for (const auto& u : op.after)
            after.insert(to_lower(u.get<std::string>()));
    for (const auto& u : before)
        if (!after.count(u))
            out.insert(u);
    for (const auto& u : after)
        if (!before.count(u))
            out.insert(u);
    return out;
}

std::size_t affected(const Reach& side, const PlanOp& op)
{
    auto id = to_lower(op.identity);
    if (op.kind == kind::user)
        return 1;
    if (op.kind == kind::voice_routing_policy)
        return side.policy_users({to_lower(policy_name_from_identity(op.identity))});
    if (op.kind == kind::dial_plan)
        return side.dial_plan(to_lower(dial_plan_name_from_identity(op.identity)));
    if (op.kind == kind::usage)
        return side.usages(changed_usages(op));
    if (op.kind == kind::voice_route)
        return side.routes({id});
    if (op.kind == kind::gateway)
        return side.gateways({id});
    if (op.kind == kind::translation_rule)
        return side.rules({id});
    if (op.kind == kind::group)
        return side.group(id);
    if (op.kind == kind::blocked_number || op.kind == kind::exempt_number)
        return side.numbered();
    if (op.kind == kind::tenant) {
        bool defaults = false, blocking = false;
        for (const char* key : {"onlineVoiceRoutingPolicy", "tenantDialPlan", "teamsUpgradePolicy"})
            defaults = defaults || op.before.value(key, Json()) != op.after.value(key, Json());
        blocking = op.before.value("blockedCallingNumbersEnabled", Json()) !=
                   op.after.value("blockedCallingNumbersEnabled", Json());
        return std::max(defaults ? side.defaults() : 0, blocking ? side.numbered() : 0);
    }
    return 0;
}

}  // namespace

std::vector<std::size_t> users_affected(const TenantDocument& from, const TenantDocument& to,
                                        const std::vector<PlanOp>& ops)
{
    Reach before(from), after(to);
    std::vector<std::size_t> out;
    out.reserve(ops.size());
    for (const auto& op : ops) {
        if (op.action == "delete")
            out.push_back(affected(before, op));
        else if (op.action == "create")
            out.push_back(affected(after, op));
        else
            out.push_back(std::max(affected(before, op), affected(after, op)));
    }
    return out;
}

}  // namespace csctl
