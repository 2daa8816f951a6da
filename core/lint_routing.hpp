// Whole-tenant lint of the routing configuration, for `validate`: findings that are legal
// configuration but almost certainly not what the admin meant. Pure: a tenant in, findings out.
#pragma once

#include "core/json.hpp"
#include "core/model.hpp"

#include <string>
#include <vector>

namespace csctl {

struct RoutingFinding {
    std::string severity;    // error (calls cannot work as configured), warning, info
    std::string kind;        // object kind as the journal names it (kind::voice_route …)
    std::string identity;
    std::string message;     // names the object and says how to fix it
};

std::vector<RoutingFinding> lint_routing(const TenantDocument& tenant);
Json to_json(const RoutingFinding& f);

// Why no number can match the pattern, or empty when some number can.
std::string pattern_cannot_match(const std::string& pattern);

}  // namespace csctl
