#include "core/model.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

namespace csctl {

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

// Reads the fields of one object with exact types; errors name the object and the field.
class Reader {
public:
    Reader(const Json& j, std::string owner) : m_json(j), m_owner(std::move(owner)) { require_object(); }
    // The owner's name is built only for a message (documents hold 100,000s of users).
    Reader(const Json& j, std::string (*label)(const std::string&), const std::string& identity)
        : m_json(j), m_label(label), m_identity(&identity)
    {
        require_object();
    }

    void ignore(const char* key) { find(key); }

    void string(const char* key, std::string& out)
    {
        if (const auto* v = find(key)) {
            if (v->is_null())
                out.clear();
            else if (v->is_string())
                out = v->get<std::string>();
            else
                fail(key, "a string");
        }
    }
    void boolean(const char* key, bool& out)
    {
        if (const auto* v = find(key)) {
            if (!v->is_boolean())
                fail(key, "true or false");
            out = v->get<bool>();
        }
    }
    void integer(const char* key, int& out)
    {
        if (const auto* v = find(key)) {
            if (!v->is_number_integer())
                fail(key, "an integer");
            out = v->get<int>();
        }
    }
    void optional_integer(const char* key, std::optional<int>& out)
    {
        if (const auto* v = find(key)) {
            if (v->is_null())
                out.reset();
            else if (v->is_number_integer())
                out = v->get<int>();
            else
                fail(key, "an integer or null");
        }
    }
    void strings(const char* key, std::vector<std::string>& out)
    {
        if (const auto* v = find(key)) {
            out.clear();
            if (v->is_null())
                return;
            if (!v->is_array())
                fail(key, "a list of strings");
            for (const auto& item : *v) {
                if (!item.is_string())
                    fail(key, "a list of strings");
                out.push_back(item.get<std::string>());
            }
        }
    }
    void integers(const char* key, std::vector<int>& out)
    {
        if (const auto* v = find(key)) {
            out.clear();
            if (v->is_string()) {  // PowerShell prints FailoverResponseCodes as "408,503,504"
                for (const auto& item : split_list(v->get<std::string>())) {
                    try {
                        std::size_t used = 0;
                        out.push_back(std::stoi(item, &used));
                        if (used != item.size())
                            fail(key, "a list of integers");
                    } catch (const std::logic_error&) {
                        fail(key, "a list of integers");
                    }
                }
                return;
            }
            if (!v->is_array())
                fail(key, "a list of integers");
            for (const auto& item : *v) {
                if (!item.is_number_integer())
                    fail(key, "a list of integers");
                out.push_back(item.get<int>());
            }
        }
    }
    // Unknown keys are mistakes (a misspelt field would otherwise be silently dropped).
    void finish() const
    {
        if (m_found == m_json.size())
            return;  // every key was read
        for (const auto& item : m_json.items()) {
            const auto& key = item.key();
            if (std::none_of(m_seen.begin(), m_seen.end(), [&](const char* k) { return key == k; }))
                throw usage_error(owner() + ": unknown field " + quote(key));
        }
    }

private:
    void require_object() const
    {
        if (!m_json.is_object())
            throw usage_error(owner() + ": expected a JSON object");
    }
    std::string owner() const { return m_label ? m_label(*m_identity) : m_owner; }
    // Objects usually list their keys in the order they are read (the schema order), so the key
    // after the last one found is tried first; the keys found are counted, once each, for finish().
    const Json* find(const char* key)
    {
        m_seen.push_back(key);
        const auto& object = m_json.get_ref<const Json::object_t&>();
        const auto* fields = object.data();  // the object is a vector of (key, value) in order
        std::size_t at = m_next;
        if (at >= object.size() || fields[at].first != key) {
            at = 0;
            while (at < object.size() && fields[at].first != key)
                ++at;
            if (at == object.size())
                return nullptr;
        }
        m_next = at + 1;
        if (at < 64 && !(m_used & (std::uint64_t{1} << at))) {
            m_used |= std::uint64_t{1} << at;
            ++m_found;
        }
        return &fields[at].second;
    }
    [[noreturn]] void fail(const char* key, const char* expected) const
    {
        throw usage_error(owner() + ": field " + quote(key) + " must be " + expected);
    }

    const Json& m_json;
    std::string m_owner;
    std::string (*m_label)(const std::string&) = nullptr;
    const std::string* m_identity = nullptr;
    std::vector<const char*> m_seen;  // the keys read: string literals
    std::size_t m_next = 0;           // where the next key is looked for first
    std::uint64_t m_used = 0;         // which of the first 64 fields were found
    std::size_t m_found = 0;
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
    Json groups = Json::array(), users = Json::array();
    for (const auto& g : d.groups)
        groups.push_back(to_json(g));
    for (const auto& u : d.users)
        users.push_back(to_json(u));
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
                {"users", users}};
}

