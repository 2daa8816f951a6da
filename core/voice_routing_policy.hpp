// Online voice routing policies: fields, rules and *-CsOnlineVoiceRoutingPolicy. `Global` always
// exists; it can be edited, not renamed or removed (removing it resets it).
#pragma once

#include "core/fields.hpp"
#include "core/tenant_store.hpp"

namespace csctl {

const std::vector<FieldSpec>& voice_routing_policy_fields();

VoiceRoutingPolicy validate(VoiceRoutingPolicy policy, TenantStore& store);

VoiceRoutingPolicy new_policy(TenantStore& store, const std::string& identity, const Edit& edit);
VoiceRoutingPolicy set_policy(TenantStore& store, const std::string& identity, const Edit& edit);
// Refused while the policy is granted (users, groups, the tenant default), unless cascade: then
// its grants are removed with it (noted in notes) and the grantees fall back to their next policy.
void remove_policy(TenantStore& store, const std::string& identity, bool cascade = false, Notes* notes = nullptr);
VoiceRoutingPolicy require_policy(TenantStore& store, const std::string& identity);
// Grant -Global: the tenant default; an empty name (or Global) removes it.
void grant_policy_global(TenantStore& store, const std::string& identity);

}  // namespace csctl
