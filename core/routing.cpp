#include "core/routing.hpp"

#include "core/country_dial_plan.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <random>
#include <set>
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

namespace {

// The run of literal characters every match contains from position i of the pattern on.
std::string literal_run(std::string_view p, std::size_t i)
{
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
    return literal_run(p, i);
}

std::string required_literal(std::string_view p)
{
    if (p.starts_with("^") || p.starts_with("\\A") || top_level_alternation(p))
        return anchored_literal_prefix(p);
    return literal_run(p, 0);
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
    // Cheap tests before the regex: a match needs min_length characters and contains literal.
    std::size_t min_length = 0;
    std::string literal;
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

// Routes by the literal prefix their pattern requires: for each prefix length in use, an
// open-addressing table from the hash of the prefix to the routes' ids. A hash collision only adds
// candidates, and every candidate is matched for real, so the table stores no keys.
class PrefixIndex {
public:
    void add(const std::string& prefix, std::uint32_t route) { m_building[prefix].push_back(route); }

    void freeze()
    {
        std::map<std::uint64_t, std::vector<std::uint32_t>> by_hash;
        std::set<std::size_t> lengths;
        for (auto& [prefix, routes] : m_building) {
            lengths.insert(prefix.size());
            auto& ids = by_hash[hash_of(prefix)];
            ids.insert(ids.end(), routes.begin(), routes.end());
        }
        m_building.clear();
        m_lengths.assign(lengths.begin(), lengths.end());
        std::size_t size = 16;
        while (size < by_hash.size() * 2)
            size *= 2;
        m_slots.assign(size, Slot{});
        m_mask = size - 1;
        for (auto& [hash, ids] : by_hash) {
            std::sort(ids.begin(), ids.end());
            auto at = hash & m_mask;
            while (m_slots[at].hash != 0)
                at = (at + 1) & m_mask;
            m_slots[at] = Slot{hash, static_cast<std::uint32_t>(m_ids.size()), static_cast<std::uint32_t>(ids.size())};
            m_ids.insert(m_ids.end(), ids.begin(), ids.end());
        }
    }

    // Appends the routes whose prefix the number starts with (one hash pass over the number);
    // returns how many sorted lists it appended.
    int candidates(std::string_view number, std::vector<std::uint32_t>& out) const
    {
        int lists = 0;
        std::uint64_t h = k_offset;
        std::size_t next = 0;
        for (std::size_t i = 0; i <= number.size() && next < m_lengths.size(); ++i) {
            if (i == m_lengths[next]) {
                ++next;
                auto key = finish(h);
                for (auto at = key & m_mask; m_slots[at].hash != 0; at = (at + 1) & m_mask)
                    if (m_slots[at].hash == key) {
                        const auto* ids = m_ids.data() + m_slots[at].begin;
                        out.insert(out.end(), ids, ids + m_slots[at].count);
                        ++lists;
                        break;
                    }
            }
            if (i < number.size())
                h = step(h, number[i]);
        }
        return lists;
    }

private:
    static constexpr std::uint64_t k_offset = 14695981039346656037ull;
    static std::uint64_t step(std::uint64_t h, char c) { return (h ^ static_cast<unsigned char>(c)) * 1099511628211ull; }
    static std::uint64_t finish(std::uint64_t h) { return h == 0 ? 1 : h; }  // 0 marks an empty slot
    static std::uint64_t hash_of(std::string_view s)
    {
        std::uint64_t h = k_offset;
        for (char c : s)
            h = step(h, c);
        return finish(h);
    }
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t begin = 0;
        std::uint32_t count = 0;
    };
    std::map<std::string, std::vector<std::uint32_t>> m_building;
    std::vector<std::size_t> m_lengths;
    std::vector<Slot> m_slots;
    std::uint64_t m_mask = 0;
    std::vector<std::uint32_t> m_ids;
};

// The per-route facts the hot path reads, packed in one cache line. Most route patterns have the
// shape ^PREFIX then only digits ("^\+1425(\d{7})$", "^\+44\d+"): those are matched here
// without running the regex; everything else goes to PCRE2.
struct RouteKey {
    std::uint64_t usage_mask = 0;        // bit u: the route carries usage u (u < 64)
    bool more_usages = false;            // it carries a usage id >= 64: see CompiledRoute::usages
    bool simple = false;
    bool end_anchor = false;
    std::uint8_t prefix_length = 0;
    std::uint16_t min_digits = 0;
    std::uint16_t max_digits = 0;        // k_unbounded: no upper bound
    std::uint32_t min_length = 0;
    char prefix[24] = {};
};
constexpr std::uint16_t k_unbounded = 0xFFFF;

// Recognises ^PREFIX DIGITS [$]: literal digits and \+ \* \# first, then \d or [0-9] items
// with optional quantifiers, plain groups allowed. Anything else (classes, alternation,
// lookaround, lazy quantifiers …) is left to the regex.
bool simple_shape(std::string_view p, RouteKey& key)
{
    if (!p.starts_with("^") || p.find('|') != std::string_view::npos)
        return false;
    std::string prefix;
    unsigned min = 0, max = 0;
    bool unbounded = false, in_digits = false, end_anchor = false;
    int depth = 0;
    std::size_t i = 1;
    while (i < p.size()) {
        char c = p[i];
        if (c == '(') {
            if (i + 1 < p.size() && p[i + 1] == '?')
                return false;
            bool alternation = false;
            auto end = group_end(p, i, alternation);
            if (end == std::string_view::npos || alternation || (end + 1 < p.size() && is_quantifier(p[end + 1])))
                return false;
            ++depth;
            ++i;
            continue;
        }
        if (c == ')') {
            if (depth == 0)
                return false;
            --depth;
            ++i;
            continue;
        }
        if (c == '$') {
            if (i + 1 != p.size())
                return false;
            end_anchor = true;
            break;
        }
        char literal = 0;
        std::size_t next = 0;
        if (c == '\\' && i + 1 < p.size() && p[i + 1] == 'd') {
            next = i + 2;
        } else if (p.substr(i, 5) == "[0-9]") {
            next = i + 5;
        } else if (c == '\\' && i + 1 < p.size() && (p[i + 1] == '+' || p[i + 1] == '*' || p[i + 1] == '#')) {
            literal = p[i + 1];
            next = i + 2;
        } else if (c >= '0' && c <= '9') {
            literal = c;
            next = i + 1;
        } else {
            return false;
        }
        unsigned lo = 1, hi = 1;
        bool open = false;
        if (next < p.size() && is_quantifier(p[next])) {
            char q = p[next];
            if (q == '?') {
                lo = 0;
                ++next;
            } else if (q == '*') {
                lo = 0;
                open = true;
                ++next;
            } else if (q == '+') {
                open = true;
                ++next;
            } else {  // {n}, {n,}, {n,m}
                auto close = p.find('}', next);
                if (close == std::string_view::npos)
                    return false;
                auto body = p.substr(next + 1, close - next - 1);
                auto comma = body.find(',');
                auto number = [](std::string_view t, unsigned& out) {
                    if (t.empty() || t.size() > 3 || t.find_first_not_of("0123456789") != std::string_view::npos)
                        return false;
                    out = static_cast<unsigned>(std::stoul(std::string(t)));
                    return true;
                };
                if (comma == std::string_view::npos) {
                    if (!number(body, lo))
                        return false;
                    hi = lo;
                } else {
                    if (!number(body.substr(0, comma), lo))
                        return false;
                    if (comma + 1 == body.size())
                        open = true;
                    else if (!number(body.substr(comma + 1), hi) || hi < lo)
                        return false;
                }
                next = close + 1;
            }
            if (next < p.size() && (p[next] == '?' || p[next] == '+'))
                return false;  // lazy or possessive
        }
        if (literal) {
            if (in_digits || lo != 1 || hi != 1 || open)
                return false;
            prefix += literal;
        } else {
            in_digits = true;
            min += lo;
            if (open)
                unbounded = true;
            else
                max += hi;
        }
        i = next;
    }
    if (depth != 0 || prefix.size() >= sizeof key.prefix || min > 1000 || max > 1000)
        return false;
    key.simple = true;
    key.end_anchor = end_anchor;
    key.prefix_length = static_cast<std::uint8_t>(prefix.size());
    std::copy(prefix.begin(), prefix.end(), key.prefix);
    key.min_digits = static_cast<std::uint16_t>(min);
    key.max_digits = unbounded ? k_unbounded : static_cast<std::uint16_t>(max);
    return true;
}

bool simple_match(const RouteKey& k, std::string_view number)
{
    if (number.size() < k.prefix_length || std::memcmp(number.data(), k.prefix, k.prefix_length) != 0)
        return false;
    auto rest = number.substr(k.prefix_length);
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
        ++digits;
    if (!k.end_anchor)
        return digits >= k.min_digits;
    return digits == rest.size() && digits >= k.min_digits && (k.max_digits == k_unbounded || digits <= k.max_digits);
}

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
    std::vector<RouteKey> keys;          // parallel to routes
    std::vector<std::uint32_t> unindexed;  // routes without a prefix or a required text: always candidates
    // Routes without a prefix that require a text somewhere: candidates when the number contains
    // it (one substring check per distinct text).
    struct LiteralGroup {
        std::string literal;
        std::vector<std::uint32_t> routes;
    };
    std::vector<LiteralGroup> literal_groups;
    PrefixIndex index;
    std::size_t indexed = 0;

