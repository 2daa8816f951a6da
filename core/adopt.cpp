#include "core/adopt.hpp"

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/model_read.hpp"
#include "core/simd_json.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <set>

namespace csctl {

namespace {

// What an object of a section is called in messages.
std::string section_words(const std::string& key)
{
    static const std::map<std::string, std::string> words{
        {"tenant", "tenant"},
        {"onlinePstnUsages", "pstn usages"},
        {"onlinePstnGateways", "online pstn gateway"},
        {"onlineVoiceRoutes", "voice route"},
        {"onlineVoiceRoutingPolicies", "voice routing policy"},
        {"tenantDialPlans", "tenant dial plan"},
        {"teamsTranslationRules", "translation rule"},
        {"inboundBlockedNumberPatterns", "blocked number pattern"},
        {"inboundExemptNumberPatterns", "exempt number pattern"},
        {"groups", "group"},
        {"users", "user"},
    };
    auto it = words.find(key);
    return it == words.end() ? key : it->second;
}

// Calls f with the TenantDocument member that holds an object section; false for other keys.
template <class F>
bool with_section(const std::string& key, F&& f)
{
    if (key == "onlinePstnGateways")
        f(&TenantDocument::gateways);
    else if (key == "onlineVoiceRoutes")
        f(&TenantDocument::routes);
    else if (key == "onlineVoiceRoutingPolicies")
        f(&TenantDocument::policies);
    else if (key == "tenantDialPlans")
        f(&TenantDocument::dial_plans);
    else if (key == "teamsTranslationRules")
        f(&TenantDocument::translation_rules);
    else if (key == "inboundBlockedNumberPatterns")
        f(&TenantDocument::blocked_numbers);
    else if (key == "inboundExemptNumberPatterns")
        f(&TenantDocument::exempt_numbers);
    else if (key == "groups")
        f(&TenantDocument::groups);
    else if (key == "users")
        f(&TenantDocument::users);
    else
        return false;
    return true;
}

void add_section(AdoptedDocument& out, const std::string& key)
{
    if (!out.has(key))
        out.sections.push_back(key);
}

// ---- csctl's own schema --------------------------------------------------------------------

// The checks of a csctl document that its model alone cannot show: each object named once in
// its section. `keys` are the file's top-level keys with a value, in order.
AdoptedDocument adopted_csctl(TenantDocument doc, const std::vector<std::string_view>& keys,
                              const AdoptOptions& options)
{
    const auto& src = options.source;
    AdoptedDocument out;
    out.format = DocumentFormat::csctl;
    out.document = std::move(doc);
    for (const auto& key_view : keys) {
        std::string key(key_view);  // not a structured binding: lambdas below use it
        add_section(out, key);
        bool objects = with_section(key, [&](auto member) {
            // Each object is named once: a second entry would silently win otherwise.
            const auto& list = out.document.*member;
            std::deque<std::string> kept;
            IdentityIndex seen(list.size());
            std::size_t n = 0;
            for (const auto& o : list) {
                auto [first, fresh] = seen.emplace(identity_view(o, kept), ++n);
                if (!fresh)
                    throw usage_error(src + ": " + section_words(key) + " " + quote(document_identity(o)) +
                                      " is listed twice (" + key + " items " + std::to_string(first) + " and " +
                                      std::to_string(n) + ")");
            }
            out.objects += list.size();
        });
        if (objects)
            continue;
        if (key == "onlinePstnUsages") {
            const auto& names = out.document.usages;
            for (std::size_t i = 0; i < names.size(); ++i)
                if (find_identity({names.begin(), names.begin() + static_cast<long>(i)}, names[i]) >= 0)
                    throw usage_error(src + ": pstn usage " + quote(names[i]) + " is listed twice in onlinePstnUsages");
        }
        out.objects += 1;
    }
    return out;
}

// The top-level keys of a csctl document that have a value (not null, not the schema version).
template <class V>
std::vector<std::string_view> section_keys(V input)
{
    std::vector<std::string_view> keys;
    input.fields([&](std::string_view key, V value) {
        if (key != "schemaVersion" && !value.is_null())
            keys.push_back(key);
    });
    return keys;
}

AdoptedDocument adopt_csctl(const Json& input, const AdoptOptions& options)
{
    const auto& src = options.source;
    if (input.contains("schemaVersion")) {
        const auto& v = input.at("schemaVersion");
        if (!v.is_number_integer())
            throw usage_error(src + ": field \"schemaVersion\" must be an integer");
        if (v.get<long long>() != 1)
            throw usage_error(src + ": schemaVersion " + v.dump() +
                              " is not one this csctl reads (1); export the document again with this version");
    }
    // Every section is read strictly (unknown keys and wrong types name the object and field).
    TenantDocument doc;
    try {
        doc = document_from_json(input);
    } catch (const Error& e) {
        throw Error(e.code(), src + ": " + e.what());
    }
    return adopted_csctl(std::move(doc), section_keys(model_read::JsonTree(input)), options);
}

// ---- PowerShell ConvertTo-Json output -------------------------------------------------------

// One object of ConvertTo-Json output: property names are case-insensitive in PowerShell.
class PsObject {
public:
    PsObject(const Json& j, std::string owner) : m_json(j), m_owner(std::move(owner))
    {
        for (const auto& [key, value] : j.items())
            m_keys.emplace(to_lower(key), key);
    }

