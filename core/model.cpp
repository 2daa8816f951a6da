#include "core/model.hpp"
#include "core/model_read.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

namespace csctl {

using namespace model_read;

std::string VoiceRoutingPolicy::identity() const { return iequals(name, "Global") ? "Global" : "Tag:" + name; }

std::string gateway_label(const std::string& fqdn) { return describe("online pstn gateway", fqdn); }
std::string route_label(const std::string& identity) { return describe("voice route", identity); }
std::string policy_label(const std::string& name) { return describe("voice routing policy", name); }
std::string user_label(const std::string& upn) { return describe("user", upn); }
std::string group_label(const std::string& name) { return describe("group", name); }
std::string label(const Gateway& g) { return gateway_label(g.fqdn); }
std::string label(const VoiceRoute& r) { return route_label(r.identity); }
std::string label(const VoiceRoutingPolicy& p) { return policy_label(p.name); }
std::string TenantDialPlan::identity() const { return iequals(name, "Global") ? "Global" : "Tag:" + name; }
std::string dial_plan_label(const std::string& name) { return describe("tenant dial plan", name); }
std::string translation_rule_label(const std::string& identity) { return describe("translation rule", identity); }
std::string number_pattern_label(const std::string& identity, bool exempt)
{
    return describe(exempt ? "exempt number pattern" : "blocked number pattern", identity);
}
std::string label(const TenantDialPlan& d) { return dial_plan_label(d.name); }
std::string label(const TranslationRule& t) { return translation_rule_label(t.identity); }

bool User::has_license(std::string_view name) const
{
    for (const auto& l : licenses)
        if (iequals(l, name))
            return true;
    return false;
}

std::string policy_name_from_identity(const std::string& identity)
{
    std::string name = trim(identity);
    if (name.size() > 4 && iequals(name.substr(0, 4), "tag:"))
        name = trim(name.substr(4));
    if (iequals(name, "Global"))
        return "Global";
    return name;
}

namespace {

Json null_if_empty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// A JSON object built field by field in schema order. The keys are distinct, so each is appended
// without the look-up an insert makes: bulk paths build 100,000s of users.
class Fields {
public:
    explicit Fields(std::size_t count) { m_fields.reserve(count); }
    template <class T>
    Fields& add(const char* key, T&& value)
    {
        m_fields.emplace_back(std::piecewise_construct, std::forward_as_tuple(key),
                              std::forward_as_tuple(std::forward<T>(value)));
        return *this;
    }
    Json done() { return Json(std::move(m_fields)); }

private:
    Json::object_t m_fields;
};

}  // namespace

Json to_json(const TenantInfo& t)
{
    return Json{{"name", t.name},
                {"tenantId", null_if_empty(t.tenant_id)},
                {"domains", t.domains},
                {"onlineVoiceRoutingPolicy", null_if_empty(t.voice_routing_policy)},
                {"tenantDialPlan", null_if_empty(t.tenant_dial_plan)},
                {"blockedCallingNumbersEnabled", t.blocked_calling_numbers_enabled},
                {"teamsUpgradePolicy", null_if_empty(t.teams_upgrade_policy)}};
}

Json to_json(const Gateway& g)
{
    return Json{
        {"identity", g.fqdn},
        {"fqdn", g.fqdn},
        {"sipSignalingPort", g.sip_signaling_port},
        {"enabled", g.enabled},
        {"sendSipOptions", g.send_sip_options},
        {"forwardCallHistory", g.forward_call_history},
        {"forwardPai", g.forward_pai},
        {"mediaBypass", g.media_bypass},
        {"pidfLoSupported", g.pidf_lo_supported},
        {"gatewaySiteLbrEnabled", g.gateway_site_lbr_enabled},
        {"gatewayLbrEnabledUserOverride", g.gateway_lbr_enabled_user_override},
        {"failoverTimeSeconds", g.failover_time_seconds},
        {"failoverResponseCodes", g.failover_response_codes},
        {"maxConcurrentSessions", g.max_concurrent_sessions ? Json(*g.max_concurrent_sessions) : Json(nullptr)},
        {"bypassMode", null_if_empty(g.bypass_mode)},
        {"ipAddressVersion", g.ip_address_version},
        {"gatewaySiteId", g.gateway_site_id},
        {"proxySbc", g.proxy_sbc},
        {"mediaRelayRoutingLocationOverride", g.media_relay_routing_location_override},
        {"description", g.description},
        {"inboundTeamsNumberTranslationRules", g.inbound_teams_number_translation_rules},
        {"inboundPstnNumberTranslationRules", g.inbound_pstn_number_translation_rules},
        {"outboundPstnNumberTranslationRules", g.outbound_pstn_number_translation_rules},
        {"outboundTeamsNumberTranslationRules", g.outbound_teams_number_translation_rules},
    };
}

Json to_json(const VoiceRoute& r)
{
    return Fields(8)
        .add("identity", r.identity)
        .add("name", r.identity)
        .add("numberPattern", r.number_pattern)
        .add("priority", r.priority)
        .add("onlinePstnUsages", r.online_pstn_usages)
        .add("onlinePstnGatewayList", r.online_pstn_gateway_list)
        .add("bridgeSourcePhoneNumber", r.bridge_source_phone_number)
        .add("description", r.description)
        .done();
}

Json to_json(const VoiceRoutingPolicy& p)
{
    return Json{{"identity", p.identity()}, {"onlinePstnUsages", p.online_pstn_usages}, {"description", p.description}};
}

Json to_json(const NormalizationRule& n)
{
    return Json{{"name", n.name},
                {"pattern", n.pattern},
                {"translation", n.translation},
                {"isInternalExtension", n.is_internal_extension},
                {"description", n.description}};
}

Json to_json(const TenantDialPlan& d)
{
    Json rules = Json::array();
    for (const auto& n : d.normalization_rules)
        rules.push_back(to_json(n));
    return Json{{"identity", d.identity()}, {"description", d.description}, {"normalizationRules", rules}};
}

Json to_json(const TranslationRule& t)
{
    return Json{{"identity", t.identity},
                {"pattern", t.pattern},
                {"translation", t.translation},
                {"description", t.description}};
}

Json to_json(const NumberPattern& p, bool exempt)
{
    Json j{{"identity", p.identity}, {"pattern", p.pattern}, {"enabled", p.enabled}, {"description", p.description}};
    if (!exempt)
        j["resourceAccount"] = null_if_empty(p.resource_account);
    return j;
}

Json to_json(const User& u)
{
    return Fields(16)
        .add("userPrincipalName", u.user_principal_name)
        .add("sipAddress", u.sip_address)
        .add("displayName", u.display_name)
        .add("objectId", null_if_empty(u.object_id))
        .add("usageLocation", null_if_empty(u.usage_location))
        .add("accountType", u.account_type)
        .add("homed", u.homed)
        .add("licenses", u.licenses)
        .add("groups", u.groups)
        .add("enterpriseVoiceEnabled", u.enterprise_voice_enabled)
        .add("phoneNumber", null_if_empty(u.phone_number))
        .add("phoneNumberType", null_if_empty(u.phone_number_type))
        .add("hostedVoiceMail", u.hosted_voice_mail)
        .add("onlineVoiceRoutingPolicy", null_if_empty(u.online_voice_routing_policy))
        .add("tenantDialPlan", null_if_empty(u.tenant_dial_plan))
        .add("teamsUpgradePolicy", null_if_empty(u.teams_upgrade_policy))
        .done();
}

void append_json_string(std::string& out, std::string_view s)
{
    out += '"';
    std::size_t plain = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.substr(plain, i - plain));
        plain = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            static const char* k_hex = "0123456789abcdef";
            out += "\\u00";
            out += k_hex[(c >> 4) & 0xF];
            out += k_hex[c & 0xF];
        }
        }
    }
    out.append(s.substr(plain));
    out += '"';
}

