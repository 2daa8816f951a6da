#include "core/dial_plan.hpp"

#include "core/error.hpp"
#include "core/pattern.hpp"
#include "core/text.hpp"

namespace csctl {

const std::vector<FieldSpec>& dial_plan_fields()
{
    using T = FieldType;
    static const std::vector<FieldSpec> fields{
        {"Description", "description", "description", T::text, "free text (at most 1040 characters)"},
    };
    return fields;
}

const std::vector<FieldSpec>& normalization_rule_fields()
{
    using T = FieldType;
    static const std::vector<FieldSpec> fields{
        {"Pattern", "pattern", "pattern", T::text, "regular expression the dialed string must match (default ^(\\d{11})$)"},
        {"Translation", "translation", "translation", T::text, "the normalized number, with $1 ... group references (default +$1)"},
        {"IsInternalExtension", "isInternalExtension", "is-internal-extension", T::flag,
         "the rule produces an internal extension"},
        {"Description", "description", "description", T::text, "free text (at most 512 characters)"},
    };
    return fields;
}

void validate(const TenantDialPlan& d)
{
    const auto owner = label(d);
    if (d.name.empty())
        throw usage_error("tenant dial plan: Identity is empty");
    if (d.name != "Global") {
        if (d.name.size() > 49)
            throw usage_error(owner + ": Identity is longer than 49 characters");
        for (char c : d.name)
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
                throw usage_error(owner + ": Identity may contain only letters, digits, '.' and '-' (not " +
                                  quote(std::string(1, c)) + ")");
        if (d.name.front() == '.')
            throw usage_error(owner + ": Identity cannot start with '.'");
    }
    if (d.description.size() > 1040)
        throw usage_error(owner + ": Description is longer than 1040 characters");
    if (d.normalization_rules.size() > k_max_normalization_rules)
        throw usage_error(owner + ": NormalizationRules has " + std::to_string(d.normalization_rules.size()) +
                          " rules; a dial plan holds at most " + std::to_string(k_max_normalization_rules) +
                          " (remove one with `csctl normalization-rule remove NAME --dial-plan " + d.name + "`)");
    std::vector<std::string> names;
    for (const auto& n : d.normalization_rules) {
        const auto rule_owner = owner + ": normalization rule " + quote(n.name);
        if (trim(n.name).empty())
            throw usage_error(owner + ": a normalization rule has an empty Name");
        if (n.name.size() > 128 || n.name.find('/') != std::string::npos)
            throw usage_error(rule_owner + ": Name must be at most 128 characters without '/'");
        if (find_identity(names, n.name) >= 0)
            throw conflict(rule_owner + " already exists in the plan");
        names.push_back(n.name);
        if (n.pattern.empty())
            throw usage_error(rule_owner + ": Pattern is empty");
        Pattern::require(n.pattern, rule_owner, "Pattern");
        if (n.translation.empty())
            throw usage_error(rule_owner + ": Translation is empty");
        if (n.description.size() > 512)
            throw usage_error(rule_owner + ": Description is longer than 512 characters");
    }
}

TenantDialPlan require_dial_plan(TenantStore& store, const std::string& identity)
{
    auto name = dial_plan_name_from_identity(identity);
    auto d = store.find_dial_plan(name);
    if (!d)
        throw not_found(dial_plan_label(name) + " does not exist (list them with `csctl dial-plan get`)");
    return *d;
}

namespace {

TenantDialPlan apply(const TenantDialPlan& base, const Edit& edit)
{
    auto json = to_json(base);
    apply_edit(json, edit, dial_plan_fields(), label(base));
    return dial_plan_from_json(json, base.identity());
}

long find_rule(const TenantDialPlan& d, const std::string& name)
{
    for (std::size_t i = 0; i < d.normalization_rules.size(); ++i)
        if (iequals(d.normalization_rules[i].name, name))
            return static_cast<long>(i);
    return -1;
}

std::size_t check_position(const TenantDialPlan& d, long long position, std::size_t count)
{
    if (position < 0 || static_cast<std::size_t>(position) > count)
        throw usage_error(label(d) + ": position " + std::to_string(position) + " is outside the list (0-" +
                          std::to_string(count) + ": the plan has " + std::to_string(count) + " other rules)");
    return static_cast<std::size_t>(position);
}

NormalizationRule apply_rule(const TenantDialPlan& d, const NormalizationRule& base, const Edit& edit)
{
    const auto owner = label(d) + ": normalization rule " + quote(base.name);
    auto json = to_json(base);
    apply_edit(json, edit, normalization_rule_fields(), owner);
    TenantDialPlan holder;
    holder.name = d.name;
    holder.normalization_rules.clear();
    Json plan = to_json(holder);
    plan["normalizationRules"].push_back(json);
    return dial_plan_from_json(plan, d.identity()).normalization_rules.front();
}

}  // namespace

TenantDialPlan new_dial_plan(TenantStore& store, const std::string& identity, const Edit& edit)
{
    TenantDialPlan base;
    base.name = dial_plan_name_from_identity(identity);
    if (auto existing = store.find_dial_plan(base.name))
        throw conflict(label(*existing) + " already exists (change it with `csctl dial-plan set`)");
    auto d = apply(base, edit);
    validate(d);
    store.put_dial_plan(d);
    return d;
}

TenantDialPlan set_dial_plan(TenantStore& store, const std::string& identity, const Edit& edit)
{
    auto d = apply(require_dial_plan(store, identity), edit);
    validate(d);
    store.put_dial_plan(d);
    return d;
}

void remove_dial_plan(TenantStore& store, const std::string& identity)
{
    auto d = require_dial_plan(store, identity);
    if (d.name == "Global") {
        store.put_dial_plan(TenantDialPlan{"Global", {}, {}});
        return;
    }
    if (iequals(store.tenant().tenant_dial_plan, d.name))
        throw conflict(label(d) + " is the tenant default; grant another first (`csctl dial-plan grant Global --global`)");
    std::size_t count = 0;
    auto users = store.users_with_policy(PolicyType::dial_plan, d.name, 5, count);
    if (count > 0)
        throw conflict(label(d) + " is still granted to " + std::to_string(count) + (count == 1 ? " user" : " users") + " (" +
                       quoted_list(users, 5) + (count > users.size() ? ", …" : "") +
                       "); grant them another first (`csctl dial-plan grant \"\" --user UPN` falls back to the group, "
                       "tenant or Global plan)");
    std::vector<std::string> groups;
    for (const auto& g : store.groups())
        if (iequals(g.tenant_dial_plan, d.name))
            groups.push_back(g.name);
    if (!groups.empty())
        throw conflict(label(d) + " is still granted to group " + quoted_list(groups) +
                       "; remove the group grant first (`csctl dial-plan grant \"\" --group NAME`)");
    store.erase_dial_plan(d.name);
}

void grant_dial_plan_global(TenantStore& store, const std::string& identity)
{
    auto tenant = store.tenant();
    auto name = dial_plan_name_from_identity(identity);
    if (name.empty() || name == "Global")
        tenant.tenant_dial_plan.clear();
    else
        tenant.tenant_dial_plan = require_dial_plan(store, name).name;
    store.put_tenant(tenant);
}

namespace {

// The stored name a grant sets: "" for $null, null, Global and the empty text (no assignment).
std::string granted_plan(TenantStore& store, const std::string& text)
{
    auto name = grant_name(text);
    return name.empty() ? name : require_dial_plan(store, name).name;
}

}  // namespace

void grant_dial_plan_to_user(TenantStore& store, const std::string& plan, const std::string& upn)
{
    auto name = granted_plan(store, plan);
    auto user = store.find_user(upn);
    if (!user)
        throw not_found(user_label(upn) + " does not exist (add it with `csctl user add`)");
    store.assign_user_policies(PolicyType::dial_plan, {AssignmentChange{user->user_principal_name, user->tenant_dial_plan, name}});
}

void grant_dial_plan_to_group(TenantStore& store, const std::string& plan, const std::string& group,
                              std::optional<int> rank)
{
    grant_to_group(store, PolicyType::dial_plan, group, granted_plan(store, plan), rank);
}

BulkReport grant_dial_plan_bulk(TenantStore& store, const std::vector<GrantRow>& rows, const BulkOptions& options)
{
    return grant_bulk(store, rows, options, PolicyType::dial_plan,
                      [&store](const std::string& text) { return granted_plan(store, text); },
                      [](const UserAssignment&, const std::string&) {});
}

void split_rule_identity(std::string& plan, std::string& name)
{
    auto slash = name.find('/');
    if (slash == std::string::npos)
        return;
    auto from_identity = dial_plan_name_from_identity(name.substr(0, slash));
    if (!plan.empty() && !iequals(dial_plan_name_from_identity(plan), from_identity))
        throw usage_error("normalization rule " + quote(name) + ": the identity names dial plan " + quote(from_identity) +
                          " but --dial-plan says " + quote(plan));
    plan = from_identity;
    name = name.substr(slash + 1);
}

NormalizationRule new_normalization_rule(TenantStore& store, const std::string& plan, const std::string& name,
                                         const Edit& edit, std::optional<long long> position)
{
    auto d = require_dial_plan(store, plan);
    if (auto at = find_rule(d, name); at >= 0)
        throw conflict(label(d) + ": normalization rule " + quote(d.normalization_rules[static_cast<std::size_t>(at)].name) +
                       " already exists (change it with `csctl normalization-rule set`)");
    NormalizationRule base;
    base.name = trim(name);
    auto rule = apply_rule(d, base, edit);
    auto count = d.normalization_rules.size();
    auto at = position ? check_position(d, *position, count) : count;
    d.normalization_rules.insert(d.normalization_rules.begin() + static_cast<long>(at), rule);
    validate(d);
    store.put_dial_plan(d);
    return rule;
}

NormalizationRule set_normalization_rule(TenantStore& store, const std::string& plan, const std::string& name,
                                         const Edit& edit, std::optional<long long> position)
{
    auto d = require_dial_plan(store, plan);
    auto at = find_rule(d, name);
    if (at < 0)
        throw not_found(label(d) + ": normalization rule " + quote(name) + " does not exist (list them with "
                        "`csctl dial-plan get " + d.name + "`)");
    auto rule = apply_rule(d, d.normalization_rules[static_cast<std::size_t>(at)], edit);
    d.normalization_rules.erase(d.normalization_rules.begin() + at);
    auto to = position ? check_position(d, *position, d.normalization_rules.size()) : static_cast<std::size_t>(at);
    d.normalization_rules.insert(d.normalization_rules.begin() + static_cast<long>(to), rule);
    validate(d);
    store.put_dial_plan(d);
    return rule;
}

void remove_normalization_rule(TenantStore& store, const std::string& plan, const std::string& name)
{
    auto d = require_dial_plan(store, plan);
    auto at = find_rule(d, name);
    if (at < 0)
        throw not_found(label(d) + ": normalization rule " + quote(name) + " does not exist");
    d.normalization_rules.erase(d.normalization_rules.begin() + at);
    store.put_dial_plan(d);
}

}  // namespace csctl