    bool has(const std::string& name) const { return m_keys.count(to_lower(name)) > 0; }
    const Json* find(const std::string& name) const
    {
        auto it = m_keys.find(to_lower(name));
        return it == m_keys.end() ? nullptr : &m_json.at(it->second);
    }
    std::string property(const std::string& name) const
    {
        auto it = m_keys.find(to_lower(name));
        return it == m_keys.end() ? name : it->second;
    }
    const std::string& owner() const { return m_owner; }
    void set_owner(std::string owner) { m_owner = std::move(owner); }

    [[noreturn]] void fail(const std::string& name, const std::string& what) const
    {
        throw usage_error(m_owner + ": property " + quote(property(name)) + " " + what);
    }

    // A string property; null and absent give "". Numbers and booleans are taken as text only
    // where a caller asks for them.
    std::string text(const std::string& name) const
    {
        const auto* v = find(name);
        if (!v || v->is_null())
            return {};
        if (v->is_string())
            return v->get<std::string>();
        if (v->is_object() && v->contains("Name") && v->at("Name").is_string())
            return v->at("Name").get<std::string>();  // a policy reference printed as an object
        fail(name, "must be text, not " + v->dump());
    }

    void copy_text(Json& out, const char* key, const std::string& name) const
    {
        if (has(name))
            out[key] = text(name);
    }

    void copy_bool(Json& out, const char* key, const std::string& name) const
    {
        const auto* v = find(name);
        if (!v || v->is_null())
            return;
        if (v->is_boolean())
            out[key] = v->get<bool>();
        else if (v->is_string() && (iequals(v->get<std::string>(), "true") || iequals(v->get<std::string>(), "false")))
            out[key] = iequals(v->get<std::string>(), "true");
        else
            fail(name, "must be true or false, not " + v->dump());
    }