namespace {

void append_key(std::string& out, const char* key)
{
    // The first field follows the object's opening brace; out may hold other text before it.
    out += out.back() == '{' ? "\"" : ",\"";
    out += key;
    out += "\":";
}

void append_string_field(std::string& out, const char* key, std::string_view value)
{
    append_key(out, key);
    append_json_string(out, value);
}

void append_list_field(std::string& out, const char* key, const std::vector<std::string>& values)
{
    append_key(out, key);
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        append_json_string(out, values[i]);
    }
    out += ']';
}

void append_bool_field(std::string& out, const char* key, bool value)
{
    append_key(out, key);
    out += value ? "true" : "false";
}

}  // namespace

std::string user_json_text(const User& u)
{
    std::string out;
    out.reserve(256);
    append_user_json_text(out, u);
    return out;
}

void append_user_json_text(std::string& out, const User& u)
{
    out += '{';
    // The journal item's identity is the UPN: the text does not repeat it.
    if (u.sip_address.size() != u.user_principal_name.size() + 4 || u.sip_address.compare(0, 4, "sip:") != 0 ||
        u.sip_address.compare(4, std::string::npos, u.user_principal_name) != 0)
        append_string_field(out, "sipAddress", u.sip_address);
    if (!u.display_name.empty())
        append_string_field(out, "displayName", u.display_name);
    if (!u.object_id.empty())
        append_string_field(out, "objectId", u.object_id);
    if (!u.usage_location.empty())
        append_string_field(out, "usageLocation", u.usage_location);
    if (u.account_type != "User")
        append_string_field(out, "accountType", u.account_type);
    if (u.homed != "online")
        append_string_field(out, "homed", u.homed);
    if (!u.licenses.empty())
        append_list_field(out, "licenses", u.licenses);
    if (!u.groups.empty())
        append_list_field(out, "groups", u.groups);
    if (u.enterprise_voice_enabled)
        append_bool_field(out, "enterpriseVoiceEnabled", true);
    if (!u.phone_number.empty())
        append_string_field(out, "phoneNumber", u.phone_number);
    if (!u.phone_number_type.empty())
        append_string_field(out, "phoneNumberType", u.phone_number_type);
    if (u.hosted_voice_mail)
        append_bool_field(out, "hostedVoiceMail", true);
    if (!u.online_voice_routing_policy.empty())
        append_string_field(out, "onlineVoiceRoutingPolicy", u.online_voice_routing_policy);
    if (!u.tenant_dial_plan.empty())
        append_string_field(out, "tenantDialPlan", u.tenant_dial_plan);
    if (!u.teams_upgrade_policy.empty())
        append_string_field(out, "teamsUpgradePolicy", u.teams_upgrade_policy);
    out += '}';
}

