// Teams upgrade (coexistence) policies: the built-in, read-only instances of
// Get-CsTeamsUpgradePolicy and their grants. Only TeamsOnly users receive PSTN calls in Teams.
#pragma once

#include "core/bulk.hpp"
#include "core/policy_assignment.hpp"
#include "core/tenant_store.hpp"

namespace csctl {

struct UpgradePolicy {
    std::string identity;              // Global, UpgradeToTeams, Islands …
    std::string mode;                  // TeamsOnly, Islands, SfBOnly, SfBWithTeamsCollab, SfBWithTeamsCollabAndMeetings
    bool notify_sfb_users = false;
};

const std::vector<UpgradePolicy>& upgrade_policies();
const UpgradePolicy* find_upgrade_policy(std::string_view name);
// Throws not found, listing the instances.
const UpgradePolicy& require_upgrade_policy(const std::string& name);
Json to_json(const UpgradePolicy& policy);

// Grant-CsTeamsUpgradePolicy -Identity UPN; "" (or $null / Global) removes the assignment.
// UpgradeToTeams is refused for a user homed on-premises.
void grant_upgrade_policy_to_user(TenantStore& store, const std::string& policy, const std::string& upn);
// -Global: the tenant default; "" or Global resets it. A TeamsOnly default is refused while users
// homed on-premises have no grant of their own (they would be TeamsOnly).
void grant_upgrade_policy_global(TenantStore& store, const std::string& policy);
// That check alone, for a tenant default set another way (apply -f, a pushed change set).
void check_upgrade_default(TenantStore& store, const std::string& policy);
BulkReport grant_upgrade_policy_bulk(TenantStore& store, const std::vector<GrantRow>& rows, const BulkOptions& options);

}  // namespace csctl
