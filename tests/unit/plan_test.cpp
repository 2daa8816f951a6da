#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/plan.hpp"
#include "core/usage.hpp"
#include "core/voice_route.hpp"
#include "core/voice_routing_policy.hpp"
#include "tests/unit/store_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace csctl;
using namespace csctl::test;

namespace {

void build(TempTenant& t)
{
    t.change([](TenantStore& s) {
        Notes n;
        new_gateway(s, "sbc1.contoso.com", edit_of({{"sipSignalingPort", 5061}, {"enabled", true}}), n);
        new_gateway(s, "sbc2.contoso.com", edit_of({{"sipSignalingPort", 5061}}), n);
        add_usages(s, {"US and Canada", "International"});
        new_route(s, "Redmond 1",
                  edit_of({{"numberPattern", "^\\+1425"}, {"onlinePstnUsages", {"US and Canada"}},
                           {"onlinePstnGatewayList", {"sbc1.contoso.com"}}}),
                  n);
        new_route(s, "International",
                  edit_of({{"numberPattern", ".*"}, {"onlinePstnUsages", {"International"}},
                           {"onlinePstnGatewayList", {"sbc2.contoso.com", "sbc1.contoso.com"}}}),
                  n);
        new_policy(s, "US Only", edit_of({{"onlinePstnUsages", {"US and Canada"}}}));
    });
}

Json doc(TempTenant& t) { return to_json(t.store->document()); }

std::vector<std::string> summary(const std::vector<PlanOp>& ops)
{
    std::vector<std::string> out;
    for (const auto& op : ops)
        out.push_back(op.action + " " + op.kind + " " + op.identity);
    return out;
}

// The place of one operation in ops (fails the test when it is missing).
long where_in(const std::vector<PlanOp>& ops, const std::string& line)
{
    auto all = summary(ops);
    auto it = std::find(all.begin(), all.end(), line);
    INFO(line);
    REQUIRE(it != all.end());
    return it - all.begin();
}

}  // namespace

TEST_CASE("a plan creates in dependency order and applying it makes the documents equal")
{
    TempTenant from(std::vector<std::string>{}), to;
    build(to);
    auto ops = make_plan(doc(from), doc(to));
    CHECK(summary(ops) == std::vector<std::string>{
                              "update tenant contoso",
                              "update onlinePstnUsage Global",
                              "create onlinePstnGateway sbc1.contoso.com",
                              "create onlinePstnGateway sbc2.contoso.com",
                              "create onlineVoiceRoute Redmond 1",
                              "create onlineVoiceRoute International",
                              "create onlineVoiceRoutingPolicy Tag:US Only",
                          });
    from.change([&](TenantStore& s) {
        Notes n;
        apply_plan(s, ops, n);
    });
    CHECK(make_plan(doc(from), doc(to)).empty());
    CHECK(doc(from) == doc(to));

    SUBCASE("and the reverse plan deletes in the reverse order") {
        TempTenant empty(std::vector<std::string>{});
        auto back = make_plan(doc(to), doc(empty));
        CHECK(summary(back) == std::vector<std::string>{
                                   "update tenant contoso",
                                   "delete onlineVoiceRoutingPolicy Tag:US Only",
                                   "delete onlineVoiceRoute Redmond 1",
                                   "delete onlineVoiceRoute International",
                                   "delete onlinePstnGateway sbc1.contoso.com",
                                   "delete onlinePstnGateway sbc2.contoso.com",
                                   "update onlinePstnUsage Global",
                               });
        to.change([&](TenantStore& s) {
            Notes n;
            apply_plan(s, back, n);
        });
        CHECK(doc(to) == doc(empty));
    }
}

TEST_CASE("an update names exactly the changed fields, the tenant's name is never compared")
{
    TempTenant a, b;
    build(a);
    build(b);
    b.change([](TenantStore& s) {
        Notes n;
        set_route(s, "Redmond 1", edit_of({{"description", "main"}}), n);
        auto info = s.tenant();
        info.name = "fabrikam";
        s.put_tenant(info);
    });
    auto ops = make_plan(doc(a), doc(b));
    REQUIRE(ops.size() == 1);
    auto j = to_json(ops[0]);
    CHECK(j["action"] == "update");
    REQUIRE(j["fields"].size() == 1);
    CHECK(j["fields"][0]["field"] == "description");
    CHECK(j["fields"][0]["after"] == "main");
}

