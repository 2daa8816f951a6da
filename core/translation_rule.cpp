#include "core/translation_rule.hpp"

#include "core/error.hpp"
#include "core/pattern.hpp"
#include "core/text.hpp"

namespace csctl {

const std::vector<FieldSpec>& translation_rule_fields()
{
    using T = FieldType;
    static const std::vector<FieldSpec> fields{
        {"Pattern", "pattern", "pattern", T::text, "regular expression the number must match (at most 1024 characters)"},
        {"Translation", "translation", "translation", T::text,
         "the translated number, with $1 ... group references (at most 256 characters)"},
        {"Description", "description", "description", T::text, "free text"},
    };
    return fields;
}

const std::vector<TranslationList>& gateway_translation_lists()
{
    static const std::vector<TranslationList> lists{
        {"InboundTeamsNumberTranslationRules", &Gateway::inbound_teams_number_translation_rules},
        {"InboundPstnNumberTranslationRules", &Gateway::inbound_pstn_number_translation_rules},
        {"OutboundPstnNumberTranslationRules", &Gateway::outbound_pstn_number_translation_rules},
        {"OutboundTeamsNumberTranslationRules", &Gateway::outbound_teams_number_translation_rules},
    };
    return lists;
}

void validate(const TranslationRule& t)
{
    const auto owner = label(t);
    if (trim(t.identity).empty())
        throw usage_error("translation rule: Identity is empty");
    if (t.identity.size() > 100)
        throw usage_error(owner + ": Identity is longer than 100 characters");
    if (t.identity.find(',') != std::string::npos)
        throw usage_error(owner + ": Identity cannot contain ',' (it separates list items)");
    if (t.pattern.empty())
        throw usage_error(owner + ": Pattern is required (--pattern)");
    if (t.pattern.size() > 1024)
        throw usage_error(owner + ": Pattern is longer than 1024 characters");
    Pattern::require(t.pattern, owner, "Pattern");
    if (t.translation.empty())
        throw usage_error(owner + ": Translation is required (--translation, e.g. '+$1')");
    if (t.translation.size() > 256)
        throw usage_error(owner + ": Translation is longer than 256 characters");
}

TranslationRule require_translation_rule(TenantStore& store, const std::string& identity)
{
    auto t = store.find_translation_rule(identity);
    if (!t)
        throw not_found(translation_rule_label(identity) + " does not exist (list them with `csctl translation-rule get`)");
    return *t;
}

namespace {
TranslationRule apply(const TranslationRule& base, const Edit& edit)
{
    auto json = to_json(base);
    apply_edit(json, edit, translation_rule_fields(), label(base));
    return translation_rule_from_json(json, base.identity);
}
}  // namespace

TranslationRule new_translation_rule(TenantStore& store, const std::string& identity, const Edit& edit)
{
    if (auto existing = store.find_translation_rule(identity))
        throw conflict(label(*existing) + " already exists (change it with `csctl translation-rule set`)");
    TranslationRule base;
    base.identity = trim(identity);
    auto t = apply(base, edit);
    validate(t);
    auto count = store.translation_rules().size();
    if (count >= k_max_translation_rules)
        throw usage_error(label(t) + ": the tenant already has " + std::to_string(count) + " translation rules, the most "
                          "it can hold (" + std::to_string(k_max_translation_rules) + "); remove one first");
    store.put_translation_rule(t);
    return t;
}

TranslationRule set_translation_rule(TenantStore& store, const std::string& identity, const Edit& edit)
{
    auto t = apply(require_translation_rule(store, identity), edit);
    validate(t);
    store.put_translation_rule(t);
    return t;
}

void remove_translation_rule(TenantStore& store, const std::string& identity)
{
    auto t = require_translation_rule(store, identity);
    std::vector<std::string> users;
    for (const auto& g : store.gateways())
        for (const auto& list : gateway_translation_lists())
            if (find_identity(g.*(list.list), t.identity) >= 0)
                users.push_back(g.fqdn + " (" + list.property + ")");
    if (!users.empty())
        throw conflict(label(t) + " is still used by online pstn gateway " + quoted_list(users) +
                       "; remove it from them first (`csctl online-pstn-gateway set FQDN --remove-...-translation-rule " +
                       t.identity + "`)");
    store.erase_translation_rule(t.identity);
}

Gateway resolve_translation_rules(Gateway g, TenantStore& store)
{
    const auto owner = label(g);
    std::optional<std::vector<TranslationRule>> all;
    for (const auto& list : gateway_translation_lists()) {
        auto& names = g.*(list.list);
        for (std::size_t i = 0; i < names.size(); ++i) {
            auto rule = store.find_translation_rule(names[i]);
            if (!rule) {
                if (!all)
                    all = store.translation_rules();
                std::vector<std::string> known;
                for (const auto& t : *all)
                    known.push_back(t.identity);
                throw usage_error(owner + ": " + list.property + " names translation rule " + quote(names[i]) +
                                  ", which does not exist" +
                                  (known.empty() ? std::string(" (there are none; create it with `csctl translation-rule new`)")
                                                 : " (rules: " + quoted_list(known) + ")"));
            }
            names[i] = rule->identity;
            if (find_identity({names.begin(), names.begin() + static_cast<long>(i)}, names[i]) >= 0)
                throw usage_error(owner + ": " + list.property + " lists " + quote(names[i]) + " twice");
        }
    }
    return g;
}

}  // namespace csctl
