// dial-plan: *-CsTenantDialPlan, Grant-CsTenantDialPlan, Test-CsEffectiveTenantDialPlan;
// normalization-rule: New/Set/Remove-CsVoiceNormalizationRule, Test-CsVoiceNormalizationRule.
#include "cmd/bulk.hpp"
#include "cmd/change.hpp"
#include "cmd/grant.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/caller.hpp"
#include "core/dial_plan.hpp"
#include "core/error.hpp"
#include "core/names.hpp"
#include "core/pattern.hpp"
#include "core/routing.hpp"
#include "core/text.hpp"

namespace csctl {

namespace {

const std::vector<Column> k_plan_columns{{"identity", "Identity"}, {"rules", "NormalizationRules"}, {"description", "Description"}};
const std::vector<Column> k_rule_columns{{"position", "Position"},   {"name", "Name"},
                                         {"pattern", "Pattern"},     {"translation", "Translation"},
                                         {"isInternalExtension", "IsInternalExtension"}};

struct PlanArgs {
    std::string identity;
    std::string filter;
    std::string number;
    std::string usage_location;
    bool global = false;
    FieldInputs fields;
    // test
    std::string user;
};

struct RuleArgs {
    std::string name;
    std::string plan;
    std::optional<long long> position;
    std::string number;
    FieldInputs fields;
};

// get: one row per plan for table/csv, the full objects for json/yaml/list.
void print_plans(Context& ctx, const std::vector<TenantDialPlan>& plans, bool one)
{
    auto format = ctx.format();
    if (one && format == Format::table) {
        const auto& d = plans.front();
        Json rows = Json::array();
        for (std::size_t i = 0; i < d.normalization_rules.size(); ++i) {
            auto row = to_json(d.normalization_rules[i]);
            row["position"] = i;
            rows.push_back(row);
        }
        ctx.out() << d.identity() << (d.description.empty() ? "" : " - " + d.description) << "\n";
        if (rows.empty())
            ctx.out() << "(no normalization rules)\n";
        else
            print_objects(ctx.out(), format, rows, k_rule_columns);
        return;
    }
    Json objects = Json::array();
    for (const auto& d : plans) {
        auto j = to_json(d);
        if (format == Format::table || format == Format::csv) {
            std::vector<std::string> names;
            for (const auto& n : d.normalization_rules)
                names.push_back(n.name);
            j["rules"] = names;
        }
        objects.push_back(j);
    }
    print_objects(ctx.out(), format, objects, format == Format::table ? k_plan_columns : std::vector<Column>{});
}

// What dial-plan test and normalization-rule test print. With a user: whose plan it is and why.
void print_normalization(Context& ctx, const Normalization& n, const std::string& user = {},
                         const std::optional<EffectivePolicy>& effective = std::nullopt)
{
    auto format = ctx.format();
    if (format == Format::json || format == Format::yaml) {
        auto j = to_json(n);
        if (!user.empty()) {
            j["user"] = user;
            if (effective)
                j["effectiveDialPlan"] = effective->to_json();
        }
        print_document(ctx.out(), format, j);
        return;
    }
    auto& out = ctx.out();
    if (!user.empty()) {
        out << "user " << user << ": dial plan " << n.dial_plan;
        if (effective)
            out << " (" << effective->describe() << ")";
        out << "\n";
    }
    out << n.dialed << " -> " << n.number << "\n";
    if (!n.rule.empty())
        out << "  rule " << quote(n.rule) << " of dial plan " << n.dial_plan
            << (n.internal_extension ? " (internal extension)" : "") << "\n";
    else if (!n.country.empty())
        out << "  no rule of dial plan " << n.dial_plan << " matches; country dial plan " << n.country << "\n";
    else
        out << "  no rule of dial plan " << (n.dial_plan.empty() ? "(none)" : n.dial_plan)
            << " matches; the number is left as dialed\n";
}

}  // namespace

void add_dial_plan_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("dial-plan", "Tenant dial plans: ordered normalization rules for what users dial",
                          "*-CsTenantDialPlan");
    r.names(group, "dial-plan");
    auto print_one = [&ctx](const TenantDialPlan& d) {
        if (!ctx.globals.dry_run)
            print_plans(ctx, {d}, false);
    };

