#include "core/lint_routing.hpp"

#include "core/error.hpp"
#include "core/pattern.hpp"
#include "core/routing.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace csctl {

namespace {

// The longest normalised number: + and 15 digits (E.164), with room for a few dial-string extras.
constexpr std::size_t k_longest_number = 20;

bool number_char(char c) { return (c >= '0' && c <= '9') || c == '+' || c == '*' || c == '#'; }

bool subset(const std::vector<std::string>& small, const std::vector<std::string>& big)
{
    return std::all_of(small.begin(), small.end(), [&](const auto& s) { return find_identity(big, s) >= 0; });
}

}  // namespace

Json to_json(const RoutingFinding& f)
{
    return Json{{"severity", f.severity}, {"kind", f.kind}, {"identity", f.identity}, {"message", f.message}};
}

std::string pattern_cannot_match(const std::string& source)
{
    PatternError error;
    auto pattern = Pattern::try_compile(source, &error);
    if (!pattern)
        return "does not compile: " + error.message;
    auto prefix = anchored_literal_prefix(source);
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (!number_char(prefix[i]))
            return "requires every number to start with " + quote(prefix) + ", and numbers never contain " +
                   quote(std::string(1, prefix[i]));
        if (prefix[i] == '+' && i > 0)
            return "requires a '+' after the first character (" + quote(prefix) + "), which no number has";
    }
    if (auto c = pattern->required_char(); c && !number_char(*c))
        return "requires the character " + quote(std::string(1, *c)) + ", which no number contains";
    if (pattern->min_length() > k_longest_number)
        return "needs at least " + std::to_string(pattern->min_length()) + " characters; numbers have at most 16 (+ and 15 digits)";
    return {};
}

std::vector<RoutingFinding> lint_routing(const TenantDocument& d)
{
    std::vector<RoutingFinding> out;
    auto routes = d.routes;
    std::stable_sort(routes.begin(), routes.end(), [](const auto& a, const auto& b) { return a.priority < b.priority; });
    auto gateway = [&](const std::string& fqdn) -> const Gateway* {
        for (const auto& g : d.gateways)
            if (iequals(g.fqdn, fqdn))
                return &g;
        return nullptr;
    };

    for (std::size_t i = 0; i < routes.size(); ++i) {
        const auto& r = routes[i];
        const auto owner = label(r);
        if (auto why = pattern_cannot_match(r.number_pattern); !why.empty())
            out.push_back({"error", kind::voice_route, r.identity,
                           owner + ": NumberPattern " + quote(r.number_pattern) + " " + why + "; the route never matches"});
        for (std::size_t j = 0; j < i; ++j) {
            const auto& higher = routes[j];
            if (higher.number_pattern != r.number_pattern)
                continue;
            std::vector<std::string> shared;
            for (const auto& u : r.online_pstn_usages)
                if (find_identity(higher.online_pstn_usages, u) >= 0)
                    shared.push_back(u);
            if (shared.empty())
                continue;
            if (subset(r.online_pstn_gateway_list, higher.online_pstn_gateway_list))
                out.push_back({"warning", kind::voice_route, r.identity,
                               owner + " is shadowed by " + label(higher) + " (same NumberPattern and usage " +
                                   quoted_list(shared) + ", priority " + std::to_string(higher.priority) +
                                   "): every gateway it lists is tried there first, so it never places a call; remove it "
                                   "or give it other gateways"});
            else
                out.push_back({"info", kind::voice_route, r.identity,
                               owner + " has the same NumberPattern and usage " + quoted_list(shared) + " as " +
                                   label(higher) + ": it is only tried when every gateway of that route fails "
                                   "(a failover route)"});
            break;
        }
        if (r.online_pstn_gateway_list.empty() && r.bridge_source_phone_number.empty()) {
            out.push_back({"warning", kind::voice_route, r.identity,
                           owner + " has no gateways, so calls it matches are dropped (add one with `csctl voice-route set " +
                               quote(r.identity) + " --add-gateway FQDN`)"});
        } else if (!r.online_pstn_gateway_list.empty() &&
                   std::all_of(r.online_pstn_gateway_list.begin(), r.online_pstn_gateway_list.end(), [&](const auto& f) {
                       const auto* g = gateway(f);
                       return !g || !g->enabled;
                   })) {
            out.push_back({"warning", kind::voice_route, r.identity,
                           owner + ": every gateway it lists (" + quoted_list(r.online_pstn_gateway_list) +
                               ") is disabled, so calls it matches are dropped (enable one with `csctl online-pstn-gateway "
                               "set FQDN --enabled`)"});
        }
        if (r.online_pstn_usages.empty())
            out.push_back({"warning", kind::voice_route, r.identity,
                           owner + " has no PSTN usages, so no policy can select it"});
    }

    for (const auto& u : d.usages) {
        bool used = std::any_of(d.policies.begin(), d.policies.end(),
                                [&](const auto& p) { return find_identity(p.online_pstn_usages, u) >= 0; });
        if (!used)
            out.push_back({"warning", kind::usage, u,
                           "pstn usage " + quote(u) + " is in no voice routing policy, so its routes are never used"});
    }

    for (const auto& p : d.policies) {
        std::vector<std::string> empty;
        for (const auto& u : p.online_pstn_usages) {
            bool has_route = std::any_of(routes.begin(), routes.end(),
                                         [&](const auto& r) { return find_identity(r.online_pstn_usages, u) >= 0; });
            if (!has_route)
                empty.push_back(u);
        }
        if (!p.online_pstn_usages.empty() && empty.size() == p.online_pstn_usages.size())
            out.push_back({"warning", kind::voice_routing_policy, p.identity(),
                           label(p) + ": none of its usages (" + quoted_list(empty) +
                               ") has a voice route, so every call of its users is dropped or goes to Calling Plan"});
        else if (!empty.empty())
            out.push_back({"info", kind::voice_routing_policy, p.identity(),
                           label(p) + ": usage " + quoted_list(empty) + " has no voice route"});
    }

    for (const auto& g : d.gateways) {
        if (!g.send_sip_options)
            out.push_back({"warning", kind::gateway, g.fqdn,
                           label(g) + ": SendSipOptions is off, so Teams cannot tell when the SBC is down and keeps "
                                      "routing calls to it (turn it on with `--send-sip-options`)"});
        std::vector<std::string> missing;
        for (int code : {408, 503, 504})
            if (std::find(g.failover_response_codes.begin(), g.failover_response_codes.end(), code) ==
                g.failover_response_codes.end())
                missing.push_back(std::to_string(code));
        if (!missing.empty())
            out.push_back({"warning", kind::gateway, g.fqdn,
                           label(g) + ": FailoverResponseCodes lacks the default " + join(missing, ",") +
                               ", so those responses end the call instead of trying the next SBC"});
    }

    for (const auto& t : d.translation_rules)
        if (auto why = pattern_cannot_match(t.pattern); !why.empty())
            out.push_back({"warning", kind::translation_rule, t.identity,
                           label(t) + ": Pattern " + quote(t.pattern) + " " + why + "; the rule never applies"});
    return out;
}

}  // namespace csctl
