// The server's tokens (server/server_store): authenticate answers from memory, and a token created
// or revoked through another connection to server.db (as `csctl serve token` does from another
// process) counts from the next request.
#include "server/server_store.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace csctl::server;

namespace {

struct TempDataDir {
    std::string dir;
    TempDataDir()
    {
        char tmpl[] = "/tmp/csctl-unit-serve-XXXXXX";
        dir = mkdtemp(tmpl);
    }
    ~TempDataDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

}  // namespace

TEST_CASE("authenticate: the token's tenant and role, wrong, mistyped and revoked tokens are refused")
{
    TempDataDir data;
    ServerStore server(data.dir);   // the serving process
    ServerStore command(data.dir);  // `csctl serve token …` beside it
    auto secret = command.create_token("contoso", Role::router);

    auto token = server.authenticate(secret);
    REQUIRE(token);
    CHECK(token->tenant == "contoso");
    CHECK(token->role == Role::router);
    CHECK(secret.find(token->id) != std::string::npos);
    CHECK(server.authenticate(secret));  // answered again from memory

    auto mistyped = secret;
    mistyped.back() = mistyped.back() == 'a' ? 'b' : 'a';
    CHECK_FALSE(server.authenticate(mistyped));
    CHECK_FALSE(server.authenticate(""));
    CHECK_FALSE(server.authenticate("cst_"));
    CHECK_FALSE(server.authenticate("cst_" + token->id));
    CHECK_FALSE(server.authenticate("cst_nosuchid_" + std::string(48, '0')));

    SUBCASE("a token created by another connection is known at once") {
        auto second = command.create_token("fabrikam", Role::reader);
        auto found = server.authenticate(second);
        REQUIRE(found);
        CHECK(found->tenant == "fabrikam");
        CHECK(found->role == Role::reader);
        CHECK(server.authenticate(secret));
    }
    SUBCASE("a token revoked by another connection is refused from the next request") {
        command.revoke_token(token->id);
        CHECK_FALSE(server.authenticate(secret));
        CHECK_FALSE(command.authenticate(secret));
    }
    SUBCASE("a token revoked through the serving connection itself is refused too") {
        server.revoke_token(token->id);
        CHECK_FALSE(server.authenticate(secret));
    }
}
