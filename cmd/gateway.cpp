// online-pstn-gateway (alias gateway): *-CsOnlinePSTNGateway.
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/gateway.hpp"

namespace csctl {

namespace {

const std::vector<Column> k_columns{{"identity", "Identity"},       {"sipSignalingPort", "SipSignalingPort"},
                                    {"enabled", "Enabled"},          {"sendSipOptions", "SendSipOptions"},
                                    {"failoverResponseCodes", "FailoverResponseCodes"},
                                    {"maxConcurrentSessions", "MaxConcurrentSessions"}};

struct GatewayArgs {
    std::string fqdn;
    std::string filter;
    FieldInputs fields;
};

void print_one(Context& ctx, const Gateway& g)
{
    if (!ctx.globals.dry_run)
        print_objects(ctx.out(), ctx.format(), Json::array({to_json(g)}), k_columns);
}

}  // namespace

void add_gateway_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("online-pstn-gateway", "Session border controllers (SBCs) of Direct Routing",
                          "*-CsOnlinePSTNGateway", {"gateway"});
    r.names(group, "gateway");
    r.examples(group, {"csctl online-pstn-gateway new sbc1.contoso.com --sip-signaling-port 5061 --enabled",
                       "csctl online-pstn-gateway set sbc1.contoso.com --enabled=false --failover-response-codes 408,503",
                       "csctl gateway get --filter 'sbc*' -o json",
                       "csctl online-pstn-gateway remove sbc1.contoso.com --yes"});

    auto add = std::make_shared<GatewayArgs>();
    auto* cmd = r.command(group, "new", "create a gateway (disabled unless --enabled)", Needs::tenant_write,
                          "New-CsOnlinePSTNGateway", [&ctx, add] {
                              auto edit = add->fields.edit(gateway_label(add->fqdn));
                              Gateway created;
                              run_change(ctx, [&](TenantStore& s, Notes& n) { created = new_gateway(s, add->fqdn, edit, n); });
                              print_one(ctx, created);
                          });
    r.add_identity(cmd, add->fqdn, "FQDN of the SBC", true, {"fqdn"});
    r.add_fields(cmd, gateway_fields(), true, add->fields);

    auto set = std::make_shared<GatewayArgs>();
    cmd = r.command(group, "set", "change a gateway's settings", Needs::tenant_write, "Set-CsOnlinePSTNGateway",
                    [&ctx, set] {
                        auto edit = set->fields.edit(gateway_label(set->fqdn));
                        Gateway changed;
                        run_change(ctx, [&](TenantStore& s, Notes& n) { changed = set_gateway(s, set->fqdn, edit, n); });
                        print_one(ctx, changed);
                    });
    r.add_identity(cmd, set->fqdn, "FQDN of the SBC", true, {"fqdn"});
    r.add_fields(cmd, gateway_fields(), false, set->fields);

    auto get = std::make_shared<GatewayArgs>();
    cmd = r.command(group, "get", "show gateways (one, those matching --filter, or all)", Needs::tenant_read,
                    "Get-CsOnlinePSTNGateway", [&ctx, get] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        Json objects = Json::array();
                        if (!get->fqdn.empty())
                            objects.push_back(to_json(require_gateway(*store, get->fqdn)));
                        else
                            objects = select_objects(store->gateways(), get->filter, [](const Gateway& g) { return g.fqdn; });
                        print_objects(ctx.out(), ctx.format(), objects, k_columns);
                    });
    r.add_identity(cmd, get->fqdn, "FQDN of the SBC", false, {"fqdn"});
    cmd->add_option("--filter", get->filter, "wildcard on the FQDN (* and ?), like -Filter");

    auto remove = std::make_shared<GatewayArgs>();
    cmd = r.command(group, "remove", "delete a gateway (refused while a voice route lists it)", Needs::tenant_write,
                    "Remove-CsOnlinePSTNGateway", [&ctx, remove] {
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_gateway(s, remove->fqdn); },
                                   "Remove " + gateway_label(remove->fqdn) + "?");
                    });
    r.add_identity(cmd, remove->fqdn, "FQDN of the SBC", true, {"fqdn"});
}

}  // namespace csctl
