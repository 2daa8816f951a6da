// plan, push, pull and status against a real `csctl serve` on 127.0.0.1, and the server's own
// guarantees: revisions, idempotency, tokens, limits, TLS.
#include "tests/support/process.hpp"
#include "tests/support/server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

using namespace csctl::test;
using nlohmann::json;

namespace {

void ok(const Sandbox& s, const std::vector<std::string>& args)
{
    auto r = s.csctl(args);
    REQUIRE_MESSAGE(r.code == 0, r.err);
}

std::string slurp(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string secret(const std::string& token_file)
{
    auto text = slurp(token_file);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

// A second admin's machine: the tenant contoso, pointed at the same server.
void fresh_clone(const Sandbox& s, const ServerProcess& server, const std::string& token)
{
    ok(s, {"tenant", "init", "contoso"});
    ok(s, {"remote", "set", server.url(), "--token-file", token});
}

const char* k_new_pattern = R"(^\+1(425|206|360)(\d{7})$)";

// The worked example plus everything else a tenant holds: translation rules on a gateway, dial
// plans with normalization rules, blocked and exempt patterns, groups with members and ranked
// grants, users with numbers and direct grants.
void build_directory(const Sandbox& s)
{
    build_worked_example(s);
    ok(s, {"translation-rule", "new", "AddPlus1", "--pattern", R"(^(\d{10})$)", "--translation", "+1$1"});
    ok(s, {"translation-rule", "new", "StripPlus1", "--pattern", R"(^\+1(\d{10})$)", "--translation", "$1"});
    ok(s, {"online-pstn-gateway", "set", "sbc1.contoso.com", "--outbound-pstn-number-translation-rules", "StripPlus1",
           "--inbound-pstn-number-translation-rules", "AddPlus1"});
    ok(s, {"dial-plan", "new", "Redmond", "--description", "Redmond site"});
    ok(s, {"normalization-rule", "new", "4digitExtension", "--dial-plan", "Redmond", "--pattern", R"(^(\d{4})$)",
           "--translation", "+1425555$1", "--is-internal-extension"});
    ok(s, {"normalization-rule", "new", "RedmondOperator", "--dial-plan", "Redmond", "--pattern", "^0$",
           "--translation", "+14255550100"});
    ok(s, {"dial-plan", "grant", "Redmond", "--global", "--yes"});
    ok(s, {"blocked-number", "new", "BlockRange1", "--pattern", R"(^\+?1312555\d{4}$)"});
    ok(s, {"exempt-number", "new", "AllowOne", "--pattern", R"(^\+?13125550100$)"});
    ok(s, {"user", "add", "spencer@contoso.com", "--display-name", "Spencer Low", "--usage-location", "US",
           "--license", "PhoneSystem", "--groups", "sales"});
    ok(s, {"user", "add", "john@contoso.com", "--license", "PhoneSystem", "--groups", "sales;west"});
    ok(s, {"user-enable", "spencer@contoso.com", "--number", "+14255550111"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "spencer@contoso.com"});
    ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--group", "west", "--rank", "1"});
    ok(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--user", "john@contoso.com"});
}

}  // namespace

TEST_CASE("push the worked example, pull it into a fresh tenant, plan again, push one change")
{
    Sandbox a;
    build_worked_example(a);
    auto data = a.file("server");
    auto token = make_token(a, data, "contoso", "writer", "writer.token");
    ServerProcess server(a, data);
    ok(a, {"remote", "set", server.url(), "--token-file", token});

    auto plan = a.csctl({"plan", "--detailed-exitcode"});
    CHECK(plan.code == 10);
    CHECK(plan.out.find("create voice route \"Redmond 1\"") != std::string::npos);
    // Dependency order: usages before gateways before the routes that use them, routes before policies.
    auto usages_at = plan.out.find("update pstn usages");
    auto gateway_at = plan.out.find("create online pstn gateway \"sbc1.contoso.com\"");
    auto route_at = plan.out.find("create voice route");
    auto policy_at = plan.out.find("create voice routing policy");
    CHECK(usages_at < gateway_at);
    CHECK(gateway_at < route_at);
    CHECK(route_at < policy_at);

    auto push = a.csctl({"push", "--yes"});
    REQUIRE_MESSAGE(push.code == 0, push.err);
    CHECK(push.err.find("is now at revision 1") != std::string::npos);

    Sandbox b;
    fresh_clone(b, server, token);
    auto pull = b.csctl({"pull", "--yes"});
    REQUIRE_MESSAGE(pull.code == 0, pull.err);
    CHECK(b.export_json() == a.export_json());

    auto again = a.csctl({"plan", "--detailed-exitcode"});
    CHECK(again.code == 0);
    CHECK(again.out.empty());
    CHECK(again.err.find("plan: no changes") != std::string::npos);
    CHECK(a.csctl({"status"}).out.rfind("in sync", 0) == 0);

    ok(a, {"voice-route", "set", "Redmond 1", "--number-pattern", k_new_pattern});
    CHECK(a.csctl({"status"}).out.rfind("local ahead", 0) == 0);
    auto json_plan = a.csctl({"plan", "-o", "json"});
    REQUIRE(json_plan.code == 0);
    auto changes = json::parse(json_plan.out)["changes"];
    REQUIRE(changes.size() == 1);
    CHECK(changes[0]["action"] == "update");
    CHECK(changes[0]["kind"] == "onlineVoiceRoute");
    CHECK(changes[0]["identity"] == "Redmond 1");
    REQUIRE(changes[0]["fields"].size() == 1);
    CHECK(changes[0]["fields"][0]["field"] == "numberPattern");
    CHECK(changes[0]["fields"][0]["after"] == k_new_pattern);
    push = a.csctl({"push", "--yes"});
    REQUIRE_MESSAGE(push.code == 0, push.err);
    CHECK(push.err.find("pushed 1 change(s)") != std::string::npos);

    CHECK(b.csctl({"status"}).out.rfind("remote changed", 0) == 0);
    ok(b, {"pull", "--yes"});
    CHECK(b.export_json() == a.export_json());
    CHECK(server.stop() == 0);
    CHECK(server.log().find("csctl serve: stopped") != std::string::npos);
}

TEST_CASE("users, groups, dial plans, translation rules, number patterns and grants travel with push and pull")
{
    Sandbox a;
    build_directory(a);
    auto data = a.file("server");
    auto token = make_token(a, data, "contoso", "writer", "writer.token");
    ServerProcess server(a, data);
    ok(a, {"remote", "set", server.url(), "--token-file", token});

    auto plan = a.csctl({"plan"});
    REQUIRE_MESSAGE(plan.code == 0, plan.err);
    // Dependency order: translation rules before the gateway that lists them, policies and dial
    // plans before the groups and users granted them, groups before their members.
    auto at = [&](const std::string& text) {
        auto i = plan.out.find(text);
        INFO(text);
        CHECK(i != std::string::npos);
        return i;
    };
    CHECK(at("create translation rule \"StripPlus1\"") < at("create online pstn gateway \"sbc1.contoso.com\""));
    CHECK(at("create voice routing policy \"Tag:US Only\"") < at("create group \"west\""));
    CHECK(at("create tenant dial plan \"Tag:Redmond\"") < at("create group \"sales\""));
    CHECK(at("create group \"sales\"") < at("create user \"john@contoso.com\""));
    at("create blocked number pattern \"BlockRange1\"");
    at("create exempt number pattern \"AllowOne\"");
    auto push = a.csctl({"push", "--yes"});
    REQUIRE_MESSAGE(push.code == 0, push.err);

    Sandbox b;
    fresh_clone(b, server, token);
    auto pull = b.csctl({"pull", "--yes"});
    REQUIRE_MESSAGE(pull.code == 0, pull.err);
    CHECK(b.export_json() == a.export_json());
    auto again = a.csctl({"plan", "--detailed-exitcode"});
    CHECK(again.code == 0);
    CHECK(again.out.empty());
    CHECK(b.csctl({"plan", "--detailed-exitcode"}).code == 0);

    // How many users each change affects: a route reaches the users of every policy whose usages
    // it serves (spencer directly, john through group "west"); a policy its own users.
    ok(a, {"voice-route", "set", "Redmond 1", "--description", "main"});
    ok(a, {"voice-routing-policy", "set", "US Only", "--description", "US"});
    auto impact = json::parse(a.csctl({"plan", "-o", "json"}).out)["changes"];
    REQUIRE(impact.size() == 2);
    CHECK(impact[0]["identity"] == "Redmond 1");
    CHECK(impact[0]["usersAffected"] == 2);
    CHECK(impact[1]["identity"] == "Tag:US Only");
    CHECK(impact[1]["usersAffected"] == 1);
    auto text = a.csctl({"plan"}).out;
    CHECK(text.find("update voice route \"Redmond 1\"  (2 users)\n") != std::string::npos);
    CHECK(text.find("update voice routing policy \"Tag:US Only\"  (1 user)\n") != std::string::npos);
    ok(a, {"push", "--yes"});

    // Incremental pushes of a grant, a membership, a number and a removal.
    ok(a, {"voice-routing-policy", "grant", "No Restrictions", "--user", "john@contoso.com"});
    ok(a, {"group", "remove-member", "sales", "john@contoso.com"});
    ok(a, {"user-disable", "spencer@contoso.com"});
    ok(a, {"user-enable", "john@contoso.com", "--number", "+14255550111"});
    auto json_plan = json::parse(a.csctl({"plan", "-o", "json"}).out)["changes"];
    REQUIRE(json_plan.size() == 2);
    CHECK(json_plan[0]["identity"] == "john@contoso.com");
    CHECK(json_plan[1]["identity"] == "spencer@contoso.com");
    push = a.csctl({"push", "--yes"});
    REQUIRE_MESSAGE(push.code == 0, push.err);
    CHECK(a.csctl({"plan", "--detailed-exitcode"}).code == 0);
    ok(b, {"pull", "--yes"});
    CHECK(b.export_json() == a.export_json());

    // Removing a group, a dial plan and a translation rule: users and gateway first.
    ok(a, {"group", "remove", "west", "--yes"});
    ok(a, {"dial-plan", "grant", "Global", "--global", "--yes"});
    ok(a, {"dial-plan", "remove", "Redmond", "--yes"});
    ok(a, {"online-pstn-gateway", "set", "sbc1.contoso.com", "--outbound-pstn-number-translation-rules", ""});
    ok(a, {"translation-rule", "remove", "StripPlus1", "--yes"});
    ok(a, {"user", "remove", "spencer@contoso.com", "--yes"});
    push = a.csctl({"push", "--yes"});
    REQUIRE_MESSAGE(push.code == 0, push.err);
    ok(b, {"pull", "--yes"});
    CHECK(b.export_json() == a.export_json());
    CHECK(a.csctl({"plan", "--detailed-exitcode"}).code == 0);
    CHECK(server.stop() == 0);
}

TEST_CASE("two clients push conflicting changes from the same revision: exactly one wins")
{
    Sandbox a, b;
    build_worked_example(a);
    auto data = a.file("server");
    auto token = make_token(a, data, "contoso", "writer", "writer.token");
    ServerProcess server(a, data);
    ok(a, {"remote", "set", server.url(), "--token-file", token});
    ok(a, {"push", "--yes"});
    fresh_clone(b, server, token);
    ok(b, {"pull", "--yes"});

    SUBCASE("one after the other") {
        ok(a, {"voice-route", "set", "Redmond 1", "--number-pattern", k_new_pattern});
        ok(b, {"voice-route", "set", "Redmond 1", "--priority", "7"});
        auto before_b = b.export_json();
        ok(a, {"push", "--yes"});
        auto loser = b.csctl({"push", "--yes"});
        CHECK(loser.code == 4);
        CHECK(loser.err.find("changed since the last push or pull") != std::string::npos);
        CHECK(b.export_json() == before_b);
        CHECK(b.csctl({"status"}).out.rfind("diverged", 0) == 0);
        Sandbox c;
        fresh_clone(c, server, token);
        ok(c, {"pull", "--yes"});
        CHECK(c.export_json() == a.export_json());
    }
    SUBCASE("at the same time") {
        ok(a, {"voice-route", "set", "Redmond 1", "--number-pattern", k_new_pattern});
        ok(b, {"voice-route", "set", "Redmond 1", "--number-pattern", R"(^\+1(425)(\d{7})$)"});
        auto pa = std::async(std::launch::async, [&] { return a.csctl({"push", "--yes"}); });
        auto pb = std::async(std::launch::async, [&] { return b.csctl({"push", "--yes"}); });
        auto ra = pa.get(), rb = pb.get();
        INFO(ra.err, rb.err);
        CHECK(((ra.code == 0 && rb.code == 4) || (ra.code == 4 && rb.code == 0)));
        const Sandbox& winner = ra.code == 0 ? a : b;
        Sandbox c;
        fresh_clone(c, server, token);
        ok(c, {"pull", "--yes"});
        CHECK(c.export_json() == winner.export_json());
    }
}

TEST_CASE("the server dies in the middle of a push: old or new revision, never a mix, a re-run completes")
{
    Sandbox a;
    build_worked_example(a);
    auto data = a.file("server");
    auto token = make_token(a, data, "contoso", "writer", "writer.token");
    auto tok = secret(token);
    int port = 0;
    std::string point;
    SUBCASE("before the commit") { point = "before-commit"; }
    SUBCASE("after the commit, before the answer") { point = "after-commit"; }
    {
        ServerProcess dying(a, data, {}, {{"CSCTL_SERVE_CRASH_POINT", point}});
        port = dying.port();
        ok(a, {"remote", "set", dying.url(), "--token-file", token});
        auto push = a.csctl({"push", "--yes"});
        CHECK(push.code == 5);
        CHECK(push.err.find("unreachable") != std::string::npos);
        CHECK(dying.wait_exit(10) == 99);
    }
    ServerProcess server(a, data, {}, {}, "127.0.0.1:" + std::to_string(port));
    auto config = http(a, "GET", server.url() + "/v1/tenants/contoso/config", tok);
    REQUIRE(config.status == 200);
    auto routes = json::parse(config.body)["onlineVoiceRoutes"];
    if (point == "before-commit") {
        CHECK(config.headers.find("ETag: \"0\"") != std::string::npos);
        CHECK(routes.empty());
    } else {
        CHECK(config.headers.find("ETag: \"1\"") != std::string::npos);
        CHECK(routes.size() == 4);
    }
    auto rerun = a.csctl({"push", "--yes"});
    REQUIRE_MESSAGE(rerun.code == 0, rerun.err);
    Sandbox c;
    fresh_clone(c, server, token);
    ok(c, {"pull", "--yes"});
    CHECK(c.export_json() == a.export_json());
    CHECK(a.csctl({"plan", "--detailed-exitcode"}).code == 0);
}

TEST_CASE("a change set retried with the same idempotency key applies once")
{
    Sandbox s;
    auto data = s.file("server");
    auto tok = secret(make_token(s, data, "contoso", "writer", "writer.token"));
    ServerProcess server(s, data);
    auto url = server.url() + "/v1/tenants/contoso/changes";
    std::string body = R"({"operations":[{"action":"update","kind":"onlinePstnUsage","identity":"Global","after":["Local"]}]})";
    auto first = http(s, "POST", url, tok, body, {"If-Match: \"0\"", "Idempotency-Key: k-1"});
    REQUIRE_MESSAGE(first.status == 200, first.body);
    CHECK(json::parse(first.body)["revision"] == 1);
    CHECK(json::parse(first.body)["replayed"] == false);
    auto again = http(s, "POST", url, tok, body, {"If-Match: \"0\"", "Idempotency-Key: k-1"});
    REQUIRE_MESSAGE(again.status == 200, again.body);
    CHECK(json::parse(again.body)["revision"] == 1);
    CHECK(json::parse(again.body)["replayed"] == true);
    auto config = http(s, "GET", server.url() + "/v1/tenants/contoso/config", tok);
    CHECK(config.headers.find("ETag: \"1\"") != std::string::npos);
    // The same key for another change set is refused, and so is a stale revision without a key.
    auto other = http(s, "POST", url, tok, R"({"operations":[]})", {"If-Match: \"1\"", "Idempotency-Key: k-1"});
    CHECK(other.status == 422);
    auto stale = http(s, "POST", url, tok, body, {"If-Match: \"0\""});
    CHECK(stale.status == 412);
    CHECK(json::parse(stale.body)["error"]["code"] == "precondition_failed");
    auto no_revision = http(s, "POST", url, tok, body);
    CHECK(no_revision.status == 428);
}

TEST_CASE("tokens: wrong token, reader role, another tenant's token, token file readable by others")
{
    Sandbox a;
    build_worked_example(a);
    auto data = a.file("server");
    auto writer = make_token(a, data, "contoso", "writer", "writer.token");
    auto reader = make_token(a, data, "contoso", "reader", "reader.token");
    auto fabrikam = make_token(a, data, "fabrikam", "writer", "fabrikam.token");
    ServerProcess server(a, data);
    ok(a, {"remote", "set", server.url(), "--token-file", writer});
    ok(a, {"push", "--yes"});
    ok(a, {"voice-route", "set", "Redmond 1", "--priority", "9"});

    SUBCASE("wrong token") {
        a.write("wrong.token", "cst_000000000000_" + std::string(48, 'a') + "\n");
        chmod(a.file("wrong.token").c_str(), 0600);
        ok(a, {"remote", "set", server.url(), "--token-file", a.file("wrong.token")});
        auto r = a.csctl({"plan"});
        CHECK(r.code == 6);
        CHECK(r.err.find("the token is not valid") != std::string::npos);
        CHECK(r.err.find("aaaaaaaa") == std::string::npos);
    }
    SUBCASE("a reader token can plan but not push") {
        ok(a, {"remote", "set", server.url(), "--token-file", reader});
        CHECK(a.csctl({"plan"}).code == 0);
        auto r = a.csctl({"push", "--yes"});
        CHECK(r.code == 6);
        CHECK(r.err.find("a reader token cannot do this") != std::string::npos);
    }
    SUBCASE("a token of another tenant gets nothing") {
        ok(a, {"remote", "set", server.url(), "--token-file", fabrikam});
        CHECK(a.csctl({"plan"}).code == 6);
        auto r = http(a, "GET", server.url() + "/v1/tenants/contoso/config", secret(fabrikam));
        CHECK(r.status == 403);
        CHECK(r.body.find("sbc1") == std::string::npos);
        r = http(a, "GET", server.url() + "/v1/tenants/contoso/voice-routes/Redmond%201", secret(fabrikam));
        CHECK(r.status == 403);
    }
    SUBCASE("CSCTL_TOKEN overrides the file; a token file others can read is refused") {
        chmod(writer.c_str(), 0644);
        auto r = a.csctl({"plan"});
        CHECK(r.code == 2);
        CHECK(r.err.find("chmod 600") != std::string::npos);
        a.env["CSCTL_TOKEN"] = secret(writer);
        CHECK(a.csctl({"plan"}).code == 0);
        auto show = a.csctl({"remote", "show", "-o", "json"});
        CHECK(show.out.find(secret(writer)) == std::string::npos);
    }
    SUBCASE("the token from the config file, refused when others can read it, never printed") {
        ok(a, {"remote", "set", server.url()});
        auto none = a.csctl({"plan"});
        CHECK(none.code == 6);
        CHECK(none.err.find("token: …") != std::string::npos);
        auto config = a.file("config") + "/csctl/config.yaml";
        std::filesystem::create_directories(a.file("config") + "/csctl");
        std::ofstream(config, std::ios::app) << "token: " << secret(writer) << "\n";
        chmod(config.c_str(), 0644);
        auto r = a.csctl({"plan"});
        CHECK(r.code == 2);
        CHECK(r.err.find("config file \"" + config + "\" can be read by other users (mode 0644)") != std::string::npos);
        CHECK(r.err.find(secret(writer)) == std::string::npos);
        chmod(config.c_str(), 0600);
        r = a.csctl({"push", "--yes"});
        CHECK_MESSAGE(r.code == 0, r.err);
        CHECK(r.out.find(secret(writer)) == std::string::npos);
        CHECK(r.err.find(secret(writer)) == std::string::npos);
        auto show = a.csctl({"remote", "show", "-o", "json"});
        CHECK(show.out.find(secret(writer)) == std::string::npos);
        // csctl rewriting the config file (another setting) keeps it private.
        ok(a, {"tenant", "init", "other"});
        ok(a, {"tenant", "use", "other"});
        struct stat st {};
        REQUIRE(stat(config.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        ok(a, {"tenant", "use", "contoso"});
        // A token file, when set, wins over the config file.
        ok(a, {"remote", "set", server.url(), "--token-file", reader});
        CHECK(a.csctl({"push", "--yes"}).code != 6);
        ok(a, {"voice-route", "set", "Redmond 1", "--priority", "8"});
        CHECK(a.csctl({"push", "--yes"}).code == 6);
    }
}

TEST_CASE("malformed, invalid and oversized requests are refused and the server keeps serving")
{
    Sandbox s;
    auto data = s.file("server");
    auto tok = secret(make_token(s, data, "contoso", "writer", "writer.token"));
    ServerProcess server(s, data, {"--max-body-kib", "4"});
    auto url = server.url() + "/v1/tenants/contoso/changes";
    auto before = http(s, "GET", server.url() + "/v1/tenants/contoso/config", tok).body;

    auto malformed = http(s, "POST", url, tok, "{\"operations\": [", {"If-Match: \"0\""});
    CHECK(malformed.status == 400);
    CHECK(json::parse(malformed.body)["error"]["message"].get<std::string>().find("not valid JSON") != std::string::npos);

    auto oversized = http(s, "POST", url, tok, std::string(8192, ' ') + "{}", {"If-Match: \"0\""});
    CHECK(oversized.status == 413);

    auto invalid = http(s, "POST", url, tok,
                        R"({"operations":[{"action":"create","kind":"onlineVoiceRoute","identity":"R",
                            "after":{"numberPattern":".*","onlinePstnGatewayList":["nowhere.contoso.com"]}}]})",
                        {"If-Match: \"0\""});
    CHECK(invalid.status == 422);
    auto error = json::parse(invalid.body)["error"];
    CHECK(error["target"]["identity"] == "R");
    CHECK(error["message"].get<std::string>().find("nowhere.contoso.com") != std::string::npos);

    auto unknown_kind = http(s, "POST", url, tok, R"({"operations":[{"action":"create","kind":"x","identity":"R","after":{}}]})",
                             {"If-Match: \"0\""});
    CHECK(unknown_kind.status == 400);

    // Bodies a parser might read more than one way, or not at all: 400 with a JSON error, never a
    // 500 and never a guess.
    auto refused = [&](const std::string& body, int status, const std::string& words) {
        INFO(body);
        auto r = http(s, "POST", url, tok, body, {"If-Match: \"0\""});
        CHECK(r.status == status);
        CHECK(json::parse(r.body)["error"]["message"].get<std::string>().find(words) != std::string::npos);
    };
    refused(R"({"operations":[{"action":"delete","kind":"onlinePstnGateway","identity":"a"}],"operations":[]})", 400,
            "the key \"operations\" twice");
    refused(R"({"operations":[{"action":"create","action":"delete","kind":"onlinePstnGateway","identity":"a","after":{}}]})",
            400, "the key \"action\" twice");
    refused(R"({"operations":[{"action":"create","kind":"onlinePstnGateway","identity":"g.contoso.com",
               "after":{"sipSignalingPort":5061,"sipSignalingPort":5062}}]})", 400, "the key \"sipSignalingPort\" twice");
    refused(R"({"operations":[{"action":"create","kind":"user","identity":"a@contoso.com",
               "after":{"displayName":"A","displayName":"B"}}]})", 400, "the key \"displayName\" twice");
    refused(R"({"operations":[{"action":"create","kind":"onlinePstnGateway","identity":"g.contoso.com",
               "after":{"sipSignalingPort":1e400}}]})", 400, "not valid JSON");
    refused("{\"operations\":[{\"action\":\"delete\",\"kind\":\"onlinePstnGateway\",\"identity\":\"x\xff\"}]}", 400,
            "not valid JSON");
    // Numbers are never cut to fit, and an object is written under the identity it is given as.
    refused(R"({"operations":[{"action":"create","kind":"onlinePstnGateway","identity":"g.contoso.com",
               "after":{"sipSignalingPort":4294972357}}]})", 422, "4294972357 is out of range");
    refused(R"({"operations":[{"action":"create","kind":"onlinePstnGateway","identity":"g3.contoso.com",
               "after":{"identity":"g2.contoso.com","fqdn":"g2.contoso.com","sipSignalingPort":5061}}]})", 422,
            "identity \"g2.contoso.com\" differs from the identity it is given as");
    refused(R"({"operations":[{"action":"create","kind":"user","identity":"u3@contoso.com",
               "after":{"userPrincipalName":"u4@contoso.com"}}]})", 422, "userPrincipalName \"u4@contoso.com\" differs");

    // A push larger than the server accepts says where the limit is set; nothing is pushed.
    Sandbox admin;
    build_worked_example(admin);
    ok(admin, {"remote", "set", server.url(), "--token-file", s.file("writer.token")});
    auto big = admin.csctl({"push", "--yes"});
    CHECK(big.code == 5);
    CHECK(big.err.find("larger than the server accepts: nothing was pushed") != std::string::npos);
    CHECK(big.err.find("--max-body-kib") != std::string::npos);

    CHECK(http(s, "GET", server.url() + "/healthz", "").status == 200);
    CHECK(http(s, "GET", server.url() + "/v1/tenants/contoso/config", tok).body == before);
    CHECK(http(s, "GET", server.url() + "/v1/tenants/contoso/config", "").status == 401);
    CHECK(http(s, "GET", server.url() + "/nowhere", tok).status == 404);
}