    auto add = std::make_shared<PlanArgs>();
    auto* cmd = r.command(group, "new", "create a dial plan (add rules with `normalization-rule new`)", Needs::tenant_write,
                          "New-CsTenantDialPlan", [&ctx, add, print_one] {
                              auto edit = add->fields.edit(dial_plan_label(dial_plan_name_from_identity(add->identity)));
                              TenantDialPlan created;
                              run_change(ctx, [&](TenantStore& s, Notes&) { created = new_dial_plan(s, add->identity, edit); });
                              print_one(created);
                          });
    r.add_identity(cmd, add->identity, "name of the dial plan (\"Tag:\" optional)", true);
    r.add_fields(cmd, dial_plan_fields(), true, add->fields);

    auto set = std::make_shared<PlanArgs>();
    cmd = r.command(group, "set", "change a dial plan (Global included)", Needs::tenant_write, "Set-CsTenantDialPlan",
                    [&ctx, set, print_one] {
                        auto edit = set->fields.edit(dial_plan_label(dial_plan_name_from_identity(set->identity)));
                        TenantDialPlan changed;
                        run_change(ctx, [&](TenantStore& s, Notes&) { changed = set_dial_plan(s, set->identity, edit); });
                        print_one(changed);
                    });
    r.add_identity(cmd, set->identity, "name of the dial plan (\"Tag:\" optional)", true);
    r.add_fields(cmd, dial_plan_fields(), false, set->fields);