TEST_CASE("usages added and removed in one plan: added first, removed last")
{
    TempTenant a, b;
    build(a);
    build(b);
    b.change([](TenantStore& s) {
        Notes n;
        add_usages(s, {"Local"});
        set_route(s, "International", edit_of({{"onlinePstnUsages", {"Local"}}}), n);
        remove_usages(s, {"International"}, false);
    });
    auto ops = make_plan(doc(a), doc(b));
    CHECK(summary(ops) == std::vector<std::string>{"update onlinePstnUsage Global", "update onlineVoiceRoute International",
                                                   "update onlinePstnUsage Global"});
    CHECK(ops[0].after == Json({"US and Canada", "International", "Local"}));
    CHECK(ops[2].after == Json({"US and Canada", "Local"}));
    a.change([&](TenantStore& s) {
        Notes n;
        apply_plan(s, ops, n);
    });
    CHECK(doc(a) == doc(b));
}

TEST_CASE("a change set that does not fit the tenant is refused whole, naming the object")
{
    TempTenant t;
    build(t);
    auto before = doc(t);
    auto apply = [&](const char* json) {
        t.change([&](TenantStore& s) {
            Notes n;
            apply_plan(s, plan_from_json(Json::parse(json)), n);
        });
    };
    SUBCASE("create of an existing object") {
        try {
            apply(R"([{"action":"create","kind":"onlinePstnGateway","identity":"SBC1.contoso.com",
                       "after":{"sipSignalingPort":5061}}])");
            FAIL("no error");
        } catch (const PlanError& e) {
            CHECK(e.code() == ExitCode::conflict);
            CHECK(e.identity() == "SBC1.contoso.com");
            CHECK(std::string(e.what()) == "online pstn gateway \"SBC1.contoso.com\" already exists; nothing was changed");
        }
    }
    SUBCASE("delete of a gateway a route still uses, after a valid operation") {
        try {
            apply(R"([{"action":"update","kind":"onlineVoiceRoute","identity":"Redmond 1",
                       "after":{"numberPattern":"^\\+1","priority":1,"onlinePstnUsages":["US and Canada"],
                                "onlinePstnGatewayList":["sbc1.contoso.com"]}},
                      {"action":"delete","kind":"onlinePstnGateway","identity":"sbc2.contoso.com"}])");
            FAIL("no error");
        } catch (const PlanError& e) {
            CHECK(e.code() == ExitCode::conflict);
            CHECK(e.kind() == "onlinePstnGateway");
            CHECK(std::string(e.what()).find("voice route \"International\" still uses it") != std::string::npos);
        }
    }
    SUBCASE("two routes left on one priority") {
        CHECK_THROWS_WITH_AS(apply(R"([{"action":"update","kind":"onlineVoiceRoute","identity":"International",
                       "after":{"numberPattern":".*","priority":1,"onlinePstnUsages":["International"]}}])"),
                             doctest::Contains("Priority 1 is taken"), PlanError);
    }
    SUBCASE("bad operations") {
        CHECK_THROWS_WITH_AS(apply(R"([{"action":"upsert","kind":"onlinePstnGateway","identity":"x"}])"),
                             "change set operation 1: action \"upsert\" is not one of create, update, delete", Error);
        CHECK_THROWS_WITH_AS(apply(R"([{"action":"create","kind":"onlinePstnGateway","identity":"x"}])"),
                             "change set operation 1: create needs \"after\", the object's new state", Error);
        CHECK_THROWS_WITH_AS(apply(R"([{"action":"delete","kind":"onlineVoiceRoutingPolicy","identity":"Global"}])"),
                             doctest::Contains("cannot be deleted"), Error);
    }
    CHECK(doc(t) == before);
}

