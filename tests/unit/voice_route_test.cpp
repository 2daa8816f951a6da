#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/usage.hpp"
#include "core/voice_route.hpp"
#include "tests/unit/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace csctl;
using namespace csctl::test;

namespace {

void seed(TempTenant& t)
{
    t.change([](TenantStore& s) {
        Notes n;
        for (int i = 1; i <= 3; ++i)
            new_gateway(s, "sbc" + std::to_string(i) + ".contoso.com", edit_of({{"sipSignalingPort", 5061}, {"enabled", true}}), n);
        add_usages(s, {"US and Canada", "International"});
    });
}

std::vector<std::pair<std::string, int>> order(TempTenant& t)
{
    std::vector<std::pair<std::string, int>> out;
    for (const auto& r : t.store->routes())
        out.emplace_back(r.identity, r.priority);
    return out;
}

VoiceRoute add_route(TempTenant& t, const std::string& name, std::optional<int> priority)
{
    VoiceRoute created;
    t.change([&](TenantStore& s) {
        Notes n;
        Json set{{"onlinePstnUsages", {"US and Canada"}}, {"onlinePstnGatewayList", {"sbc1.contoso.com"}}};
        if (priority)
            set["priority"] = *priority;
        created = new_route(s, name, edit_of(set), n);
    });
    return created;
}

}  // namespace

TEST_CASE("voice route priorities: omitted appends, taken inserts and shifts, remove leaves gaps")
{
    TempTenant t;
    seed(t);
    SUBCASE("the first route gets 1, later ones max + 1") {
        CHECK(add_route(t, "A", std::nullopt).priority == 1);
        CHECK(add_route(t, "B", std::nullopt).priority == 2);
        CHECK(add_route(t, "C", 10).priority == 10);
        CHECK(add_route(t, "D", std::nullopt).priority == 11);
    }
    SUBCASE("inserting at a taken priority shifts the holder and everything above it") {
        add_route(t, "A", 1);
        add_route(t, "B", 2);
        add_route(t, "C", 3);
        auto result = t.change([&](TenantStore& s) {
            Notes n;
            new_route(s, "New", edit_of({{"priority", 2}, {"onlinePstnUsages", {"US and Canada"}}}), n);
        });
        CHECK(order(t) == std::vector<std::pair<std::string, int>>{{"A", 1}, {"New", 2}, {"B", 3}, {"C", 4}});
        CHECK(result.items.size() == 3);  // two shifted routes and the new one, all journaled
    }
    SUBCASE("a free priority shifts nothing") {
        add_route(t, "A", 1);
        add_route(t, "B", 5);
        add_route(t, "C", 3);
        CHECK(order(t) == std::vector<std::pair<std::string, int>>{{"A", 1}, {"C", 3}, {"B", 5}});
    }
    SUBCASE("moving a route up inserts it before the holder") {
        add_route(t, "A", 1);
        add_route(t, "B", 2);
        add_route(t, "C", 3);
        t.change([&](TenantStore& s) {
            Notes n;
            set_route(s, "c", edit_of({{"priority", 1}}), n);
        });
        CHECK(order(t) == std::vector<std::pair<std::string, int>>{{"C", 1}, {"A", 2}, {"B", 3}});
    }
    SUBCASE("moving a route down") {
        add_route(t, "A", 1);
        add_route(t, "B", 2);
        add_route(t, "C", 3);
        t.change([&](TenantStore& s) {
            Notes n;
            set_route(s, "A", edit_of({{"priority", 3}}), n);
        });
        CHECK(order(t) == std::vector<std::pair<std::string, int>>{{"B", 2}, {"A", 3}, {"C", 4}});
    }
    SUBCASE("removing leaves the other numbers unchanged") {
        add_route(t, "A", 1);
        add_route(t, "B", 2);
        add_route(t, "C", 3);
        t.change([&](TenantStore& s) { remove_route(s, "B"); });
        CHECK(order(t) == std::vector<std::pair<std::string, int>>{{"A", 1}, {"C", 3}});
    }
    SUBCASE("a negative priority is refused") {
        CHECK_THROWS_WITH_AS(add_route(t, "A", -1), "voice route \"A\": Priority -1 must be 0 or more", Error);
        CHECK(t.store->routes().empty());
    }
}

