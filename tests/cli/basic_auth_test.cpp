// The token as the password of HTTP Basic: what Kamailio's http_client connections send (they
// cannot send a bearer header). Same checks as a bearer token, nothing more.
#include "tests/support/process.hpp"
#include "tests/support/server.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace csctl::test;

namespace {

std::string token_text(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string basic(const Sandbox& s, const std::string& credentials)
{
    auto r = s.run({"sh", "-c", "printf %s \"$0\" | base64 -w0", credentials});
    REQUIRE(r.code == 0);
    return "Authorization: Basic " + r.out;
}

}  // namespace

TEST_CASE("a token sent as the HTTP Basic password is checked like a bearer token")
{
    Sandbox a;
    build_worked_example(a);
    auto data = a.file("server");
    auto writer = make_token(a, data, "contoso", "writer", "writer.token");
    auto router = make_token(a, data, "contoso", "router", "router.token");
    auto fabrikam = make_token(a, data, "fabrikam", "reader", "fabrikam.token");
    ServerProcess server(a, data);
    REQUIRE(a.csctl({"remote", "set", server.url(), "--token-file", writer}).code == 0);
    REQUIRE(a.csctl({"push", "--yes"}).code == 0);
    auto config = server.url() + "/v1/tenants/contoso/config";

    auto r = http(a, "GET", config, "", {}, {basic(a, "router:" + token_text(writer))});
    CHECK(r.status == 200);
    CHECK(r.body.find("sbc1.contoso.com") != std::string::npos);
    // Any user name; the password is the token.
    CHECK(http(a, "GET", config, "", {}, {basic(a, ":" + token_text(writer))}).status == 200);
    // A router token cannot read the configuration, Basic or not.
    CHECK(http(a, "GET", config, "", {}, {basic(a, "router:" + token_text(router))}).status == 403);
    CHECK(http(a, "GET", config, "", {}, {basic(a, "router:" + token_text(fabrikam))}).status == 403);
    r = http(a, "GET", config, "", {}, {basic(a, "router:cst_000000000000_" + std::string(48, 'a'))});
    CHECK(r.status == 401);
    CHECK(r.body.find("the token is not valid") != std::string::npos);
    // No password, not base64, or the token as the user name: no token.
    CHECK(http(a, "GET", config, "", {}, {basic(a, token_text(writer))}).status == 401);
    CHECK(http(a, "GET", config, "", {}, {"Authorization: Basic %%%%"}).status == 401);
    CHECK(http(a, "GET", config, "", {}, {basic(a, token_text(writer) + ":")}).status == 401);
    // Scheme names are case-insensitive.
    CHECK(http(a, "GET", config, "", {}, {"Authorization: bearer " + token_text(writer)}).status == 200);
    auto lower = basic(a, "router:" + token_text(writer));
    lower.replace(lower.find("Basic"), 5, "BASIC");
    CHECK(http(a, "GET", config, "", {}, {lower}).status == 200);
    CHECK(server.stop() == 0);
}
