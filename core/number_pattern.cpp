#include "core/number_pattern.hpp"

#include "core/error.hpp"
#include "core/names.hpp"
#include "core/pattern.hpp"
#include "core/text.hpp"

namespace csctl {

const std::vector<FieldSpec>& number_pattern_fields(bool exempt)
{
    using T = FieldType;
    static const std::vector<FieldSpec> exempt_fields{
        {"Pattern", "pattern", "pattern", T::text, "regular expression of the calling numbers to let through"},
        {"Enabled", "enabled", "enabled", T::flag, "whether the pattern applies (default true)"},
        {"Description", "description", "description", T::text, "free text"},
    };
    static const std::vector<FieldSpec> blocked_fields{
        {"Pattern", "pattern", "pattern", T::text, "regular expression of the calling numbers to block"},
        {"Enabled", "enabled", "enabled", T::flag, "whether the pattern applies (default true)"},
        {"Description", "description", "description", T::text, "free text"},
        {"ResourceAccount", "resourceAccount", "resource-account", T::text,
         "object id (GUID) of a resource account that receives blocked calls instead"},
    };
    return exempt ? exempt_fields : blocked_fields;
}

void validate(const NumberPattern& p, bool exempt)
{
    const auto owner = number_pattern_label(p.identity, exempt);
    if (trim(p.identity).empty())
        throw usage_error(std::string(exempt ? "exempt" : "blocked") + " number pattern: Identity is empty");
    if (p.identity.size() > 256)
        throw usage_error(owner + ": Identity is longer than 256 characters");
    if (p.pattern.empty())
        throw usage_error(owner + ": Pattern is required (--pattern)");
    Pattern::require(p.pattern, owner, "Pattern");
    if (!p.resource_account.empty() && !is_guid(p.resource_account))
        throw usage_error(owner + ": ResourceAccount " + quote(p.resource_account) +
                          " is not an object id (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
}

NumberPattern require_number_pattern(TenantStore& store, bool exempt, const std::string& identity)
{
    auto p = store.find_number_pattern(exempt, identity);
    if (!p)
        throw not_found(number_pattern_label(identity, exempt) + " does not exist (list them with `csctl " +
                        (exempt ? "exempt" : "blocked") + "-number get`)");
    return *p;
}

namespace {
NumberPattern apply(const NumberPattern& base, bool exempt, const Edit& edit)
{
    auto json = to_json(base, exempt);
    apply_edit(json, edit, number_pattern_fields(exempt), number_pattern_label(base.identity, exempt));
    return number_pattern_from_json(json, base.identity, exempt);
}
}  // namespace

NumberPattern new_number_pattern(TenantStore& store, bool exempt, const std::string& identity, const Edit& edit)
{
    if (auto existing = store.find_number_pattern(exempt, identity))
        throw conflict(number_pattern_label(existing->identity, exempt) + " already exists (change it with `csctl " +
                       (exempt ? "exempt" : "blocked") + "-number set`)");
    NumberPattern base;
    base.identity = trim(identity);
    auto p = apply(base, exempt, edit);
    validate(p, exempt);
    store.put_number_pattern(exempt, p);
    return p;
}

NumberPattern set_number_pattern(TenantStore& store, bool exempt, const std::string& identity, const Edit& edit)
{
    auto p = apply(require_number_pattern(store, exempt, identity), exempt, edit);
    validate(p, exempt);
    store.put_number_pattern(exempt, p);
    return p;
}

void remove_number_pattern(TenantStore& store, bool exempt, const std::string& identity)
{
    auto p = require_number_pattern(store, exempt, identity);
    store.erase_number_pattern(exempt, p.identity);
}

void set_blocked_calling_numbers(TenantStore& store, bool enabled)
{
    auto t = store.tenant();
    t.blocked_calling_numbers_enabled = enabled;
    store.put_tenant(t);
}

}  // namespace csctl