    std::optional<long long> integer(const std::string& name) const
    {
        const auto* v = find(name);
        if (!v || v->is_null())
            return std::nullopt;
        if (v->is_number_integer())
            return v->get<long long>();
        if (v->is_string()) {
            auto s = trim(v->get<std::string>());
            if (s.empty())
                return std::nullopt;
            if (s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return std::stoll(s);
        }
        fail(name, "must be a whole number, not " + v->dump());
    }

    void copy_int(Json& out, const char* key, const std::string& name) const
    {
        if (auto v = integer(name)) {
            if (*v > 2147483647LL || *v < -2147483647LL)
                fail(name, "is out of range: " + std::to_string(*v));
            out[key] = *v;
        }
    }

    // A list of names: an array of strings, null, or one string. `splittable` lists (FQDNs) take
    // the space-joined text ConvertTo-Json writes for a list nested deeper than -Depth; for the
    // others that text cannot be split safely (usage names have spaces), so it is refused.
    void copy_names(Json& out, const char* key, const std::string& name, bool splittable) const
    {
        const auto* v = find(name);
        if (!v)
            return;
        Json list = Json::array();
        if (v->is_null()) {
            // an empty list
        } else if (v->is_array()) {
            for (const auto& item : *v) {
                if (!item.is_string())
                    fail(name, "must be a list of names; item " + item.dump() +
                                   " is not (export it again with ConvertTo-Json -Depth 5)");
                list.push_back(item.get<std::string>());
            }
        } else if (v->is_string()) {
            auto s = trim(v->get<std::string>());
            bool spaced = s.find_first_of(" \t") != std::string::npos;
            if (spaced && !splittable)
                fail(name, "is the text " + quote(s) +
                               ", which is how ConvertTo-Json writes a list nested deeper than its -Depth; the names "
                               "cannot be told apart: export it again with ConvertTo-Json -Depth 5");
            std::string item;
            for (char c : s + " ") {
                if (c == ' ' || c == '\t' || c == ',') {
                    if (!item.empty())
                        list.push_back(item);
                    item.clear();
                } else {
                    item += c;
                }
            }
        } else {
            fail(name, "must be a list of names, not " + v->dump());
        }
        out[key] = list;
    }

private:
    const Json& m_json;
    std::string m_owner;
    std::map<std::string, std::string> m_keys;
};

// "Tag:US Only" → "US Only" as Identity values of policies and dial plans print.
std::string tag_name(const std::string& identity) { return policy_name_from_identity(identity); }

std::string identity_or_name(const PsObject& o)
{
    auto id = o.text("Identity");
    if (id.empty())
        id = o.text("Name");
    if (id.empty())
        throw usage_error(o.owner() + ": it has no \"Identity\" (or \"Name\") to name it by");
    return id;
}

Json ps_gateway(PsObject& o)
{
    auto fqdn = o.text("Fqdn");
    auto identity = o.text("Identity");
    if (fqdn.empty())
        fqdn = identity;
    if (fqdn.empty())
        throw usage_error(o.owner() + ": it has no \"Identity\" or \"Fqdn\" to name it by");
    if (!identity.empty() && !iequals(identity, fqdn))
        throw usage_error(o.owner() + ": Fqdn " + quote(fqdn) + " and Identity " + quote(identity) +
                          " differ; a gateway's identity is its FQDN");
    o.set_owner(o.owner() + " (online pstn gateway " + quote(fqdn) + ")");
    Json g{{"identity", fqdn}, {"fqdn", fqdn}};
    o.copy_int(g, "sipSignalingPort", "SipSignalingPort");
    o.copy_bool(g, "enabled", "Enabled");
    o.copy_bool(g, "sendSipOptions", "SendSipOptions");
    o.copy_bool(g, "forwardCallHistory", "ForwardCallHistory");
    o.copy_bool(g, "forwardPai", "ForwardPai");
    o.copy_bool(g, "mediaBypass", "MediaBypass");
    o.copy_bool(g, "pidfLoSupported", "PidfLoSupported");
    o.copy_bool(g, "gatewaySiteLbrEnabled", "GatewaySiteLbrEnabled");
    o.copy_bool(g, "gatewayLbrEnabledUserOverride", "GatewayLbrEnabledUserOverride");
    o.copy_int(g, "failoverTimeSeconds", "FailoverTimeSeconds");
    if (const auto* v = o.find("FailoverResponseCodes"); v && !v->is_null()) {
        // The cmdlet prints the codes as one comma-separated text ("408,503,504").
        Json codes = Json::array();
        if (v->is_array()) {
            for (const auto& c : *v)
                codes.push_back(c);
        } else if (v->is_string()) {
            for (const auto& part : split_list(v->get<std::string>())) {
                auto s = trim(part);
                if (s.empty())
                    continue;
                if (s.size() > 3 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
                    o.fail("FailoverResponseCodes", "has " + quote(s) + ", which is not a SIP response code");
                codes.push_back(std::stoi(s));
            }
        } else {
            o.fail("FailoverResponseCodes", "must be a comma-separated list of SIP response codes");
        }
        g["failoverResponseCodes"] = codes;
    }
    if (const auto* v = o.find("MaxConcurrentSessions"); v) {
        if (v->is_null())
            g["maxConcurrentSessions"] = nullptr;
        else
            o.copy_int(g, "maxConcurrentSessions", "MaxConcurrentSessions");
    }
    // Enumerations print as their numbers under Windows PowerShell 5.1 and as names under 7.
    if (const auto* v = o.find("BypassMode"); v && !v->is_null()) {
        static const std::vector<std::string> modes{"None", "Always", "OnlyForLocalUsers"};
        if (v->is_number_integer() && v->get<long long>() >= 0 && v->get<long long>() < 3)
            g["bypassMode"] = modes[static_cast<std::size_t>(v->get<long long>())];
        else if (v->is_string())
            g["bypassMode"] = v->get<std::string>();
        else
            o.fail("BypassMode", "must be None, Always or OnlyForLocalUsers, not " + v->dump());
    }
    for (const char* name : {"IPAddressVersion", "IpAddressVersion"}) {
        const auto* v = o.find(name);
        if (!v || v->is_null())
            continue;
        if (v->is_number_integer() && (v->get<long long>() == 0 || v->get<long long>() == 1))
            g["ipAddressVersion"] = v->get<long long>() == 0 ? "IPv4" : "IPv6";
        else if (v->is_string())
            g["ipAddressVersion"] = v->get<std::string>();
        else
            o.fail(name, "must be IPv4 or IPv6, not " + v->dump());
    }
    o.copy_text(g, "gatewaySiteId", "GatewaySiteId");
    o.copy_text(g, "proxySbc", "ProxySbc");
    o.copy_text(g, "mediaRelayRoutingLocationOverride", "MediaRelayRoutingLocationOverride");
    o.copy_text(g, "description", "Description");
    o.copy_names(g, "inboundTeamsNumberTranslationRules", "InboundTeamsNumberTranslationRules", false);
    o.copy_names(g, "inboundPstnNumberTranslationRules", "InboundPstnNumberTranslationRules", false);
    o.copy_names(g, "outboundPstnNumberTranslationRules", "OutboundPstnNumberTranslationRules", false);
    o.copy_names(g, "outboundTeamsNumberTranslationRules", "OutboundTeamsNumberTranslationRules", false);
    return g;
}

Json ps_route(PsObject& o)
{
    auto id = identity_or_name(o);
    o.set_owner(o.owner() + " (voice route " + quote(id) + ")");
    Json r{{"identity", id}};
    o.copy_text(r, "numberPattern", "NumberPattern");
    o.copy_int(r, "priority", "Priority");
    o.copy_names(r, "onlinePstnUsages", "OnlinePstnUsages", false);
    o.copy_names(r, "onlinePstnGatewayList", "OnlinePstnGatewayList", true);
    o.copy_text(r, "bridgeSourcePhoneNumber", "BridgeSourcePhoneNumber");
    o.copy_text(r, "description", "Description");
    return r;
}

Json ps_policy(PsObject& o)
{
    auto id = identity_or_name(o);
    o.set_owner(o.owner() + " (voice routing policy " + quote(id) + ")");
    Json p{{"identity", tag_name(id) == "Global" ? std::string("Global") : "Tag:" + tag_name(id)}};
    o.copy_names(p, "onlinePstnUsages", "OnlinePstnUsages", false);
    o.copy_text(p, "description", "Description");
    return p;
}

// A normalization rule past ConvertTo-Json's depth prints as its text: "Description=;Pattern=…;
// Translation=…;Name=…;IsInternalExtension=False" (or "@{Name=…; Pattern=…}" for a plain object).
Json rule_from_text(const std::string& text, const PsObject& owner, std::size_t index)
{
    static const std::vector<std::string> keys{"Description", "Pattern", "Translation", "Name",
                                               "IsInternalExtension", "Priority", "Identity"};
    std::string s = trim(text);
    if (s.starts_with("@{") && s.ends_with("}"))
        s = s.substr(2, s.size() - 3);
    // Where each known "Key=" starts (at the beginning or after ';'), in order.
    std::vector<std::pair<std::size_t, std::string>> starts;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i != 0 && s[i - 1] != ';' && !(s[i - 1] == ' ' && i >= 2 && s[i - 2] == ';'))
            continue;
        for (const auto& k : keys)
            if (s.compare(i, k.size() + 1, k + "=") == 0) {
                starts.emplace_back(i, k);
                break;
            }
    }
    if (starts.empty() || starts.front().first != 0)
        owner.fail("NormalizationRules", "item " + std::to_string(index) + " is the text " + quote(text) +
                                             ", not a rule: export it again with ConvertTo-Json -Depth 5");
    Json rule = Json::object();
    for (std::size_t n = 0; n < starts.size(); ++n) {
        auto begin = starts[n].first + starts[n].second.size() + 1;
        auto end = n + 1 < starts.size() ? starts[n + 1].first : s.size();
        auto value = s.substr(begin, end - begin);
        while (!value.empty() && (value.back() == ' ' || value.back() == ';'))
            value.pop_back();
        rule[starts[n].second] = value;
    }
    return rule;
}

Json ps_dial_plan(PsObject& o)
{
    auto id = identity_or_name(o);
    o.set_owner(o.owner() + " (tenant dial plan " + quote(id) + ")");
    Json d{{"identity", tag_name(id) == "Global" ? std::string("Global") : "Tag:" + tag_name(id)}};
    o.copy_text(d, "description", "Description");
    const auto* v = o.find("NormalizationRules");
    Json items = Json::array();
    if (v && v->is_array())
        items = *v;
    else if (v && (v->is_object() || v->is_string()))
        items.push_back(*v);
    else if (v && !v->is_null())
        o.fail("NormalizationRules", "must be a list of rules, not " + v->dump());
    struct Ranked {
        long long priority;
        std::size_t seq;
        Json rule;
    };
    std::vector<Ranked> rules;
    std::size_t n = 0;
    for (const auto& item : items) {
        ++n;
        Json raw = item.is_string() ? rule_from_text(item.get<std::string>(), o, n) : item;
        if (!raw.is_object())
            o.fail("NormalizationRules", "item " + std::to_string(n) + " is not a rule: " + item.dump());
        PsObject r(raw, o.owner() + " NormalizationRules item " + std::to_string(n));
        Json rule = Json::object();
        auto name = r.text("Name");
        if (name.empty()) {
            // "Tag:Redmond/5digit": the rule's name follows the plan's.
            auto rid = r.text("Identity");
            auto slash = rid.rfind('/');
            name = slash == std::string::npos ? rid : rid.substr(slash + 1);
        }
        if (name.empty())
            r.fail("Name", "is missing: a normalization rule needs a name");
        rule["name"] = name;
        r.copy_text(rule, "pattern", "Pattern");
        r.copy_text(rule, "translation", "Translation");
        r.copy_bool(rule, "isInternalExtension", "IsInternalExtension");
        r.copy_text(rule, "description", "Description");
        auto priority = r.integer("Priority").value_or(static_cast<long long>(n));
        rules.push_back({priority, n, rule});
    }
    std::stable_sort(rules.begin(), rules.end(),
                     [](const Ranked& a, const Ranked& b) { return a.priority < b.priority; });
    Json list = Json::array();
    for (auto& r : rules)
        list.push_back(std::move(r.rule));
    d["normalizationRules"] = list;
    return d;
}

Json ps_translation_rule(PsObject& o)
{
    auto id = identity_or_name(o);
    o.set_owner(o.owner() + " (translation rule " + quote(id) + ")");
    Json t{{"identity", id}};
    o.copy_text(t, "pattern", "Pattern");
    o.copy_text(t, "translation", "Translation");
    o.copy_text(t, "description", "Description");
    return t;
}

Json ps_number_pattern(PsObject& o, bool exempt)
{
    auto id = identity_or_name(o);
    o.set_owner(o.owner() + " (" + (exempt ? "exempt" : "blocked") + " number pattern " + quote(id) + ")");
    Json p{{"identity", id}};
    o.copy_text(p, "pattern", "Pattern");
    o.copy_bool(p, "enabled", "Enabled");
    o.copy_text(p, "description", "Description");
    if (!exempt)
        o.copy_text(p, "resourceAccount", "ResourceAccount");
    return p;
}

// "tel:+14255550100;ext=100" → "+14255550100;ext=100".
std::string line_uri_number(const std::string& uri)
{
    auto s = trim(uri);
    if (s.size() >= 4 && iequals(s.substr(0, 4), "tel:"))
        s = s.substr(4);
    return s;
}

Json ps_user(PsObject& o)
{
    auto upn = o.text("UserPrincipalName");
    if (upn.empty())
        o.fail("UserPrincipalName", "is empty: a user needs one");
    o.set_owner(o.owner() + " (user " + quote(upn) + ")");
    Json u{{"userPrincipalName", upn}};
    o.copy_text(u, "displayName", "DisplayName");
    o.copy_text(u, "sipAddress", "SipAddress");
    o.copy_text(u, "usageLocation", "UsageLocation");
    // Get-CsOnlineUser's Identity is the account's object id (a GUID).
    auto object_id = o.text("ObjectId");
    if (object_id.empty())
        object_id = o.text("Identity");
    if (!object_id.empty())
        u["objectId"] = object_id;
    if (o.has("AccountType")) {
        auto type = o.text("AccountType");
        if (!type.empty())
            u["accountType"] = type;
    }
    // Licences: the voice features the account has.
    if (o.has("FeatureTypes") || o.has("Licenses")) {
        Json features = Json::object();
        o.copy_names(features, "list", o.has("FeatureTypes") ? "FeatureTypes" : "Licenses", true);
        Json licenses = Json::array();
        for (const auto& f : features["list"]) {
            auto name = f.get<std::string>();
            if (iequals(name, "PhoneSystem") || iequals(name, "CallingPlan"))
                licenses.push_back(iequals(name, "PhoneSystem") ? "PhoneSystem" : "CallingPlan");
        }
        u["licenses"] = licenses;
    }
    auto onprem_uri = o.text("OnPremLineURI");
    auto line_uri = o.text("LineUri");
    auto number = line_uri_number(onprem_uri.empty() ? line_uri : onprem_uri);
    if (!number.empty()) {
        u["phoneNumber"] = number;
        // OnPremLineURI is what Direct Routing numbers set; a Calling Plan number shows only in LineUri.
        bool calling_plan = false;
        if (onprem_uri.empty())
            for (const auto& l : u.value("licenses", Json::array()))
                calling_plan = calling_plan || l == "CallingPlan";
        u["phoneNumberType"] = calling_plan ? "CallingPlan" : "DirectRouting";
    }
    auto hosting = o.text("HostingProvider");
    auto interpreted = o.text("InterpretedUserType");
    if (to_lower(interpreted).find("onprem") != std::string::npos ||
        (!hosting.empty() && to_lower(hosting).find("online") == std::string::npos))
        u["homed"] = "onprem";
    o.copy_bool(u, "enterpriseVoiceEnabled", "EnterpriseVoiceEnabled");
    o.copy_bool(u, "hostedVoiceMail", "HostedVoiceMail");
    for (auto [key, name] : {std::pair{"onlineVoiceRoutingPolicy", "OnlineVoiceRoutingPolicy"},
                             std::pair{"tenantDialPlan", "TenantDialPlan"},
                             std::pair{"teamsUpgradePolicy", "TeamsUpgradePolicy"}}) {
        if (!o.has(name))
            continue;
        auto policy = o.text(name);
        u[key] = policy.empty() ? Json(nullptr) : Json(tag_name(policy));
    }
    return u;
}

struct PsKind {
    const char* section;
    Json (*map)(PsObject&);
};

Json ps_blocked(PsObject& o) { return ps_number_pattern(o, false); }
Json ps_exempt(PsObject& o) { return ps_number_pattern(o, true); }
Json ps_usages(PsObject& o)
{
    Json out = Json::object();
    o.copy_names(out, "usage", "Usage", false);
    return out.value("usage", Json::array());
}

const std::map<std::string, Json (*)(PsObject&)>& ps_mappers()
{
    static const std::map<std::string, Json (*)(PsObject&)> mappers{
        {"onlinePstnGateways", ps_gateway},
        {"onlinePstnUsages", ps_usages},
        {"onlineVoiceRoutes", ps_route},
        {"onlineVoiceRoutingPolicies", ps_policy},
        {"tenantDialPlans", ps_dial_plan},
        {"teamsTranslationRules", ps_translation_rule},
        {"inboundBlockedNumberPatterns", ps_blocked},
        {"inboundExemptNumberPatterns", ps_exempt},
        {"users", ps_user},
    };
    return mappers;
}

// Which Get-Cs* cmdlet printed the object, from its properties. `hint` is the section a wrapper
// key or --kind names; blocked and exempt patterns look alike and need one.
std::string classify(const PsObject& o, const std::string& hint)
{
    if (!hint.empty())
        return hint;
    if (o.has("UserPrincipalName"))
        return "users";
    if (o.has("Fqdn") || o.has("SipSignalingPort"))
        return "onlinePstnGateways";
    if (o.has("Usage"))
        return "onlinePstnUsages";
    if (o.has("NormalizationRules"))
        return "tenantDialPlans";
    if (o.has("NumberPattern") || o.has("OnlinePstnGatewayList"))
        return "onlineVoiceRoutes";
    if (o.has("OnlinePstnUsages"))
        return "onlineVoiceRoutingPolicies";
    if (o.has("Pattern") && o.has("Translation"))
        return "teamsTranslationRules";
    if (o.has("Pattern"))
        throw usage_error(o.owner() + ": an inbound number pattern, but blocked and exempt patterns look alike: pass "
                                      "--kind blocked-number or --kind exempt-number");
    throw usage_error(o.owner() + ": not the output of a Get-Cs cmdlet csctl reads (gateways, usages, voice "
                                  "routes, voice routing policies, dial plans, translation rules, blocked or exempt "
                                  "number patterns, users)");
}

// A wrapper key ("Gateways", "Get-CsInboundExemptNumberPattern" …) as a hint for its objects.
std::string hint_of_key(const std::string& key)
{
    auto k = to_lower(key);
    if (k.find("exempt") != std::string::npos)
        return "inboundExemptNumberPatterns";
    if (k.find("block") != std::string::npos)
        return "inboundBlockedNumberPatterns";
    return {};
}

bool looks_like_object(const Json& j)
{
    if (!j.is_object())
        return false;
    for (const auto& [key, value] : j.items())
        if (!value.is_array() && !(value.is_object()))
            return true;  // a scalar property: an object of a cmdlet, not a wrapper
    static const std::vector<std::string> marks{"identity", "userprincipalname", "fqdn", "usage", "pattern"};
    for (const auto& [key, value] : j.items())
        if (std::find(marks.begin(), marks.end(), to_lower(key)) != marks.end())
            return true;
    return false;
}

struct PsReader {
    const AdoptOptions& options;
    AdoptedDocument out;
    std::map<std::string, std::map<std::string, std::string>> seen;  // section → lower identity → where
    std::size_t count = 0;

