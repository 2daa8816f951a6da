// upgrade-policy: Get/Grant-CsTeamsUpgradePolicy (coexistence modes; TeamsOnly for Direct Routing).
#include "cmd/bulk.hpp"
#include "cmd/change.hpp"
#include "cmd/grant.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/upgrade_policy.hpp"

namespace csctl {

namespace {

struct UpgradeArgs {
    std::string identity;
    CLI::Option* identity_option = nullptr;
    std::vector<std::string> users;
    bool global = false;
    std::string file;
    bool continue_on_error = false;
};

}  // namespace

void add_upgrade_policy_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("upgrade-policy", "Teams upgrade (coexistence) policies: built-in, granted to users",
                          "Get/Grant-CsTeamsUpgradePolicy");

    auto get = std::make_shared<UpgradeArgs>();
    auto* cmd = r.command(group, "get", "show the built-in policies (one, or all)", Needs::nothing, "Get-CsTeamsUpgradePolicy",
                          [&ctx, get] {
                              Json out = Json::array();
                              if (!get->identity.empty())
                                  out.push_back(to_json(require_upgrade_policy(get->identity)));
                              else
                                  for (const auto& p : upgrade_policies())
                                      out.push_back(to_json(p));
                              print_objects(ctx.out(), ctx.format(), out, {});
                          });
    r.add_identity(cmd, get->identity, "name of the policy (\"Tag:\" optional)", false);

    auto grant = std::make_shared<UpgradeArgs>();
    cmd = r.command(group, "grant", "assign a policy to users (a list or a CSV file) or the tenant (--global)",
                    Needs::tenant_write, "Grant-CsTeamsUpgradePolicy", [&ctx, grant] {
                        auto& g = *grant;
                        int targets = (g.users.empty() ? 0 : 1) + (g.global ? 1 : 0) + (g.file.empty() ? 0 : 1);
                        if (targets != 1)
                            throw usage_error("upgrade-policy grant: say whom to grant to: --user UPN (repeatable), "
                                              "--global or --from-csv FILE (one of them)");
                        bool named = g.identity_option->count() > 0;
                        if (!named && g.file.empty())
                            throw usage_error("upgrade-policy grant: name the policy (\"\" or $null removes the assignment)");
                        auto listed = grant_rows_from_users(g.users, g.identity);
                        if (!g.users.empty() && listed.empty())
                            throw usage_error("upgrade-policy grant: --user is empty (give a UserPrincipalName)");
                        if (!g.file.empty() || listed.size() > 1) {
                            auto rows = g.file.empty() ? listed : grant_rows_from_csv(g.file, named ? &g.identity : nullptr);
                            run_bulk(ctx, "upgrade-policy grant", g.continue_on_error,
                                     [&](TenantStore& s, Notes&, const BulkOptions& o) {
                                         return grant_upgrade_policy_bulk(s, rows, o);
                                     });
                            return;
                        }
                        if (!g.users.empty()) {
                            run_change(ctx, [&](TenantStore& s, Notes&) { grant_upgrade_policy_to_user(s, g.identity, listed.front().upn); });
                            return;
                        }
                        auto name = grant_name(g.identity);
                        run_change(ctx, [&](TenantStore& s, Notes&) { grant_upgrade_policy_global(s, g.identity); },
                                   "Make teams upgrade policy " + quote(name.empty() ? "Global" : name) +
                                       " the tenant-wide default for every user without a direct assignment?");
                    });
    grant->identity_option = cmd->add_option("identity,--identity,--policy-name", grant->identity,
                                             "policy to grant (UpgradeToTeams, Islands …); \"\" or $null removes the assignment");
    r.completes(cmd->add_option("--user", grant->users, "UserPrincipalName (repeatable, or comma-separated)"), "user");
    cmd->add_flag("--global", grant->global, "grant as the tenant default (asks for confirmation)");
    cmd->add_option("--from-csv", grant->file, "many users: CSV with userPrincipalName (and policyName)");
    cmd->add_flag("--continue-on-error", grant->continue_on_error, "apply the valid rows even when some rows fail");
    r.examples("upgrade-policy", {"csctl upgrade-policy get", "csctl upgrade-policy grant UpgradeToTeams --user spencer@contoso.com", "csctl upgrade-policy grant UpgradeToTeams --from-csv wave1.csv --continue-on-error", "csctl upgrade-policy grant Islands --global --yes"});
}

}  // namespace csctl
