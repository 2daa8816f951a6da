#include "core/group.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

namespace csctl {

void validate_group_name(const std::string& name)
{
    if (trim(name).empty())
        throw usage_error("group: the name is empty");
    if (name != trim(name))
        throw usage_error(group_label(name) + ": the name starts or ends with a space");
    if (name.size() > 256)
        throw usage_error(group_label(name) + ": the name is longer than 256 characters");
    if (name.find(';') != std::string::npos || name.find(',') != std::string::npos)
        throw usage_error(group_label(name) + ": a name cannot contain ';' or ',' (they separate list items)");
}

Group require_group(TenantStore& store, const std::string& name)
{
    auto g = store.find_group(name);
    if (!g)
        throw not_found(group_label(name) + " does not exist (create it with `csctl group new " + name + "`)");
    return *g;
}

Group new_group(TenantStore& store, const std::string& name, const std::string& description)
{
    validate_group_name(name);
    if (auto existing = store.find_group(name)) {
        if (description.empty() || description == existing->description)
            return *existing;
        throw conflict(group_label(existing->name) + " already exists with another description " +
                       quote(existing->description));
    }
    Group g;
    g.name = name;
    g.description = description;
    store.put_group(g);
    return g;
}

void remove_group(TenantStore& store, const std::string& name)
{
    auto g = require_group(store, name);
    for (const auto& upn : store.group_members(g.name)) {
        auto user = store.find_user(upn);
        if (!user)
            continue;
        user->groups.erase(user->groups.begin() + find_identity(user->groups, g.name));
        store.put_user(*user);
    }
    store.erase_group(g.name);
}

void add_group_members(TenantStore& store, const std::string& group, const std::vector<std::string>& upns)
{
    auto g = require_group(store, group);
    for (const auto& upn : upns) {
        auto user = store.find_user(upn);
        if (!user)
            throw not_found(user_label(upn) + " does not exist (add it with `csctl user add`)");
        if (find_identity(user->groups, g.name) >= 0)
            continue;
        user->groups.push_back(g.name);
        store.put_user(*user);
    }
}

void remove_group_members(TenantStore& store, const std::string& group, const std::vector<std::string>& upns)
{
    auto g = require_group(store, group);
    for (const auto& upn : upns) {
        auto user = store.find_user(upn);
        if (!user)
            throw not_found(user_label(upn) + " does not exist");
        auto at = find_identity(user->groups, g.name);
        if (at < 0)
            throw usage_error(user_label(user->user_principal_name) + " is not a member of " + group_label(g.name));
        user->groups.erase(user->groups.begin() + at);
        store.put_user(*user);
    }
}

}  // namespace csctl
