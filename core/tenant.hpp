// The tenant itself: its name, tenant id and registered SIP domains.
#pragma once

#include "core/tenant_store.hpp"

namespace csctl {

void validate_tenant_name(const std::string& name);
void validate(const TenantInfo& tenant);
void add_domain(TenantStore& store, const std::string& domain);
// Refused while a gateway's FQDN lies in the domain.
void remove_domain(TenantStore& store, const std::string& domain);

}  // namespace csctl
