// Online voice routes: fields, rules and the operations of *-CsOnlineVoiceRoute, including the
// priority semantics of domain.md (unique, insert shifts, omitted appends).
#pragma once

#include "core/fields.hpp"
#include "core/tenant_store.hpp"

namespace csctl {

const std::vector<FieldSpec>& voice_route_fields();

// Checks the route against the rules and the tenant's usages and gateways, and returns it with
// usage and gateway names spelled as stored. Throws a usage error naming route and field.
VoiceRoute validate(VoiceRoute route, TenantStore& store, Notes& notes);

VoiceRoute new_route(TenantStore& store, const std::string& identity, const Edit& edit, Notes& notes);
VoiceRoute set_route(TenantStore& store, const std::string& identity, const Edit& edit, Notes& notes);
void remove_route(TenantStore& store, const std::string& identity);
VoiceRoute require_route(TenantStore& store, const std::string& identity);

}  // namespace csctl
