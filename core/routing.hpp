// The routing engine of routing.md: a compiled, immutable snapshot of a tenant that answers
// "where does this call go, and why?" for outbound calls (normalisation, policy, usage walk,
// routes, gateway order, translation) and inbound calls (translation, blocking, reverse lookup).
// Built once (every pattern compiled with PCRE2 JIT); then const and safe to share between
// threads. The CLI builds one per command; the server keeps one per tenant version.
#pragma once

#include "core/json.hpp"
#include "core/model.hpp"
#include "core/pattern.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace csctl {

// Who places the call, as far as routing cares. Filled from a user (effective policy and dial
// plan with their sources, usage location, licences, number) or given directly for a what-if.
struct CallerContext {
    std::string user;                     // UPN; empty when a policy stands in for a user
    std::string policy;                   // effective voice routing policy; empty = tenant default, else Global
    std::string policy_source;            // direct, group, tenant, global; empty = derived as above
    std::string dial_plan;                // effective tenant dial plan; empty = tenant default, else Global
    std::string dial_plan_source;         // direct, group, tenant, global; empty = derived as above
    std::string usage_location;           // ISO 3166 alpha-2 of the country dial plan; empty = none
    bool calling_plan = false;            // has a CallingPlan licence (the implicit last route)
    std::string phone_number;             // the caller's own number (From), translated per gateway
};

struct OutboundOptions {
    std::optional<std::uint64_t> seed;    // deterministic shuffle; nullopt = random
    std::vector<std::string> unavailable; // gateways whose attempt fails (network error, failover code)
    std::vector<std::string> demoted;     // gateways without SIP OPTIONS lately: tried after healthy ones
    std::string ingress;                  // gateway a forwarded/transferred inbound call entered on
};

struct Normalization {
    std::string dialed;                   // as dialed, visual separators removed
    std::string number;                   // the normalised number
    std::string dial_plan;                // identity of the tenant dial plan consulted
    std::string rule;                     // tenant rule that matched; empty = none
    bool internal_extension = false;
    std::string country;                  // country dial plan that normalised it; empty = none
};

enum class GatewayState { candidate, demoted, disabled, unavailable };
const char* to_string(GatewayState state);

struct GatewayAttempt {
    std::string fqdn;
    GatewayState state = GatewayState::candidate;
    bool ingress = false;
    std::string called_number;            // Request-URI and To after OutboundPstnNumberTranslationRules
    std::string called_rule;              // rule applied; empty = none
    std::string calling_number;           // From after OutboundTeamsNumberTranslationRules; empty = unknown
    std::string calling_rule;
};

struct RouteAttempt {
    std::string identity;
    int priority = 0;
    std::string number_pattern;
    bool shuffled = false;                // more than one healthy gateway: their order is random
    std::vector<GatewayAttempt> gateways; // in the order tried (disabled ones last, never tried)
    std::vector<std::string> already_tried;  // gateways left out because an earlier route tried them
};

struct OutboundResult {
    std::string user;
    std::string policy;                   // identity: Global or Tag:<name>
    std::string policy_source;
    std::vector<std::string> policy_usages;
    Normalization normalization;
    std::string usage;                    // the usage selected; empty = none
    std::vector<RouteAttempt> routes;
    std::string outcome;                  // routed, calling-plan, dropped
    std::string reason;
    std::string first_route;              // where the call lands when the first attempt answers
    std::string first_gateway;
};

struct TranslationStep {
    std::string number;                   // after the first matching rule (unchanged when none)
    std::string rule;                     // the rule applied; empty = none
};

struct BlockCheck {
    std::string number;                   // the calling number with - ( ) and spaces removed
    bool enabled = true;                  // the tenant switch
    bool blocked = false;
    std::string blocked_by;               // first enabled blocked pattern that matches
    std::string exempted_by;              // first enabled exempt pattern that matches
    std::string resource_account;         // blocked_by's resource account, when it names one
};

struct InboundUser {
    std::string user_principal_name;
    bool teams_only = false;
    bool enterprise_voice_enabled = false;
};
// Reverse number lookup: the user whose PhoneNumber equals the called number, as a string.
using UserLookup = std::function<std::optional<InboundUser>(std::string_view number)>;

struct InboundResult {
    std::string gateway;
    std::string called_number;            // after InboundTeamsNumberTranslationRules
    std::string called_rule;
    std::string calling_number;           // after InboundPstnNumberTranslationRules
    std::string calling_rule;
    BlockCheck block;
    std::optional<InboundUser> user;
    std::string outcome;                  // delivered, blocked, redirected, unassigned, not-teams-only
    std::string reason;
};

Json to_json(const Normalization& n);
Json to_json(const OutboundResult& r);
Json to_json(const InboundResult& r);
Json to_json(const BlockCheck& b);

// A dialed or presented number as typed: spaces, '-', '(', ')' and '.' are removed and a "tel:"
// prefix is dropped; what remains must be digits, '*' and '#' with an optional leading '+'
// (and, with allow_extension, a ";ext=N" suffix). Throws a usage error naming what.
std::string clean_number(std::string_view text, const std::string& what, bool allow_extension = false);

// The literal text every match of an anchored pattern starts with ("^\+1425(\d{4})$" → "+1425");
// empty when the pattern is not anchored or starts with no literal. Used to index routes.
std::string anchored_literal_prefix(std::string_view pattern);
// The literal text every match contains somewhere ("\+1900\d+" → "+1900"); for an anchored pattern
// its prefix. Empty when there is none to be sure of.
std::string required_literal(std::string_view pattern);

class RoutingEngine {
public:
    explicit RoutingEngine(const TenantDocument& tenant);
    ~RoutingEngine();
    RoutingEngine(const RoutingEngine&) = delete;
    RoutingEngine& operator=(const RoutingEngine&) = delete;

    // Outbound, every step. number must already be clean (clean_number).
    OutboundResult route(const CallerContext& caller, std::string_view number, const OutboundOptions& options) const;
    Normalization normalize(const CallerContext& caller, std::string_view number) const;
    // Inbound, every step. called and calling must already be clean.
    InboundResult inbound(std::string_view gateway, std::string_view called, std::string_view calling,
                          const UserLookup& lookup) const;
    BlockCheck check_blocked(std::string_view calling) const;

    // First matching rule of a gateway list (property name as in gateway_translation_lists()).
    TranslationStep translate(std::string_view gateway, std::string_view list, std::string_view number) const;
    // The rules named, in order (test a list without a gateway).
    TranslationStep translate_with(const std::vector<std::string>& rules, std::string_view number) const;

    // The hot path, for per-call queries and benchmarks: the policy's index (-1 when unknown), and
    // the routes of the first usage that has a match, in priority order (indexes into routes()).
    // Returns the usage's position in the policy, or -1 when no usage has a matching route.
    int policy_index(std::string_view name) const;
    int select_routes(int policy, std::string_view number, std::vector<std::uint32_t>& out) const;
    const VoiceRoute& route_at(std::uint32_t index) const;
    std::size_t route_count() const;
    std::size_t indexed_route_count() const;   // routes found through their literal prefix

private:
    struct Data;
    std::unique_ptr<Data> m;
};

}  // namespace csctl