TEST_CASE("the directory and the inbound objects: created before what uses them, deleted after")
{
    TempTenant empty(std::vector<std::string>{}), to;
    build(to);
    to.change([](TenantStore& s) {
        s.put_translation_rule(TranslationRule{"AddPlus1", "^(\\d{10})$", "+1$1", ""});
        auto g = *s.find_gateway("sbc1.contoso.com");
        g.inbound_pstn_number_translation_rules = {"AddPlus1"};
        s.put_gateway(g);
        s.put_dial_plan(TenantDialPlan{"Redmond", "", {NormalizationRule{"ext", "^(\\d{4})$", "+1425555$1", true, ""}}});
        s.put_number_pattern(false, NumberPattern{"Spam", "^\\+1900", true, "", ""});
        s.put_number_pattern(true, NumberPattern{"Friend", "^\\+19005550100$", true, "", ""});
        Group sales;
        sales.name = "sales";
        sales.online_voice_routing_policy = "US Only";
        sales.online_voice_routing_policy_rank = 1;
        s.put_group(sales);
        User u;
        u.user_principal_name = "spencer@contoso.com";
        u.sip_address = "sip:spencer@contoso.com";
        u.licenses = {"PhoneSystem"};
        u.groups = {"sales"};
        u.phone_number = "+14255550111";
        u.phone_number_type = "DirectRouting";
        u.tenant_dial_plan = "Redmond";
        s.put_user(u);
    });
    auto ops = make_plan(doc(empty), doc(to));
    auto where = [&](const std::string& line) {
        auto all = summary(ops);
        auto it = std::find(all.begin(), all.end(), line);
        INFO(line);
        REQUIRE(it != all.end());
        return it - all.begin();
    };
    CHECK(where("create teamsTranslationRule AddPlus1") < where("create onlinePstnGateway sbc1.contoso.com"));
    CHECK(where("create onlineVoiceRoutingPolicy Tag:US Only") < where("create group sales"));
    CHECK(where("create tenantDialPlan Tag:Redmond") < where("create user spencer@contoso.com"));
    CHECK(where("create group sales") < where("create user spencer@contoso.com"));
    where("create inboundBlockedNumberPattern Spam");
    where("create inboundExemptNumberPattern Friend");
    empty.change([&](TenantStore& s) {
        Notes n;
        apply_plan(s, ops, n);
    });
    auto expected = doc(to);
    auto got = doc(empty);
    got["tenant"]["domains"] = expected["tenant"]["domains"];
    got["tenant"]["name"] = expected["tenant"]["name"];
    CHECK(got == expected);

    SUBCASE("the reverse plan deletes users before groups, grants before policies, gateways before rules") {
        TempTenant bare(std::vector<std::string>{});
        auto back = make_plan(doc(to), doc(bare));
        CHECK(where_in(back, "delete user spencer@contoso.com") < where_in(back, "delete group sales"));
        CHECK(where_in(back, "delete group sales") < where_in(back, "delete onlineVoiceRoutingPolicy Tag:US Only"));
        CHECK(where_in(back, "delete onlinePstnGateway sbc1.contoso.com") <
              where_in(back, "delete teamsTranslationRule AddPlus1"));
        to.change([&](TenantStore& s) {
            Notes n;
            apply_plan(s, back, n);
        });
        CHECK(make_plan(doc(to), doc(bare)).empty());
    }
    SUBCASE("a user who names a missing group, or a policy still granted, is refused") {
        auto before = doc(to);
        CHECK_THROWS_WITH_AS(to.change([&](TenantStore& s) {
            Notes n;
            apply_plan(s, plan_from_json(Json::parse(R"([{"action":"create","kind":"user","identity":"john@contoso.com",
                       "after":{"groups":["nope"]}}])")), n);
        }),
                             "user \"john@contoso.com\": groups names group \"nope\", which does not exist", PlanError);
        CHECK_THROWS_WITH_AS(to.change([&](TenantStore& s) {
            Notes n;
            apply_plan(s, plan_from_json(Json::parse(R"([{"action":"delete","kind":"tenantDialPlan","identity":"Tag:Redmond"}])")), n);
        }),
                             doctest::Contains("still granted to 1 user (\"spencer@contoso.com\")"), PlanError);
        CHECK_THROWS_WITH_AS(to.change([&](TenantStore& s) {
            Notes n;
            apply_plan(s, plan_from_json(Json::parse(R"([{"action":"delete","kind":"group","identity":"sales"}])")), n);
        }),
                             doctest::Contains("still list it in groups"), PlanError);
        CHECK(doc(to) == before);
    }
}

