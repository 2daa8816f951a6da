#include "core/routing.hpp"

#include "core/country_dial_plan.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <unordered_map>

namespace csctl {

const char* to_string(GatewayState state)
{
    switch (state) {
    case GatewayState::candidate:
        return "candidate";
    case GatewayState::demoted:
        return "demoted";
    case GatewayState::disabled:
        return "disabled";
    case GatewayState::unavailable:
        return "unavailable";
    }
    return "candidate";
}

namespace {

Json null_if_empty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

bool is_metachar(char c)
{
    return c == '.' || c == '[' || c == ']' || c == '(' || c == ')' || c == '{' || c == '}' || c == '*' || c == '+' ||
           c == '?' || c == '^' || c == '$' || c == '|' || c == '\\';
}

bool is_quantifier(char c) { return c == '?' || c == '*' || c == '+' || c == '{'; }

// Position of the ')' closing the group opened at open, or npos; sets has_alternation when the
// group's own level holds a '|'.
std::size_t group_end(std::string_view p, std::size_t open, bool& has_alternation)
{
    int depth = 0;
    bool in_class = false;
    for (std::size_t i = open; i < p.size(); ++i) {
        char c = p[i];
        if (c == '\\') {
            ++i;
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = false;
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (i + 1 < p.size() && p[i + 1] == ']')
                ++i;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (--depth == 0)
                return i;
        } else if (c == '|') {
            has_alternation = true;  // at any depth inside: conservative
        }
    }
    return std::string_view::npos;
}

bool top_level_alternation(std::string_view p)
{
    int depth = 0;
    bool in_class = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        char c = p[i];
        if (c == '\\') {
            ++i;
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = false;
            continue;
        }
        if (c == '[') {
            in_class = true;
            if (i + 1 < p.size() && p[i + 1] == ']')
                ++i;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        } else if (c == '|' && depth == 0) {
            return true;
        }
    }
    return false;
}

int trie_slot(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c == '+')
        return 10;
    if (c == '*')
        return 11;
    if (c == '#')
        return 12;
    return -1;
}

std::string strip_separators(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text)
        if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '\t')
            out += c;
    return out;
}

}  // namespace

std::string anchored_literal_prefix(std::string_view p)
{
    std::size_t i = 0;
    if (p.starts_with("^"))
        i = 1;
    else if (p.starts_with("\\A"))
        i = 2;
    else
        return {};
    if (top_level_alternation(p))
        return {};
    std::string prefix;
    int open_groups = 0;
    while (i < p.size()) {
        char c = p[i];
        char literal = 0;
        std::size_t next = i + 1;
        if (c == '\\') {
            if (i + 1 >= p.size())
                break;
            char e = p[i + 1];
            if (e == '+' || e == '*' || e == '#' || e == '.' || e == '-' || e == '(' || e == ')' || e == '\\' ||
                e == '/' || e == ' ')
                literal = e;
            else
                break;  // \d, \s, \Q … : not a literal
            next = i + 2;
        } else if (c == '(') {
            if (i + 1 < p.size() && p[i + 1] == '?')
                break;
            bool alternation = false;
            auto end = group_end(p, i, alternation);
            if (end == std::string_view::npos || alternation)
                break;
            if (end + 1 < p.size() && is_quantifier(p[end + 1]))
                break;
            ++open_groups;  // a plain group matched once: its contents are inline
            i = next;
            continue;
        } else if (c == ')') {
            if (open_groups == 0)
                break;
            --open_groups;
            i = next;
            continue;
        } else if (is_metachar(c)) {
            break;
        } else {
            literal = c;
        }
        if (next < p.size() && is_quantifier(p[next])) {
            if (p[next] == '+')
                prefix += literal;  // once or more: the first one is required
            break;
        }
        prefix += literal;
        i = next;
    }
    return prefix;
}

