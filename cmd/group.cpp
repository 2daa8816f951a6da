// group: groups for group policy assignment (members, ranked grants).
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/group.hpp"

namespace csctl {

namespace {

struct GroupArgs {
    std::string name;
    std::string description;
    std::string filter;
    std::vector<std::string> members;
};

Json group_view(TenantStore& store, const Group& g)
{
    auto j = to_json(g);
    j["memberCount"] = store.group_members(g.name).size();
    return j;
}

const std::vector<Column> k_columns{{"name", "Name"},
                                    {"memberCount", "Members"},
                                    {"onlineVoiceRoutingPolicy", "OnlineVoiceRoutingPolicy"},
                                    {"onlineVoiceRoutingPolicyRank", "Rank"},
                                    {"description", "Description"}};

std::vector<std::string> expand(const std::vector<std::string>& raw)
{
    std::vector<std::string> out;
    for (const auto& r : raw)
        for (auto& item : split_list(r, r.find(';') != std::string::npos ? ';' : ','))
            out.push_back(std::move(item));
    return out;
}

}  // namespace

void add_group_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("group", "Groups of users for group policy assignment (ranked grants)", "New-CsGroupPolicyAssignment");
    r.names(group, "group");

    auto add = std::make_shared<GroupArgs>();
    auto* cmd = r.command(group, "new", "create a group", Needs::tenant_write, "New-MgGroup", [&ctx, add] {
        run_change(ctx, [&](TenantStore& s, Notes&) { new_group(s, add->name, add->description); });
    });
    r.add_identity(cmd, add->name, "name of the group", true);
    cmd->add_option("--description", add->description, "free text");

    auto get = std::make_shared<GroupArgs>();
    cmd = r.command(group, "get", "show groups with their grants and member counts", Needs::tenant_read, "Get-CsGroupPolicyAssignment",
                    [&ctx, get] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        Json out = Json::array();
                        if (!get->name.empty()) {
                            auto g = require_group(*store, get->name);
                            auto j = group_view(*store, g);
                            j["members"] = store->group_members(g.name);
                            out.push_back(j);
                        } else {
                            for (const auto& g : store->groups())
                                if (get->filter.empty() || wildcard_match(get->filter, g.name))
                                    out.push_back(group_view(*store, g));
                        }
                        print_objects(ctx.out(), ctx.format(), out, k_columns);
                    });
    r.add_identity(cmd, get->name, "name of the group", false);
    cmd->add_option("--filter", get->filter, "wildcard on the group name (* and ?)");

    auto remove = std::make_shared<GroupArgs>();
    cmd = r.command(group, "remove", "remove a group (its members leave it; their grants from it stop)", Needs::tenant_write,
                    "Remove-MgGroup", [&ctx, remove] {
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_group(s, remove->name); },
                                   "Remove " + group_label(remove->name) + "?");
                    });
    r.add_identity(cmd, remove->name, "name of the group", true);

    auto member_add = std::make_shared<GroupArgs>();
    cmd = r.command(group, "add-member", "add users to a group", Needs::tenant_write, "New-MgGroupMember", [&ctx, member_add] {
        auto upns = expand(member_add->members);
        run_change(ctx, [&](TenantStore& s, Notes&) { add_group_members(s, member_add->name, upns); });
    });
    cmd->add_option("group", member_add->name, "name of the group")->required();
    cmd->add_option("user", member_add->members, "UserPrincipalNames (several, or comma-separated)")->required();

    auto member_remove = std::make_shared<GroupArgs>();
    cmd = r.command(group, "remove-member", "remove users from a group", Needs::tenant_write, "Remove-MgGroupMemberByRef",
                    [&ctx, member_remove] {
                        auto upns = expand(member_remove->members);
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_group_members(s, member_remove->name, upns); });
                    });
    cmd->add_option("group", member_remove->name, "name of the group")->required();
    cmd->add_option("user", member_remove->members, "UserPrincipalNames (several, or comma-separated)")->required();
    r.examples("group", {"csctl group new sales", "csctl group add-member sales spencer@contoso.com", "csctl voice-routing-policy grant \"US Only\" --group sales --rank 1", "csctl group get sales -o json"});
}

}  // namespace csctl