TEST_CASE("the access log: one JSON line per request, token ids never secrets, no made-up durations")
{
    Sandbox s;
    auto data = s.file("server");
    auto tok = secret(make_token(s, data, "contoso", "reader", "reader.token"));
    auto log = s.file("access.log");
    {
        ServerProcess server(s, data, {"--access-log", log});
        CHECK(http(s, "GET", server.url() + "/v1/tenants/contoso/config", tok).status == 200);
        // Refused by the HTTP library before any handler: a header line over its limit.
        CHECK(http(s, "GET", server.url() + "/healthz", "", "", {"X-Big: " + std::string(20000, 'x')}).status == 400);
    }
    std::ifstream in(log);
    std::vector<json> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(json::parse(line));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["status"] == 200);
    CHECK(lines[0]["path"] == "/v1/tenants/contoso/config");
    CHECK(lines[0]["durationMs"].get<double>() < 10000);
    CHECK(lines[0]["token"].is_string());
    CHECK(slurp(log).find(tok) == std::string::npos);
    CHECK(lines[1]["status"] == 400);
    CHECK(lines[1]["durationMs"].is_null());
}

TEST_CASE("SIGTERM stops the server at once, even while a client keeps its keep-alive connection busy")
{
    Sandbox s;
    auto data = s.file("server");
    make_token(s, data, "contoso", "reader", "reader.token");
    ServerProcess server(s, data);
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    timeval limit{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(server.port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    // One GET /healthz on the connection; false when the server has closed it.
    auto ask = [&] {
        std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
            return false;
        std::string answer;
        char buffer[4096];
        while (true) {
            auto end = answer.find("\r\n\r\n");
            if (end != std::string::npos) {
                auto length_at = answer.find("Content-Length: ");
                auto length = length_at == std::string::npos ? 0 : std::stoul(answer.substr(length_at + 16));
                if (answer.size() >= end + 4 + length)
                    return answer.starts_with("HTTP/1.1 200");
            }
            auto got = ::recv(fd, buffer, sizeof buffer, 0);
            if (got <= 0)
                return false;
            answer.append(buffer, static_cast<std::size_t>(got));
        }
    };
    REQUIRE(ask());
    // The client goes on asking on the same connection (keep-alive lasts 60 s by default): after
    // SIGTERM the server closes it and exits instead of serving it until the client stops.
    ::kill(server.pid(), SIGTERM);
    int answered = 0;
    while (answered < 100 && ask()) {
        ++answered;
        ::usleep(100 * 1000);
    }
    CHECK(answered < 100);
    CHECK(server.wait_exit(10) == 0);
    ::close(fd);
}

TEST_CASE("pull refuses to drop unpushed local changes unless forced, and is undoable")
{
    Sandbox a, b;
    build_worked_example(a);
    auto data = a.file("server");
    auto token = make_token(a, data, "contoso", "writer", "writer.token");
    ServerProcess server(a, data);
    ok(a, {"remote", "set", server.url(), "--token-file", token});
    ok(a, {"push", "--yes"});
    fresh_clone(b, server, token);
    ok(b, {"usage", "add", "Emergency"});
    auto before = b.export_json();
    auto refused = b.csctl({"pull", "--yes"});
    CHECK(refused.code == 4);
    CHECK(refused.err.find("--force") != std::string::npos);
    CHECK(b.export_json() == before);
    ok(b, {"pull", "--yes", "--force"});
    CHECK(b.export_json() == a.export_json());
    ok(b, {"undo"});
    CHECK(b.export_json() == before);
}

TEST_CASE("TLS: the client trusts the server through --cacert and refuses an untrusted certificate")
{
    Sandbox s;
    build_worked_example(s);
    auto run_ok = [&](const std::vector<std::string>& argv) {
        auto r = s.run(argv);
        REQUIRE_MESSAGE(r.code == 0, r.err);
    };
    run_ok({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=csctl test CA",
            "-keyout", s.file("ca.key"), "-out", s.file("ca.pem")});
    run_ok({"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", s.file("server.key"),
            "-out", s.file("server.csr")});
    s.write("san.ext", "subjectAltName=IP:127.0.0.1\n");
    run_ok({"openssl", "x509", "-req", "-in", s.file("server.csr"), "-CA", s.file("ca.pem"), "-CAkey", s.file("ca.key"),
            "-CAcreateserial", "-days", "2", "-extfile", s.file("san.ext"), "-out", s.file("server.pem")});
    auto data = s.file("server");
    auto token = make_token(s, data, "contoso", "writer", "writer.token");
    ServerProcess server(s, data, {"--tls-cert", s.file("server.pem"), "--tls-key", s.file("server.key")});
    REQUIRE(server.url().rfind("https://", 0) == 0);

    ok(s, {"remote", "set", server.url(), "--token-file", token});
    auto untrusted = s.csctl({"plan"});
    CHECK(untrusted.code == 5);
    CHECK(untrusted.err.find("TLS") != std::string::npos);
    CHECK(untrusted.err.find("--cacert") != std::string::npos);

    ok(s, {"remote", "set", server.url(), "--token-file", token, "--cacert", s.file("ca.pem")});
    auto push = s.csctl({"push", "--yes"});
    CHECK_MESSAGE(push.code == 0, push.err);
    CHECK(s.csctl({"plan", "--detailed-exitcode"}).code == 0);
}

TEST_CASE("serve token list shows ids, never secrets, revoke ends a token")
{
    Sandbox s;
    auto data = s.file("server");
    auto token = make_token(s, data, "contoso", "writer", "writer.token");
    auto list = s.csctl({"serve", "token", "list", "--data", data, "-o", "json"});
    REQUIRE(list.code == 0);
    auto tokens = json::parse(list.out);
    REQUIRE(tokens.size() == 1);
    CHECK(list.out.find(secret(token)) == std::string::npos);
    CHECK(secret(token).find(tokens[0]["id"].get<std::string>()) != std::string::npos);
    ServerProcess server(s, data);
    CHECK(http(s, "GET", server.url() + "/v1/tenants/contoso/config", secret(token)).status == 200);
    ok(s, {"serve", "token", "revoke", tokens[0]["id"].get<std::string>(), "--data", data});
    CHECK(http(s, "GET", server.url() + "/v1/tenants/contoso/config", secret(token)).status == 401);
    CHECK(s.csctl({"serve", "token", "revoke", "nope", "--data", data}).code == 3);
    CHECK(s.csctl({"serve", "token", "create", "--data", data, "--tenant", "contoso", "--role", "admin"}).code == 2);
}

namespace {

std::string query_encode(const std::string& text)
{
    static const char* k_hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '@' || c == ',')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        }
    }
    return out;
}