std::string clean_number(std::string_view text, const std::string& what, bool allow_extension)
{
    std::string raw = trim(text);
    std::string number = raw;
    if (number.size() > 4 && iequals(number.substr(0, 4), "tel:"))
        number = number.substr(4);
    std::string extension;
    if (auto ext = to_lower(number).find(";ext="); ext != std::string::npos) {
        if (!allow_extension)
            throw usage_error(what + " " + quote(raw) + " has an extension (;ext=), which a dialed number cannot have");
        extension = number.substr(ext + 5);
        number = number.substr(0, ext);
        if (extension.empty() || extension.find_first_not_of("0123456789") != std::string::npos)
            throw usage_error(what + " " + quote(raw) + ": the extension must be digits (;ext=1234)");
    }
    std::string out;
    for (char c : number) {
        if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.')
            continue;
        bool ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c == '+' && out.empty());
        if (!ok)
            throw usage_error(what + " " + quote(raw) + " contains " + quote(std::string(1, c)) +
                              ", which is not part of a number (use digits, * and #, with an optional leading +)");
        out += c;
    }
    if (out.empty() || out == "+")
        throw usage_error(what + " " + quote(raw) + " has no digits");
    if (out.size() > 64)
        throw usage_error(what + " " + quote(raw) + " is longer than 64 characters");
    if (!extension.empty())
        out += ";ext=" + extension;
    return out;
}

// ---- the compiled snapshot ----------------------------------------------------------------------

namespace {

struct CompiledRule {
    std::string name;
    std::string translation;
    std::optional<Pattern> pattern;   // nullopt when it does not compile (never applies)
    bool internal_extension = false;
};

struct CompiledPlan {
    std::string identity;
    std::vector<CompiledRule> rules;
};

struct CompiledRoute {
    VoiceRoute route;
    std::optional<Pattern> pattern;
    std::vector<std::uint32_t> usages;    // usage ids
    std::vector<std::uint32_t> gateways;  // gateway ids, in list order
};

struct CompiledGateway {
    Gateway gateway;
    std::array<std::vector<std::uint32_t>, 4> lists;  // translation rule ids: inbound teams, inbound pstn, outbound pstn, outbound teams
};

struct CompiledPattern {
    std::string identity;
    std::optional<Pattern> pattern;
    bool enabled = true;
    std::string resource_account;
};

struct PolicyEntry {
    VoiceRoutingPolicy policy;
    std::vector<std::uint32_t> usages;
};

struct TrieNode {
    std::array<std::int32_t, 13> next;
    std::vector<std::uint32_t> routes;
    TrieNode() { next.fill(-1); }
};

constexpr std::size_t k_inbound_teams = 0, k_inbound_pstn = 1, k_outbound_pstn = 2, k_outbound_teams = 3;
constexpr std::array<const char*, 4> k_list_names{"InboundTeamsNumberTranslationRules", "InboundPstnNumberTranslationRules",
                                                  "OutboundPstnNumberTranslationRules",
                                                  "OutboundTeamsNumberTranslationRules"};

std::optional<Pattern> compile_quietly(const std::string& source) { return Pattern::try_compile(source); }

std::unordered_map<std::string, std::uint32_t> index_by_lower(const std::vector<std::string>& names)
{
    std::unordered_map<std::string, std::uint32_t> out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out.emplace(to_lower(names[i]), static_cast<std::uint32_t>(i));
    return out;
}

}  // namespace

struct RoutingEngine::Data {
    TenantInfo tenant;
    std::vector<std::string> usages;
    std::unordered_map<std::string, std::uint32_t> usage_ids;
    std::vector<CompiledGateway> gateways;
    std::unordered_map<std::string, std::uint32_t> gateway_ids;
    std::vector<CompiledRoute> routes;    // by priority
    std::vector<PolicyEntry> policies;
    std::unordered_map<std::string, std::uint32_t> policy_ids;
    std::vector<CompiledPlan> plans;
    std::unordered_map<std::string, std::uint32_t> plan_ids;
    std::vector<CompiledRule> translations;
    std::unordered_map<std::string, std::uint32_t> translation_ids;
    std::vector<CompiledPattern> blocked, exempt;
    std::vector<TrieNode> trie;          // node 0: routes without a literal prefix (always scanned)
    std::size_t indexed = 0;

