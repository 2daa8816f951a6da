// voice-route: *-CsOnlineVoiceRoute.
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/voice_route.hpp"

namespace csctl {

namespace {

const std::vector<Column> k_columns{{"priority", "Priority"},
                                    {"identity", "Identity"},
                                    {"numberPattern", "NumberPattern"},
                                    {"onlinePstnUsages", "OnlinePstnUsages"},
                                    {"onlinePstnGatewayList", "OnlinePstnGatewayList"}};

struct RouteArgs {
    std::string identity;
    std::string filter;
    FieldInputs fields;
};

}  // namespace

void add_voice_route_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("voice-route", "Online voice routes: number patterns to gateways, by priority",
                          "*-CsOnlineVoiceRoute");
    r.names(group, "route");
    r.examples(group, {"csctl voice-route new \"Redmond 1\" --number-pattern '^\\+1(425|206)(\\d{7})$' \\",
                       "      --online-pstn-gateway-list sbc1.contoso.com,sbc2.contoso.com --priority 1 \\",
                       "      --online-pstn-usages \"US and Canada\"",
                       "csctl voice-route set \"Redmond 1\" --add-gateway sbc3.contoso.com --remove-usage \"US and Canada\"",
                       "csctl voice-route get -o json",
                       "csctl voice-route remove \"Redmond 1\" --dry-run"});
    auto print_one = [&ctx](const VoiceRoute& route) {
        if (!ctx.globals.dry_run)
            print_objects(ctx.out(), ctx.format(), Json::array({to_json(route)}), k_columns);
    };

    auto add = std::make_shared<RouteArgs>();
    auto* cmd = r.command(group, "new", "create a voice route", Needs::tenant_write, "New-CsOnlineVoiceRoute",
                          [&ctx, add, print_one] {
                              auto edit = add->fields.edit(route_label(add->identity));
                              VoiceRoute created;
                              run_change(ctx, [&](TenantStore& s, Notes& n) { created = new_route(s, add->identity, edit, n); });
                              print_one(created);
                          });
    r.add_identity(cmd, add->identity, "name of the route", true);
    r.add_fields(cmd, voice_route_fields(), true, add->fields);

    auto set = std::make_shared<RouteArgs>();
    cmd = r.command(group, "set", "change a voice route", Needs::tenant_write, "Set-CsOnlineVoiceRoute",
                    [&ctx, set, print_one] {
                        auto edit = set->fields.edit(route_label(set->identity));
                        VoiceRoute changed;
                        run_change(ctx, [&](TenantStore& s, Notes& n) { changed = set_route(s, set->identity, edit, n); });
                        print_one(changed);
                    });
    r.add_identity(cmd, set->identity, "name of the route", true);
    r.add_fields(cmd, voice_route_fields(), false, set->fields);

    auto get = std::make_shared<RouteArgs>();
    cmd = r.command(group, "get", "show voice routes in priority order (one, --filter, or all)", Needs::tenant_read,
                    "Get-CsOnlineVoiceRoute", [&ctx, get] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        Json objects = Json::array();
                        if (!get->identity.empty())
                            objects.push_back(to_json(require_route(*store, get->identity)));
                        else
                            objects = select_objects(store->routes(), get->filter,
                                                     [](const VoiceRoute& v) { return v.identity; });
                        print_objects(ctx.out(), ctx.format(), objects, k_columns);
                    });
    r.add_identity(cmd, get->identity, "name of the route", false);
    cmd->add_option("--filter", get->filter, "wildcard on the route name (* and ?), like -Filter");

    auto remove = std::make_shared<RouteArgs>();
    cmd = r.command(group, "remove", "delete a voice route (other priorities stay as they are)", Needs::tenant_write,
                    "Remove-CsOnlineVoiceRoute", [&ctx, remove] {
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_route(s, remove->identity); },
                                   "Remove " + route_label(remove->identity) + "?");
                    });
    r.add_identity(cmd, remove->identity, "name of the route", true);
}

}  // namespace csctl