    auto get = std::make_shared<PlanArgs>();
    cmd = r.command(group, "get", "show dial plans with their rules (one, --filter, or all)", Needs::tenant_read,
                    "Get-CsTenantDialPlan", [&ctx, get] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        if (!get->identity.empty()) {
                            print_plans(ctx, {require_dial_plan(*store, get->identity)}, true);
                            return;
                        }
                        std::vector<TenantDialPlan> plans;
                        for (auto& d : store->dial_plans())
                            if (get->filter.empty() || wildcard_match(get->filter, d.identity()))
                                plans.push_back(std::move(d));
                        print_plans(ctx, plans, false);
                    });
    r.add_identity(cmd, get->identity, "name of the dial plan (\"Tag:\" optional)", false);
    cmd->add_option("--filter", get->filter, "wildcard on the identity (e.g. 'Tag:Red*')");

    auto remove = std::make_shared<PlanArgs>();
    cmd = r.command(group, "remove", "delete a dial plan (Global is reset to no rules instead)", Needs::tenant_write,
                    "Remove-CsTenantDialPlan", [&ctx, remove] {
                        auto name = dial_plan_name_from_identity(remove->identity);
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_dial_plan(s, remove->identity); },
                                   (name == "Global" ? "Reset " : "Remove ") + dial_plan_label(name) + "?");
                    });
    r.add_identity(cmd, remove->identity, "name of the dial plan (\"Tag:\" optional)", true);

    auto grant = std::make_shared<GrantArgs>();
    cmd = r.command(group, "grant", "assign a dial plan to users, a group (ranked), or the tenant (--global)",
                    Needs::tenant_write, "Grant-CsTenantDialPlan", [&ctx, grant] {
                        run_grant(ctx, *grant,
                                  GrantCalls{"dial-plan grant", "dial plan",
                                             grant_dial_plan_bulk,
                                             grant_dial_plan_to_user,
                                             grant_dial_plan_to_group,
                                             grant_dial_plan_global,
                                             [](const std::string& identity) {
                                                 auto name = dial_plan_name_from_identity(identity);
                                                 return dial_plan_label(name.empty() ? "Global" : name);
                                             }});
                    });
    grant->identity_option = r.add_identity(
        cmd, grant->identity,
        "dial plan to grant; \"\" or $null removes the assignment (with --from-csv: else the policyName column)", false,
        {"policy-name"});
    add_grant_options(r, cmd, *grant, "dial plan");

    auto test = std::make_shared<PlanArgs>();
    cmd = r.command(group, "test", "normalise a dialed number: the effective plan, the rule that matched, the result",
                    Needs::tenant_read, "Test-CsEffectiveTenantDialPlan", [&ctx, test] {
                        const std::string what = "dial-plan test";
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        auto number = clean_number(test->number, what + ": --number");
                        CallerContext caller;
                        std::optional<EffectivePolicy> effective;
                        if (!test->user.empty()) {
                            if (!test->identity.empty() || !test->usage_location.empty())
                                throw usage_error(what + ": --user takes the dial plan and usage location from the "
                                                         "directory; leave out the dial plan name and --usage-location");
                            auto user = store->find_user(test->user);
                            if (!user)
                                throw not_found(what + ": " + user_label(test->user) +
                                                " does not exist (list them with `csctl user list`)");
                            PolicyResolver resolver(*store);
                            caller = caller_from_user(*user, resolver);
                            effective = resolver.dial_plan(*user);
                        }
                        if (!test->identity.empty())
                            caller.dial_plan = require_dial_plan(*store, test->identity).name;
                        if (!test->usage_location.empty()) {
                            if (!is_country_code(test->usage_location))
                                throw usage_error(what + ": --usage-location " + quote(test->usage_location) +
                                                  " is not an ISO 3166 country code (two capital letters, e.g. US)");
                            caller.usage_location = test->usage_location;
                        }
                        RoutingEngine engine(store->routing_document());
                        print_normalization(ctx, engine.normalize(caller, number), caller.user, effective);
                    });
    r.add_identity(cmd, test->identity, "dial plan to use (default: the tenant default, else Global)", false);
    r.completes(cmd->add_option("--user", test->user,
                                "the user whose effective dial plan and usage location apply (Test-CsEffectiveTenantDialPlan "
                                "-Identity)"),
                "user");
    cmd->add_option("--number,--dialed-number", test->number, "the number as dialed")->required();
    cmd->add_option("--usage-location", test->usage_location,
                    "country whose dial plan applies when no rule matches (ISO code, e.g. US)");

    // ---- normalization-rule ----
    auto* rules = r.group("normalization-rule", "Normalization rules of a tenant dial plan, tried in order",
                          "New/Set/Remove-CsVoiceNormalizationRule");
    auto rule_args = [&r](CLI::App* c, RuleArgs& a, bool with_fields, bool create) {
        r.add_identity(c, a.name, "rule name, or PLAN/NAME", true);
        c->add_option("--dial-plan,--parent", a.plan, "the dial plan that holds the rule");
        if (with_fields) {
            r.add_fields(c, normalization_rule_fields(), create, a.fields);
            c->add_option("--position,--priority", a.position,
                          create ? "0-based place in the plan's list (default: last); later rules move down"
                                 : "move the rule to this 0-based place in the plan's list");
        }
    };
    auto need_plan = [](RuleArgs& a) {
        split_rule_identity(a.plan, a.name);
        if (a.plan.empty())
            throw usage_error("normalization rule " + quote(a.name) + ": say which dial plan holds it (--dial-plan NAME)");
    };
    auto print_rule = [&ctx](const NormalizationRule& n) {
        if (!ctx.globals.dry_run)
            print_objects(ctx.out(), ctx.format(), Json::array({to_json(n)}), {});
    };

    auto rnew = std::make_shared<RuleArgs>();
    cmd = r.command(rules, "new", "add a rule to a dial plan (at most 50 per plan)", Needs::tenant_write,
                    "New-CsVoiceNormalizationRule", [&ctx, rnew, need_plan, print_rule] {
                        need_plan(*rnew);
                        auto edit = rnew->fields.edit(dial_plan_label(rnew->plan) + ": normalization rule " + quote(rnew->name));
                        NormalizationRule created;
                        run_change(ctx, [&](TenantStore& s, Notes&) {
                            created = new_normalization_rule(s, rnew->plan, rnew->name, edit, rnew->position);
                        });
                        print_rule(created);
                    });
    rule_args(cmd, *rnew, true, true);

    auto rset = std::make_shared<RuleArgs>();
    cmd = r.command(rules, "set", "change a rule or move it (--position)", Needs::tenant_write,
                    "Set-CsVoiceNormalizationRule", [&ctx, rset, need_plan, print_rule] {
                        need_plan(*rset);
                        auto edit = rset->fields.edit(dial_plan_label(rset->plan) + ": normalization rule " + quote(rset->name));
                        NormalizationRule changed;
                        run_change(ctx, [&](TenantStore& s, Notes&) {
                            changed = set_normalization_rule(s, rset->plan, rset->name, edit, rset->position);
                        });
                        print_rule(changed);
                    });
    rule_args(cmd, *rset, true, false);

    auto rremove = std::make_shared<RuleArgs>();
    cmd = r.command(rules, "remove", "delete a rule from its dial plan", Needs::tenant_write,
                    "Remove-CsVoiceNormalizationRule", [&ctx, rremove, need_plan] {
                        need_plan(*rremove);
                        run_change(ctx, [&](TenantStore& s, Notes&) {
                            remove_normalization_rule(s, rremove->plan, rremove->name);
                        });
                    });
    rule_args(cmd, *rremove, false, false);

    auto rtest = std::make_shared<RuleArgs>();
    cmd = r.command(rules, "test", "apply one rule (or, without a name, the plan's rules in order) to a number",
                    Needs::tenant_read, "Test-CsVoiceNormalizationRule", [&ctx, rtest] {
                        split_rule_identity(rtest->plan, rtest->name);
                        if (rtest->plan.empty())
                            throw usage_error("normalization-rule test: say which dial plan (--dial-plan NAME)");
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        auto plan = require_dial_plan(*store, rtest->plan);
                        auto number = clean_number(rtest->number, "normalization-rule test: --number");
                        Normalization n;
                        n.dialed = n.number = number;
                        n.dial_plan = plan.identity();
                        bool found = rtest->name.empty();
                        for (const auto& rule : plan.normalization_rules) {
                            if (!rtest->name.empty() && !iequals(rule.name, rtest->name))
                                continue;
                            found = true;
                            auto pattern = Pattern::compile(rule.pattern, label(plan) + ": normalization rule " +
                                                                              quote(rule.name), "Pattern");
                            if (auto out = pattern.translate(number, rule.translation)) {
                                n.number = *out;
                                n.rule = rule.name;
                                n.internal_extension = rule.is_internal_extension;
                                break;
                            }
                        }
                        if (!found)
                            throw not_found(label(plan) + ": normalization rule " + quote(rtest->name) + " does not exist");
                        print_normalization(ctx, n);
                    });
    r.add_identity(cmd, rtest->name, "rule name or PLAN/NAME (default: every rule of the plan, in order)", false);
    cmd->add_option("--dial-plan,--parent", rtest->plan, "the dial plan that holds the rules");
    cmd->add_option("--number,--dialed-number", rtest->number, "the number as dialed")->required();
    r.examples("dial-plan", {"csctl dial-plan new Redmond", "csctl normalization-rule new 5digitExtension --dial-plan Redmond --pattern '^5(\\d{4})$' --translation '+1425555$1'", "csctl dial-plan grant Redmond --user spencer@contoso.com", "csctl dial-plan grant Redmond --group sales --rank 1", "csctl dial-plan grant Redmond --global --yes", "csctl dial-plan test Redmond --number 50100", "csctl dial-plan test --user spencer@contoso.com --number 50100 -o json"});
    r.examples("normalization-rule", {"csctl normalization-rule new 4digit --dial-plan Redmond --pattern '^(\\d{4})$' --translation '+1425555$1' --position 0 --is-internal-extension", "csctl normalization-rule test 4digit --dial-plan Redmond --number 0100", "csctl normalization-rule remove Redmond/4digit --yes"});
}

}  // namespace csctl