    const PolicyEntry* policy(std::string_view name) const
    {
        auto it = policy_ids.find(to_lower(name));
        return it == policy_ids.end() ? nullptr : &policies[it->second];
    }
    const CompiledGateway* gateway(std::string_view fqdn) const
    {
        auto it = gateway_ids.find(to_lower(fqdn));
        return it == gateway_ids.end() ? nullptr : &gateways[it->second];
    }
    TranslationStep apply(const std::vector<std::uint32_t>& rules, std::string_view number) const
    {
        for (auto id : rules) {
            const auto& rule = translations[id];
            if (!rule.pattern)
                continue;
            if (auto out = rule.pattern->translate(number, rule.translation))
                return {*out, rule.name};
        }
        return {std::string(number), {}};
    }
    void add_to_trie(std::uint32_t route, const std::string& prefix)
    {
        std::size_t node = 0;
        for (char c : prefix) {
            int slot = trie_slot(c);
            if (slot < 0)
                break;  // cannot be reached by a number: index it where the walk stops
            auto next = trie[node].next[static_cast<std::size_t>(slot)];
            if (next < 0) {
                next = static_cast<std::int32_t>(trie.size());
                trie[node].next[static_cast<std::size_t>(slot)] = next;
                trie.emplace_back();
            }
            node = static_cast<std::size_t>(next);
        }
        if (node != 0)
            ++indexed;
        trie[node].routes.push_back(route);
    }
};

RoutingEngine::RoutingEngine(const TenantDocument& d) : m(std::make_unique<Data>())
{
    m->tenant = d.tenant;
    m->usages = d.usages;
    m->usage_ids = index_by_lower(d.usages);

    for (const auto& t : d.translation_rules) {
        m->translation_ids.emplace(to_lower(t.identity), static_cast<std::uint32_t>(m->translations.size()));
        m->translations.push_back(CompiledRule{t.identity, t.translation, compile_quietly(t.pattern), false});
    }
    for (const auto& g : d.gateways) {
        CompiledGateway cg{g, {}};
        const std::array<const std::vector<std::string>*, 4> lists{
            &g.inbound_teams_number_translation_rules, &g.inbound_pstn_number_translation_rules,
            &g.outbound_pstn_number_translation_rules, &g.outbound_teams_number_translation_rules};
        for (std::size_t l = 0; l < lists.size(); ++l)
            for (const auto& name : *lists[l])
                if (auto it = m->translation_ids.find(to_lower(name)); it != m->translation_ids.end())
                    cg.lists[l].push_back(it->second);
        m->gateway_ids.emplace(to_lower(g.fqdn), static_cast<std::uint32_t>(m->gateways.size()));
        m->gateways.push_back(std::move(cg));
    }

    auto routes = d.routes;
    std::stable_sort(routes.begin(), routes.end(), [](const auto& a, const auto& b) { return a.priority < b.priority; });
    m->trie.emplace_back();
    for (auto& r : routes) {
        CompiledRoute cr;
        cr.pattern = compile_quietly(r.number_pattern);
        for (const auto& u : r.online_pstn_usages)
            if (auto it = m->usage_ids.find(to_lower(u)); it != m->usage_ids.end())
                cr.usages.push_back(it->second);
        for (const auto& g : r.online_pstn_gateway_list)
            if (auto it = m->gateway_ids.find(to_lower(g)); it != m->gateway_ids.end())
                cr.gateways.push_back(it->second);
        auto prefix = anchored_literal_prefix(r.number_pattern);
        cr.route = std::move(r);
        auto id = static_cast<std::uint32_t>(m->routes.size());
        m->routes.push_back(std::move(cr));
        m->add_to_trie(id, prefix);
    }

    for (const auto& p : d.policies) {
        PolicyEntry e{p, {}};
        for (const auto& u : p.online_pstn_usages)
            if (auto it = m->usage_ids.find(to_lower(u)); it != m->usage_ids.end())
                e.usages.push_back(it->second);
        m->policy_ids.emplace(to_lower(p.name), static_cast<std::uint32_t>(m->policies.size()));
        m->policies.push_back(std::move(e));
    }
    if (!m->policy("Global")) {
        m->policy_ids.emplace("global", static_cast<std::uint32_t>(m->policies.size()));
        m->policies.push_back(PolicyEntry{VoiceRoutingPolicy{"Global", {}, {}}, {}});
    }

    for (const auto& plan : d.dial_plans) {
        CompiledPlan cp{plan.identity(), {}};
        for (const auto& n : plan.normalization_rules)
            cp.rules.push_back(CompiledRule{n.name, n.translation, compile_quietly(n.pattern), n.is_internal_extension});
        m->plan_ids.emplace(to_lower(plan.name), static_cast<std::uint32_t>(m->plans.size()));
        m->plans.push_back(std::move(cp));
    }
    for (const auto& b : d.blocked_numbers)
        m->blocked.push_back(CompiledPattern{b.identity, compile_quietly(b.pattern), b.enabled, b.resource_account});
    for (const auto& e : d.exempt_numbers)
        m->exempt.push_back(CompiledPattern{e.identity, compile_quietly(e.pattern), e.enabled, {}});
}

