// Tenant dial plans and their ordered normalization rules: *-CsTenantDialPlan and
// New-CsVoiceNormalizationRule. `Global` always exists; removing it resets it to no rules.
#pragma once

#include "core/bulk.hpp"
#include "core/fields.hpp"
#include "core/policy_assignment.hpp"
#include "core/tenant_store.hpp"

namespace csctl {

inline constexpr std::size_t k_max_normalization_rules = 50;

const std::vector<FieldSpec>& dial_plan_fields();
const std::vector<FieldSpec>& normalization_rule_fields();

void validate(const TenantDialPlan& plan);

TenantDialPlan new_dial_plan(TenantStore& store, const std::string& identity, const Edit& edit);
TenantDialPlan set_dial_plan(TenantStore& store, const std::string& identity, const Edit& edit);
void remove_dial_plan(TenantStore& store, const std::string& identity);
TenantDialPlan require_dial_plan(TenantStore& store, const std::string& identity);
// Grant -Global: the tenant default dial plan; an empty name (or Global) removes it.
void grant_dial_plan_global(TenantStore& store, const std::string& identity);
// Grant-CsTenantDialPlan -Identity UPN; "" (or $null / Global) removes the user's assignment.
void grant_dial_plan_to_user(TenantStore& store, const std::string& plan, const std::string& upn);
// -Group NAME -Rank N; "" removes the group's assignment.
void grant_dial_plan_to_group(TenantStore& store, const std::string& plan, const std::string& group,
                              std::optional<int> rank);
// Grants dial plans to many users in one pass (GrantRow::policy is the plan); failed rows are reported.
BulkReport grant_dial_plan_bulk(TenantStore& store, const std::vector<GrantRow>& rows, const BulkOptions& options);

// position: 0-based place in the plan's list (Teams' -Priority); nullopt appends (new) or keeps (set).
NormalizationRule new_normalization_rule(TenantStore& store, const std::string& plan, const std::string& name,
                                         const Edit& edit, std::optional<long long> position);
NormalizationRule set_normalization_rule(TenantStore& store, const std::string& plan, const std::string& name,
                                         const Edit& edit, std::optional<long long> position);
void remove_normalization_rule(TenantStore& store, const std::string& plan, const std::string& name);

// "Redmond/5digitExtension" → {"Redmond", "5digitExtension"}; a name without "/" keeps plan as given.
void split_rule_identity(std::string& plan, std::string& name);

}  // namespace csctl
