// Inbound blocked and exempt number patterns (*-CsInboundBlockedNumberPattern,
// *-CsInboundExemptNumberPattern) and the tenant switch (Set-CsTenantBlockedCallingNumbers).
#pragma once

#include "core/fields.hpp"
#include "core/tenant_store.hpp"

namespace csctl {

const std::vector<FieldSpec>& number_pattern_fields(bool exempt);
void validate(const NumberPattern& pattern, bool exempt);

NumberPattern new_number_pattern(TenantStore& store, bool exempt, const std::string& identity, const Edit& edit);
NumberPattern set_number_pattern(TenantStore& store, bool exempt, const std::string& identity, const Edit& edit);
void remove_number_pattern(TenantStore& store, bool exempt, const std::string& identity);
NumberPattern require_number_pattern(TenantStore& store, bool exempt, const std::string& identity);
void set_blocked_calling_numbers(TenantStore& store, bool enabled);

}  // namespace csctl