RoutingEngine::~RoutingEngine() = default;

std::size_t RoutingEngine::route_count() const { return m->routes.size(); }
std::size_t RoutingEngine::indexed_route_count() const { return m->indexed; }
const VoiceRoute& RoutingEngine::route_at(std::uint32_t index) const { return m->routes.at(index).route; }

int RoutingEngine::policy_index(std::string_view name) const
{
    auto it = m->policy_ids.find(to_lower(policy_name_from_identity(std::string(name))));
    return it == m->policy_ids.end() ? -1 : static_cast<int>(it->second);
}

int RoutingEngine::select_routes(int policy, std::string_view number, std::vector<std::uint32_t>& out) const
{
    out.clear();
    if (policy < 0 || static_cast<std::size_t>(policy) >= m->policies.size())
        return -1;
    const auto& usages = m->policies[static_cast<std::size_t>(policy)].usages;
    if (usages.empty())
        return -1;
    // Candidates: the routes without a literal prefix, then those whose prefix the number starts with.
    thread_local std::vector<std::uint32_t> candidates;
    thread_local std::vector<std::int8_t> matched;  // -1 unknown, 0 no, 1 yes
    candidates.clear();
    const auto& trie = m->trie;
    candidates.insert(candidates.end(), trie[0].routes.begin(), trie[0].routes.end());
    std::size_t node = 0;
    for (char c : number) {
        int slot = trie_slot(c);
        if (slot < 0)
            break;
        auto next = trie[node].next[static_cast<std::size_t>(slot)];
        if (next < 0)
            break;
        node = static_cast<std::size_t>(next);
        candidates.insert(candidates.end(), trie[node].routes.begin(), trie[node].routes.end());
    }
    if (candidates.empty())
        return -1;
    std::sort(candidates.begin(), candidates.end());
    matched.assign(candidates.size(), -1);
    for (std::size_t u = 0; u < usages.size(); ++u) {
        auto usage = usages[u];
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            const auto& route = m->routes[candidates[i]];
            if (std::find(route.usages.begin(), route.usages.end(), usage) == route.usages.end())
                continue;
            if (matched[i] < 0)
                matched[i] = route.pattern && route.pattern->search(number) ? 1 : 0;
            if (matched[i] == 1)
                out.push_back(candidates[i]);
        }
        if (!out.empty())
            return static_cast<int>(u);
    }
    return -1;
}

Normalization RoutingEngine::normalize(const CallerContext& caller, std::string_view number) const
{
    Normalization n;
    n.dialed = std::string(number);
    n.number = n.dialed;
    std::string plan_name = caller.dial_plan.empty() ? m->tenant.tenant_dial_plan : caller.dial_plan;
    if (plan_name.empty())
        plan_name = "Global";
    plan_name = dial_plan_name_from_identity(plan_name);
    auto it = m->plan_ids.find(to_lower(plan_name));
    if (it == m->plan_ids.end() && !caller.dial_plan.empty())
        throw not_found(dial_plan_label(plan_name) + " does not exist (list them with `csctl dial-plan get`)");
    if (it != m->plan_ids.end()) {
        const auto& plan = m->plans[it->second];
        n.dial_plan = plan.identity;
        for (const auto& rule : plan.rules) {
            if (!rule.pattern)
                continue;
            if (auto out = rule.pattern->translate(number, rule.translation)) {
                n.number = *out;
                n.rule = rule.name;
                n.internal_extension = rule.internal_extension;
                return n;
            }
        }
    }
    if (!number.starts_with("+") && !caller.usage_location.empty()) {
        if (auto out = country_normalize(number, caller.usage_location)) {
            n.number = *out;
            n.country = caller.usage_location;
        }
    }
    return n;
}

