// translation-rule: *-CsTeamsTranslationRule and Test-CsTeamsTranslationRule.
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/routing.hpp"
#include "core/text.hpp"
#include "core/translation_rule.hpp"

namespace csctl {

namespace {

const std::vector<Column> k_columns{
    {"identity", "Identity"}, {"pattern", "Pattern"}, {"translation", "Translation"}, {"description", "Description"}};

struct RuleArgs {
    std::string identity;
    std::string filter;
    std::string number;
    std::vector<std::string> rules;
    FieldInputs fields;
};

}  // namespace

void add_translation_rule_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("translation-rule", "Teams translation rules: number rewrites that gateways apply",
                          "*-CsTeamsTranslationRule");
    r.names(group, "translation-rule");
    auto print_one = [&ctx](const TranslationRule& t) {
        if (!ctx.globals.dry_run)
            print_objects(ctx.out(), ctx.format(), Json::array({to_json(t)}), k_columns);
    };

    auto add = std::make_shared<RuleArgs>();
    auto* cmd = r.command(group, "new", "create a translation rule (at most 400 per tenant)", Needs::tenant_write,
                          "New-CsTeamsTranslationRule", [&ctx, add, print_one] {
                              auto edit = add->fields.edit(translation_rule_label(add->identity));
                              TranslationRule created;
                              run_change(ctx, [&](TenantStore& s, Notes&) { created = new_translation_rule(s, add->identity, edit); });
                              print_one(created);
                          });
    r.add_identity(cmd, add->identity, "name of the rule", true);
    r.add_fields(cmd, translation_rule_fields(), true, add->fields);

    auto set = std::make_shared<RuleArgs>();
    cmd = r.command(group, "set", "change a translation rule", Needs::tenant_write, "Set-CsTeamsTranslationRule",
                    [&ctx, set, print_one] {
                        auto edit = set->fields.edit(translation_rule_label(set->identity));
                        TranslationRule changed;
                        run_change(ctx, [&](TenantStore& s, Notes&) { changed = set_translation_rule(s, set->identity, edit); });
                        print_one(changed);
                    });
    r.add_identity(cmd, set->identity, "name of the rule", true);
    r.add_fields(cmd, translation_rule_fields(), false, set->fields);

    auto get = std::make_shared<RuleArgs>();
    cmd = r.command(group, "get", "show translation rules (one, --filter, or all)", Needs::tenant_read,
                    "Get-CsTeamsTranslationRule", [&ctx, get] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        Json objects = Json::array();
                        if (!get->identity.empty())
                            objects.push_back(to_json(require_translation_rule(*store, get->identity)));
                        else
                            objects = select_objects(store->translation_rules(), get->filter,
                                                     [](const TranslationRule& t) { return t.identity; });
                        print_objects(ctx.out(), ctx.format(), objects, k_columns);
                    });
    r.add_identity(cmd, get->identity, "name of the rule", false);
    cmd->add_option("--filter", get->filter, "wildcard on the name (* and ?)");

    auto remove = std::make_shared<RuleArgs>();
    cmd = r.command(group, "remove", "delete a translation rule (refused while a gateway lists it)", Needs::tenant_write,
                    "Remove-CsTeamsTranslationRule", [&ctx, remove] {
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_translation_rule(s, remove->identity); },
                                   "Remove " + translation_rule_label(remove->identity) + "?");
                    });
    r.add_identity(cmd, remove->identity, "name of the rule", true);

    auto test = std::make_shared<RuleArgs>();
    cmd = r.command(group, "test", "show what each rule (or the --rule list, first match) makes of a number",
                    Needs::tenant_read, "Test-CsTeamsTranslationRule", [&ctx, test] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        auto number = clean_number(test->number, "translation-rule test: --number", true);
                        auto document = store->routing_document();
                        RoutingEngine engine(document);
                        std::vector<std::string> names;
                        for (const auto& raw : test->rules)
                            for (auto& item : split_list(raw))
                                names.push_back(std::move(item));
                        if (!names.empty()) {
                            // A gateway list: the first matching rule applies, the rest are skipped.
                            auto step = engine.translate_with(names, number);
                            Json result{{"number", number},
                                        {"rules", names},
                                        {"translationRule", step.rule.empty() ? Json(nullptr) : Json(step.rule)},
                                        {"translatedNumber", step.number}};
                            if (ctx.format() == Format::json || ctx.format() == Format::yaml)
                                print_document(ctx.out(), ctx.format(), result);
                            else
                                ctx.out() << number << " -> " << step.number << "  ("
                                          << (step.rule.empty() ? std::string("no rule matches") : "rule " + quote(step.rule))
                                          << ")\n";
                            return;
                        }
                        Json rows = Json::array();
                        for (const auto& t : document.translation_rules) {
                            auto step = engine.translate_with({t.identity}, number);
                            if (!step.rule.empty())
                                rows.push_back(Json{{"identity", t.identity},
                                                    {"pattern", t.pattern},
                                                    {"translation", t.translation},
                                                    {"number", number},
                                                    {"translatedNumber", step.number}});
                        }
                        if (rows.empty() && ctx.format() == Format::table) {
                            ctx.note("no translation rule matches " + quote(number));
                            return;
                        }
                        print_objects(ctx.out(), ctx.format(), rows, {});
                    });
    cmd->add_option("--number,--phone-number", test->number, "the number to translate")->required();
    cmd->add_option("--rule", test->rules, "rules to try in order, like a gateway list (repeatable or comma-separated)");
    r.examples("translation-rule", {"csctl translation-rule new StripPlus1 --pattern '^\\+1(\\d{10})$' --translation '$1'", "csctl translation-rule new AddPlus1 --pattern '^(\\d{10})$' --translation '+1$1'", "csctl online-pstn-gateway set sbc1.contoso.com --outbound-pstn-number-translation-rules StripPlus1 --inbound-pstn-number-translation-rules AddPlus1", "csctl translation-rule test --number +14255550100"});
}

}  // namespace csctl