// The rtjson routes a decision of `route test -o json` stands for: every gateway to try, in order.
json expected_rtjson(const json& decision)
{
    json routes = json::array();
    for (const auto& r : decision["routes"])
        for (const auto& g : r["gateways"])
            if (g["state"] == "candidate" || g["state"] == "demoted")
                routes.push_back({{"uri", "sip:" + g["calledNumber"].get<std::string>() + "@" +
                                              g["fqdn"].get<std::string>() + ":5061"},
                                  {"dst_uri", "sip:" + g["fqdn"].get<std::string>() + ":5061"}});
    return routes;
}

}  // namespace

TEST_CASE("the route query answers every row of the worked example as `route test` does, in JSON and rtjson")
{
    Sandbox s;
    build_worked_example(s);
    ok(s, {"user", "add", "spencer@contoso.com", "--license", "PhoneSystem"});
    ok(s, {"user-enable", "spencer@contoso.com", "--number", "+14255550111"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "spencer@contoso.com"});
    ok(s, {"user", "add", "carol@contoso.com", "--license", "PhoneSystem", "--license", "CallingPlan"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "carol@contoso.com"});
    ok(s, {"user", "add", "john@contoso.com", "--license", "PhoneSystem", "--sip-address", "sip:jd@contoso.com"});
    ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--user", "john@contoso.com"});
    ok(s, {"translation-rule", "new", "StripPlus1", "--pattern", R"(^\+1(\d{10})$)", "--translation", "$1"});
    ok(s, {"online-pstn-gateway", "set", "sbc3.contoso.com", "--outbound-pstn-number-translation-rules", "StripPlus1"});
    ok(s, {"blocked-number", "new", "BlockRange1", "--pattern", R"(^\+?1312555\d{4}$)"});
    auto data = s.file("server");
    auto writer = make_token(s, data, "contoso", "writer", "writer.token");
    auto router = secret(make_token(s, data, "contoso", "router", "router.token"));
    auto reader = secret(make_token(s, data, "contoso", "reader", "reader.token"));
    ServerProcess server(s, data);
    ok(s, {"remote", "set", server.url(), "--token-file", writer});
    ok(s, {"push", "--yes"});

    const std::string down14 = "sbc1.contoso.com,sbc2.contoso.com,sbc3.contoso.com,sbc4.contoso.com";
    struct Row {
        std::string from, to, unavailable, ingress, cli_user;
    };
    const std::vector<Row> rows{
        {"spencer@contoso.com", "+1 425 555 0100", "", "", ""},
        {"spencer@contoso.com", "+14255550100", "sbc1.contoso.com,sbc2.contoso.com", "", ""},
        {"spencer@contoso.com", "+14255550100", down14, "", ""},
        {"spencer@contoso.com", "+14255550100", down14 + ",sbc5.contoso.com,sbc6.contoso.com", "", ""},
        {"spencer@contoso.com", "+13245678989", "", "", ""},
        {"spencer@contoso.com", "+13245678989", "sbc5.contoso.com,sbc6.contoso.com", "", ""},
        {"spencer@contoso.com", "+442079460000", "", "", ""},
        {"carol@contoso.com", "+442079460000", "", "", ""},
        {"john@contoso.com", "+14255550100", "", "", ""},
        {"john@contoso.com", "+442079460000", "", "", ""},
        {"spencer@contoso.com", "+13245678989", "", "sbc5.contoso.com", ""},
        // The caller found by SIP address and by phone number.
        {"sip:JD@contoso.com", "+442079460000", "", "", "john@contoso.com"},
        {"+14255550111", "+14255550100", "", "", "spencer@contoso.com"},
    };
    auto check_rows = [&] {
        for (const auto& row : rows) {
            INFO(row.from << " -> " << row.to << " unavailable " << row.unavailable << " ingress " << row.ingress);
            std::vector<std::string> args{"route", "test", "--user", row.cli_user.empty() ? row.from : row.cli_user,
                                          "--number", row.to, "--seed", "42", "-o", "json"};
            std::string query = "from=" + query_encode(row.from) + "&to=" + query_encode(row.to) + "&seed=42";
            if (!row.unavailable.empty()) {
                args.insert(args.end(), {"--unavailable", row.unavailable});
                query += "&unavailable=" + row.unavailable;
            }
            if (!row.ingress.empty()) {
                args.insert(args.end(), {"--ingress", row.ingress});
                query += "&ingress=" + row.ingress;
            }
            auto cli = s.csctl(args);
            REQUIRE_MESSAGE(cli.code == 0, cli.err);
            auto expected = json::parse(cli.out);
            auto answer = http(s, "GET", server.url() + "/v1/tenants/contoso/route?" + query, router);
            REQUIRE_MESSAGE(answer.status == 200, answer.body);
            CHECK(json::parse(answer.body) == expected);
            auto rt = http(s, "GET", server.url() + "/v1/tenants/contoso/route?" + query + "&format=rtjson", router);
            REQUIRE_MESSAGE(rt.status == 200, rt.body);
            auto doc = json::parse(rt.body);
            CHECK(doc["version"] == "1.0");
            CHECK(doc["routing"] == "serial");
            CHECK(doc["outcome"] == expected["outcome"]);
            CHECK(doc["routes"] == expected_rtjson(expected));
        }
    };
    check_rows();

    SUBCASE("the translated Request-URI of a gateway with outbound rules; a new revision is answered at once") {
        auto rt = json::parse(http(s, "GET", server.url() +
                                                 "/v1/tenants/contoso/route?from=spencer%40contoso.com&to=%2B14255550100"
                                                 "&seed=1&unavailable=sbc1.contoso.com,sbc2.contoso.com&format=rtjson",
                                   router).body);
        REQUIRE(rt["routes"].size() >= 2);
        auto first = rt["routes"][0]["dst_uri"] == "sip:sbc3.contoso.com:5061" ? rt["routes"][0] : rt["routes"][1];
        CHECK(first["uri"] == "sip:4255550100@sbc3.contoso.com:5061");
        ok(s, {"voice-routing-policy", "set", "No Restrictions", "--usages", "International,US and Canada"});
        ok(s, {"push", "--yes"});
        check_rows();
        auto r = json::parse(
            http(s, "GET", server.url() + "/v1/tenants/contoso/route?from=john%40contoso.com&to=%2B14255550100", router).body);
        CHECK(r["usage"] == "International");
    }
    SUBCASE("the inbound query answers as `route inbound`") {
        for (const auto& [called, calling] : std::vector<std::pair<std::string, std::string>>{
                 {"+14255550111", "+12065550100"}, {"+14255550111", "+13125550199"}, {"+14255550999", "+12065550100"}}) {
            auto cli = s.csctl({"route", "inbound", "--gateway", "sbc1.contoso.com", "--called", called, "--calling",
                                calling, "-o", "json"});
            REQUIRE_MESSAGE(cli.code == 0, cli.err);
            auto answer = http(s, "GET", server.url() + "/v1/tenants/contoso/inbound?gateway=SBC1.contoso.com&called=" +
                                             query_encode(called) + "&calling=" + query_encode(calling),
                               router);
            REQUIRE_MESSAGE(answer.status == 200, answer.body);
            CHECK(json::parse(answer.body) == json::parse(cli.out));
        }
    }
    SUBCASE("wrong questions get 400/403/404 and the server keeps serving") {
        auto route = server.url() + "/v1/tenants/contoso/route?";
        CHECK(http(s, "GET", route + "from=spencer%40contoso.com&to=%2B14255550100", reader).status == 403);
        auto missing = http(s, "GET", route + "from=nobody%40contoso.com&to=%2B14255550100", router);
        CHECK(missing.status == 404);
        CHECK(json::parse(missing.body)["error"]["message"] ==
              "from: user \"nobody@contoso.com\" does not exist in this tenant");
        CHECK(http(s, "GET", route + "from=spencer%40contoso.com&to=abc", router).status == 400);
        CHECK(http(s, "GET", route + "from=spencer%40contoso.com", router).status == 400);
        CHECK(http(s, "GET", route + "to=1&format=xml", router).status == 400);
        CHECK(http(s, "GET", route + "to=1&unavailable=nope.contoso.com", router).status == 400);
        CHECK(http(s, "GET", route + "to=1&seed=x", router).status == 400);
        CHECK(http(s, "GET", server.url() + "/v1/tenants/contoso/inbound?gateway=nope.contoso.com&called=1&calling=2",
                   router).status == 404);
        CHECK(http(s, "GET", server.url() + "/v1/tenants/contoso/inbound?gateway=sbc1.contoso.com", router).status == 400);
        CHECK(http(s, "GET", server.url() + "/healthz", "").status == 200);
    }
    CHECK(server.stop() == 0);
}