TEST_CASE("voice route list modifiers")
{
    TempTenant t;
    seed(t);
    add_route(t, "R", 1);
    auto edit = [&](Edit e) {
        VoiceRoute out;
        t.change([&](TenantStore& s) {
            Notes n;
            out = set_route(s, "R", e, n);
        });
        return out;
    };
    SUBCASE("add appends in order and ignores an item already there, in any case") {
        Edit e;
        e.add["onlinePstnGatewayList"] = {"SBC3.contoso.com", "sbc1.CONTOSO.com", "sbc2.contoso.com"};
        auto r = edit(e);
        CHECK(r.online_pstn_gateway_list ==
              std::vector<std::string>{"sbc1.contoso.com", "sbc3.contoso.com", "sbc2.contoso.com"});
    }
    SUBCASE("remove takes the item out, matched case-insensitively") {
        Edit e;
        e.remove["onlinePstnUsages"] = {"us and canada"};
        CHECK(edit(e).online_pstn_usages.empty());
    }
    SUBCASE("removing an item that is not in the list names it") {
        Edit e;
        e.remove["onlinePstnUsages"] = {"International"};
        CHECK_THROWS_WITH_AS(edit(e),
                             "voice route \"R\": OnlinePstnUsages does not contain \"International\" (it has \"US and Canada\")",
                             Error);
    }
    SUBCASE("adding a gateway that does not exist is refused") {
        Edit e;
        e.add["onlinePstnGatewayList"] = {"sbc9.contoso.com"};
        CHECK_THROWS_AS(edit(e), Error);
        CHECK(t.store->find_route("R")->online_pstn_gateway_list == std::vector<std::string>{"sbc1.contoso.com"});
    }
    SUBCASE("whole-list set replaces, keeping the stored spelling of names") {
        auto r = edit(edit_of({{"onlinePstnUsages", {"international", "US AND CANADA"}}}));
        CHECK(r.online_pstn_usages == std::vector<std::string>{"International", "US and Canada"});
    }
}

TEST_CASE("voice route validation names the route and the field")
{
    TempTenant t;
    seed(t);
    auto attempt = [&](Json set) {
        t.change([&](TenantStore& s) {
            Notes n;
            new_route(s, "Bad", edit_of(set), n);
        });
    };
    SUBCASE("a pattern that does not compile shows the position") {
        CHECK_THROWS_WITH_AS(attempt({{"numberPattern", "^\\+1(425"}}),
                             "voice route \"Bad\": NumberPattern \"^\\+1(425\" does not compile at position 9: missing "
                             "closing parenthesis\n  ^\\+1(425\n          ^",
                             Error);
    }
    SUBCASE("a missing usage lists the usages") {
        CHECK_THROWS_WITH_AS(attempt({{"onlinePstnUsages", {"US and Canda"}}}),
                             "voice route \"Bad\": usage \"US and Canda\" does not exist (usages: \"US and Canada\", "
                             "\"International\")",
                             Error);
    }
    SUBCASE("a missing gateway") {
        CHECK_THROWS_AS(attempt({{"onlinePstnGatewayList", {"nope.contoso.com"}}}), Error);
    }
    SUBCASE("duplicates in a list") {
        CHECK_THROWS_WITH_AS(attempt({{"onlinePstnGatewayList", {"sbc1.contoso.com", "SBC1.contoso.com"}}}),
                             "voice route \"Bad\": OnlinePstnGatewayList lists \"sbc1.contoso.com\" twice", Error);
    }
    SUBCASE("bridge number excludes gateways and must be E.164") {
        CHECK_THROWS_AS(attempt({{"bridgeSourcePhoneNumber", "4255550100"}}), Error);
        CHECK_THROWS_AS(attempt({{"bridgeSourcePhoneNumber", "+14255550100"}, {"onlinePstnGatewayList", {"sbc1.contoso.com"}}}),
                        Error);
    }
    SUBCASE("duplicate identity in another case is a conflict") {
        add_route(t, "Redmond 1", 1);
        try {
            add_route(t, "REDMOND 1", 2);
            FAIL("expected a conflict");
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::conflict);
        }
    }
    CHECK(t.store->routes().size() <= 1);
}

TEST_CASE("identities are found in any case and keep their spelling")
{
    TempTenant t;
    seed(t);
    add_route(t, "Redmond 1", 1);
    CHECK(t.store->find_route("REDMOND 1")->identity == "Redmond 1");
    CHECK(t.store->find_gateway("SBC1.Contoso.Com")->fqdn == "sbc1.contoso.com");
    CHECK(t.store->routes_using_usage("us and canada") == std::vector<std::string>{"Redmond 1"});
}
