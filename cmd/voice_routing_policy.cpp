// voice-routing-policy: *-CsOnlineVoiceRoutingPolicy and Grant-CsOnlineVoiceRoutingPolicy.
#include "cmd/bulk.hpp"
#include "cmd/change.hpp"
#include "cmd/grant.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/policy_assignment.hpp"
#include "core/voice_routing_policy.hpp"

namespace csctl {

namespace {

const std::vector<Column> k_columns{
    {"identity", "Identity"}, {"onlinePstnUsages", "OnlinePstnUsages"}, {"description", "Description"}};

struct PolicyArgs {
    std::string identity;
    std::string filter;
    bool global = false;
    FieldInputs fields;
    // grant
    CLI::Option* identity_option = nullptr;
    std::vector<std::string> users;
    std::string group;
    int rank = 0;
    CLI::Option* rank_option = nullptr;
    std::string file;
    bool continue_on_error = false;
};

}  // namespace

void add_voice_routing_policy_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("voice-routing-policy", "Online voice routing policies: ordered usages granted to users",
                          "*-CsOnlineVoiceRoutingPolicy");
    r.names(group, "policy");
    r.examples(group, {"csctl voice-routing-policy new \"US Only\" --online-pstn-usages \"US and Canada\"",
                       "csctl voice-routing-policy set \"US Only\" --add-usage International",
                       "csctl voice-routing-policy grant \"US Only\" --global --yes",
                       "csctl voice-routing-policy get --filter 'Tag:US*'"});
    auto print_one = [&ctx](const VoiceRoutingPolicy& p) {
        if (!ctx.globals.dry_run)
            print_objects(ctx.out(), ctx.format(), Json::array({to_json(p)}), k_columns);
    };

    auto add = std::make_shared<PolicyArgs>();
    auto* cmd = r.command(group, "new", "create a policy", Needs::tenant_write, "New-CsOnlineVoiceRoutingPolicy",
                          [&ctx, add, print_one] {
                              auto edit = add->fields.edit(policy_label(policy_name_from_identity(add->identity)));
                              VoiceRoutingPolicy created;
                              run_change(ctx, [&](TenantStore& s, Notes&) { created = new_policy(s, add->identity, edit); });
                              print_one(created);
                          });
    r.add_identity(cmd, add->identity, "name of the policy (\"Tag:\" optional)", true);
    r.add_fields(cmd, voice_routing_policy_fields(), true, add->fields);

    auto set = std::make_shared<PolicyArgs>();
    cmd = r.command(group, "set", "change a policy (Global included)", Needs::tenant_write,
                    "Set-CsOnlineVoiceRoutingPolicy", [&ctx, set, print_one] {
                        auto edit = set->fields.edit(policy_label(policy_name_from_identity(set->identity)));
                        VoiceRoutingPolicy changed;
                        run_change(ctx, [&](TenantStore& s, Notes&) { changed = set_policy(s, set->identity, edit); });
                        print_one(changed);
                    });
    r.add_identity(cmd, set->identity, "name of the policy (\"Tag:\" optional)", true);
    r.add_fields(cmd, voice_routing_policy_fields(), false, set->fields);