OutboundResult RoutingEngine::route(const CallerContext& caller, std::string_view number,
                                    const OutboundOptions& options) const
{
    OutboundResult r;
    r.user = caller.user;
    std::string policy_name = caller.policy;
    r.policy_source = caller.policy_source;
    if (policy_name.empty()) {
        policy_name = m->tenant.voice_routing_policy.empty() ? "Global" : m->tenant.voice_routing_policy;
        if (r.policy_source.empty())
            r.policy_source = m->tenant.voice_routing_policy.empty() ? "global" : "tenant";
    }
    const auto* policy = m->policy(policy_name_from_identity(policy_name));
    if (!policy)
        throw not_found(policy_label(policy_name) + " does not exist (list them with `csctl voice-routing-policy get`)");
    if (r.policy_source.empty())
        r.policy_source = policy->policy.name == "Global" ? "global" : "direct";
    r.policy = policy->policy.identity();
    r.policy_usages = policy->policy.online_pstn_usages;
    r.normalization = normalize(caller, number);
    const auto& normalized = r.normalization.number;

    std::vector<std::uint32_t> selected;
    int usage_at = select_routes(static_cast<int>(policy - m->policies.data()), normalized, selected);
    if (usage_at < 0) {
        if (caller.calling_plan) {
            r.outcome = "calling-plan";
            r.reason = "no voice route of " + policy_label(policy->policy.name) + " matches " + quote(normalized) +
                       "; the caller has a Calling Plan licence, so Calling Plan routes the call";
        } else {
            r.outcome = "dropped";
            r.reason = "no route: no voice route of " + policy_label(policy->policy.name) +
                       (r.policy_usages.empty() ? std::string(" (it has no usages)")
                                                : " (usages " + quoted_list(r.policy_usages) + ")") +
                       " matches " + quote(normalized);
        }
        return r;
    }
    r.usage = m->usages[policy->usages[static_cast<std::size_t>(usage_at)]];

    auto in = [](const std::vector<std::string>& list, const std::string& fqdn) { return find_identity(list, fqdn) >= 0; };
    std::mt19937_64 random(options.seed ? *options.seed : std::random_device{}());
    std::vector<std::uint32_t> tried;
    auto translated = [&](const CompiledGateway& g, bool ingress) {
        GatewayAttempt a;
        a.fqdn = g.gateway.fqdn;
        a.ingress = ingress;
        if (!g.gateway.enabled)
            a.state = GatewayState::disabled;
        else if (in(options.unavailable, a.fqdn))
            a.state = GatewayState::unavailable;
        else if (in(options.demoted, a.fqdn))
            a.state = GatewayState::demoted;
        auto called = m->apply(g.lists[k_outbound_pstn], normalized);
        a.called_number = called.number;
        a.called_rule = called.rule;
        if (!caller.phone_number.empty()) {
            auto calling = m->apply(g.lists[k_outbound_teams], caller.phone_number);
            a.calling_number = calling.number;
            a.calling_rule = calling.rule;
        }
        return a;
    };

    // Ingress preference: the SBC a forwarded call came in on goes first when a selected route lists it.
    if (!options.ingress.empty()) {
        if (const auto* g = m->gateway(options.ingress); g && g->gateway.enabled) {
            auto gid = static_cast<std::uint32_t>(g - m->gateways.data());
            for (auto id : selected) {
                const auto& route = m->routes[id];
                if (std::find(route.gateways.begin(), route.gateways.end(), gid) == route.gateways.end())
                    continue;
                RouteAttempt attempt{route.route.identity, route.route.priority, route.route.number_pattern, false, {}, {}};
                attempt.gateways.push_back(translated(*g, true));
                r.routes.push_back(std::move(attempt));
                tried.push_back(gid);
                break;
            }
        }
    }

    for (auto id : selected) {
        const auto& route = m->routes[id];
        RouteAttempt attempt{route.route.identity, route.route.priority, route.route.number_pattern, false, {}, {}};
        std::vector<GatewayAttempt> healthy, demoted, disabled;
        for (auto gid : route.gateways) {
            const auto& g = m->gateways[gid];
            if (std::find(tried.begin(), tried.end(), gid) != tried.end()) {
                attempt.already_tried.push_back(g.gateway.fqdn);
                continue;
            }
            auto a = translated(g, false);
            if (a.state == GatewayState::disabled) {
                disabled.push_back(std::move(a));
                continue;
            }
            tried.push_back(gid);
            (a.state == GatewayState::demoted ? demoted : healthy).push_back(std::move(a));
        }
        // Fisher–Yates over the healthy gateways: Teams spreads load across them at random.
        for (std::size_t i = healthy.size(); i > 1; --i) {
            std::uniform_int_distribution<std::size_t> pick(0, i - 1);
            std::swap(healthy[i - 1], healthy[pick(random)]);
        }
        attempt.shuffled = healthy.size() > 1;
        for (auto* group : {&healthy, &demoted, &disabled})
            for (auto& a : *group)
                attempt.gateways.push_back(std::move(a));
        r.routes.push_back(std::move(attempt));
    }

    for (const auto& attempt : r.routes)
        for (const auto& a : attempt.gateways)
            if (r.first_gateway.empty() && (a.state == GatewayState::candidate || a.state == GatewayState::demoted)) {
                r.first_gateway = a.fqdn;
                r.first_route = attempt.identity;
            }
    if (!r.first_gateway.empty()) {
        r.outcome = "routed";
        r.reason = "usage " + quote(r.usage) + " of " + policy_label(policy->policy.name) + ": first " +
                   route_label(r.first_route) + " via " + quote(r.first_gateway);
    } else {
        r.outcome = "dropped";
        r.reason = "every gateway of the voice routes of usage " + quote(r.usage) + " that match " + quote(normalized) +
                   " is unavailable or disabled; later usages are never tried";
    }
    return r;
}