    void object(const Json& j, const std::string& hint)
    {
        ++count;
        std::string where = options.source + ": object " + std::to_string(count);
        if (!j.is_object())
            throw usage_error(where + " is " + j.dump().substr(0, 60) + ", not an object of a Get-Cs cmdlet");
        PsObject o(j, where);
        auto section = classify(o, options.powershell_section.empty() ? hint : options.powershell_section);
        Json mapped = ps_mappers().at(section)(o);
        // Through the strict reader of the schema, which checks the types and gives the canonical form.
        try {
            bool first = !out.has(section);
            add_section(out, section);
            auto& doc = out.document;
            if (section == "onlinePstnUsages") {
                if (first)
                    ++out.objects;
                for (const auto& name : mapped)
                    if (find_identity(doc.usages, name.get<std::string>()) < 0)
                        doc.usages.push_back(name.get<std::string>());
                return;
            }
            std::string id;
            if (section == "onlinePstnGateways") {
                id = mapped.at("identity").get<std::string>();
                doc.gateways.push_back(gateway_from_json(mapped, id));
            } else if (section == "onlineVoiceRoutes") {
                id = mapped.at("identity").get<std::string>();
                doc.routes.push_back(route_from_json(mapped, id));
            } else if (section == "onlineVoiceRoutingPolicies") {
                id = mapped.at("identity").get<std::string>();
                doc.policies.push_back(policy_from_json(mapped, id));
            } else if (section == "tenantDialPlans") {
                id = mapped.at("identity").get<std::string>();
                doc.dial_plans.push_back(dial_plan_from_json(mapped, id));
            } else if (section == "teamsTranslationRules") {
                id = mapped.at("identity").get<std::string>();
                doc.translation_rules.push_back(translation_rule_from_json(mapped, id));
            } else if (section == "inboundBlockedNumberPatterns" || section == "inboundExemptNumberPatterns") {
                bool exempt = section == "inboundExemptNumberPatterns";
                id = mapped.at("identity").get<std::string>();
                (exempt ? doc.exempt_numbers : doc.blocked_numbers).push_back(number_pattern_from_json(mapped, id, exempt));
            } else {
                id = mapped.at("userPrincipalName").get<std::string>();
                doc.users.push_back(user_from_json(mapped, id));
            }
            auto [it, fresh] = seen[section].emplace(to_lower(id), o.owner());
            if (!fresh)
                throw usage_error(section_words(section) + " " + quote(id) + " is in the file twice (" + it->second +
                                  " and " + o.owner() + ")");
            ++out.objects;
        } catch (const Error& e) {
            std::string message = e.what();
            if (message.rfind(options.source + ":", 0) == 0)
                throw;
            throw Error(e.code(), o.owner() + ": " + message);
        }
    }

