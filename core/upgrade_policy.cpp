#include "core/upgrade_policy.hpp"

#include "core/text.hpp"

namespace csctl {

const std::vector<UpgradePolicy>& upgrade_policies()
{
    static const std::vector<UpgradePolicy> policies{
        {"Global", "Islands", false},
        {"UpgradeToTeams", "TeamsOnly", false},
        {"Islands", "Islands", false},
        {"IslandsWithNotify", "Islands", true},
        {"SfBOnly", "SfBOnly", false},
        {"SfBOnlyWithNotify", "SfBOnly", true},
        {"SfBWithTeamsCollab", "SfBWithTeamsCollab", false},
        {"SfBWithTeamsCollabWithNotify", "SfBWithTeamsCollab", true},
        {"SfBWithTeamsCollabAndMeetings", "SfBWithTeamsCollabAndMeetings", false},
        {"SfBWithTeamsCollabAndMeetingsWithNotify", "SfBWithTeamsCollabAndMeetings", true},
    };
    return policies;
}

const UpgradePolicy* find_upgrade_policy(std::string_view name)
{
    auto bare = policy_name_from_identity(std::string(name));
    for (const auto& p : upgrade_policies())
        if (iequals(p.identity, bare))
            return &p;
    return nullptr;
}

const UpgradePolicy& require_upgrade_policy(const std::string& name)
{
    if (const auto* p = find_upgrade_policy(name))
        return *p;
    std::vector<std::string> names;
    for (const auto& p : upgrade_policies())
        names.push_back(p.identity);
    throw not_found(describe("teams upgrade policy", name) + " does not exist; the built-in policies are " +
                    quoted_list(names, 20));
}

Json to_json(const UpgradePolicy& p)
{
    return Json{{"identity", p.identity == "Global" ? p.identity : "Tag:" + p.identity},
                {"mode", p.mode},
                {"notifySfbUsers", p.notify_sfb_users},
                {"description", p.identity == "Global" ? "Tenant default" : "Built-in"}};
}

namespace {

// The stored name for a grant ("" removes), or throws.
std::string resolve_grant(const std::string& text)
{
    auto name = grant_name(text);
    return name.empty() ? name : require_upgrade_policy(name).identity;
}

void check_homing(const std::string& upn, const std::string& homed, const std::string& policy)
{
    if (homed != "onprem")
        return;
    if (const auto* p = find_upgrade_policy(policy); p && p->mode == "TeamsOnly")
        throw usage_error(user_label(upn) + " is homed on-premises: " + quote(p->identity) +
                          " (TeamsOnly) needs a user homed online; move the user to Teams Online first "
                          "(`csctl user set " + upn + " --homed online`)");
}

}  // namespace

void grant_upgrade_policy_to_user(TenantStore& store, const std::string& policy, const std::string& upn)
{
    auto name = resolve_grant(policy);
    auto user = store.find_user(upn);
    if (!user)
        throw not_found(user_label(upn) + " does not exist (add it with `csctl user add`)");
    check_homing(user->user_principal_name, user->homed, name);
    store.assign_user_policies(PolicyType::upgrade, {AssignmentChange{user->user_principal_name, user->teams_upgrade_policy, name}});
}

void check_upgrade_default(TenantStore& store, const std::string& policy)
{
    const auto* p = find_upgrade_policy(policy);
    if (!p || p->mode != "TeamsOnly")
        return;
    // A user's own grant decides the user's mode; the others take the default.
    std::vector<std::string> onprem;
    std::size_t count = 0;
    for (const auto& u : store.users())
        if (u.homed == "onprem" && u.teams_upgrade_policy.empty() && count++ < 5)
            onprem.push_back(u.user_principal_name);
    if (count == 0)
        return;
    throw usage_error("teams upgrade policy " + quote(p->identity) + " (TeamsOnly) as the tenant default would make " +
                      std::to_string(count) + (count == 1 ? " user" : " users") + " homed on-premises TeamsOnly (" +
                      quoted_list(onprem, 5) + (count > onprem.size() ? ", …" : "") +
                      "); grant them a mode that keeps Skype for Business first (`csctl upgrade-policy grant Islands "
                      "--user UPN`, or --from-csv), or move them online");
}

void grant_upgrade_policy_global(TenantStore& store, const std::string& policy)
{
    auto name = resolve_grant(policy);
    check_upgrade_default(store, name);
    auto tenant = store.tenant();
    tenant.teams_upgrade_policy = name == "Global" ? std::string() : name;
    store.put_tenant(tenant);
}

BulkReport grant_upgrade_policy_bulk(TenantStore& store, const std::vector<GrantRow>& rows, const BulkOptions& options)
{
    return grant_bulk(store, rows, options, PolicyType::upgrade, resolve_grant,
                      [](const UserAssignment& u, const std::string& name) { check_homing(u.upn, u.homed, name); });
}

}  // namespace csctl
