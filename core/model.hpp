// The tenant objects of domain.md as plain values, with their JSON form (PowerShell property
// names in camelCase — the stable schema of `get -o json`, `export` and the API).
#pragma once

#include "core/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace csctl {

struct TenantInfo {
    std::string name;
    std::string tenant_id;                    // GUID or empty
    std::vector<std::string> domains;         // registered SIP domains, in the order added
    std::string voice_routing_policy;         // tenant default (Grant -Global); empty = Global
    std::string tenant_dial_plan;             // tenant default dial plan (Grant -Global); empty = Global
    bool blocked_calling_numbers_enabled = true;  // Set-CsTenantBlockedCallingNumbers -Enabled
    std::string teams_upgrade_policy;         // tenant default (Grant -Global); empty = Global
    bool operator==(const TenantInfo&) const = default;
};

struct Gateway {
    std::string fqdn;
    int sip_signaling_port = 0;
    bool enabled = false;
    bool send_sip_options = true;
    bool forward_call_history = false;
    bool forward_pai = false;
    bool media_bypass = false;
    bool pidf_lo_supported = false;
    bool gateway_site_lbr_enabled = false;
    bool gateway_lbr_enabled_user_override = false;
    int failover_time_seconds = 10;
    std::vector<int> failover_response_codes{408, 503, 504};
    std::optional<int> max_concurrent_sessions;
    std::string bypass_mode;                  // "", None, Always, OnlyForLocalUsers ("" = null)
    std::string ip_address_version = "IPv4";
    std::string gateway_site_id;
    std::string proxy_sbc;
    std::string media_relay_routing_location_override;
    std::string description;
    std::vector<std::string> inbound_teams_number_translation_rules;
    std::vector<std::string> inbound_pstn_number_translation_rules;
    std::vector<std::string> outbound_pstn_number_translation_rules;
    std::vector<std::string> outbound_teams_number_translation_rules;
    bool operator==(const Gateway&) const = default;
};

struct VoiceRoute {
    std::string identity;
    std::string number_pattern = "[0-9]{10}";
    int priority = 0;
    std::vector<std::string> online_pstn_usages;
    std::vector<std::string> online_pstn_gateway_list;
    std::string bridge_source_phone_number;
    std::string description;
    bool operator==(const VoiceRoute&) const = default;
};

struct VoiceRoutingPolicy {
    std::string name;                         // "Global" or the tag name without "Tag:"
    std::vector<std::string> online_pstn_usages;
    std::string description;
    std::string identity() const;             // "Global" or "Tag:<name>"
    bool operator==(const VoiceRoutingPolicy&) const = default;
};

// One rule of a tenant dial plan (New-CsVoiceNormalizationRule).
struct NormalizationRule {
    std::string name;
    std::string pattern = "^(\\d{11})$";
    std::string translation = "+$1";
    bool is_internal_extension = false;
    std::string description;
    bool operator==(const NormalizationRule&) const = default;
};

struct TenantDialPlan {
    std::string name;                         // "Global" or the tag name without "Tag:"
    std::string description;
    std::vector<NormalizationRule> normalization_rules;  // tried in order, first match wins
    std::string identity() const;             // "Global" or "Tag:<name>"
    bool operator==(const TenantDialPlan&) const = default;
};

struct TranslationRule {                      // *-CsTeamsTranslationRule
    std::string identity;
    std::string pattern;
    std::string translation;
    std::string description;
    bool operator==(const TranslationRule&) const = default;
};

// An inbound blocked (or, with exempt = true, exempt) calling-number pattern.
struct NumberPattern {
    std::string identity;
    std::string pattern;
    bool enabled = true;
    std::string description;
    std::string resource_account;             // blocked only: GUID of the account that receives the call
    bool operator==(const NumberPattern&) const = default;
};

// A directory entry: who policies and numbers are assigned to. The policy fields are the direct
// (user) assignments; "" means none (the effective policy then comes from groups or the tenant).
struct User {
    std::string user_principal_name;
    std::string sip_address;                  // "sip:" + UPN unless given
    std::string display_name;
    std::string object_id;                    // GUID or empty
    std::string usage_location;               // ISO 3166 alpha-2 or empty
    std::string account_type = "User";        // User, ResourceAccount
    std::string homed = "online";             // online, onprem
    std::vector<std::string> licenses;        // PhoneSystem, CallingPlan
    std::vector<std::string> groups;          // memberships, by group name
    bool enterprise_voice_enabled = false;
    std::string phone_number;                 // E.164 (or a digit string), ";ext=N" kept; empty = none
    std::string phone_number_type;            // DirectRouting, CallingPlan, OperatorConnect; empty = none
    bool hosted_voice_mail = false;
    std::string online_voice_routing_policy;
    std::string tenant_dial_plan;             // granted by the dial plan commands
    std::string teams_upgrade_policy;

    bool has_license(std::string_view name) const;
    bool operator==(const User&) const = default;
};

// A group for group policy assignment: members are listed on the users; the group carries its
// ranked grants (rank 1 is the highest; no rank sorts after every ranked grant).
struct Group {
    std::string name;
    std::string description;
    std::string online_voice_routing_policy;
    std::optional<int> online_voice_routing_policy_rank;
    std::string tenant_dial_plan;             // granted by the dial plan commands
    std::optional<int> tenant_dial_plan_rank;
    bool operator==(const Group&) const = default;
};