    void value(const Json& j, const std::string& hint, int depth)
    {
        if (depth > 3)
            throw usage_error(options.source + ": objects nested too deep to be the output of Get-Cs cmdlets");
        if (j.is_array()) {
            for (const auto& item : j) {
                if (item.is_array())
                    value(item, hint, depth + 1);  // ConvertTo-Json of several cmdlets' output
                else
                    object(item, hint);
            }
        } else if (j.is_object() && !looks_like_object(j)) {
            // A wrapper: @{Gateways = Get-CsOnlinePSTNGateway; …} | ConvertTo-Json -Depth 5
            for (const auto& [key, v] : j.items()) {
                auto h = hint_of_key(key);
                value(v, h.empty() ? hint : h, depth + 1);
            }
        } else {
            object(j, hint);
        }
    }
};

bool is_csctl_document(const Json& input)
{
    if (!input.is_object() || input.empty())
        return false;
    // csctl's keys start lower-case; PowerShell prints PascalCase property names.
    for (const auto& [key, value] : input.items())
        if (key.empty() || !(key[0] >= 'a' && key[0] <= 'z'))
            return false;
    return true;
}

}  // namespace

const std::vector<std::string>& powershell_kind_names()
{
    static const std::vector<std::string> names{"gateway",      "usage",           "voice-route",
                                                "voice-routing-policy", "dial-plan", "translation-rule",
                                                "blocked-number", "exempt-number", "user"};
    return names;
}

std::string section_of_kind_name(const std::string& name)
{
    static const std::map<std::string, std::string> sections{
        {"gateway", "onlinePstnGateways"},
        {"online-pstn-gateway", "onlinePstnGateways"},
        {"usage", "onlinePstnUsages"},
        {"voice-route", "onlineVoiceRoutes"},
        {"voice-routing-policy", "onlineVoiceRoutingPolicies"},
        {"dial-plan", "tenantDialPlans"},
        {"translation-rule", "teamsTranslationRules"},
        {"blocked-number", "inboundBlockedNumberPatterns"},
        {"exempt-number", "inboundExemptNumberPatterns"},
        {"user", "users"},
    };
    auto it = sections.find(to_lower(name));
    return it == sections.end() ? std::string() : it->second;
}

AdoptedDocument adopt_document(const Json& input, const AdoptOptions& options)
{
    if (input.is_null())
        throw usage_error(options.source + ": the document is empty");
    if (is_csctl_document(input)) {
        if (!options.powershell_section.empty())
            throw usage_error(options.source + ": --kind is for PowerShell JSON; this is a csctl document");
        return adopt_csctl(input, options);
    }
    if (!input.is_array() && !input.is_object())
        throw usage_error(options.source + ": expected a tenant document (an object) or PowerShell JSON, not " +
                          input.dump().substr(0, 60));
    PsReader reader{options, {}, {}, 0};
    reader.out.format = DocumentFormat::powershell;
    reader.value(input, {}, 0);
    return std::move(reader.out);
}

std::optional<AdoptedDocument> adopt_csctl_json_text(std::string_view text, const AdoptOptions& options)
{
    if (!options.powershell_section.empty())
        return std::nullopt;
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '{')
        return std::nullopt;
    // Shallower than parse_document_text's limit: what this parser takes, that one takes too.
    auto parsed = SimdDocument::parse(text, 32);
    if (!parsed)
        return std::nullopt;
    auto input = parsed->root();
    if (!input.is_object())
        return std::nullopt;
    bool csctl = input.size() > 0;
    std::optional<SimdValue> version;
    input.fields([&](std::string_view key, SimdValue value) {
        csctl = csctl && !key.empty() && key[0] >= 'a' && key[0] <= 'z';
        if (key == "schemaVersion" && !version)
            version = value;
    });
    if (!csctl || (version && !(version->is_integer() && version->integer() == 1)))
        return std::nullopt;
    TenantDocument doc;
    try {
        doc = model_read::read_document(input);
    } catch (const Error&) {
        return std::nullopt;  // the tree's reader names the object and field
    }
    return adopted_csctl(std::move(doc), section_keys(input), options);
}

