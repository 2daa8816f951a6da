// Parallel invocations on one tenant wait for each other: every change lands, none fails.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

using namespace csctl::test;

TEST_CASE("two processes creating 200 routes each at once both finish with every change present")
{
    Sandbox s;
    REQUIRE(s.csctl({"tenant", "init", "contoso", "--domain", "contoso.com"}).code == 0);
    REQUIRE(s.csctl({"online-pstn-gateway", "new", "sbc1.contoso.com", "--sip-signaling-port", "5061", "--enabled"}).code == 0);
    REQUIRE(s.csctl({"usage", "add", "US"}).code == 0);
    for (const char* worker : {"a", "b"}) {
        std::ofstream script(s.file(std::string("writer-") + worker + ".sh"));
        script << "set -u\nfail=0\nfor i in $(seq 1 200); do\n"
               << "  \"$1\" voice-route new \"" << worker << "-$i\" --number-pattern '^\\+1425' --usages US "
               << "--gateways sbc1.contoso.com -o json >/dev/null 2>>\"" << s.file(std::string("err-") + worker) << "\" || fail=$((fail+1))\n"
               << "done\nexit $fail\n";
    }
    // Both writers start together from one shell and are waited for; each exits with its failure count.
    auto r = s.run({"bash", "-c",
                    "bash writer-a.sh \"$0\" & a=$!; bash writer-b.sh \"$0\" & b=$!; wait $a; ra=$?; wait $b; rb=$?; "
                    "echo \"$ra $rb\"; cat err-a err-b 2>/dev/null",
                    csctl_binary()});
    CHECK(r.out.rfind("0 0\n", 0) == 0);
    CHECK(r.out.find("locked") == std::string::npos);
    auto routes = nlohmann::json::parse(s.csctl({"voice-route", "get", "-o", "json"}).out);
    CHECK(routes.size() == 400);
    std::set<int> priorities;
    for (const auto& route : routes)
        priorities.insert(route["priority"].get<int>());
    CHECK(priorities.size() == 400);  // still unique
    auto log = nlohmann::json::parse(s.csctl({"log", "-o", "json", "--limit", "1000"}).out);
    CHECK(log.size() == 402);  // the gateway, the usage and 400 routes
}
