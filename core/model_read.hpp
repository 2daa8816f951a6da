// The strict readers of the model (the `*_from_json` of model.hpp), written once for any parsed
// JSON: nlohmann's tree (JsonTree: every caller of model.hpp) and simdjson's (core/adopt.cpp reads
// large csctl documents straight from their text with it). Internal to core.
//
// A view V offers: is_null, is_string/string, is_bool/boolean, is_integer/integer, is_array/each,
// is_object/fields, size (of an array or object) and field(key) (the first value of that key).
#pragma once

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace csctl::model_read {

// A value of nlohmann's tree. Its objects never repeat a key (the parser keeps the last).
class JsonTree {
public:
    JsonTree() = default;
    JsonTree(const Json& j) : m_json(&j) {}  // NOLINT(google-explicit-constructor): a view

    bool is_null() const { return m_json->is_null(); }
    bool is_string() const { return m_json->is_string(); }
    std::string_view string() const { return m_json->get_ref<const std::string&>(); }
    bool is_bool() const { return m_json->is_boolean(); }
    bool boolean() const { return m_json->get<bool>(); }
    bool is_integer() const { return m_json->is_number_integer(); }
    // Saturated: an unsigned value above the range of long long reads as its largest value.
    long long integer() const
    {
        if (m_json->is_number_unsigned() && m_json->get<unsigned long long>() > static_cast<unsigned long long>(INT64_MAX))
            return INT64_MAX;
        return m_json->get<long long>();
    }
    bool is_array() const { return m_json->is_array(); }
    bool is_object() const { return m_json->is_object(); }
    std::size_t size() const { return m_json->size(); }
    template <class F>
    void each(F&& f) const
    {
        for (const auto& item : *m_json)
            f(JsonTree(item));
    }
    template <class F>
    void fields(F&& f) const
    {
        for (const auto& field : m_json->get_ref<const Json::object_t&>())
            f(std::string_view(field.first), JsonTree(field.second));
    }
    std::optional<JsonTree> field(std::string_view key) const
    {
        for (const auto& field : m_json->get_ref<const Json::object_t&>())
            if (field.first == key)
                return JsonTree(field.second);
        return std::nullopt;
    }

private:
    const Json* m_json = nullptr;
};

// Reads the fields of one object with exact types; errors name the object and the field.
template <class V>
class Reader {
public:
    Reader(V j, std::string owner) : m_owner(std::move(owner)) { gather(j); }
    // The owner's name is built only for a message (documents hold 100,000s of users).
    Reader(V j, std::string (*label)(const std::string&), const std::string& identity)
        : m_label(label), m_identity(&identity)
    {
        gather(j);
    }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    void ignore(const char* key) { find(key); }
    // The value of a key read later, once finish() has checked the object (nullptr: absent).
    const V* value(const char* key) { return find(key); }

    void string(const char* key, std::string& out)
    {
        if (const auto* v = find(key)) {
            if (v->is_null())
                out.clear();
            else if (v->is_string())
                out.assign(v->string());
            else
                fail(key, "a string");
        }
    }
    void boolean(const char* key, bool& out)
    {
        if (const auto* v = find(key)) {
            if (!v->is_bool())
                fail(key, "true or false");
            out = v->boolean();
        }
    }
    void integer(const char* key, int& out)
    {
        if (const auto* v = find(key)) {
            if (!v->is_integer())
                fail(key, "an integer");
            out = int32(key, *v);
        }
    }
    void optional_integer(const char* key, std::optional<int>& out)
    {
        if (const auto* v = find(key)) {
            if (v->is_null())
                out.reset();
            else if (v->is_integer())
                out = int32(key, *v);
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
            out.reserve(v->size());
            v->each([&](V item) {
                if (!item.is_string())
                    fail(key, "a list of strings");
                out.emplace_back(item.string());
            });
        }
    }
    void integers(const char* key, std::vector<int>& out)
    {
        if (const auto* v = find(key)) {
            out.clear();
            if (v->is_string()) {  // PowerShell prints FailoverResponseCodes as "408,503,504"
                for (const auto& item : split_list(std::string(v->string()))) {
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
            v->each([&](V item) {
                if (!item.is_integer())
                    fail(key, "a list of integers");
                out.push_back(int32(key, item));
            });
        }
    }
    // Unknown keys are mistakes (a misspelt field would otherwise be silently dropped), and so is
    // a key given twice (which only simdjson's objects can show).
    void finish() const
    {
        if (m_found == m_count)
            return;  // every key was read, once
        for (std::size_t i = 0; i < m_count; ++i) {
            auto key = m_fields[i].key;
            if (std::none_of(m_seen.begin(), m_seen.begin() + m_seen_count, [&](const char* k) { return key == k; }))
                throw usage_error(owner() + ": unknown field " + quote(std::string(key)));
            for (std::size_t k = 0; k < i; ++k)
                if (m_fields[k].key == key)
                    throw usage_error(owner() + ": field " + quote(std::string(key)) + " is given twice");
        }
    }

private:
    struct Field {
        std::string_view key;
        V value;
    };
    static constexpr std::size_t k_inline = 32;

    void gather(V j)
    {
        if (!j.is_object())
            throw usage_error(owner() + ": expected a JSON object");
        j.fields([&](std::string_view key, V value) {
            if (m_count == k_inline)
                m_more.assign(m_inline.begin(), m_inline.end());
            if (m_count >= k_inline)
                m_more.push_back({key, value});
            else
                m_inline[m_count] = {key, value};
            ++m_count;
        });
        m_fields = m_count > k_inline ? m_more.data() : m_inline.data();
    }
    std::string owner() const { return m_label ? m_label(*m_identity) : m_owner; }
    // Objects usually list their keys in the order they are read (the schema order), so the key
    // after the last one found is tried first; the keys found are counted, once each, for finish().
    // With a key given twice, finish() throws: which of the two was read does not matter.
    const V* find(const char* key)
    {
        if (m_seen_count == m_seen.size())
            throw std::logic_error("model_read::Reader: more keys than it keeps");
        m_seen[m_seen_count++] = key;
        std::size_t at = m_next;
        if (at >= m_count || m_fields[at].key != key) {
            at = 0;
            while (at < m_count && m_fields[at].key != key)
                ++at;
            if (at == m_count)
                return nullptr;
        }
        m_next = at + 1;
        if (at < 64 && !(m_used & (std::uint64_t{1} << at))) {
            m_used |= std::uint64_t{1} << at;
            ++m_found;
        }
        return &m_fields[at].value;
    }
    // Every integer of the model is 32 bits: a larger value is refused, never cut.
    int int32(const char* key, const V& v) const
    {
        auto value = v.integer();
        if (value < INT32_MIN || value > INT32_MAX)
            throw usage_error(owner() + ": field " + quote(key) + ": " + std::to_string(value) + " is out of range");
        return static_cast<int>(value);
    }
    [[noreturn]] void fail(const char* key, const char* expected) const
    {
        throw usage_error(owner() + ": field " + quote(key) + " must be " + expected);
    }

    std::string m_owner;
    std::string (*m_label)(const std::string&) = nullptr;
    const std::string* m_identity = nullptr;
    std::array<Field, k_inline> m_inline{};
    std::vector<Field> m_more;  // objects of more than k_inline fields (unknown keys)
    const Field* m_fields = nullptr;
    std::size_t m_count = 0;
    std::array<const char*, 32> m_seen{};  // the keys read (string literals): no object has more
    std::size_t m_seen_count = 0;
    std::size_t m_next = 0;  // where the next key is looked for first
    std::uint64_t m_used = 0;  // which of the first 64 fields were found
    std::size_t m_found = 0;
};

// An object is read under an identity (its place in a document, a change set or a URL) and may
// name itself in its fields as well; the two must agree (any case), or a write would touch another
// object than the one it names.
inline void check_named(std::string (*label)(const std::string&), const std::string& identity, const char* key,
                        const std::string& named)
{
    if (!iequals(named, identity))
        throw usage_error(label(identity) + ": " + key + " " + quote(named) + " differs from the identity it is given as");
}

template <class V>
TenantInfo read_tenant(V j)
{
    TenantInfo t;
    Reader<V> r(j, "tenant");
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

template <class V>
Gateway read_gateway(V j, const std::string& identity)
{
    Gateway g;
    g.fqdn = identity;
    Reader<V> r(j, gateway_label, identity);
    std::string named = identity;
    r.string("identity", named);
    check_named(gateway_label, identity, "identity", named);
    r.string("fqdn", g.fqdn);
    check_named(gateway_label, identity, "fqdn", g.fqdn);
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

template <class V>
VoiceRoute read_route(V j, const std::string& identity)
{
    VoiceRoute v;
    v.identity = identity;
    Reader<V> r(j, route_label, identity);
    r.string("identity", v.identity);
    check_named(route_label, identity, "identity", v.identity);
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

template <class V>
VoiceRoutingPolicy read_policy(V j, const std::string& identity)
{
    VoiceRoutingPolicy p;
    p.name = policy_name_from_identity(identity);
    Reader<V> r(j, policy_label, p.name);
    std::string id = p.identity();
    r.string("identity", id);
    p.name = policy_name_from_identity(id);
    check_named(policy_label, policy_name_from_identity(identity), "identity", p.name);
    r.strings("onlinePstnUsages", p.online_pstn_usages);
    r.string("description", p.description);
    r.finish();
    return p;
}

template <class V>
TenantDialPlan read_dial_plan(V j, const std::string& identity)
{
    TenantDialPlan d;
    d.name = dial_plan_name_from_identity(identity);
    Reader<V> r(j, dial_plan_label, d.name);
    std::string id = d.identity();
    r.string("identity", id);
    d.name = dial_plan_name_from_identity(id);
    check_named(dial_plan_label, dial_plan_name_from_identity(identity), "identity", d.name);
    r.string("description", d.description);
    const V* rules = r.value("normalizationRules");
    r.finish();
    if (rules && !rules->is_null()) {
        if (!rules->is_array())
            throw usage_error(label(d) + ": field \"normalizationRules\" must be a list");
        rules->each([&](V item) {
            NormalizationRule n;
            Reader<V> nr(item, label(d) + ": normalization rule");
            nr.string("name", n.name);
            nr.string("pattern", n.pattern);
            nr.string("translation", n.translation);
            nr.boolean("isInternalExtension", n.is_internal_extension);
            nr.string("description", n.description);
            nr.finish();
            d.normalization_rules.push_back(std::move(n));
        });
    }
    return d;
}

template <class V>
TranslationRule read_translation_rule(V j, const std::string& identity)
{
    TranslationRule t;
    t.identity = identity;
    Reader<V> r(j, translation_rule_label, identity);
    r.string("identity", t.identity);
    check_named(translation_rule_label, identity, "identity", t.identity);
    r.string("pattern", t.pattern);
    r.string("translation", t.translation);
    r.string("description", t.description);
    r.finish();
    return t;
}

inline std::string blocked_pattern_label(const std::string& identity) { return number_pattern_label(identity, false); }
inline std::string exempt_pattern_label(const std::string& identity) { return number_pattern_label(identity, true); }
template <class V>
NumberPattern read_number_pattern(V j, const std::string& identity, bool exempt)
{
    NumberPattern p;
    p.identity = identity;
    Reader<V> r(j, exempt ? exempt_pattern_label : blocked_pattern_label, identity);
    r.string("identity", p.identity);
    check_named(exempt ? exempt_pattern_label : blocked_pattern_label, identity, "identity", p.identity);
    r.string("pattern", p.pattern);
    r.boolean("enabled", p.enabled);
    r.string("description", p.description);
    if (!exempt)
        r.string("resourceAccount", p.resource_account);
    r.finish();
    return p;
}

template <class V>
User read_user(V j, const std::string& upn)
{
    User u;
    u.user_principal_name = upn;
    Reader<V> r(j, user_label, upn);
    r.string("userPrincipalName", u.user_principal_name);
    check_named(user_label, upn, "userPrincipalName", u.user_principal_name);
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

template <class V>
Group read_group(V j, const std::string& name)
{
    Group g;
    g.name = name;
    Reader<V> r(j, group_label, name);
    r.string("name", g.name);
    check_named(group_label, name, "name", g.name);
    r.string("description", g.description);
    r.string("onlineVoiceRoutingPolicy", g.online_voice_routing_policy);
    r.optional_integer("onlineVoiceRoutingPolicyRank", g.online_voice_routing_policy_rank);
    r.string("tenantDialPlan", g.tenant_dial_plan);
    r.optional_integer("tenantDialPlanRank", g.tenant_dial_plan_rank);
    r.ignore("memberCount");
    r.finish();
    return g;
}

template <class V>
TenantDocument read_document(V j)
{
    TenantDocument d;
    Reader<V> r(j, "tenant document");
    r.ignore("schemaVersion");
    const V* tenant = r.value("tenant");
    const char* const keys[] = {"onlinePstnGateways", "onlineVoiceRoutes",     "onlineVoiceRoutingPolicies",
                                "tenantDialPlans",    "teamsTranslationRules", "inboundBlockedNumberPatterns",
                                "inboundExemptNumberPatterns", "groups", "users"};
    std::array<const V*, std::size(keys)> lists{};
    for (std::size_t i = 0; i < lists.size(); ++i)
        lists[i] = r.value(keys[i]);
    r.strings("onlinePstnUsages", d.usages);
    r.finish();
    if (tenant)
        d.tenant = read_tenant(*tenant);
    std::size_t at = 0;
    // Each object is named by id_key (or, for gateways, by the fqdn that is their identity).
    auto each = [&](auto& out, const char* id_key, auto&& read, const char* or_key = nullptr) {
        const char* key = keys[at];
        const V* list = lists[at++];
        if (!list || list->is_null())
            return;
        if (!list->is_array())
            throw usage_error("tenant document: field " + quote(key) + " must be a list");
        out.reserve(list->size());
        list->each([&](V item) {
            std::optional<V> id;
            if (item.is_object()) {
                id = item.field(id_key);
                if (!id && or_key)
                    id = item.field(or_key);
            }
            if (!id || !id->is_string())
                throw usage_error("tenant document: " + std::string(key) + ": object " + std::to_string(out.size() + 1) +
                                  (item.is_object() ? std::string(" has no ") + quote(id_key) + " (a string) to name it"
                                                    : std::string(" is not an object")));
            out.push_back(read(item, std::string(id->string())));
        });
    };
    each(d.gateways, "identity", [](V item, const std::string& id) { return read_gateway(item, id); }, "fqdn");
    each(d.routes, "identity", [](V item, const std::string& id) { return read_route(item, id); });
    each(d.policies, "identity", [](V item, const std::string& id) { return read_policy(item, id); });
    each(d.dial_plans, "identity", [](V item, const std::string& id) { return read_dial_plan(item, id); });
    each(d.translation_rules, "identity",
         [](V item, const std::string& id) { return read_translation_rule(item, id); });
    each(d.blocked_numbers, "identity",
         [](V item, const std::string& id) { return read_number_pattern(item, id, false); });
    each(d.exempt_numbers, "identity",
         [](V item, const std::string& id) { return read_number_pattern(item, id, true); });
    each(d.groups, "name", [](V item, const std::string& id) { return read_group(item, id); });
    each(d.users, "userPrincipalName", [](V item, const std::string& id) { return read_user(item, id); });
    return d;
}

}  // namespace csctl::model_read