    auto get = std::make_shared<PolicyArgs>();
    cmd = r.command(group, "get", "show policies (one, --filter, or all)", Needs::tenant_read,
                    "Get-CsOnlineVoiceRoutingPolicy", [&ctx, get] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        Json objects = Json::array();
                        if (!get->identity.empty())
                            objects.push_back(to_json(require_policy(*store, get->identity)));
                        else
                            objects = select_objects(store->policies(), get->filter,
                                                     [](const VoiceRoutingPolicy& p) { return p.identity(); });
                        print_objects(ctx.out(), ctx.format(), objects, k_columns);
                    });
    r.add_identity(cmd, get->identity, "name of the policy (\"Tag:\" optional)", false);
    cmd->add_option("--filter", get->filter, "wildcard on the identity (e.g. 'Tag:US*')");

    auto remove = std::make_shared<PolicyArgs>();
    cmd = r.command(group, "remove", "delete a policy (Global is reset to no usages instead)", Needs::tenant_write,
                    "Remove-CsOnlineVoiceRoutingPolicy", [&ctx, remove] {
                        auto name = policy_name_from_identity(remove->identity);
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_policy(s, remove->identity); },
                                   (name == "Global" ? "Reset " : "Remove ") + policy_label(name) + "?");
                    });
    r.add_identity(cmd, remove->identity, "name of the policy (\"Tag:\" optional)", true);

    auto grant = std::make_shared<PolicyArgs>();
    cmd = r.command(group, "grant", "assign a policy to users, a group (ranked), or the tenant (--global)",
                    Needs::tenant_write, "Grant-CsOnlineVoiceRoutingPolicy", [&ctx, grant] {
                        auto& g = *grant;
                        int targets = (g.users.empty() ? 0 : 1) + (g.group.empty() ? 0 : 1) + (g.global ? 1 : 0) +
                                      (g.file.empty() ? 0 : 1);
                        if (targets != 1)
                            throw usage_error("voice-routing-policy grant: say whom to grant to: --user UPN, --group NAME "
                                              "[--rank N], --global or --from-csv FILE (one of them)");
                        bool named = g.identity_option->count() > 0;
                        if (!named && g.file.empty())
                            throw usage_error("voice-routing-policy grant: name the policy (\"\" or $null removes the assignment)");
                        if (g.rank_option->count() > 0 && g.group.empty())
                            throw usage_error("voice-routing-policy grant: --rank goes with --group");
                        auto listed = grant_rows_from_users(g.users, g.identity);
                        if (!g.users.empty() && listed.empty())
                            throw usage_error("voice-routing-policy grant: --user is empty (give a UserPrincipalName)");
                        if (!g.file.empty() || listed.size() > 1) {
                            auto rows = g.file.empty() ? listed : grant_rows_from_csv(g.file, named ? &g.identity : nullptr);
                            run_bulk(ctx, "voice-routing-policy grant", g.continue_on_error,
                                     [&](TenantStore& s, Notes&, const BulkOptions& o) {
                                         return grant_voice_routing_policy_bulk(s, rows, o);
                                     });
                            return;
                        }
                        if (!g.users.empty()) {
                            run_change(ctx, [&](TenantStore& s, Notes&) {
                                grant_voice_routing_policy_to_user(s, g.identity, listed.front().upn);
                            });
                            return;
                        }
                        if (!g.group.empty()) {
                            std::optional<int> rank;
                            if (g.rank_option->count() > 0)
                                rank = g.rank;
                            run_change(ctx, [&](TenantStore& s, Notes&) {
                                grant_voice_routing_policy_to_group(s, g.identity, g.group, rank);
                            });
                            return;
                        }
                        auto name = policy_name_from_identity(g.identity);
                        run_change(ctx, [&](TenantStore& s, Notes&) { grant_policy_global(s, g.identity); },
                                   "Make " + policy_label(name.empty() ? "Global" : name) +
                                       " the tenant-wide default for every user without another assignment?");
                    });
    grant->identity_option =
        cmd->add_option("identity,--identity,--policy-name", grant->identity,
                        "policy to grant; \"\" or $null removes the assignment (with --from-csv: else the policyName column)");
    r.completes(cmd->add_option("--user", grant->users, "UserPrincipalName (repeatable, or comma-separated)"), "user");
    cmd->add_option("--group", grant->group, "group to grant to (its members get the policy unless assigned directly)");
    grant->rank_option = cmd->add_option("--rank", grant->rank, "with --group: 1 is the highest; no rank sorts last");
    cmd->add_flag("--global", grant->global, "grant as the tenant default (asks for confirmation)");
    cmd->add_option("--from-csv", grant->file, "many users: CSV with userPrincipalName (and policyName)");
    cmd->add_flag("--continue-on-error", grant->continue_on_error, "apply the valid rows even when some rows fail");
}

}  // namespace csctl
