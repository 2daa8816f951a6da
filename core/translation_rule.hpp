// Teams translation rules (*-CsTeamsTranslationRule): tenant-wide, at most 400, referenced by the
// four ordered translation lists of each gateway.
#pragma once

#include "core/fields.hpp"
#include "core/tenant_store.hpp"

namespace csctl {

inline constexpr std::size_t k_max_translation_rules = 400;

const std::vector<FieldSpec>& translation_rule_fields();
void validate(const TranslationRule& rule);

TranslationRule new_translation_rule(TenantStore& store, const std::string& identity, const Edit& edit);
TranslationRule set_translation_rule(TenantStore& store, const std::string& identity, const Edit& edit);
// Refused while a gateway lists the rule (the gateways and lists are named).
void remove_translation_rule(TenantStore& store, const std::string& identity);
TranslationRule require_translation_rule(TenantStore& store, const std::string& identity);

// The gateway's four lists with their PowerShell names, for messages and lookups.
struct TranslationList {
    const char* property;                                  // InboundTeamsNumberTranslationRules
    std::vector<std::string> Gateway::*list;
};
const std::vector<TranslationList>& gateway_translation_lists();

// Checks every name of the gateway's four lists exists (and is listed once per list) and returns
// the gateway with the names spelled as stored.
Gateway resolve_translation_rules(Gateway gateway, TenantStore& store);

}  // namespace csctl
