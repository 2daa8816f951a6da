#include "cmd/grant.hpp"

#include "cmd/bulk.hpp"
#include "cmd/change.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace csctl {

std::vector<GrantRow> grant_rows_from_csv(const std::string& path, const std::string* policy)
{
    auto table = read_csv_file(path);
    require_column(table, path, "userPrincipalName");
    const long upn = table.column("userPrincipalName");
    const long name = table.column("policyName");
    if (!policy && name < 0)
        throw usage_error(path + ": name the policy on the command line or give the file a \"policyName\" column");
    std::vector<GrantRow> rows(table.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = GrantRow{table.lines[i], std::string(table.cell(i, upn)), policy ? *policy : std::string(table.cell(i, name))};
    return rows;
}

std::vector<GrantRow> grant_rows_from_users(const std::vector<std::string>& upns, const std::string& policy)
{
    std::vector<GrantRow> rows;
    std::size_t n = 0;
    for (const auto& raw : upns)
        for (auto& upn : split_list(raw))
            rows.push_back(GrantRow{++n, std::move(upn), policy});
    return rows;
}

void add_grant_options(Registry& r, CLI::App* cmd, GrantArgs& args, const std::string& noun)
{
    r.completes(cmd->add_option("--user", args.users, "UserPrincipalName (repeatable, or comma-separated)"), "user");
    r.completes(cmd->add_option("--group", args.group,
                                "group to grant to (its members get the " + noun + " unless assigned directly)"),
                "group");
    args.rank_option = cmd->add_option("--rank", args.rank, "with --group: 1 is the highest; no rank sorts last");
    cmd->add_flag("--global", args.global, "grant as the tenant default (asks for confirmation)");
    cmd->add_option("--from-csv", args.file, "many users: CSV with userPrincipalName (and policyName)");
    cmd->add_flag("--continue-on-error", args.continue_on_error, "apply the valid rows even when some rows fail");
}

void run_grant(Context& ctx, const GrantArgs& g, const GrantCalls& calls)
{
    const auto& what = calls.command;
    int targets = (g.users.empty() ? 0 : 1) + (g.group.empty() ? 0 : 1) + (g.global ? 1 : 0) + (g.file.empty() ? 0 : 1);
    if (targets != 1)
        throw usage_error(what + ": say whom to grant to: --user UPN, --group NAME [--rank N], --global or --from-csv "
                                 "FILE (one of them)");
    bool named = g.identity_option->count() > 0;
    if (!named && g.file.empty())
        throw usage_error(what + ": name the " + calls.noun + " (\"\" or $null removes the assignment)");
    if (g.rank_option->count() > 0 && g.group.empty())
        throw usage_error(what + ": --rank goes with --group");
    auto listed = grant_rows_from_users(g.users, g.identity);
    if (!g.users.empty() && listed.empty())
        throw usage_error(what + ": --user is empty (give a UserPrincipalName)");
    if (!g.file.empty() || listed.size() > 1) {
        auto rows = g.file.empty() ? listed : grant_rows_from_csv(g.file, named ? &g.identity : nullptr);
        run_bulk(ctx, what, g.continue_on_error,
                 [&](TenantStore& s, Notes&, const BulkOptions& o) { return calls.bulk(s, rows, o); });
        return;
    }
    if (!g.users.empty()) {
        run_change(ctx, [&](TenantStore& s, Notes&) { calls.to_user(s, g.identity, listed.front().upn); });
        return;
    }
    if (!g.group.empty()) {
        std::optional<int> rank;
        if (g.rank_option->count() > 0)
            rank = g.rank;
        run_change(ctx, [&](TenantStore& s, Notes&) { calls.to_group(s, g.identity, g.group, rank); });
        return;
    }
    run_change(ctx, [&](TenantStore& s, Notes&) { calls.to_tenant(s, g.identity); },
               "Make " + calls.label(g.identity) + " the tenant-wide default for every user without another assignment?");
}

}  // namespace csctl
