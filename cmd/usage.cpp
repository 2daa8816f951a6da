// usage: Set/Get-CsOnlinePstnUsage — the tenant's list of PSTN usages.
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/text.hpp"
#include "core/usage.hpp"

namespace csctl {

namespace {
struct UsageArgs {
    std::vector<std::string> names;
    std::string filter;
    bool cascade = false;
};

std::vector<std::string> expand(const std::vector<std::string>& raw)
{
    std::vector<std::string> out;
    for (const auto& r : raw)
        for (auto& item : split_list(r))
            out.push_back(std::move(item));
    return out;
}
}  // namespace

void add_usage_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("usage", "PSTN usages: the tenant-wide list that links policies to routes",
                          "Set/Get-CsOnlinePstnUsage");
    r.examples(group, {"csctl usage add \"US and Canada\" International", "csctl usage get -o json",
                       "csctl usage remove International --cascade --yes"});

    auto add = std::make_shared<UsageArgs>();
    auto* cmd = r.command(group, "add", "add usages (an existing one is left as it is)", Needs::tenant_write,
                          "Set-CsOnlinePstnUsage -Usage @{Add=...}",
                          [&ctx, add] {
                              auto names = expand(add->names);
                              run_change(ctx, [&](TenantStore& s, Notes&) { add_usages(s, names); });
                          });
    cmd->add_option("name", add->names, "usage names (several, or comma-separated)")->required();

    auto remove = std::make_shared<UsageArgs>();
    cmd = r.command(group, "remove", "remove usages (refused while a route or policy uses them)", Needs::tenant_write,
                    "Set-CsOnlinePstnUsage -Usage @{Remove=...}", [&ctx, remove] {
                        auto names = expand(remove->names);
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_usages(s, names, remove->cascade); },
                                   "Remove pstn usage " + quoted_list(names) + "?");
                    });
    r.completes(cmd->add_option("name", remove->names, "usage names (several, or comma-separated)")->required(), "usage");
    cmd->add_flag("--cascade", remove->cascade, "also remove the usages from the routes and policies that use them");

    auto replace = std::make_shared<UsageArgs>();
    cmd = r.command(group, "replace", "replace the whole list of usages", Needs::tenant_write,
                    "Set-CsOnlinePstnUsage -Usage @{Replace=...}", [&ctx, replace] {
                        auto names = expand(replace->names);
                        run_change(ctx, [&](TenantStore& s, Notes&) { replace_usages(s, names, replace->cascade); },
                                   "Replace the pstn usages with " + quoted_list(names) + "?");
                    });
    r.completes(cmd->add_option("name", replace->names, "the new list (several names, or comma-separated; may be empty)"),
                "usage");
    cmd->add_flag("--cascade", replace->cascade, "also remove dropped usages from the routes and policies that use them");

    auto get = std::make_shared<UsageArgs>();
    cmd = r.command(group, "get", "show the usages", Needs::tenant_read, "Get-CsOnlinePstnUsage", [&ctx, get] {
        auto store = ctx.open(SqliteTenant::Mode::read_only);
        Json objects = Json::array();
        for (const auto& name : store->usages())
            if (get->filter.empty() || wildcard_match(get->filter, name))
                objects.push_back(Json{{"usage", name},
                                       {"routes", store->routes_using_usage(name)},
                                       {"policies", store->policies_using_usage(name)}});
        print_objects(ctx.out(), ctx.format(), objects, {});
    });
    cmd->add_option("--filter", get->filter, "wildcard on the usage name (* and ?)");
}

}  // namespace csctl
