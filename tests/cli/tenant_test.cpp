// Where the tenant is: tenant init/use/list/show, --tenant, CSCTL_TENANT, --db, CSCTL_DB, domains.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace csctl::test;
using nlohmann::json;

TEST_CASE("tenant init creates the database under XDG_DATA_HOME and makes it current")
{
    Sandbox s;
    auto r = s.csctl({"tenant", "init", "contoso", "--domain", "contoso.com", "--tenant-id",
                      "6babcaad-604b-40ac-a9d7-9fd97c0b779f"});
    REQUIRE(r.code == 0);
    CHECK(r.err.find("now using tenant \"contoso\"") != std::string::npos);
    CHECK(s.run({"test", "-f", s.dir() + "/data/csctl/contoso.db"}).code == 0);
    auto show = json::parse(s.csctl({"tenant", "show", "-o", "json"}).out);
    CHECK(show[0]["name"] == "contoso");
    CHECK(show[0]["tenantId"] == "6babcaad-604b-40ac-a9d7-9fd97c0b779f");
    CHECK(show[0]["domains"] == json({"contoso.com"}));
    CHECK(show[0]["selectedBy"] == "config.yaml");

    SUBCASE("a second tenant, chosen by flag, environment, or tenant use") {
        REQUIRE(s.csctl({"tenant", "init", "fabrikam", "--no-use"}).code == 0);
        CHECK(json::parse(s.csctl({"tenant", "show", "-o", "json"}).out)[0]["name"] == "contoso");
        auto flag = json::parse(s.csctl({"--tenant", "fabrikam", "tenant", "show", "-o", "json"}).out)[0];
        CHECK(flag["name"] == "fabrikam");
        CHECK(flag["selectedBy"] == "--tenant");
        Sandbox& env = s;
        env.env["CSCTL_TENANT"] = "fabrikam";
        auto by_env = json::parse(s.csctl({"tenant", "show", "-o", "json"}).out)[0];
        CHECK(by_env["name"] == "fabrikam");
        CHECK(by_env["selectedBy"] == "CSCTL_TENANT");
        env.env.erase("CSCTL_TENANT");
        REQUIRE(s.csctl({"tenant", "use", "fabrikam"}).code == 0);
        CHECK(json::parse(s.csctl({"tenant", "show", "-o", "json"}).out)[0]["name"] == "fabrikam");
        auto list = json::parse(s.csctl({"tenant", "list", "-o", "json"}).out);
        REQUIRE(list.size() == 2);
        CHECK(list[0]["name"] == "contoso");
        CHECK(list[0]["current"] == false);
        CHECK(list[1]["name"] == "fabrikam");
        CHECK(list[1]["current"] == true);
    }
    SUBCASE("--db and CSCTL_DB name a database file directly") {
        auto path = s.file("elsewhere.db");
        REQUIRE(s.csctl({"--db", path, "tenant", "init", "elsewhere"}).code == 0);
        REQUIRE(s.csctl({"--db", path, "usage", "add", "Local"}).code == 0);
        CHECK(json::parse(s.csctl({"--db", path, "usage", "get", "-o", "json"}).out)[0]["usage"] == "Local");
        s.env["CSCTL_DB"] = path;
        CHECK(json::parse(s.csctl({"usage", "get", "-o", "json"}).out).size() == 1);
        // A --tenant flag beats a database path from the environment.
        CHECK(json::parse(s.csctl({"--tenant", "contoso", "usage", "get", "-o", "json"}).out).empty());
    }
    SUBCASE("errors") {
        auto again = s.csctl({"tenant", "init", "contoso"});
        CHECK(again.code == 4);
        CHECK(again.err.find("tenant \"contoso\" already exists") != std::string::npos);
        auto use = s.csctl({"tenant", "use", "nope"});
        CHECK(use.code == 3);
        auto guid = s.csctl({"tenant", "init", "x", "--tenant-id", "not-a-guid"});
        CHECK(guid.code == 2);
        CHECK(guid.err.find("TenantId \"not-a-guid\" is not a GUID") != std::string::npos);
        CHECK(s.run({"test", "-e", s.dir() + "/data/csctl/x.db"}).code != 0);
    }
}

TEST_CASE("tenant domains: gateways must lie in one, a used domain cannot be removed")
{
    Sandbox s;
    REQUIRE(s.csctl({"tenant", "init", "contoso", "--domain", "contoso.com"}).code == 0);
    auto r = s.csctl({"online-pstn-gateway", "new", "sbc1.fabrikam.com", "--sip-signaling-port", "5061"});
    CHECK(r.code == 2);
    CHECK(r.err.find("add it with `csctl tenant domain add fabrikam.com`") != std::string::npos);
    REQUIRE(s.csctl({"tenant", "domain", "add", "fabrikam.com"}).code == 0);
    r = s.csctl({"online-pstn-gateway", "new", "sbc1.fabrikam.com", "--sip-signaling-port", "5061"});
    CHECK(r.code == 0);
    CHECK(r.err.find("is disabled, so no calls are routed to it") != std::string::npos);
    auto before = s.export_json();
    r = s.csctl({"tenant", "domain", "remove", "fabrikam.com"});
    CHECK(r.code == 4);
    CHECK(r.err.find("domain \"fabrikam.com\" is still used by online pstn gateway \"sbc1.fabrikam.com\"") != std::string::npos);
    CHECK(s.export_json() == before);
    r = s.csctl({"tenant", "domain", "add", "not_a_domain"});
    CHECK(r.code == 2);
    CHECK(s.export_json() == before);
}
