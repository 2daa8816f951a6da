// Route evaluation over a large tenant: the engine's indexed lookup (RoutingEngine::select_routes)
// against a straightforward std::regex loop over the same routes and numbers. Both must agree on
// every number checked; the figures go to bench/README.md.
//
//   route_lookup [--routes N] [--lookups N] [--regex-lookups N] [--unanchored N]
#include "core/routing.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <regex>
#include <string>
#include <vector>

using namespace csctl;

namespace {

struct Options {
    std::size_t routes = 10'000;
    std::size_t lookups = 5'000'000;
    std::size_t regex_lookups = 300;
    std::size_t unanchored = 10;
};

// A national carrier-style tenant: one route per 6-digit NANP prefix (+1 NPA NXX), each with its
// own pair of SBCs, a handful of unanchored patterns that no index can narrow down, and a
// catch-all International route in a second usage.
TenantDocument make_tenant(std::size_t route_count, std::size_t unanchored)
{
    TenantDocument d;
    d.tenant.name = "bench";
    for (int i = 0; i < 20; ++i) {
        Gateway g;
        g.fqdn = "sbc" + std::to_string(i) + ".contoso.com";
        g.sip_signaling_port = 5061;
        g.enabled = true;
        d.gateways.push_back(g);
    }
    d.usages = {"US and Canada", "International"};
    for (std::size_t i = 0; i < route_count; ++i) {
        VoiceRoute r;
        r.identity = "route " + std::to_string(i);
        r.priority = static_cast<int>(i + 1);
        r.online_pstn_usages = {i + 1 == route_count ? "International" : "US and Canada"};
        r.online_pstn_gateway_list = {d.gateways[i % 20].fqdn, d.gateways[(i + 7) % 20].fqdn};
        if (i + 1 == route_count)
            r.number_pattern = ".*";
        else if (i < unanchored)
            r.number_pattern = R"(\+1900\d{3})" + std::to_string(i) + R"(\d{3}$)";  // no anchor: scanned
        else
            r.number_pattern = R"(^\+1)" + std::to_string(201000 + i * 7) + R"((\d{4})$)";
        d.routes.push_back(std::move(r));
    }
    d.policies = {VoiceRoutingPolicy{"Global", {}, {}},
                  VoiceRoutingPolicy{"No Restrictions", {"US and Canada", "International"}, {}}};
    return d;
}

std::vector<std::string> make_numbers(std::size_t count, std::size_t route_count)
{
    std::mt19937_64 random(12345);
    std::uniform_int_distribution<std::size_t> route(0, route_count - 2);
    std::uniform_int_distribution<int> digits(0, 9999);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) {
        char subscriber[8];
        std::snprintf(subscriber, sizeof subscriber, "%04d", digits(random));
        if (i % 10 == 9)
            out.push_back("+4420794" + std::string(subscriber));  // abroad: falls to International
        else
            out.push_back("+1" + std::to_string(201000 + route(random) * 7) + subscriber);
    }
    return out;
}

// The straightforward evaluation: every route in priority order, one std::regex each, usage by usage.
struct RegexRouter {
    struct Route {
        std::regex pattern;
        std::string usage;
    };
    std::vector<Route> routes;
    std::vector<std::string> usages;

    explicit RegexRouter(const TenantDocument& d) : usages(d.policies[1].online_pstn_usages)
    {
        for (const auto& r : d.routes)
            routes.push_back(Route{std::regex(r.number_pattern, std::regex::ECMAScript | std::regex::optimize),
                                   r.online_pstn_usages[0]});
    }
    int select(const std::string& number, std::vector<std::uint32_t>& out) const
    {
        out.clear();
        for (std::size_t u = 0; u < usages.size(); ++u) {
            for (std::size_t i = 0; i < routes.size(); ++i)
                if (routes[i].usage == usages[u] && std::regex_search(number, routes[i].pattern))
                    out.push_back(static_cast<std::uint32_t>(i));
            if (!out.empty())
                return static_cast<int>(u);
        }
        return -1;
    }
};

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU time of this thread: on a shared machine, the time the lookups really ran on a core.
double thread_cpu_seconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv)
{
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        auto value = std::strtoull(argv[i + 1], nullptr, 10);
        if (!std::strcmp(argv[i], "--routes"))
            o.routes = value;
        else if (!std::strcmp(argv[i], "--lookups"))
            o.lookups = value;
        else if (!std::strcmp(argv[i], "--regex-lookups"))
            o.regex_lookups = value;
        else if (!std::strcmp(argv[i], "--unanchored"))
            o.unanchored = value;
        else {
            std::fprintf(stderr, "usage: route_lookup [--routes N] [--lookups N] [--regex-lookups N] [--unanchored N]\n");
            return 2;
        }
    }
    auto tenant = make_tenant(o.routes, o.unanchored);
    auto numbers = make_numbers(10'000, o.routes);  // some hit an unanchored route's prefix slot: no match there

    auto start = std::chrono::steady_clock::now();
    RoutingEngine engine(tenant);
    double build = seconds_since(start);
    int policy = engine.policy_index("No Restrictions");

    // Correctness first: the engine and the regex loop agree.
    RegexRouter reference(tenant);
    std::vector<std::uint32_t> a, b;
    for (std::size_t i = 0; i < o.regex_lookups; ++i) {
        const auto& n = numbers[i % numbers.size()];
        int ua = engine.select_routes(policy, n, a);
        int ub = reference.select(n, b);
        if (ua != ub || a != b) {
            std::fprintf(stderr, "mismatch for %s\n", n.c_str());
            return 1;
        }
    }

    std::size_t matched = 0;
    start = std::chrono::steady_clock::now();
    double cpu = thread_cpu_seconds();
    for (std::size_t i = 0; i < o.lookups; ++i)
        matched += engine.select_routes(policy, numbers[i % numbers.size()], a) >= 0;
    double engine_s = seconds_since(start);
    double engine_cpu = thread_cpu_seconds() - cpu;

    start = std::chrono::steady_clock::now();
    cpu = thread_cpu_seconds();
    for (std::size_t i = 0; i < o.regex_lookups; ++i)
        matched += reference.select(numbers[i % numbers.size()], b) >= 0;
    double regex_s = seconds_since(start);
    double regex_cpu = thread_cpu_seconds() - cpu;

    double engine_rate = static_cast<double>(o.lookups) / engine_s;
    double regex_rate = static_cast<double>(o.regex_lookups) / regex_s;
    std::printf("routes                 %zu (%zu found through their literal prefix)\n", engine.route_count(),
                engine.indexed_route_count());
    std::printf("snapshot build         %.1f ms\n", build * 1000);
    std::printf("engine (PCRE2 JIT + prefix index)  %zu lookups in %.3f s = %.2f million lookups/s (%.0f ns each)\n",
                o.lookups, engine_s, engine_rate / 1e6, 1e9 / engine_rate);
    std::printf("std::regex loop                    %zu lookups in %.3f s = %.0f lookups/s (%.0f us each)\n",
                o.regex_lookups, regex_s, regex_rate, 1e6 / regex_rate);
    std::printf("per CPU second (thread CPU time, excludes time other processes had the core):\n");
    std::printf("  engine %.2f million lookups/s, std::regex %.0f lookups/s\n",
                static_cast<double>(o.lookups) / engine_cpu / 1e6, static_cast<double>(o.regex_lookups) / regex_cpu);
    std::printf("speed-up               %.0fx   (checksum %zu)\n", engine_rate / regex_rate, matched);
    return 0;
}