void append_user_export_json(std::string& out, const User& u)
{
    auto string_or_null = [&](const char* key, const std::string& value) {
        if (value.empty()) {
            append_key(out, key);
            out += "null";
        } else {
            append_string_field(out, key, value);
        }
    };
    out += '{';
    append_string_field(out, "userPrincipalName", u.user_principal_name);
    append_string_field(out, "sipAddress", u.sip_address);
    append_string_field(out, "displayName", u.display_name);
    string_or_null("objectId", u.object_id);
    string_or_null("usageLocation", u.usage_location);
    append_string_field(out, "accountType", u.account_type);
    append_string_field(out, "homed", u.homed);
    append_list_field(out, "licenses", u.licenses);
    append_list_field(out, "groups", u.groups);
    append_bool_field(out, "enterpriseVoiceEnabled", u.enterprise_voice_enabled);
    string_or_null("phoneNumber", u.phone_number);
    string_or_null("phoneNumberType", u.phone_number_type);
    append_bool_field(out, "hostedVoiceMail", u.hosted_voice_mail);
    string_or_null("onlineVoiceRoutingPolicy", u.online_voice_routing_policy);
    string_or_null("tenantDialPlan", u.tenant_dial_plan);
    string_or_null("teamsUpgradePolicy", u.teams_upgrade_policy);
    out += '}';
}

