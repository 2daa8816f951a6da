// PSTN usages: the tenant-wide list of Set/Get-CsOnlinePstnUsage, changed by add, remove and
// replace (the @{Add=…}, @{Remove=…}, @{Replace=…} modifiers).
#pragma once

#include "core/tenant_store.hpp"

namespace csctl {

// Adding a usage that exists (in any case) is a no-op.
void add_usages(TenantStore& store, const std::vector<std::string>& names);
// Refused while a route or policy references a usage, unless cascade removes it from them too.
void remove_usages(TenantStore& store, const std::vector<std::string>& names, bool cascade);
void replace_usages(TenantStore& store, const std::vector<std::string>& names, bool cascade);
// The usage's spelling as stored; throws a usage error naming owner when it does not exist.
std::string require_usage(const std::vector<std::string>& usages, const std::string& name, const std::string& owner);
void validate_usage_name(const std::string& name);

}  // namespace csctl