TenantInfo tenant_from_json(const Json& j)
{
    TenantInfo t;
    Reader r(j, "tenant");
    r.string("name", t.name);
    r.string("tenantId", t.tenant_id);
    r.strings("domains", t.domains);
    r.string("onlineVoiceRoutingPolicy", t.voice_routing_policy);
    r.string("tenantDialPlan", t.tenant_dial_plan);
    r.boolean("blockedCallingNumbersEnabled", t.blocked_calling_numbers_enabled);
    r.string("teamsUpgradePolicy", t.teams_upgrade_policy);
    r.finish();
    return t;
}

Gateway gateway_from_json(const Json& j, const std::string& identity)
{
    Gateway g;
    g.fqdn = identity;
    Reader r(j, gateway_label, identity);
    r.ignore("identity");
    r.string("fqdn", g.fqdn);
    r.integer("sipSignalingPort", g.sip_signaling_port);
    r.boolean("enabled", g.enabled);
    r.boolean("sendSipOptions", g.send_sip_options);
    r.boolean("forwardCallHistory", g.forward_call_history);
    r.boolean("forwardPai", g.forward_pai);
    r.boolean("mediaBypass", g.media_bypass);
    r.boolean("pidfLoSupported", g.pidf_lo_supported);
    r.boolean("gatewaySiteLbrEnabled", g.gateway_site_lbr_enabled);
    r.boolean("gatewayLbrEnabledUserOverride", g.gateway_lbr_enabled_user_override);
    r.integer("failoverTimeSeconds", g.failover_time_seconds);
    r.integers("failoverResponseCodes", g.failover_response_codes);
    r.optional_integer("maxConcurrentSessions", g.max_concurrent_sessions);
    r.string("bypassMode", g.bypass_mode);
    r.string("ipAddressVersion", g.ip_address_version);
    r.string("gatewaySiteId", g.gateway_site_id);
    r.string("proxySbc", g.proxy_sbc);
    r.string("mediaRelayRoutingLocationOverride", g.media_relay_routing_location_override);
    r.string("description", g.description);
    r.strings("inboundTeamsNumberTranslationRules", g.inbound_teams_number_translation_rules);
    r.strings("inboundPstnNumberTranslationRules", g.inbound_pstn_number_translation_rules);
    r.strings("outboundPstnNumberTranslationRules", g.outbound_pstn_number_translation_rules);
    r.strings("outboundTeamsNumberTranslationRules", g.outbound_teams_number_translation_rules);
    r.finish();
    return g;
}

VoiceRoute route_from_json(const Json& j, const std::string& identity)
{
    VoiceRoute v;
    v.identity = identity;
    Reader r(j, route_label, identity);
    r.string("identity", v.identity);
    r.ignore("name");
    r.string("numberPattern", v.number_pattern);
    r.integer("priority", v.priority);
    r.strings("onlinePstnUsages", v.online_pstn_usages);
    r.strings("onlinePstnGatewayList", v.online_pstn_gateway_list);
    r.string("bridgeSourcePhoneNumber", v.bridge_source_phone_number);
    r.string("description", v.description);
    r.finish();
    return v;
}

VoiceRoutingPolicy policy_from_json(const Json& j, const std::string& identity)
{
    VoiceRoutingPolicy p;
    p.name = policy_name_from_identity(identity);
    Reader r(j, policy_label, p.name);
    std::string id = p.identity();
    r.string("identity", id);
    p.name = policy_name_from_identity(id);
    r.strings("onlinePstnUsages", p.online_pstn_usages);
    r.string("description", p.description);
    r.finish();
    return p;
}

TenantDialPlan dial_plan_from_json(const Json& j, const std::string& identity)
{
    TenantDialPlan d;
    d.name = dial_plan_name_from_identity(identity);
    Reader r(j, dial_plan_label, d.name);
    std::string id = d.identity();
    r.string("identity", id);
    d.name = dial_plan_name_from_identity(id);
    r.string("description", d.description);
    r.ignore("normalizationRules");
    r.finish();
    if (j.contains("normalizationRules") && !j.at("normalizationRules").is_null()) {
        const auto& rules = j.at("normalizationRules");
        if (!rules.is_array())
            throw usage_error(label(d) + ": field \"normalizationRules\" must be a list");
        for (const auto& item : rules) {
            NormalizationRule n;
            Reader nr(item, label(d) + ": normalization rule");
            nr.string("name", n.name);
            nr.string("pattern", n.pattern);
            nr.string("translation", n.translation);
            nr.boolean("isInternalExtension", n.is_internal_extension);
            nr.string("description", n.description);
            nr.finish();
            d.normalization_rules.push_back(std::move(n));
        }
    }
    return d;
}

TranslationRule translation_rule_from_json(const Json& j, const std::string& identity)
{
    TranslationRule t;
    t.identity = identity;
    Reader r(j, translation_rule_label, identity);
    r.string("identity", t.identity);
    r.string("pattern", t.pattern);
    r.string("translation", t.translation);
    r.string("description", t.description);
    r.finish();
    return t;
}

namespace {
std::string blocked_pattern_label(const std::string& identity) { return number_pattern_label(identity, false); }
std::string exempt_pattern_label(const std::string& identity) { return number_pattern_label(identity, true); }
}  // namespace

