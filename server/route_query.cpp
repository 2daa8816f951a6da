#include "server/route_query.hpp"

#include "core/caller.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace csctl::server {

RouteSnapshot::RouteSnapshot(const TenantDocument& tenant, long long revision)
    : m_revision(revision), m_engine(tenant), m_resolver(tenant.tenant, tenant.groups), m_users(tenant.users)
{
    m_by_name.reserve(m_users.size() * 2);
    m_by_number.reserve(m_users.size());
    m_by_base_number.reserve(m_users.size());
    for (std::size_t i = 0; i < m_users.size(); ++i) {
        const auto& u = m_users[i];
        m_by_name.emplace(to_lower(u.user_principal_name), i);
        auto sip = u.sip_address.size() > 4 && iequals(std::string_view(u.sip_address).substr(0, 4), "sip:")
                       ? u.sip_address.substr(4)
                       : u.sip_address;
        m_by_name.emplace(to_lower(sip), i);
        if (u.phone_number.empty())
            continue;
        m_by_number.emplace(u.phone_number, i);
        m_by_base_number.emplace(u.phone_number.substr(0, u.phone_number.find(';')), i);
    }
    for (const auto& g : tenant.gateways)
        m_gateways.emplace(to_lower(g.fqdn), g);
}

const User* RouteSnapshot::find_user(std::string_view key) const
{
    std::string name(key);
    if (name.size() > 4 && iequals(std::string_view(name).substr(0, 4), "sip:"))
        name = name.substr(4);
    if (auto it = m_by_name.find(to_lower(name)); it != m_by_name.end())
        return &m_users[it->second];
    return nullptr;
}

CallerContext RouteSnapshot::caller(std::string_view from) const
{
    if (from.find('@') != std::string_view::npos) {
        const auto* user = find_user(from);
        if (!user)
            throw not_found("from: " + user_label(std::string(from)) + " does not exist in this tenant");
        return caller_from_user(*user, m_resolver);
    }
    auto number = clean_number(from, "from", true);
    if (auto it = m_by_number.find(number); it != m_by_number.end())
        return caller_from_user(m_users[it->second], m_resolver);
    if (auto it = m_by_base_number.find(number); it != m_by_base_number.end())
        return caller_from_user(m_users[it->second], m_resolver);
    CallerContext c;
    c.phone_number = number.substr(0, number.find(';'));
    return c;
}

std::optional<std::string> RouteSnapshot::gateway_fqdn(std::string_view name) const
{
    auto it = m_gateways.find(to_lower(std::string(name)));
    if (it == m_gateways.end())
        return std::nullopt;
    return it->second.fqdn;
}

OutboundResult RouteSnapshot::route(const CallerContext& caller, std::string_view number,
                                    const OutboundOptions& options) const
{
    return m_engine.route(caller, number, options);
}

InboundResult RouteSnapshot::inbound(std::string_view gateway, std::string_view called, std::string_view calling) const
{
    UserLookup lookup = [this](std::string_view number) -> std::optional<InboundUser> {
        // The reverse lookup matches the number as a string, extension included (routing.md).
        auto it = m_by_number.find(std::string(number));
        if (it == m_by_number.end())
            return std::nullopt;
        return inbound_user(m_users[it->second], m_resolver);
    };
    return m_engine.inbound(gateway, called, calling, lookup);
}

Json RouteSnapshot::rtjson(const OutboundResult& result) const
{
    Json routes = Json::array();
    for (const auto& attempt : result.routes)
        for (const auto& g : attempt.gateways) {
            if (g.state != GatewayState::candidate && g.state != GatewayState::demoted)
                continue;
            auto it = m_gateways.find(to_lower(g.fqdn));
            auto port = std::to_string(it == m_gateways.end() ? 5061 : it->second.sip_signaling_port);
            routes.push_back(Json{{"uri", "sip:" + g.called_number + "@" + g.fqdn + ":" + port},
                                  {"dst_uri", "sip:" + g.fqdn + ":" + port}});
        }
    return Json{{"version", "1.0"}, {"routing", "serial"}, {"routes", routes}, {"outcome", result.outcome}};
}

}  // namespace csctl::server
