// `csctl validate`: the whole-tenant lint. Findings that make calls fail are errors; findings
// that are probably mistakes are warnings.
#pragma once

#include "core/tenant_store.hpp"

namespace csctl {

struct Finding {
    std::string severity;    // error, warning
    std::string rule;        // a stable name: user-not-teams-only, number-without-phone-system …
    std::string object;      // "user "x"", "group "sales""
    std::string message;
};

std::vector<Finding> lint_tenant(TenantStore& store);
Json to_json(const Finding& finding);

}  // namespace csctl
