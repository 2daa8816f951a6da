// Online PSTN gateways (SBCs): fields, rules and the operations of *-CsOnlinePSTNGateway.
#pragma once

#include "core/fields.hpp"
#include "core/tenant_store.hpp"

namespace csctl {

const std::vector<FieldSpec>& gateway_fields();

// Throws a usage error naming the gateway and the field when a rule of domain.md is broken.
void validate(const Gateway& gateway, const TenantInfo& tenant);
std::optional<std::string> fqdn_problem(const std::string& fqdn, const TenantInfo& tenant);

Gateway new_gateway(TenantStore& store, const std::string& fqdn, const Edit& edit, Notes& notes);
Gateway set_gateway(TenantStore& store, const std::string& fqdn, const Edit& edit, Notes& notes);
void remove_gateway(TenantStore& store, const std::string& fqdn);
Gateway require_gateway(TenantStore& store, const std::string& fqdn);

}  // namespace csctl
