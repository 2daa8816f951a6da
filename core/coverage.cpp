#include "core/coverage.hpp"

#include "core/caller.hpp"
#include "core/error.hpp"
#include "core/text.hpp"


namespace csctl {

namespace {

std::string policy_identity(const std::string& name) { return name == "Global" ? name : "Tag:" + name; }
Json null_if_empty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

}  // namespace

UserCoverageCheck::UserCoverageCheck(const RoutingEngine& engine, const PolicyResolver& resolver)
    : m_engine(engine), m_resolver(resolver)
{
}

UserCoverage& UserCoverageCheck::drop(const User& user, const CallerContext& caller, std::string reason)
{
    ++m_report.dropped;
    auto& c = m_report.dropped_users.emplace_back();
    c.user = user.user_principal_name;
    c.phone_number = caller.phone_number;
    c.normalized_number = caller.phone_number;
    c.policy = policy_identity(caller.policy);
    c.policy_source = m_resolver.voice_routing(user).describe();
    c.outcome = "dropped";
    c.reason = std::move(reason);
    return c;
}

void UserCoverageCheck::add(const User& user)
{
    ++m_report.users;
    if (!user.enterprise_voice_enabled || user.phone_number.empty())
        return;
    ++m_report.checked;
    auto caller = caller_from_user(user, m_resolver);
    auto [at, fresh] = m_policies.try_emplace(caller.policy, -1);
    if (fresh)
        at->second = m_engine.policy_index(caller.policy);
    const int policy = at->second;
    if (policy < 0) {
        drop(user, caller, "voice routing policy " + quote(caller.policy) + " does not exist");
        return;
    }
    std::string number;
    try {
        number = m_engine.normalize(caller, caller.phone_number).number;
    } catch (const Error& e) {
        drop(user, caller, e.what());
        return;
    }
    const auto& usages = m_engine.policy_at(policy).online_pstn_usages;
    int usage = m_engine.select_routes(policy, number, m_selected);
    if (usage >= 0) {
        for (auto id : m_selected)
            if (m_engine.route_has_enabled_gateway(id)) {
                ++m_report.routed;
                return;
            }
    }
    if (caller.calling_plan) {
        ++m_report.calling_plan;
        return;
    }
    std::string reason;
    if (usage >= 0) {
        std::vector<std::string> names;
        for (auto id : m_selected)
            names.push_back(m_engine.route_at(id).identity);
        reason = "every gateway of route " + quoted_list(names, 3) + " (usage " +
                 quote(usages[static_cast<std::size_t>(usage)]) + ") is disabled";
    } else if (usages.empty()) {
        reason = "the policy has no usages";
    } else {
        reason = "no route of usage " + quoted_list(usages, 5) + " matches the number";
    }
    auto& c = drop(user, caller, std::move(reason));
    c.normalized_number = number;
    if (usage >= 0) {
        c.usage = usages[static_cast<std::size_t>(usage)];
        c.route = m_engine.route_at(m_selected.front()).identity;
    }
}

CoverageReport check_user_coverage(const RoutingEngine& engine, const std::vector<User>& users,
                                   const PolicyResolver& resolver)
{
    UserCoverageCheck check(engine, resolver);
    for (const auto& user : users)
        check.add(user);
    return std::move(check.report());
}

Json to_json(const UserCoverage& c)
{
    return Json{{"userPrincipalName", c.user},
                {"phoneNumber", c.phone_number},
                {"normalizedNumber", c.normalized_number},
                {"policy", c.policy},
                {"policySource", c.policy_source},
                {"outcome", c.outcome},
                {"reason", c.reason},
                {"usage", null_if_empty(c.usage)},
                {"route", null_if_empty(c.route)}};
}

Json to_json(const CoverageReport& r)
{
    Json users = Json::array();
    for (const auto& c : r.dropped_users)
        users.push_back(to_json(c));
    return Json{{"users", r.users},
                {"checked", r.checked},
                {"routed", r.routed},
                {"callingPlan", r.calling_plan},
                {"dropped", r.dropped},
                {"droppedUsers", users}};
}

}  // namespace csctl
