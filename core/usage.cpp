#include "core/usage.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

namespace csctl {

void validate_usage_name(const std::string& name)
{
    if (trim(name).empty())
        throw usage_error("pstn usage: the name is empty");
    if (name.size() > 256)
        throw usage_error("pstn usage " + quote(name) + ": the name is longer than 256 characters");
    if (name.find(',') != std::string::npos)
        throw usage_error("pstn usage " + quote(name) + ": a name cannot contain ',' (it separates list items)");
}

std::string require_usage(const std::vector<std::string>& usages, const std::string& name, const std::string& owner)
{
    auto at = find_identity(usages, name);
    if (at < 0)
        throw usage_error(owner + ": usage " + quote(name) + " does not exist" +
                          (usages.empty() ? std::string(" (there are no usages; add one with `csctl usage add NAME`)")
                                          : " (usages: " + quoted_list(usages) + ")"));
    return usages[static_cast<std::size_t>(at)];
}

void add_usages(TenantStore& store, const std::vector<std::string>& names)
{
    auto usages = store.usages();
    bool changed = false;
    for (const auto& raw : names) {
        auto name = trim(raw);
        validate_usage_name(name);
        if (find_identity(usages, name) < 0) {
            usages.push_back(name);
            changed = true;
        }
    }
    if (changed)
        store.put_usages(usages);
}

namespace {

void detach(TenantStore& store, const std::string& usage, bool cascade)
{
    auto routes = store.routes_using_usage(usage);
    auto policies = store.policies_using_usage(usage);
    if (routes.empty() && policies.empty())
        return;
    if (!cascade) {
        std::string users;
        if (!routes.empty())
            users += "voice route " + quoted_list(routes);
        if (!policies.empty())
            users += (users.empty() ? "" : " and ") + std::string("voice routing policy ") + quoted_list(policies);
        throw conflict("pstn usage " + quote(usage) + " is still used by " + users +
                       "; remove it from them first, or pass --cascade to remove it from them too");
    }
    for (const auto& id : routes) {
        auto route = *store.find_route(id);
        route.online_pstn_usages.erase(route.online_pstn_usages.begin() + find_identity(route.online_pstn_usages, usage));
        store.put_route(route);
    }
    for (const auto& name : policies) {
        auto policy = *store.find_policy(name);
        policy.online_pstn_usages.erase(policy.online_pstn_usages.begin() +
                                        find_identity(policy.online_pstn_usages, usage));
        store.put_policy(policy);
    }
}

}  // namespace

void remove_usages(TenantStore& store, const std::vector<std::string>& names, bool cascade)
{
    auto usages = store.usages();
    for (const auto& name : names) {
        auto stored = require_usage(usages, trim(name), "pstn usages");
        detach(store, stored, cascade);
        usages.erase(usages.begin() + find_identity(usages, stored));
    }
    store.put_usages(usages);
}

void replace_usages(TenantStore& store, const std::vector<std::string>& names, bool cascade)
{
    std::vector<std::string> wanted;
    for (const auto& raw : names) {
        auto name = trim(raw);
        validate_usage_name(name);
        if (find_identity(wanted, name) < 0)
            wanted.push_back(name);
    }
    for (const auto& old : store.usages())
        if (find_identity(wanted, old) < 0)
            detach(store, old, cascade);
    if (wanted != store.usages())
        store.put_usages(wanted);
}

}  // namespace csctl