namespace {

// The file's objects of one section over the tenant's: with prune the file's list (the built-in
// "Global" kept when the file does not have it); otherwise the tenant's objects the file does not
// name, where they were, then the file's.
template <class T>
void merge_objects(std::vector<T>& current, const std::vector<T>& file, MergeMode mode, bool built_in_global)
{
    std::vector<T> list;
    list.reserve(current.size() + file.size());
    if (mode == MergeMode::prune) {
        bool has_global = false;
        for (const auto& o : file)
            has_global = has_global || document_identity(o) == "Global";
        if (built_in_global && !has_global)
            for (auto& o : current)
                if (document_identity(o) == "Global")
                    list.push_back(std::move(o));
    } else {
        std::deque<std::string> kept;
        IdentityIndex named(file.size());
        for (std::size_t i = 0; i < file.size(); ++i)
            named.emplace(identity_view(file[i], kept), i);
        for (auto& o : current)
            if (named.find(identity_view(o, kept)) == IdentityIndex::npos)
                list.push_back(std::move(o));
    }
    list.insert(list.end(), file.begin(), file.end());
    current = std::move(list);
}

}  // namespace

bool AdoptedDocument::has(std::string_view section) const
{
    return std::find(sections.begin(), sections.end(), section) != sections.end();
}

