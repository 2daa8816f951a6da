// blocked-number: *-CsInboundBlockedNumberPattern, Set-CsTenantBlockedCallingNumbers -Enabled,
// Test-CsInboundBlockedNumberPattern; exempt-number: *-CsInboundExemptNumberPattern.
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/number_pattern.hpp"
#include "core/routing.hpp"
#include "core/text.hpp"

namespace csctl {

namespace {

struct PatternArgs {
    std::string identity;
    std::string filter;
    std::string number;
    FieldInputs fields;
};

void add_pattern_commands(Registry& r, CLI::App* group, bool exempt)
{
    auto& ctx = r.context();
    const std::string noun = exempt ? "InboundExemptNumberPattern" : "InboundBlockedNumberPattern";
    const std::vector<Column> columns{
        {"identity", "Identity"}, {"pattern", "Pattern"}, {"enabled", "Enabled"}, {"description", "Description"}};
    auto print_one = [&ctx, exempt, columns](const NumberPattern& p) {
        if (!ctx.globals.dry_run)
            print_objects(ctx.out(), ctx.format(), Json::array({to_json(p, exempt)}), columns);
    };

    auto add = std::make_shared<PatternArgs>();
    auto* cmd = r.command(group, "new", exempt ? "create an exempt pattern" : "create a blocked pattern",
                          Needs::tenant_write, "New-Cs" + noun, [&ctx, add, exempt, print_one] {
                              auto edit = add->fields.edit(number_pattern_label(add->identity, exempt));
                              NumberPattern created;
                              run_change(ctx, [&](TenantStore& s, Notes&) {
                                  created = new_number_pattern(s, exempt, add->identity, edit);
                              });
                              print_one(created);
                          });
    r.add_identity(cmd, add->identity, "name of the pattern", true);
    r.add_fields(cmd, number_pattern_fields(exempt), true, add->fields);

    auto set = std::make_shared<PatternArgs>();
    cmd = r.command(group, "set", "change a pattern", Needs::tenant_write, "Set-Cs" + noun, [&ctx, set, exempt, print_one] {
        auto edit = set->fields.edit(number_pattern_label(set->identity, exempt));
        NumberPattern changed;
        run_change(ctx, [&](TenantStore& s, Notes&) { changed = set_number_pattern(s, exempt, set->identity, edit); });
        print_one(changed);
    });
    r.add_identity(cmd, set->identity, "name of the pattern", true);
    r.add_fields(cmd, number_pattern_fields(exempt), false, set->fields);

    auto get = std::make_shared<PatternArgs>();
    cmd = r.command(group, "get", "show patterns (one, --filter, or all)", Needs::tenant_read, "Get-Cs" + noun,
                    [&ctx, get, exempt, columns] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        Json objects = Json::array();
                        if (!get->identity.empty())
                            objects.push_back(to_json(require_number_pattern(*store, exempt, get->identity), exempt));
                        else
                            for (const auto& p : store->number_patterns(exempt))
                                if (get->filter.empty() || wildcard_match(get->filter, p.identity))
                                    objects.push_back(to_json(p, exempt));
                        print_objects(ctx.out(), ctx.format(), objects, columns);
                    });
    r.add_identity(cmd, get->identity, "name of the pattern", false);
    cmd->add_option("--filter", get->filter, "wildcard on the name (* and ?)");

    auto remove = std::make_shared<PatternArgs>();
    cmd = r.command(group, "remove", "delete a pattern", Needs::tenant_write, "Remove-Cs" + noun, [&ctx, remove, exempt] {
        run_change(ctx, [&](TenantStore& s, Notes&) { remove_number_pattern(s, exempt, remove->identity); },
                   "Remove " + number_pattern_label(remove->identity, exempt) + "?");
    });
    r.add_identity(cmd, remove->identity, "name of the pattern", true);

    auto test = std::make_shared<PatternArgs>();
    cmd = r.command(group, "test", "is this calling number blocked, exempt, or redirected to a resource account?",
                    Needs::tenant_read, "Test-Cs" + noun, [&ctx, test] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        auto number = clean_number(test->number, "--number", true);
                        RoutingEngine engine(store->routing_document());
                        auto b = engine.check_blocked(number);
                        auto j = to_json(b);
                        j["outcome"] = b.blocked ? (b.resource_account.empty() ? "blocked" : "redirected") : "allowed";
                        if (ctx.format() == Format::json || ctx.format() == Format::yaml) {
                            print_document(ctx.out(), ctx.format(), j);
                            return;
                        }
                        auto& out = ctx.out();
                        out << b.number << ": " << j["outcome"].get<std::string>() << "\n";
                        if (!b.blocked_by.empty())
                            out << "  matches blocked pattern " << quote(b.blocked_by) << "\n";
                        if (!b.exempted_by.empty())
                            out << "  matches exempt pattern " << quote(b.exempted_by) << "\n";
                        if (!b.resource_account.empty())
                            out << "  delivered to resource account " << b.resource_account << "\n";
                        if (!b.enabled)
                            out << "  blocking is disabled for the tenant (`csctl blocked-number enable`)\n";
                    });
    cmd->add_option("--number,--phone-number", test->number, "the calling number")->required();
}

}  // namespace

void add_number_pattern_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* blocked = r.group("blocked-number", "Inbound blocked calling-number patterns and the tenant switch",
                            "*-CsInboundBlockedNumberPattern, Set-CsTenantBlockedCallingNumbers");
    r.names(blocked, "blocked-number");
    add_pattern_commands(r, blocked, false);
    for (bool enable : {true, false}) {
        r.command(blocked, enable ? "enable" : "disable",
                  enable ? "turn inbound number blocking on for the tenant (the default)"
                         : "turn inbound number blocking off for the tenant (patterns are kept)",
                  Needs::tenant_write, std::string("Set-CsTenantBlockedCallingNumbers -Enabled $") + (enable ? "true" : "false"),
                  [&ctx, enable] {
                      run_change(ctx, [&](TenantStore& s, Notes&) { set_blocked_calling_numbers(s, enable); });
                  });
    }
    auto* exempt = r.group("exempt-number", "Inbound exempt calling-number patterns (override blocked ones)",
                           "*-CsInboundExemptNumberPattern");
    r.names(exempt, "exempt-number");
    add_pattern_commands(r, exempt, true);
    r.examples("blocked-number", {"csctl blocked-number new BlockRange1 --pattern '^\\+?1312555\\d{4}$'", "csctl blocked-number test --number 13125558884", "csctl blocked-number disable --yes"});
    r.examples("exempt-number", {"csctl exempt-number new AllowContoso1 --pattern '^\\+?1312555888[2|3]$'", "csctl exempt-number test --number 13125558883"});
}

}  // namespace csctl