BlockCheck RoutingEngine::check_blocked(std::string_view calling) const
{
    BlockCheck b;
    b.number = strip_separators(calling);
    b.enabled = m->tenant.blocked_calling_numbers_enabled;
    for (const auto& p : m->blocked)
        if (p.enabled && p.pattern && p.pattern->search(b.number)) {
            b.blocked_by = p.identity;
            b.resource_account = p.resource_account;
            break;
        }
    for (const auto& p : m->exempt)
        if (p.enabled && p.pattern && p.pattern->search(b.number)) {
            b.exempted_by = p.identity;
            break;
        }
    b.blocked = b.enabled && !b.blocked_by.empty() && b.exempted_by.empty();
    if (!b.blocked)
        b.resource_account.clear();
    return b;
}

TranslationStep RoutingEngine::translate(std::string_view gateway, std::string_view list, std::string_view number) const
{
    const auto* g = m->gateway(gateway);
    if (!g)
        throw not_found(gateway_label(std::string(gateway)) + " does not exist (list them with `csctl online-pstn-gateway get`)");
    for (std::size_t l = 0; l < k_list_names.size(); ++l)
        if (iequals(k_list_names[l], list))
            return m->apply(g->lists[l], number);
    throw usage_error("translation list " + quote(std::string(list)) + " is not one of " +
                      join({k_list_names.begin(), k_list_names.end()}, ", "));
}

TranslationStep RoutingEngine::translate_with(const std::vector<std::string>& rules, std::string_view number) const
{
    std::vector<std::uint32_t> ids;
    for (const auto& name : rules) {
        auto it = m->translation_ids.find(to_lower(name));
        if (it == m->translation_ids.end())
            throw not_found(translation_rule_label(name) + " does not exist (list them with `csctl translation-rule get`)");
        ids.push_back(it->second);
    }
    return m->apply(ids, number);
}