// The whole tenant, as `export` writes it.
struct TenantDocument {
    TenantInfo tenant;
    std::vector<Gateway> gateways;            // by FQDN
    std::vector<std::string> usages;          // in list order
    std::vector<VoiceRoute> routes;           // by priority
    std::vector<VoiceRoutingPolicy> policies; // Global first, then by name
    std::vector<TenantDialPlan> dial_plans;   // Global first, then by name
    std::vector<TranslationRule> translation_rules;  // by identity
    std::vector<NumberPattern> blocked_numbers;      // by identity
    std::vector<NumberPattern> exempt_numbers;       // by identity
    std::vector<Group> groups;                // by name
    std::vector<User> users;                  // by UPN
};

// Object kinds as the journal, the API and messages name them.
namespace kind {
inline constexpr const char* tenant = "tenant";
inline constexpr const char* gateway = "onlinePstnGateway";
inline constexpr const char* usage = "onlinePstnUsage";
inline constexpr const char* voice_route = "onlineVoiceRoute";
inline constexpr const char* voice_routing_policy = "onlineVoiceRoutingPolicy";
inline constexpr const char* dial_plan = "tenantDialPlan";
inline constexpr const char* translation_rule = "teamsTranslationRule";
inline constexpr const char* blocked_number = "inboundBlockedNumberPattern";
inline constexpr const char* exempt_number = "inboundExemptNumberPattern";
inline constexpr const char* user = "user";
inline constexpr const char* group = "group";
// A user's direct assignment of one policy type (identity: the UPN; before/after: the policy
// name or null). Bulk grants journal these instead of whole users.
inline constexpr const char* voice_routing_policy_assignment = "onlineVoiceRoutingPolicyAssignment";
inline constexpr const char* upgrade_policy_assignment = "teamsUpgradePolicyAssignment";
inline constexpr const char* dial_plan_assignment = "tenantDialPlanAssignment";
}  // namespace kind

// How messages name an object: `online pstn gateway "sbc1.contoso.com"`.
std::string label(const Gateway& g);
std::string label(const VoiceRoute& r);
std::string label(const VoiceRoutingPolicy& p);
std::string gateway_label(const std::string& fqdn);
std::string route_label(const std::string& identity);
std::string policy_label(const std::string& name);
std::string dial_plan_label(const std::string& name);
std::string translation_rule_label(const std::string& identity);
std::string number_pattern_label(const std::string& identity, bool exempt);
std::string label(const TenantDialPlan& d);
std::string label(const TranslationRule& t);
std::string user_label(const std::string& upn);
std::string group_label(const std::string& name);

Json to_json(const TenantInfo& t);
Json to_json(const Gateway& g);
Json to_json(const VoiceRoute& r);
Json to_json(const VoiceRoutingPolicy& p);
Json to_json(const NormalizationRule& n);
Json to_json(const TenantDialPlan& d);
Json to_json(const TranslationRule& t);
Json to_json(const NumberPattern& p, bool exempt);
Json to_json(const User& u);
Json to_json(const Group& g);
Json to_json(const TenantDocument& d);
// The same with an empty "users" list, for writers that write the users themselves.
Json to_json_without_users(const TenantDocument& d);
// The journal's compact JSON text of a user: to_json(u) without the UPN (the journal item's
// identity) and without the fields that hold their default (user_from_json(text, upn) reads it
// back to the same user). Written directly: bulk commands
// journal 100,000s of users and cannot afford a JSON tree per user.
std::string user_json_text(const User& u);
// Appends s as a JSON string exactly as nlohmann's dump() writes it (UTF-8 passed through unchecked).
void append_json_string(std::string& out, std::string_view s);
// The same text appended to out (no string of its own per user).
void append_user_json_text(std::string& out, const User& u);
// The export form of a user, the text of to_json(u).dump(), appended to out: what push sends and
// records for each of 100,000s of users without a JSON tree each.
void append_user_export_json(std::string& out, const User& u);

// Strict readers: a missing key keeps the default; a key of the wrong type or an unknown key
// throws a usage error naming the object and the field.
TenantInfo tenant_from_json(const Json& j);
Gateway gateway_from_json(const Json& j, const std::string& identity);
VoiceRoute route_from_json(const Json& j, const std::string& identity);
VoiceRoutingPolicy policy_from_json(const Json& j, const std::string& identity);
TenantDialPlan dial_plan_from_json(const Json& j, const std::string& identity);
TranslationRule translation_rule_from_json(const Json& j, const std::string& identity);
NumberPattern number_pattern_from_json(const Json& j, const std::string& identity, bool exempt);
User user_from_json(const Json& j, const std::string& upn);
Group group_from_json(const Json& j, const std::string& name);
TenantDocument document_from_json(const Json& j);

// The identity that names an object in its section of the export document (and of a plan).
inline const std::string& document_identity(const Gateway& g) { return g.fqdn; }
inline const std::string& document_identity(const VoiceRoute& r) { return r.identity; }
inline std::string document_identity(const VoiceRoutingPolicy& p) { return p.identity(); }
inline std::string document_identity(const TenantDialPlan& d) { return d.identity(); }
inline const std::string& document_identity(const TranslationRule& t) { return t.identity; }
inline const std::string& document_identity(const NumberPattern& p) { return p.identity; }
inline const std::string& document_identity(const Group& g) { return g.name; }
inline const std::string& document_identity(const User& u) { return u.user_principal_name; }

// The identity as a view that lives as long as the object, or as a string kept in `kept` when the
// identity is computed (policies and dial plans: "Tag:" and the name).
template <class T, class Keep>
std::string_view identity_view(const T& object, Keep& kept)
{
    if constexpr (std::is_reference_v<decltype(document_identity(object))>)
        return document_identity(object);
    else
        return kept.emplace_back(document_identity(object));
}

// "Tag:US Only" → "US Only"; "global" → "Global". Also for dial plans.
std::string policy_name_from_identity(const std::string& identity);
inline std::string dial_plan_name_from_identity(const std::string& identity) { return policy_name_from_identity(identity); }

}  // namespace csctl
