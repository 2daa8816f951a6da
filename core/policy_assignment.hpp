// Who gets which policy: the effective policy of a user (direct assignment, else the best-ranked
// group assignment, else the tenant default, else Global) and the grants that set them.
#pragma once

#include "core/bulk.hpp"
#include "core/tenant_store.hpp"

#include <map>
#include <optional>

namespace csctl {

struct EffectivePolicy {
    std::string name;                  // "Global" or the policy name
    std::string source;                // direct, group, tenant, global
    std::string group;                 // for source "group"
    std::optional<int> rank;           // for source "group" (none: unranked, after every rank)

    // "direct", "group "sales" rank 1", "tenant default", "no assignment"
    std::string describe() const;
    Json to_json() const;
};

// Resolves effective policies: the tenant is read once, a group when a user first names it (so
// that `user get` reads the groups of one user, not all of them), each group once.
class PolicyResolver {
public:
    explicit PolicyResolver(TenantStore& store);
    // From a tenant held in memory (the server's snapshot of one revision).
    PolicyResolver(const TenantInfo& tenant, const std::vector<Group>& groups);

    EffectivePolicy voice_routing(const User& user) const;
    EffectivePolicy upgrade(const User& user) const;
    // Direct, else the best-ranked group, else the tenant default (dial-plan grant --global), else Global.
    EffectivePolicy dial_plan(const User& user) const;
    // The Mode of the user's effective upgrade policy (TeamsOnly, Islands …).
    std::string mode(const User& user) const;
    // {onlineVoiceRoutingPolicy: {...}, teamsUpgradePolicy: {..., mode}, tenantDialPlan: {...}}
    Json effective_json(const User& user) const;

private:
    const Group* group(const std::string& name) const;

    TenantStore* m_store = nullptr;  // none: every group is in m_groups already
    TenantInfo m_tenant;
    mutable std::map<std::string, std::optional<Group>> m_groups;  // by lower-case name; nullopt: none
};

// Grant-CsOnlineVoiceRoutingPolicy -Identity UPN; "" (or $null / Global) removes the assignment.
void grant_voice_routing_policy_to_user(TenantStore& store, const std::string& policy, const std::string& upn);
// -Group NAME -Rank N; "" removes the group's assignment.
void grant_voice_routing_policy_to_group(TenantStore& store, const std::string& policy, const std::string& group,
                                         std::optional<int> rank);

// A group's grant of a voice routing policy or dial plan (type): name is the stored name, "" removes
// the assignment (which takes no rank).
void grant_to_group(TenantStore& store, PolicyType type, const std::string& group, const std::string& name,
                    std::optional<int> rank);

// One row of a --from-csv grant: the user and, when the command names none, the policy.
struct GrantRow {
    std::size_t row = 0;
    std::string upn;
    std::string policy;                // from the policyName column, or the command's policy
};

// Grants policies to many users in one pass; rows that fail are reported, not thrown.
BulkReport grant_voice_routing_policy_bulk(TenantStore& store, const std::vector<GrantRow>& rows, const BulkOptions& options);

// The bulk grant of one policy type: resolve turns a row's policy text into the stored name ("" =
// none) or throws; check refuses a user the policy cannot go to. Reads only the UPN, homing and
// current assignment of the users, and writes only the rows that change.
BulkReport grant_bulk(TenantStore& store, const std::vector<GrantRow>& rows, const BulkOptions& options, PolicyType type,
                      const std::function<std::string(const std::string&)>& resolve,
                      const std::function<void(const UserAssignment&, const std::string&)>& check);

// A policy name as the grant commands take it: "" for $null, null, Global (remove the assignment).
std::string grant_name(const std::string& text);

}  // namespace csctl