InboundResult RoutingEngine::inbound(std::string_view gateway, std::string_view called, std::string_view calling,
                                     const UserLookup& lookup) const
{
    const auto* g = m->gateway(gateway);
    if (!g)
        throw not_found(gateway_label(std::string(gateway)) + " does not exist (list them with `csctl online-pstn-gateway get`)");
    InboundResult r;
    r.gateway = g->gateway.fqdn;
    auto to = m->apply(g->lists[k_inbound_teams], called);
    auto from = m->apply(g->lists[k_inbound_pstn], calling);
    r.called_number = to.number;
    r.called_rule = to.rule;
    r.calling_number = from.number;
    r.calling_rule = from.rule;
    r.block = check_blocked(r.calling_number);
    if (r.block.blocked) {
        if (!r.block.resource_account.empty()) {
            r.outcome = "redirected";
            r.reason = "calling number " + quote(r.block.number) + " matches blocked number pattern " +
                       quote(r.block.blocked_by) + ", which sends the call to resource account " +
                       quote(r.block.resource_account);
        } else {
            r.outcome = "blocked";
            r.reason = "calling number " + quote(r.block.number) + " matches blocked number pattern " +
                       quote(r.block.blocked_by) + " and no exempt pattern";
        }
        return r;
    }
    if (lookup)
        r.user = lookup(r.called_number);
    if (!r.user) {
        r.outcome = "unassigned";
        r.reason = "no user has the phone number " + quote(r.called_number);
    } else if (!r.user->teams_only || !r.user->enterprise_voice_enabled) {
        r.outcome = "not-teams-only";
        r.reason = "user " + quote(r.user->user_principal_name) + " has the number but is not " +
                   (!r.user->teams_only ? "TeamsOnly" : "enterprise-voice enabled") +
                   ", so Direct Routing calls do not reach them in Teams";
    } else {
        r.outcome = "delivered";
        r.reason = "delivered to user " + quote(r.user->user_principal_name);
    }
    return r;
}

// ---- JSON (the stable schema of `route test -o json` and `route inbound -o json`) ---------------

Json to_json(const Normalization& n)
{
    return Json{{"dialedNumber", n.dialed},
                {"normalizedNumber", n.number},
                {"normalizationRule", null_if_empty(n.rule)},
                {"dialPlan", null_if_empty(n.dial_plan)},
                {"countryDialPlan", null_if_empty(n.country)},
                {"isInternalExtension", n.internal_extension}};
}

Json to_json(const OutboundResult& r)
{
    Json routes = Json::array();
    for (const auto& attempt : r.routes) {
        Json gateways = Json::array();
        for (const auto& a : attempt.gateways)
            gateways.push_back(Json{{"fqdn", a.fqdn},
                                    {"state", to_string(a.state)},
                                    {"ingress", a.ingress},
                                    {"calledNumber", a.called_number},
                                    {"calledTranslationRule", null_if_empty(a.called_rule)},
                                    {"callingNumber", null_if_empty(a.calling_number)},
                                    {"callingTranslationRule", null_if_empty(a.calling_rule)}});
        routes.push_back(Json{{"identity", attempt.identity},
                              {"priority", attempt.priority},
                              {"numberPattern", attempt.number_pattern},
                              {"randomOrder", attempt.shuffled},
                              {"gateways", gateways},
                              {"alreadyTried", attempt.already_tried}});
    }
    return Json{{"user", null_if_empty(r.user)},
                {"dialedNumber", r.normalization.dialed},
                {"normalizedNumber", r.normalization.number},
                {"normalizationRule", null_if_empty(r.normalization.rule)},
                {"dialPlan", null_if_empty(r.normalization.dial_plan)},
                {"countryDialPlan", null_if_empty(r.normalization.country)},
                {"policy", r.policy},
                {"policySource", r.policy_source},
                {"policyUsages", r.policy_usages},
                {"usage", null_if_empty(r.usage)},
                {"routes", routes},
                {"outcome", r.outcome},
                {"reason", r.reason},
                {"firstRoute", null_if_empty(r.first_route)},
                {"firstGateway", null_if_empty(r.first_gateway)}};
}

Json to_json(const BlockCheck& b)
{
    return Json{{"number", b.number},
                {"tenantBlockingEnabled", b.enabled},
                {"blocked", b.blocked},
                {"blockedBy", null_if_empty(b.blocked_by)},
                {"exemptedBy", null_if_empty(b.exempted_by)},
                {"resourceAccount", null_if_empty(b.resource_account)}};
}

Json to_json(const InboundResult& r)
{
    return Json{{"gateway", r.gateway},
                {"calledNumber", r.called_number},
                {"callingNumber", r.calling_number},
                {"calledTranslationRule", null_if_empty(r.called_rule)},
                {"callingTranslationRule", null_if_empty(r.calling_rule)},
                {"blocked", r.block.blocked},
                {"blockedBy", null_if_empty(r.block.blocked_by)},
                {"exemptedBy", null_if_empty(r.block.exempted_by)},
                {"resourceAccount", null_if_empty(r.block.resource_account)},
                {"user", r.user ? Json(r.user->user_principal_name) : Json(nullptr)},
                {"outcome", r.outcome},
                {"reason", r.reason}};
}

}  // namespace csctl
