#include "server/route_query.hpp"

#include "core/caller.hpp"
#include "core/error.hpp"
#include "core/text.hpp"


namespace csctl::server {

namespace {

// A JSON writer for the per-call answers, byte for byte what Json::dump() writes (no spaces,
// UTF-8 left as it is, control characters escaped as nlohmann does).
class JsonText {
public:
    explicit JsonText(std::size_t capacity) { m_out.reserve(capacity); }

    JsonText& begin_object() { return open('{'); }
    JsonText& end_object() { return close('}'); }
    JsonText& begin_array() { return open('['); }
    JsonText& end_array() { return close(']'); }
    JsonText& key(std::string_view name)
    {
        separate();
        string_value(name);
        m_out += ':';
        m_after_key = true;
        return *this;
    }
    JsonText& value(std::string_view text)
    {
        separate();
        string_value(text);
        return *this;
    }
    JsonText& value(const char* text) { return value(std::string_view(text)); }
    JsonText& value(bool b)
    {
        separate();
        m_out += b ? "true" : "false";
        return *this;
    }
    JsonText& value(int n)
    {
        separate();
        m_out += std::to_string(n);
        return *this;
    }
    JsonText& null()
    {
        separate();
        m_out += "null";
        return *this;
    }
    JsonText& value_or_null(const std::string& text) { return text.empty() ? null() : value(text); }
    JsonText& strings(const std::vector<std::string>& list)
    {
        begin_array();
        for (const auto& item : list)
            value(item);
        return end_array();
    }
    std::string done()
    {
        m_out += '\n';
        return std::move(m_out);
    }

private:
    JsonText& open(char c)
    {
        separate();
        m_out += c;
        m_first = true;
        return *this;
    }
    JsonText& close(char c)
    {
        m_out += c;
        m_first = false;
        return *this;
    }
    void separate()
    {
        if (m_after_key)
            m_after_key = false;
        else if (!m_first)
            m_out += ',';
        m_first = false;
    }
    void string_value(std::string_view text)
    {
        for (unsigned char c : text)
            if (c >= 0x80) {
                // Beyond ASCII, Json::dump() also checks the UTF-8 (and throws on invalid bytes).
                m_out += Json(std::string(text)).dump();
                return;
            }
        append_json_string(m_out, text);
    }

    std::string m_out;
    bool m_first = true;
    bool m_after_key = false;
};

}  // namespace

std::string decision_json(const OutboundResult& r)
{
    // The fields and their order are those of to_json(const OutboundResult&) in core/routing.cpp;
    // tests/unit/route_query_test.cpp holds the two to the same bytes.
    JsonText out(1024);
    out.begin_object();
    out.key("user").value_or_null(r.user);
    out.key("dialedNumber").value(r.normalization.dialed);
    out.key("normalizedNumber").value(r.normalization.number);
    out.key("normalizationRule").value_or_null(r.normalization.rule);
    out.key("dialPlan").value_or_null(r.normalization.dial_plan);
    out.key("dialPlanSource").value(r.normalization.dial_plan_source);
    out.key("countryDialPlan").value_or_null(r.normalization.country);
    out.key("policy").value(r.policy);
    out.key("policySource").value(r.policy_source);
    out.key("policyUsages").strings(r.policy_usages);
    out.key("usage").value_or_null(r.usage);
    out.key("routes").begin_array();
    for (const auto& attempt : r.routes) {
        out.begin_object();
        out.key("identity").value(attempt.identity);
        out.key("priority").value(attempt.priority);
        out.key("numberPattern").value(attempt.number_pattern);
        out.key("randomOrder").value(attempt.shuffled);
        out.key("gateways").begin_array();
        for (const auto& a : attempt.gateways) {
            out.begin_object();
            out.key("fqdn").value(a.fqdn);
            out.key("state").value(to_string(a.state));
            out.key("ingress").value(a.ingress);
            out.key("calledNumber").value(a.called_number);
            out.key("calledTranslationRule").value_or_null(a.called_rule);
            out.key("callingNumber").value_or_null(a.calling_number);
            out.key("callingTranslationRule").value_or_null(a.calling_rule);
            out.end_object();
        }
        out.end_array();
        out.key("alreadyTried").strings(attempt.already_tried);
        out.end_object();
    }
    out.end_array();
    out.key("outcome").value(r.outcome);
    out.key("reason").value(r.reason);
    out.key("firstRoute").value_or_null(r.first_route);
    out.key("firstGateway").value_or_null(r.first_gateway);
    out.end_object();
    return out.done();
}

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

std::string RouteSnapshot::rtjson(const OutboundResult& result) const
{
    JsonText out(512);
    out.begin_object();
    out.key("version").value("1.0");
    out.key("routing").value("serial");
    out.key("routes").begin_array();
    for (const auto& attempt : result.routes)
        for (const auto& g : attempt.gateways) {
            if (g.state != GatewayState::candidate && g.state != GatewayState::demoted)
                continue;
            auto it = m_gateways.find(to_lower(g.fqdn));
            auto port = std::to_string(it == m_gateways.end() ? 5061 : it->second.sip_signaling_port);
            out.begin_object();
            out.key("uri").value("sip:" + g.called_number + "@" + g.fqdn + ":" + port);
            out.key("dst_uri").value("sip:" + g.fqdn + ":" + port);
            out.end_object();
        }
    out.end_array();
    out.key("outcome").value(result.outcome);
    out.end_object();
    return out.done();
}

}  // namespace csctl::server