TEST_CASE("users of a change set are applied in batches with the checks of one user")
{
    TempTenant t;
    build(t);
    auto apply = [&](const char* operations) {
        t.change([&](TenantStore& s) {
            Notes n;
            apply_plan(s, plan_from_json(Json::parse(operations)), n);
        });
    };
    auto user = [](const std::string& upn, const std::string& number) {
        Json u{{"userPrincipalName", upn}, {"licenses", {"PhoneSystem"}}, {"enterpriseVoiceEnabled", true},
               {"onlineVoiceRoutingPolicy", "tag:us only"}};
        if (!number.empty())
            u["phoneNumber"] = number, u["phoneNumberType"] = "DirectRouting";
        return u;
    };
    // More users than one batch holds, so that batches end and start again.
    Json many = Json::array();
    for (int i = 0; i < 5000; ++i) {
        auto upn = "user" + std::to_string(i) + "@contoso.com";
        many.push_back(Json{{"action", "create"}, {"kind", "user"}, {"identity", upn},
                            {"after", user(upn, "+1425550" + std::to_string(10000 + i).substr(1))}});
    }
    apply(many.dump().c_str());
    CHECK(t.store->user_count() == 5000);
    auto u = t.store->find_user("USER4999@contoso.com");
    REQUIRE(u);
    CHECK(u->online_voice_routing_policy == "US Only");  // the stored spelling of the policy
    CHECK(u->phone_number == "+14255504999");
    auto before = doc(t);

    SUBCASE("the same user twice in one change set: the second operation sees the first") {
        apply(R"([{"action":"create","kind":"user","identity":"ann@contoso.com","after":{"displayName":"Ann"}},
                  {"action":"update","kind":"user","identity":"ann@contoso.com","after":{"displayName":"Ann B"}},
                  {"action":"delete","kind":"user","identity":"user1@contoso.com"}])");
        CHECK(t.store->find_user("ann@contoso.com")->display_name == "Ann B");
        CHECK_FALSE(t.store->find_user("user1@contoso.com"));
    }
    SUBCASE("a number another user holds is refused, naming both users; nothing is applied") {
        CHECK_THROWS_WITH_AS(apply(R"([{"action":"create","kind":"user","identity":"ann@contoso.com","after":{}},
                  {"action":"create","kind":"user","identity":"bob@contoso.com",
                   "after":{"phoneNumber":"+14255500007","phoneNumberType":"DirectRouting","licenses":["PhoneSystem"]}}])"),
                             "user \"bob@contoso.com\": phoneNumber \"+14255500007\" is assigned to user "
                             "\"user7@contoso.com\"",
                             PlanError);
        CHECK((doc(t) == before));  // not printed whole on failure
    }
    SUBCASE("a create of an existing user, an update of a missing one, a missing policy") {
        CHECK_THROWS_WITH_AS(apply(R"([{"action":"create","kind":"user","identity":"User3@contoso.com","after":{}}])"),
                             "user \"User3@contoso.com\" already exists; nothing was changed", PlanError);
        CHECK_THROWS_WITH_AS(apply(R"([{"action":"update","kind":"user","identity":"nobody@contoso.com","after":{}}])"),
                             "user \"nobody@contoso.com\" does not exist; nothing was changed", PlanError);
        CHECK_THROWS_WITH_AS(
            apply(R"([{"action":"create","kind":"user","identity":"ann@contoso.com","after":{"onlineVoiceRoutingPolicy":"Nope"}}])"),
            "user \"ann@contoso.com\": onlineVoiceRoutingPolicy names voice routing policy \"Nope\", which does not exist",
            PlanError);
        CHECK_THROWS_WITH_AS(
            apply(R"([{"action":"create","kind":"user","identity":"ann@contoso.com","after":{"usageLocation":"USA"}}])"),
            doctest::Contains("UsageLocation \"USA\" is not an ISO 3166 country code"), PlanError);
        CHECK((doc(t) == before));  // not printed whole on failure
    }
}

TEST_CASE("make_plan of JSON documents: a document without tenant settings leaves them alone")
{
    TempTenant t;
    build(t);
    auto full = doc(t);
    auto partial = full;
    partial.erase("tenant");
    CHECK(make_plan(full, partial).empty());
    CHECK(make_plan(partial, full).empty());
    partial["onlineVoiceRoutes"][0]["description"] = "changed";
    auto ops = make_plan(full, partial);
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].action == "update");
    CHECK(diff_fields(ops[0].before, ops[0].after).at(0).key == "description");
}