NumberPattern number_pattern_from_json(const Json& j, const std::string& identity, bool exempt)
{
    NumberPattern p;
    p.identity = identity;
    Reader r(j, exempt ? exempt_pattern_label : blocked_pattern_label, identity);
    r.string("identity", p.identity);
    r.string("pattern", p.pattern);
    r.boolean("enabled", p.enabled);
    r.string("description", p.description);
    if (!exempt)
        r.string("resourceAccount", p.resource_account);
    r.finish();
    return p;
}

User user_from_json(const Json& j, const std::string& upn)
{
    User u;
    u.user_principal_name = upn;
    Reader r(j, user_label, upn);
    r.string("userPrincipalName", u.user_principal_name);
    r.string("sipAddress", u.sip_address);
    r.string("displayName", u.display_name);
    r.string("objectId", u.object_id);
    r.string("usageLocation", u.usage_location);
    r.string("accountType", u.account_type);
    r.string("homed", u.homed);
    r.strings("licenses", u.licenses);
    r.strings("groups", u.groups);
    r.boolean("enterpriseVoiceEnabled", u.enterprise_voice_enabled);
    r.string("phoneNumber", u.phone_number);
    r.string("phoneNumberType", u.phone_number_type);
    r.boolean("hostedVoiceMail", u.hosted_voice_mail);
    r.string("onlineVoiceRoutingPolicy", u.online_voice_routing_policy);
    r.string("tenantDialPlan", u.tenant_dial_plan);
    r.string("teamsUpgradePolicy", u.teams_upgrade_policy);
    r.ignore("effectivePolicies");  // what `user get` adds; computed, never stored
    r.finish();
    if (u.sip_address.empty())
        u.sip_address = "sip:" + u.user_principal_name;
    return u;
}

Group group_from_json(const Json& j, const std::string& name)
{
    Group g;
    g.name = name;
    Reader r(j, group_label, name);
    r.string("name", g.name);
    r.string("description", g.description);
    r.string("onlineVoiceRoutingPolicy", g.online_voice_routing_policy);
    r.optional_integer("onlineVoiceRoutingPolicyRank", g.online_voice_routing_policy_rank);
    r.string("tenantDialPlan", g.tenant_dial_plan);
    r.optional_integer("tenantDialPlanRank", g.tenant_dial_plan_rank);
    r.ignore("memberCount");
    r.finish();
    return g;
}

TenantDocument document_from_json(const Json& j)
{
    TenantDocument d;
    Reader r(j, "tenant document");
    r.ignore("schemaVersion");
    r.ignore("tenant");
    r.ignore("onlinePstnGateways");
    r.ignore("onlineVoiceRoutes");
    r.ignore("onlineVoiceRoutingPolicies");
    r.ignore("tenantDialPlans");
    r.ignore("teamsTranslationRules");
    r.ignore("inboundBlockedNumberPatterns");
    r.ignore("inboundExemptNumberPatterns");
    r.ignore("groups");
    r.ignore("users");
    r.strings("onlinePstnUsages", d.usages);
    r.finish();
    if (j.contains("tenant"))
        d.tenant = tenant_from_json(j.at("tenant"));
    auto each = [&](const char* key, auto&& read) {
        if (!j.contains(key) || j.at(key).is_null())
            return;
        if (!j.at(key).is_array())
            throw usage_error("tenant document: field " + quote(key) + " must be a list");
        for (const auto& item : j.at(key))
            read(item);
    };
    auto id_of = [](const Json& item, const char* key) {
        if (item.is_object() && item.contains(key) && item.at(key).is_string())
            return item.at(key).get<std::string>();
        throw usage_error(std::string("tenant document: an object without ") + quote(key));
    };
    each("onlinePstnGateways", [&](const Json& item) { d.gateways.push_back(gateway_from_json(item, id_of(item, "identity"))); });
    each("onlineVoiceRoutes", [&](const Json& item) { d.routes.push_back(route_from_json(item, id_of(item, "identity"))); });
    each("onlineVoiceRoutingPolicies",
         [&](const Json& item) { d.policies.push_back(policy_from_json(item, id_of(item, "identity"))); });
    each("tenantDialPlans",
         [&](const Json& item) { d.dial_plans.push_back(dial_plan_from_json(item, id_of(item, "identity"))); });
    each("teamsTranslationRules", [&](const Json& item) {
        d.translation_rules.push_back(translation_rule_from_json(item, id_of(item, "identity")));
    });
    each("inboundBlockedNumberPatterns", [&](const Json& item) {
        d.blocked_numbers.push_back(number_pattern_from_json(item, id_of(item, "identity"), false));
    });
    each("inboundExemptNumberPatterns", [&](const Json& item) {
        d.exempt_numbers.push_back(number_pattern_from_json(item, id_of(item, "identity"), true));
    });
    each("groups", [&](const Json& item) { d.groups.push_back(group_from_json(item, id_of(item, "name"))); });
    each("users", [&](const Json& item) { d.users.push_back(user_from_json(item, id_of(item, "userPrincipalName"))); });
    return d;
}

}  // namespace csctl