    bool matches(std::uint32_t id, std::string_view number) const
    {
        const auto& k = keys[id];
        if (number.size() < k.min_length)
            return false;
        if (k.simple)
            return simple_match(k, number);
        const auto& route = routes[id];
        return route.pattern && route.pattern->search(number);
    }
    bool carries(std::uint32_t id, std::uint32_t usage) const
    {
        const auto& k = keys[id];
        if (usage < 64)
            return (k.usage_mask >> usage) & 1u;
        return k.more_usages && std::find(routes[id].usages.begin(), routes[id].usages.end(), usage) != routes[id].usages.end();
    }

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
        RouteKey key;
        for (auto u : cr.usages) {
            if (u < 64)
                key.usage_mask |= std::uint64_t{1} << u;
            else
                key.more_usages = true;
        }
        if (cr.pattern) {
            cr.min_length = cr.pattern->min_length();
            key.min_length = static_cast<std::uint32_t>(cr.min_length);
            if (prefix.empty())
                cr.literal = required_literal(r.number_pattern);
            simple_shape(r.number_pattern, key);
        }
        cr.route = std::move(r);
        auto id = static_cast<std::uint32_t>(m->routes.size());
        m->routes.push_back(std::move(cr));
        m->keys.push_back(key);
        const auto& literal = m->routes.back().literal;
        if (!prefix.empty()) {
            m->index.add(prefix, id);
            ++m->indexed;
        } else if (literal.empty()) {
            m->unindexed.push_back(id);
        } else {
            auto group = std::find_if(m->literal_groups.begin(), m->literal_groups.end(),
                                      [&](const auto& g) { return g.literal == literal; });
            if (group == m->literal_groups.end())
                group = m->literal_groups.insert(group, Data::LiteralGroup{literal, {}});
            group->routes.push_back(id);
        }
    }
    m->index.freeze();

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
const VoiceRoutingPolicy& RoutingEngine::policy_at(int index) const
{
    return m->policies.at(static_cast<std::size_t>(index)).policy;
}