namespace {

// The file's tenant settings; import adds the file's domains to the tenant's (a setting that
// differs shows as an update, which import refuses). The name stays the tenant's.
TenantInfo merged_tenant(const TenantInfo& current, const TenantInfo& file, MergeMode mode)
{
    TenantInfo tenant = file;
    tenant.name = current.name;
    if (mode == MergeMode::add) {
        tenant.domains = current.domains;
        for (const auto& d : file.domains)
            if (find_identity(tenant.domains, d) < 0)
                tenant.domains.push_back(d);
    }
    return tenant;
}

// The tenant's usages and then the file's new ones; with prune the file's list.
std::vector<std::string> merged_usages(std::vector<std::string> current, const std::vector<std::string>& file,
                                       MergeMode mode)
{
    if (mode == MergeMode::prune)
        return file;
    for (const auto& name : file)
        if (find_identity(current, name) < 0)
            current.push_back(name);
    return current;
}

}  // namespace

TenantDocument merged_document(TenantDocument current, const AdoptedDocument& file, MergeMode mode)
{
    const auto& f = file.document;
    for (const auto& key : file.sections) {
        if (key == "tenant") {
            current.tenant = merged_tenant(current.tenant, f.tenant, mode);
        } else if (key == "onlinePstnUsages") {
            current.usages = merged_usages(std::move(current.usages), f.usages, mode);
        } else {
            bool built_in = key == "onlineVoiceRoutingPolicies" || key == "tenantDialPlans";
            with_section(key, [&](auto member) { merge_objects(current.*member, f.*member, mode, built_in); });
        }
    }
    return current;
}

TenantDocument merged_settings(const TenantDocument& current, const AdoptedDocument& file, MergeMode mode)
{
    TenantDocument out;
    if (file.has("tenant"))
        out.tenant = merged_tenant(current.tenant, file.document.tenant, mode);
    if (file.has("onlinePstnUsages"))
        out.usages = merged_usages(current.usages, file.document.usages, mode);
    return out;
}

void swap_objects(TenantDocument& document, AdoptedDocument& file)
{
    for (const auto& key : file.sections)
        with_section(key, [&](auto member) { std::swap(document.*member, file.document.*member); });
}

std::vector<std::string> section_identities(const TenantDocument& document, const std::string& section)
{
    std::vector<std::string> out;
    with_section(section, [&](auto member) {
        for (const auto& o : document.*member)
            out.push_back(document_identity(o));
    });
    return out;
}

}  // namespace csctl