TEST_CASE("a change set as text: push's writer and the server's reader agree with the tree's")
{
    TempTenant empty(std::vector<std::string>{}), to;
    build(to);
    to.change([](TenantStore& s) {
        Group sales;
        sales.name = "sales";
        s.put_group(sales);
        for (int i = 0; i < 3; ++i) {
            User u;
            u.user_principal_name = "user" + std::to_string(i) + "@contoso.com";
            u.sip_address = "sip:" + u.user_principal_name;
            u.display_name = i == 1 ? "Zoë \"Z\" Doe\\\t" : "";
            u.licenses = {"PhoneSystem"};
            u.groups = i == 2 ? std::vector<std::string>{"sales"} : std::vector<std::string>{};
            u.enterprise_voice_enabled = i > 0;
            u.phone_number = i > 0 ? "+1425555010" + std::to_string(i) : "";
            u.phone_number_type = i > 0 ? "DirectRouting" : "";
            u.online_voice_routing_policy = i == 2 ? "US Only" : "";
            s.put_user(u);
        }
    });
    PlanScope scope;
    scope.users_as_model = true;
    auto ops = make_plan(doc(empty), to.store->document(), scope);
    CHECK(std::count_if(ops.begin(), ops.end(), [](const PlanOp& op) { return op.user != nullptr; }) == 3);
    auto text = change_set_text(ops);
    CHECK(text == Json{{"operations", plan_json(ops)}}.dump());

    auto fast = change_set_from_text(text);
    REQUIRE(fast);
    auto tree = plan_from_json(Json::parse(text).at("operations"));
    CHECK(plan_json(*fast) == plan_json(tree));
    CHECK(std::count_if(fast->begin(), fast->end(), [](const PlanOp& op) { return op.user != nullptr; }) == 3);
    empty.change([&](TenantStore& s) {
        Notes n;
        apply_plan(s, *fast, n);
    });
    CHECK(make_plan(doc(empty), doc(to)).empty());

    SUBCASE("updates and deletes: the tree's text, read back the same") {
        TempTenant changed;
        build(changed);
        auto ops2 = make_plan(doc(to), doc(changed));  // the users and the group are deleted
        REQUIRE_FALSE(ops2.empty());
        auto text2 = change_set_text(ops2);
        CHECK(text2 == Json{{"operations", plan_json(ops2)}}.dump());
        auto fast2 = change_set_from_text(text2);
        REQUIRE(fast2);
        CHECK(plan_json(*fast2) == plan_json(plan_from_json(Json::parse(text2).at("operations"))));
        CHECK(change_set_from_text(R"({"operations":[]})").value().empty());
    }
    SUBCASE("anything unusual is left to the tree, which names it") {
        const char* unusual[] = {
            R"([])",
            R"({"operations":{}})",
            R"({"ops":[]})",
            R"({"operations":[], "operations":[]})",
            R"({"operations":[1]})",
            R"({"operations":[{"action":"create","kind":"user","identity":"a@contoso.com","after":{},"extra":1}]})",
            R"({"operations":[{"action":"make","kind":"user","identity":"a@contoso.com","after":{}}]})",
            R"({"operations":[{"action":"create","kind":"robot","identity":"a","after":{}}]})",
            R"({"operations":[{"action":"create","kind":"user","identity":"a@contoso.com"}]})",
            R"({"operations":[{"action":"create","kind":"user","identity":7,"after":{}}]})",
            R"({"operations":[{"action":"create","action":"delete","kind":"user","identity":"a@contoso.com","after":{}}]})",
            R"({"operations":[{"action":"create","kind":"user","identity":"a@contoso.com","after":{"licenses":"x"}}]})",
            R"({"operations":[{"action":"create","kind":"user","identity":"a@contoso.com","after":{"shoeSize":9}}]})",
            R"({"operations":[{"action":"create","kind":"user","identity":"a@contoso.com","after":{})",
            R"({"operations":[{"action":"create","kind":"group","identity":"g","after":{"name":"g","name":"h"}}]})",
            R"({"operations":[{"action":"create","kind":"user","identity":"a@contoso.com","after":{"userPrincipalName":"b@contoso.com"}}]})",
            R"({"operations":[{"action":"create","kind":"user","identity":"a@contoso.com","after":{"displayName":"A","displayName":"B"}}]})",
        };
        for (const char* body : unusual) {
            INFO(body);
            CHECK_FALSE(change_set_from_text(body));
        }
        // Those the tree's reader takes are refused when applied, naming the user and the field.
        CHECK_THROWS_WITH_AS(empty.change([&](TenantStore& s) {
            Notes n;
            apply_plan(s, plan_from_json(Json::parse(unusual[11]).at("operations")), n);
        }),
                             doctest::Contains("licenses"), PlanError);
    }
}