bool RoutingEngine::route_has_enabled_gateway(std::uint32_t index) const
{
    for (auto g : m->routes.at(index).gateways)
        if (m->gateways[g].gateway.enabled)
            return true;
    return false;
}

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
    // Candidates: the routes without a literal prefix, and those whose prefix the number starts with.
    thread_local std::vector<std::uint32_t> candidates;
    thread_local std::vector<std::int8_t> matched;  // -1 unknown, 0 no, 1 yes
    candidates.assign(m->unindexed.begin(), m->unindexed.end());
    int lists = candidates.empty() ? 0 : 1;
    for (const auto& group : m->literal_groups)
        if (number.find(group.literal) != std::string_view::npos) {
            candidates.insert(candidates.end(), group.routes.begin(), group.routes.end());
            ++lists;
        }
    auto scanned = static_cast<std::ptrdiff_t>(candidates.size());
    auto indexed_lists = m->index.candidates(number, candidates);
    if (candidates.empty())
        return -1;
    // Priority order: each list is sorted; merge them (a sort when several lists of a kind matched).
    if (lists > 1)
        std::sort(candidates.begin(), candidates.begin() + scanned);
    if (indexed_lists > 1)
        std::sort(candidates.begin() + scanned, candidates.end());
    if (scanned > 0 && indexed_lists > 0)
        std::inplace_merge(candidates.begin(), candidates.begin() + scanned, candidates.end());
    matched.assign(candidates.size(), -1);
    for (std::size_t u = 0; u < usages.size(); ++u) {
        auto usage = usages[u];
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            if (!m->carries(candidates[i], usage))
                continue;
            if (matched[i] < 0)
                matched[i] = m->matches(candidates[i], number) ? 1 : 0;
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
    n.dial_plan_source = caller.dial_plan_source;
    if (n.dial_plan_source.empty())
        n.dial_plan_source = !caller.dial_plan.empty() ? "direct" : plan_name.empty() ? "global" : "tenant";
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
        bool any_gateway = std::any_of(r.routes.begin(), r.routes.end(), [](const auto& a) { return !a.gateways.empty(); });
        r.outcome = "dropped";
        r.reason = (any_gateway ? "every gateway of the voice routes of usage " + quote(r.usage) + " that match " +
                                      quote(normalized) + " is unavailable or disabled"
                                : "the voice routes of usage " + quote(r.usage) + " that match " + quote(normalized) +
                                      " have no gateways") +
                   "; later usages are never tried";
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
                {"dialPlanSource", n.dial_plan_source},
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
                {"dialPlanSource", r.normalization.dial_plan_source},
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
