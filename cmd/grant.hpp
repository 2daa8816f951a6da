// What the grant commands share (voice-routing-policy grant, dial-plan grant, upgrade-policy
// grant): the rows of --from-csv and of repeated --user options, and the choice of target.
#pragma once

#include "core/policy_assignment.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace csctl {

// Rows from a CSV file (userPrincipalName, and policyName when the command names no policy),
// or from --user values (row = position on the command line).
std::vector<GrantRow> grant_rows_from_csv(const std::string& path, const std::string* policy);
std::vector<GrantRow> grant_rows_from_users(const std::vector<std::string>& upns, const std::string& policy);

class Context;
class Registry;

// The options of a grant to users, a group, the tenant or a CSV file.
struct GrantArgs {
    std::string identity;                   // the policy or plan; "" or $null removes the assignment
    CLI::Option* identity_option = nullptr;  // set by the command (its identity is its own)
    std::vector<std::string> users;
    std::string group;
    int rank = 0;
    CLI::Option* rank_option = nullptr;
    bool global = false;
    std::string file;
    bool continue_on_error = false;
};

// What one grant command does for each kind of target.
struct GrantCalls {
    std::string command;  // "dial-plan grant"
    std::string noun;     // "dial plan"
    std::function<BulkReport(TenantStore&, const std::vector<GrantRow>&, const BulkOptions&)> bulk;
    std::function<void(TenantStore&, const std::string& name, const std::string& upn)> to_user;
    std::function<void(TenantStore&, const std::string& name, const std::string& group, std::optional<int> rank)> to_group;
    std::function<void(TenantStore&, const std::string& name)> to_tenant;
    std::function<std::string(const std::string& name)> label;  // for the --global question
};

// --user, --group, --rank, --global, --from-csv and --continue-on-error of a grant command.
void add_grant_options(Registry& r, CLI::App* cmd, GrantArgs& args, const std::string& noun);
// Checks that exactly one target is given, then grants through the one write path: many users as
// one bulk change, one user, a group, or the tenant default (after confirmation).
void run_grant(Context& ctx, const GrantArgs& args, const GrantCalls& calls);

}  // namespace csctl
