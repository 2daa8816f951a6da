#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace csctl::test;
using nlohmann::json;

TEST_CASE("the worked example builds and reads back through get -o json")
{
    Sandbox s;
    build_worked_example(s);
    auto r = s.csctl({"voice-route", "get", "-o", "json"});
    REQUIRE(r.code == 0);
    auto routes = json::parse(r.out);
    REQUIRE(routes.size() == 4);
    CHECK(routes[0]["identity"] == "Redmond 1");
    CHECK(routes[0]["priority"] == 1);
    CHECK(routes[0]["onlinePstnGatewayList"] == json({"sbc1.contoso.com", "sbc2.contoso.com"}));
    CHECK(routes[2]["identity"] == "Other +1");
    CHECK(routes[2]["priority"] == 3);
    CHECK(routes[3]["identity"] == "International");
    CHECK(routes[3]["priority"] == 4);
    CHECK(routes[3]["onlinePstnUsages"] == json({"International"}));
}
