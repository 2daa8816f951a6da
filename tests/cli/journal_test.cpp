// log and undo through the binary: undo restores the exact previous export.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace csctl::test;
using nlohmann::json;

namespace {
void ok(const Sandbox& s, const std::vector<std::string>& args)
{
    auto r = s.csctl(args);
    REQUIRE_MESSAGE(r.code == 0, r.err);
}
}  // namespace

TEST_CASE("undo restores the exact previous export")
{
    Sandbox s;
    build_worked_example(s);
    SUBCASE("after a set") {
        auto before = s.export_json();
        ok(s, {"online-pstn-gateway", "set", "sbc1.contoso.com", "--enabled=false", "--failover-response-codes", "408,503"});
        CHECK(s.export_json() != before);
        ok(s, {"undo"});
        CHECK(s.export_json() == before);
    }
    SUBCASE("after a remove") {
        auto before = s.export_json();
        ok(s, {"voice-route", "remove", "Other +1", "--yes"});
        CHECK(s.export_json() != before);
        ok(s, {"undo"});
        CHECK(s.export_json() == before);
    }
    SUBCASE("after a priority insert that shifted other routes") {
        auto before = s.export_json();
        ok(s, {"voice-route", "new", "Redmond 0", "--number-pattern", "^\\+1425555(\\d{4})$", "--priority", "1",
               "--online-pstn-gateway-list", "sbc1.contoso.com", "--online-pstn-usages", "US and Canada"});
        auto routes = json::parse(s.csctl({"voice-route", "get", "-o", "json"}).out);
        CHECK(routes[0]["identity"] == "Redmond 0");
        CHECK(routes[1]["identity"] == "Redmond 1");
        CHECK(routes[1]["priority"] == 2);
        CHECK(routes[4]["priority"] == 5);
        ok(s, {"undo"});
        CHECK(s.export_json() == before);
    }
    SUBCASE("repeated undo walks back; undoing an undone change is a conflict") {
        auto start = s.export_json();
        ok(s, {"usage", "add", "Emergency"});
        auto middle = s.export_json();
        ok(s, {"voice-routing-policy", "set", "Global", "--usages", "Emergency"});
        ok(s, {"undo"});
        CHECK(s.export_json() == middle);
        ok(s, {"undo"});
        CHECK(s.export_json() == start);
        auto log = json::parse(s.csctl({"log", "-o", "json", "--limit", "4"}).out);
        REQUIRE(log.size() == 4);
        CHECK(log[0]["reverts"] == log[3]["id"]);
        auto r = s.csctl({"undo", std::to_string(log[3]["id"].get<int>())});
        CHECK(r.code == 4);
        CHECK(r.err.find("was already undone by change") != std::string::npos);
        CHECK(s.export_json() == start);
    }
}

TEST_CASE("the journal records time, user, command line, and each object's before and after")
{
    Sandbox s;
    build_worked_example(s);
    ok(s, {"voice-route", "set", "Redmond 2", "--priority", "1"});
    auto log = json::parse(s.csctl({"log", "-o", "json", "--limit", "1", "--details"}).out);
    REQUIRE(log.size() == 1);
    auto entry = log[0];
    CHECK(entry["user"].is_string());
    CHECK(entry["commandLine"] == "csctl voice-route set 'Redmond 2' --priority 1");
    CHECK(entry["time"].get<std::string>().size() == 24);
    // Moving to a taken priority shifts the holder and every route above it; Redmond 2's old
    // number is left free, as a remove would leave it.
    REQUIRE(entry["changes"].size() == 4);
    CHECK(entry["changes"][0]["identity"] == "International");
    CHECK(entry["changes"][1]["identity"] == "Other +1");
    CHECK(entry["changes"][2]["identity"] == "Redmond 1");
    CHECK(entry["changes"][2]["fields"][0] == json({{"field", "priority"}, {"before", 1}, {"after", 2}}));
    CHECK(entry["changes"][3]["identity"] == "Redmond 2");
    CHECK(entry["changes"][3]["before"]["priority"] == 2);
    CHECK(entry["changes"][3]["after"]["priority"] == 1);
}

TEST_CASE("dry run prints what would change and changes nothing")
{
    Sandbox s;
    build_worked_example(s);
    auto before = s.export_json();
    auto r = s.csctl({"voice-route", "new", "Redmond 0", "--priority", "1", "--usages", "US and Canada", "--gateways",
                      "sbc1.contoso.com", "--dry-run"});
    CHECK(r.code == 0);
    CHECK(r.out.find("create voice route \"Redmond 0\"") != std::string::npos);
    CHECK(r.out.find("update voice route \"Redmond 1\"\n    priority: 1 -> 2") != std::string::npos);
    CHECK(r.err.find("dry run: nothing was changed") != std::string::npos);
    CHECK(s.export_json() == before);
    r = s.csctl({"online-pstn-gateway", "remove", "sbc6.contoso.com", "--dry-run"});
    CHECK(r.code == 4);  // validation runs in a dry run too
    r = s.csctl({"voice-route", "remove", "Other +1", "--dry-run", "-o", "json"});
    CHECK(r.code == 0);
    auto changes = json::parse(r.out);
    CHECK(changes[0]["action"] == "delete");
    CHECK(s.export_json() == before);
}

TEST_CASE("export writes the whole tenant as YAML or JSON, the same schema as get -o json")
{
    Sandbox s;
    build_worked_example(s);
    auto document = json::parse(s.export_json());
    CHECK(document["tenant"]["name"] == "contoso");
    CHECK(document["tenant"]["domains"] == json({"contoso.com"}));
    CHECK(document["onlinePstnUsages"] == json({"US and Canada", "International"}));
    CHECK(document["onlinePstnGateways"].size() == 6);
    CHECK(document["onlineVoiceRoutes"] == json::parse(s.csctl({"voice-route", "get", "-o", "json"}).out));
    CHECK(document["onlineVoiceRoutingPolicies"][0]["identity"] == "Global");
    auto yaml = s.csctl({"export"});
    CHECK(yaml.code == 0);
    CHECK(yaml.out.find("onlineVoiceRoutes:\n") != std::string::npos);
    CHECK(yaml.out.find("numberPattern: ^\\+1(425|206)(\\d{7})$") != std::string::npos);
    auto r = s.csctl({"export", "-f", s.file("t.json")});
    CHECK(r.code == 0);
    auto r2 = s.run({"cat", s.file("t.json")});
    CHECK(json::parse(r2.out) == document);
}
