#include "core/tenant.hpp"

#include "core/error.hpp"
#include "core/names.hpp"
#include <cctype>
#include "core/text.hpp"

namespace csctl {

void validate_tenant_name(const std::string& name)
{
    if (name.empty())
        throw usage_error("tenant: the name is empty");
    if (name.size() > 64)
        throw usage_error("tenant " + quote(name) + ": the name is longer than 64 characters");
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            throw usage_error("tenant " + quote(name) + ": the name may contain only letters, digits, '-', '_' and '.'");
    if (name.front() == '.')
        throw usage_error("tenant " + quote(name) + ": the name cannot start with '.'");
}

void validate(const TenantInfo& t)
{
    validate_tenant_name(t.name);
    if (!t.tenant_id.empty() && !is_guid(t.tenant_id))
        throw usage_error("tenant " + quote(t.name) + ": TenantId " + quote(t.tenant_id) +
                          " is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    for (std::size_t i = 0; i < t.domains.size(); ++i) {
        if (auto problem = dns_name_problem(t.domains[i]))
            throw usage_error("tenant " + quote(t.name) + ": domain " + quote(t.domains[i]) + " " + *problem);
        if (find_identity({t.domains.begin(), t.domains.begin() + static_cast<long>(i)}, t.domains[i]) >= 0)
            throw usage_error("tenant " + quote(t.name) + ": domain " + quote(t.domains[i]) + " is listed twice");
    }
}

void add_domain(TenantStore& store, const std::string& domain)
{
    auto t = store.tenant();
    if (find_identity(t.domains, domain) >= 0)
        return;
    t.domains.push_back(trim(domain));
    validate(t);
    store.put_tenant(t);
}

void remove_domain(TenantStore& store, const std::string& domain)
{
    auto t = store.tenant();
    auto at = find_identity(t.domains, domain);
    if (at < 0)
        throw not_found("tenant " + quote(t.name) + ": domain " + quote(domain) + " is not registered (domains: " +
                        quoted_list(t.domains) + ")");
    std::vector<std::string> users;
    for (const auto& g : store.gateways())
        if (iequals(parent_domain(g.fqdn), domain))
            users.push_back(g.fqdn);
    if (!users.empty())
        throw conflict("tenant " + quote(t.name) + ": domain " + quote(domain) + " is still used by online pstn gateway " +
                       quoted_list(users));
    t.domains.erase(t.domains.begin() + at);
    store.put_tenant(t);
}

}  // namespace csctl
