// What the grant commands share: the rows of --from-csv and of repeated --user options.
#pragma once

#include "core/policy_assignment.hpp"

#include <string>
#include <vector>

namespace csctl {

// Rows from a CSV file (userPrincipalName, and policyName when the command names no policy),
// or from --user values (row = position on the command line).
std::vector<GrantRow> grant_rows_from_csv(const std::string& path, const std::string* policy);
std::vector<GrantRow> grant_rows_from_users(const std::vector<std::string>& upns, const std::string& policy);

}  // namespace csctl
