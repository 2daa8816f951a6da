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
    bool cascade = false;
    FieldInputs fields;
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
                        run_change(ctx, [&](TenantStore& s, Notes& n) { remove_policy(s, remove->identity, remove->cascade, &n); },
                                   (name == "Global" ? "Reset " : "Remove ") + policy_label(name) + "?");
                    });
    r.add_identity(cmd, remove->identity, "name of the policy (\"Tag:\" optional)", true);
    cmd->add_flag("--cascade", remove->cascade,
                  "also remove its grants (users, groups, tenant default), which fall back to their next policy");

    auto grant = std::make_shared<GrantArgs>();
    cmd = r.command(group, "grant", "assign a policy to users, a group (ranked), or the tenant (--global)",
                    Needs::tenant_write, "Grant-CsOnlineVoiceRoutingPolicy", [&ctx, grant] {
                        run_grant(ctx, *grant,
                                  GrantCalls{"voice-routing-policy grant", "policy",
                                             grant_voice_routing_policy_bulk,
                                             grant_voice_routing_policy_to_user,
                                             grant_voice_routing_policy_to_group,
                                             grant_policy_global,
                                             [](const std::string& identity) {
                                                 auto name = policy_name_from_identity(identity);
                                                 return policy_label(name.empty() ? "Global" : name);
                                             }});
                    });
    grant->identity_option =
        cmd->add_option("identity,--identity,--policy-name", grant->identity,
                        "policy to grant; \"\" or $null removes the assignment (with --from-csv: else the policyName column)");
    add_grant_options(r, cmd, *grant, "policy");
}

}  // namespace csctl