Json to_json(const Group& g)
{
    auto rank = [](const std::optional<int>& r) { return r ? Json(*r) : Json(nullptr); };
    return Json{{"name", g.name},
                {"description", g.description},
                {"onlineVoiceRoutingPolicy", null_if_empty(g.online_voice_routing_policy)},
                {"onlineVoiceRoutingPolicyRank", rank(g.online_voice_routing_policy_rank)},
                {"tenantDialPlan", null_if_empty(g.tenant_dial_plan)},
                {"tenantDialPlanRank", rank(g.tenant_dial_plan_rank)}};
}

Json to_json(const TenantDocument& d)
{
    auto out = to_json_without_users(d);
    auto& users = out["users"];
    users.get_ref<Json::array_t&>().reserve(d.users.size());
    for (const auto& u : d.users)
        users.push_back(to_json(u));
    return out;
}

Json to_json_without_users(const TenantDocument& d)
{
    Json gateways = Json::array(), routes = Json::array(), policies = Json::array(), plans = Json::array(),
         translations = Json::array(), blocked = Json::array(), exempt = Json::array();
    for (const auto& g : d.gateways)
        gateways.push_back(to_json(g));
    for (const auto& r : d.routes)
        routes.push_back(to_json(r));
    for (const auto& p : d.policies)
        policies.push_back(to_json(p));
    for (const auto& p : d.dial_plans)
        plans.push_back(to_json(p));
    for (const auto& t : d.translation_rules)
        translations.push_back(to_json(t));
    for (const auto& b : d.blocked_numbers)
        blocked.push_back(to_json(b, false));
    for (const auto& e : d.exempt_numbers)
        exempt.push_back(to_json(e, true));
    Json groups = Json::array();
    for (const auto& g : d.groups)
        groups.push_back(to_json(g));
    return Json{{"schemaVersion", 1},
                {"tenant", to_json(d.tenant)},
                {"onlinePstnUsages", d.usages},
                {"onlinePstnGateways", gateways},
                {"onlineVoiceRoutes", routes},
                {"onlineVoiceRoutingPolicies", policies},
                {"tenantDialPlans", plans},
                {"teamsTranslationRules", translations},
                {"inboundBlockedNumberPatterns", blocked},
                {"inboundExemptNumberPatterns", exempt},
                {"groups", groups},
                {"users", Json::array()}};
}

TenantInfo tenant_from_json(const Json& j) { return read_tenant(JsonTree(j)); }
Gateway gateway_from_json(const Json& j, const std::string& identity) { return read_gateway(JsonTree(j), identity); }
VoiceRoute route_from_json(const Json& j, const std::string& identity) { return read_route(JsonTree(j), identity); }
VoiceRoutingPolicy policy_from_json(const Json& j, const std::string& identity)
{
    return read_policy(JsonTree(j), identity);
}
TenantDialPlan dial_plan_from_json(const Json& j, const std::string& identity)
{
    return read_dial_plan(JsonTree(j), identity);
}
TranslationRule translation_rule_from_json(const Json& j, const std::string& identity)
{
    return read_translation_rule(JsonTree(j), identity);
}
NumberPattern number_pattern_from_json(const Json& j, const std::string& identity, bool exempt)
{
    return read_number_pattern(JsonTree(j), identity, exempt);
}
User user_from_json(const Json& j, const std::string& upn) { return read_user(JsonTree(j), upn); }
Group group_from_json(const Json& j, const std::string& name) { return read_group(JsonTree(j), name); }
TenantDocument document_from_json(const Json& j) { return read_document(JsonTree(j)); }

}  // namespace csctl
