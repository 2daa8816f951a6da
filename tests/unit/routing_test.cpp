// The routing engine against Microsoft's public examples (routing.md), computed from the rules.
#include "core/country_dial_plan.hpp"
#include "core/error.hpp"
#include "core/routing.hpp"
#include "tests/unit/routing_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace csctl;
using namespace csctl::test;

namespace {

CallerContext spencer()
{
    CallerContext c;
    c.user = "spencer@contoso.com";
    c.policy = "US Only";
    c.policy_source = "direct";
    return c;
}

CallerContext john()
{
    CallerContext c;
    c.user = "john@contoso.com";
    c.policy = "No Restrictions";
    c.policy_source = "direct";
    return c;
}

std::vector<std::string> route_names(const OutboundResult& r)
{
    std::vector<std::string> out;
    for (const auto& a : r.routes)
        out.push_back(a.identity);
    return out;
}

// The gateways of a route attempt that would be tried, as a set.
std::set<std::string> tried(const RouteAttempt& a)
{
    std::set<std::string> out;
    for (const auto& g : a.gateways)
        if (g.state == GatewayState::candidate || g.state == GatewayState::demoted)
            out.insert(g.fqdn);
    return out;
}

std::set<std::string> set_of(std::initializer_list<const char*> items) { return {items.begin(), items.end()}; }

OutboundOptions down(std::vector<std::string> gateways)
{
    OutboundOptions o;
    o.seed = 7;
    o.unavailable = std::move(gateways);
    return o;
}

}  // namespace

TEST_CASE("worked example: Spencer (US Only) dials +1 425")
{
    RoutingEngine engine(worked_example());
    SUBCASE("all up: Redmond 1 (random order), then Redmond 2, then Other +1") {
        auto r = engine.route(spencer(), "+14255550100", down({}));
        CHECK(r.outcome == "routed");
        CHECK(r.usage == "US and Canada");
        CHECK(r.policy == "Tag:US Only");
        CHECK(r.policy_source == "direct");
        REQUIRE(route_names(r) == std::vector<std::string>{"Redmond 1", "Redmond 2", "Other +1"});
        CHECK(tried(r.routes[0]) == set_of({"sbc1.contoso.com", "sbc2.contoso.com"}));
        CHECK(r.routes[0].shuffled);
        CHECK(tried(r.routes[1]) == set_of({"sbc3.contoso.com", "sbc4.contoso.com"}));
        CHECK(tried(r.routes[2]) == set_of({"sbc5.contoso.com", "sbc6.contoso.com"}));
        CHECK(r.first_route == "Redmond 1");
    }
    SUBCASE("sbc1 and sbc2 down: Redmond 2 takes the call") {
        auto r = engine.route(spencer(), "+14255550100", down({"sbc1.contoso.com", "sbc2.contoso.com"}));
        CHECK(r.outcome == "routed");
        CHECK(tried(r.routes[0]).empty());
        CHECK(r.first_route == "Redmond 2");
        CHECK(tried(r.routes[1]) == set_of({"sbc3.contoso.com", "sbc4.contoso.com"}));
    }
    SUBCASE("sbc1-sbc4 down: Other +1 matches +1 425 too and is the third route tried") {
        auto r = engine.route(spencer(), "+14255550100",
                              down({"sbc1.contoso.com", "sbc2.contoso.com", "sbc3.contoso.com", "sbc4.contoso.com"}));
        CHECK(r.outcome == "routed");
        CHECK(r.first_route == "Other +1");
        CHECK(tried(r.routes[2]) == set_of({"sbc5.contoso.com", "sbc6.contoso.com"}));
    }
    SUBCASE("sbc1-sbc6 down: dropped") {
        auto r = engine.route(spencer(), "+14255550100",
                              down({"sbc1.contoso.com", "sbc2.contoso.com", "sbc3.contoso.com", "sbc4.contoso.com",
                                    "sbc5.contoso.com", "sbc6.contoso.com"}));
        CHECK(r.outcome == "dropped");
        CHECK(r.usage == "US and Canada");
        CHECK(r.reason.find("unavailable") != std::string::npos);
    }
}

TEST_CASE("worked example: Spencer dials +1 324 567 8989 and a non-US number")
{
    RoutingEngine engine(worked_example());
    SUBCASE("all up: only Other +1 matches") {
        auto r = engine.route(spencer(), "+13245678989", down({}));
        CHECK(r.outcome == "routed");
        REQUIRE(route_names(r) == std::vector<std::string>{"Other +1"});
        CHECK(tried(r.routes[0]) == set_of({"sbc5.contoso.com", "sbc6.contoso.com"}));
    }
    SUBCASE("sbc5 and sbc6 down: dropped, the Redmond routes do not match") {
        auto r = engine.route(spencer(), "+13245678989", down({"sbc5.contoso.com", "sbc6.contoso.com"}));
        CHECK(r.outcome == "dropped");
        CHECK(route_names(r) == std::vector<std::string>{"Other +1"});
    }
    SUBCASE("a non-US number: dropped (no route)") {
        auto r = engine.route(spencer(), "+442079460000", down({}));
        CHECK(r.outcome == "dropped");
        CHECK(r.usage.empty());
        CHECK(r.routes.empty());
        CHECK(r.reason.starts_with("no route"));
    }
    SUBCASE("a non-US number with a CallingPlan licence: calling-plan") {
        auto caller = spencer();
        caller.calling_plan = true;
        auto r = engine.route(caller, "+442079460000", down({}));
        CHECK(r.outcome == "calling-plan");
    }
}

TEST_CASE("worked example: John (No Restrictions)")
{
    RoutingEngine engine(worked_example());
    SUBCASE("+1 425: usage US and Canada only; International never evaluated") {
        auto r = engine.route(john(), "+14255550100", down({}));
        CHECK(r.usage == "US and Canada");
        CHECK(route_names(r) == std::vector<std::string>{"Redmond 1", "Redmond 2", "Other +1"});
    }
    SUBCASE("+1 425 with every US gateway down: dropped, International is still not tried") {
        auto r = engine.route(john(), "+14255550100",
                              down({"sbc1.contoso.com", "sbc3.contoso.com", "sbc4.contoso.com", "sbc5.contoso.com",
                                    "sbc6.contoso.com", "sbc2.contoso.com"}));
        CHECK(r.outcome == "dropped");
        CHECK(r.usage == "US and Canada");
    }
    SUBCASE("+44: International via sbc2 and sbc5") {
        auto r = engine.route(john(), "+442079460000", down({}));
        CHECK(r.usage == "International");
        REQUIRE(route_names(r) == std::vector<std::string>{"International"});
        CHECK(tried(r.routes[0]) == set_of({"sbc2.contoso.com", "sbc5.contoso.com"}));
    }
    SUBCASE("policy reordered to International first: +1 425 goes International") {
        auto doc = worked_example();
        doc.policies[2].online_pstn_usages = {"International", "US and Canada"};
        RoutingEngine reordered(doc);
        auto r = reordered.route(john(), "+14255550100", down({}));
        CHECK(r.usage == "International");
        REQUIRE(route_names(r) == std::vector<std::string>{"International"});
        CHECK(tried(r.routes[0]) == set_of({"sbc2.contoso.com", "sbc5.contoso.com"}));
    }
}

TEST_CASE("worked example: a forwarded call that entered on sbc5 leaves on sbc5 first")
{
    RoutingEngine engine(worked_example());
    auto options = down({});
    options.ingress = "sbc5.contoso.com";
    auto r = engine.route(spencer(), "+13245678989", options);
    REQUIRE(!r.routes.empty());
    REQUIRE(r.routes[0].gateways.size() == 1);
    CHECK(r.routes[0].gateways[0].fqdn == "sbc5.contoso.com");
    CHECK(r.routes[0].gateways[0].ingress);
    CHECK(r.first_gateway == "sbc5.contoso.com");
    // sbc5 is not tried twice.
    REQUIRE(r.routes.size() == 2);
    CHECK(tried(r.routes[1]) == set_of({"sbc6.contoso.com"}));
    CHECK(r.routes[1].already_tried == std::vector<std::string>{"sbc5.contoso.com"});
}

TEST_CASE("gateway order inside a route")
{
    auto doc = worked_example();
    SUBCASE("disabled gateways are skipped and listed last") {
        doc.gateways[0].enabled = false;
        RoutingEngine engine(doc);
        auto r = engine.route(spencer(), "+14255550100", down({}));
        CHECK(r.routes[0].gateways.back().fqdn == "sbc1.contoso.com");
        CHECK(r.routes[0].gateways.back().state == GatewayState::disabled);
        CHECK(r.first_gateway == "sbc2.contoso.com");
    }
    SUBCASE("demoted gateways come after healthy ones") {
        RoutingEngine engine(doc);
        auto options = down({});
        options.unavailable.clear();
        options.demoted = {"sbc1.contoso.com"};
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
            options.seed = seed;
            auto r = engine.route(spencer(), "+14255550100", options);
            CHECK(r.routes[0].gateways[0].fqdn == "sbc2.contoso.com");
            CHECK(r.routes[0].gateways[1].state == GatewayState::demoted);
        }
    }
    SUBCASE("the same seed gives the same order; the order varies over seeds") {
        RoutingEngine engine(doc);
        auto options = down({});
        auto first = engine.route(spencer(), "+14255550100", options).routes[0].gateways[0].fqdn;
        CHECK(engine.route(spencer(), "+14255550100", options).routes[0].gateways[0].fqdn == first);
        std::set<std::string> seen;
        for (std::uint64_t seed = 0; seed < 40; ++seed) {
            options.seed = seed;
            seen.insert(engine.route(spencer(), "+14255550100", options).routes[0].gateways[0].fqdn);
        }
        CHECK(seen == set_of({"sbc1.contoso.com", "sbc2.contoso.com"}));
    }
    SUBCASE("a gateway listed by two routes is tried once") {
        doc.routes[1].online_pstn_gateway_list = {"sbc2.contoso.com", "sbc3.contoso.com"};
        RoutingEngine engine(doc);
        auto r = engine.route(spencer(), "+14255550100", down({}));
        CHECK(tried(r.routes[1]) == set_of({"sbc3.contoso.com"}));
        CHECK(r.routes[1].already_tried == std::vector<std::string>{"sbc2.contoso.com"});
    }
}

TEST_CASE("policy resolution without an explicit policy")
{
    auto doc = worked_example();
    CallerContext nobody;
    SUBCASE("Global, which has no usages: dropped") {
        RoutingEngine engine(doc);
        auto r = engine.route(nobody, "+14255550100", down({}));
        CHECK(r.policy == "Global");
        CHECK(r.policy_source == "global");
        CHECK(r.outcome == "dropped");
    }
    SUBCASE("the tenant default") {
        doc.tenant.voice_routing_policy = "No Restrictions";
        RoutingEngine engine(doc);
        auto r = engine.route(nobody, "+442079460000", down({}));
        CHECK(r.policy == "Tag:No Restrictions");
        CHECK(r.policy_source == "tenant");
        CHECK(r.usage == "International");
    }
    SUBCASE("an unknown policy is not found") {
        RoutingEngine engine(doc);
        CallerContext c;
        c.policy = "Nope";
        CHECK_THROWS_WITH_AS(engine.route(c, "+14255550100", down({})),
                             "voice routing policy \"Nope\" does not exist (list them with `csctl voice-routing-policy get`)",
                             Error);
    }
}

// ---- normalization --------------------------------------------------------------------------------

namespace {
NormalizationRule rule(const std::string& name, const std::string& pattern, const std::string& translation,
                       bool internal = false)
{
    return NormalizationRule{name, pattern, translation, internal, {}};
}

TenantDocument with_redmond_plan()
{
    auto d = worked_example();
    d.dial_plans.push_back(TenantDialPlan{
        "Redmond",
        {},
        {rule("RedmondOperator", "^0$", "+14255550100"),
         rule("RedmondSitePrefix", R"(^6222(\d{4})$)", "+1425555$1", true),
         rule("5digitExtension", R"(^5(\d{4})$)", "+1425555$1", true),
         rule("4digitExtension", R"(^(\d{4})$)", "+1425555$1", true),
         rule("7digitcallingRedmond", R"(^(\d{7})$)", "+1425$1")}});
    return d;
}
}  // namespace

TEST_CASE("normalization rules of a tenant dial plan: first match wins")
{
    RoutingEngine engine(with_redmond_plan());
    CallerContext c = spencer();
    c.dial_plan = "Redmond";
    auto check = [&](const char* dialed, const char* number, const char* by) {
        CAPTURE(dialed);
        auto n = engine.normalize(c, dialed);
        CHECK(n.number == number);
        CHECK(n.rule == by);
        CHECK(n.dial_plan == "Tag:Redmond");
    };
    check("0", "+14255550100", "RedmondOperator");
    check("62221234", "+14255551234", "RedmondSitePrefix");
    check("51234", "+14255551234", "5digitExtension");
    check("1234", "+14255551234", "4digitExtension");
    check("5550100", "+14255550100", "7digitcallingRedmond");
    SUBCASE("no rule matches and no usage location: the number is left as dialed") {
        auto n = engine.normalize(c, "+442079460000");
        CHECK(n.number == "+442079460000");
        CHECK(n.rule.empty());
        CHECK(n.country.empty());
    }
    SUBCASE("internal extension flag") {
        CHECK(engine.normalize(c, "1234").internal_extension);
        CHECK_FALSE(engine.normalize(c, "5550100").internal_extension);
    }
    SUBCASE("the normalised number is what routing matches") {
        auto r = engine.route(c, "51234", down({}));
        CHECK(r.normalization.number == "+14255551234");
        CHECK(r.first_route == "Redmond 1");
    }
}

TEST_CASE("country dial plan of the usage location when no tenant rule matches")
{
    CHECK(country_normalize("4255550100", "US") == std::optional<std::string>("+14255550100"));
    CHECK(country_normalize("02079460000", "GB") == std::optional<std::string>("+442079460000"));
    CHECK(country_normalize("011442079460000", "US") == std::optional<std::string>("+442079460000"));
    CHECK(country_normalize("12", "US") == std::nullopt);
    RoutingEngine engine(worked_example());
    CallerContext c = spencer();
    c.usage_location = "US";
    auto r = engine.route(c, "4255550100", down({}));
    CHECK(r.normalization.number == "+14255550100");
    CHECK(r.normalization.country == "US");
    CHECK(r.first_route == "Redmond 1");
}

// ---- translation --------------------------------------------------------------------------------

namespace {
TenantDocument with_translation_rules()
{
    auto d = worked_example();
    d.translation_rules = {TranslationRule{"AddPlus1", R"(^(\d{10})$)", "+1$1", {}},
                           TranslationRule{"AddE164SeattleAreaCode", R"(^(\d{4})$)", "+1206555$1", {}},
                           TranslationRule{"AddSeattleAreaCode", R"(^(\d{4})$)", "425555$1", {}},
                           TranslationRule{"StripPlus1", R"(^\+1(\d{10})$)", "$1", {}}};
    auto& g = d.gateways[0];
    g.inbound_teams_number_translation_rules = {"AddPlus1", "AddE164SeattleAreaCode"};
    g.inbound_pstn_number_translation_rules = {"AddPlus1"};
    g.outbound_pstn_number_translation_rules = {"AddSeattleAreaCode", "StripPlus1"};
    g.outbound_teams_number_translation_rules = {"StripPlus1"};
    return d;
}
}  // namespace

TEST_CASE("translation: Microsoft's four SBC examples")
{
    RoutingEngine engine(with_translation_rules());
    const std::string sbc = "sbc1.contoso.com";
    SUBCASE("inbound call to a US number: 10 digits become E.164 both ways") {
        auto r = engine.inbound(sbc, "4255550100", "2065550100", {});
        CHECK(r.called_number == "+14255550100");
        CHECK(r.called_rule == "AddPlus1");
        CHECK(r.calling_number == "+12065550100");
        CHECK(r.calling_rule == "AddPlus1");
        CHECK(r.outcome == "unassigned");
    }
    SUBCASE("outbound call to a US number: the +1 is stripped from To and From") {
        auto caller = spencer();
        caller.phone_number = "+14255550100";
        auto r = engine.route(caller, "+12065550100", down({}));
        const GatewayAttempt* at = nullptr;
        for (const auto& g : r.routes[0].gateways)
            if (g.fqdn == sbc)
                at = &g;
        REQUIRE(at);
        CHECK(at->called_number == "2065550100");
        CHECK(at->called_rule == "StripPlus1");
        CHECK(at->calling_number == "4255550100");
        CHECK(at->calling_rule == "StripPlus1");
        // sbc2 has no rules: the numbers leave unchanged.
        for (const auto& g : r.routes[0].gateways)
            if (g.fqdn != sbc) {
                CHECK(g.called_number == "+12065550100");
                CHECK(g.called_rule.empty());
            }
    }
    SUBCASE("inbound call to a 4-digit extension: AddPlus1 does not match, AddE164SeattleAreaCode does") {
        auto r = engine.inbound(sbc, "0100", "4255550100", {});
        CHECK(r.called_number == "+12065550100");
        CHECK(r.called_rule == "AddE164SeattleAreaCode");
        CHECK(r.calling_number == "+14255550100");
    }
    SUBCASE("outbound call to a 4-digit extension: AddSeattleAreaCode, the first match of the list") {
        auto to = engine.translate(sbc, "OutboundPstnNumberTranslationRules", "0100");
        CHECK(to.number == "4255550100");
        CHECK(to.rule == "AddSeattleAreaCode");
        auto from = engine.translate(sbc, "OutboundTeamsNumberTranslationRules", "+12065550100");
        CHECK(from.number == "2065550100");
        CHECK(from.rule == "StripPlus1");
    }
    SUBCASE("no rule matches: the number is unchanged") {
        auto step = engine.translate(sbc, "InboundPstnNumberTranslationRules", "+442079460000");
        CHECK(step.number == "+442079460000");
        CHECK(step.rule.empty());
    }
}

// ---- blocked and exempt numbers -----------------------------------------------------------------

TEST_CASE("blocked and exempt numbers: Microsoft's example")
{
    auto d = worked_example();
    d.blocked_numbers = {NumberPattern{"BlockRange1", R"(^\+?1312555\d{4}$)", true, {}, {}}};
    d.exempt_numbers = {NumberPattern{"AllowContoso1", R"(^\+?1312555888[2|3]$)", true, {}, {}}};
    SUBCASE("13125558884 is blocked, 13125558883 is exempt") {
        RoutingEngine engine(d);
        auto blocked = engine.check_blocked("13125558884");
        CHECK(blocked.blocked);
        CHECK(blocked.blocked_by == "BlockRange1");
        auto allowed = engine.check_blocked("13125558883");
        CHECK_FALSE(allowed.blocked);
        CHECK(allowed.blocked_by == "BlockRange1");
        CHECK(allowed.exempted_by == "AllowContoso1");
        CHECK(engine.check_blocked("+1 (312) 555-8884").blocked);  // separators are stripped
        CHECK_FALSE(engine.check_blocked("14255550100").blocked);
    }
    SUBCASE("the tenant switch off blocks nothing") {
        d.tenant.blocked_calling_numbers_enabled = false;
        RoutingEngine engine(d);
        auto b = engine.check_blocked("13125558884");
        CHECK_FALSE(b.blocked);
        CHECK(b.blocked_by == "BlockRange1");
    }
    SUBCASE("a disabled pattern does not apply") {
        d.exempt_numbers[0].enabled = false;
        RoutingEngine engine(d);
        CHECK(engine.check_blocked("13125558883").blocked);
    }
    SUBCASE("inbound: blocked, or redirected to the pattern's resource account") {
        RoutingEngine engine(d);
        CHECK(engine.inbound("sbc1.contoso.com", "+14255550100", "+13125558884", {}).outcome == "blocked");
        d.blocked_numbers[0].resource_account = "11111111-2222-3333-4444-555555555555";
        RoutingEngine redirect(d);
        auto r = redirect.inbound("sbc1.contoso.com", "+14255550100", "+13125558884", {});
        CHECK(r.outcome == "redirected");
        CHECK(r.block.resource_account == "11111111-2222-3333-4444-555555555555");
    }
    SUBCASE("inbound reverse lookup") {
        RoutingEngine engine(d);
        auto lookup = [](std::string_view n) -> std::optional<InboundUser> {
            if (n == "+14255550100")
                return InboundUser{"spencer@contoso.com", true, true};
            if (n == "+14255550101")
                return InboundUser{"olga@contoso.com", false, true};
            return std::nullopt;
        };
        CHECK(engine.inbound("sbc1.contoso.com", "+14255550100", "+13125558883", lookup).outcome == "delivered");
        CHECK(engine.inbound("sbc1.contoso.com", "+14255550101", "+13125558883", lookup).outcome == "not-teams-only");
        CHECK(engine.inbound("sbc1.contoso.com", "+14255550100;ext=1", "+13125558883", lookup).outcome == "unassigned");
    }
}

// ---- the pieces -----------------------------------------------------------------------------------

TEST_CASE("anchored_literal_prefix: the literal start every match needs")
{
    CHECK(anchored_literal_prefix(R"(^\+1(425|206)(\d{7})$)") == "+1");
    CHECK(anchored_literal_prefix(R"(^\+1(\d{10})$)") == "+1");
    CHECK(anchored_literal_prefix(R"(^\+1425555(\d{4})$)") == "+1425555");
    CHECK(anchored_literal_prefix(R"(^(\+1425)(\d{7})$)") == "+1425");
    CHECK(anchored_literal_prefix(R"(^\+44?1)") == "+4");
    CHECK(anchored_literal_prefix(R"(^\+4+)") == "+4");
    CHECK(anchored_literal_prefix(R"(^\+1(425)?\d+$)") == "+1");
    CHECK(anchored_literal_prefix(R"(^(?i)\+1)") == "");
    CHECK(anchored_literal_prefix(R"(^\+1|^\+44)") == "");
    CHECK(anchored_literal_prefix(R"(\+1425)") == "");
    CHECK(anchored_literal_prefix(".*") == "");
    CHECK(anchored_literal_prefix("[0-9]{10}") == "");
    CHECK(anchored_literal_prefix(R"(^1{2}3)") == "");
    CHECK(anchored_literal_prefix(R"(^12[3])") == "12");
}

TEST_CASE("the prefix index finds exactly the routes a scan of every route finds")
{
    TenantDocument d = worked_example();
    d.routes.clear();
    const std::vector<std::string> patterns{R"(^\+1425(\d{7})$)",  R"(^\+1(\d{10})$)", R"(^\+14255550100$)",
                                            R"(^(\+1206)\d+$)",    R"(\+1425)",        R"(^\+44?2)",
                                            R"(^\+1(425|206)\d*)", R"(^0$)",           R"(^\+1425555(01|02)\d\d$)",
                                            ".*",                  R"(^\+)",           R"(^\+1(?=425)\d+)"};
    for (std::size_t i = 0; i < patterns.size(); ++i)
        d.routes.push_back(route("r" + std::to_string(i), patterns[i], static_cast<int>(i + 1),
                                 i % 3 == 0 ? "International" : "US and Canada", {"sbc1.contoso.com"}));
    RoutingEngine engine(d);
    CHECK(engine.indexed_route_count() > 5);
    const std::vector<std::string> numbers{"+14255550100", "+14255550299", "+12065550100", "+1206", "+442079460000",
                                           "+42",          "0",            "+1",           "+",     "12345",
                                           "+14255550200", "+1425"};
    auto policy = engine.policy_index("No Restrictions");
    for (const auto& n : numbers) {
        CAPTURE(n);
        std::vector<std::uint32_t> got;
        int usage = engine.select_routes(policy, n, got);
        // The reference: every route in priority order, usage by usage.
        std::vector<std::uint32_t> want;
        int want_usage = -1;
        for (int u = 0; u < 2 && want.empty(); ++u) {
            const std::string usage_name = u == 0 ? "US and Canada" : "International";
            for (std::uint32_t i = 0; i < engine.route_count(); ++i) {
                const auto& r = engine.route_at(i);
                if (r.online_pstn_usages[0] == usage_name && Pattern::compile(r.number_pattern, "t", "p").search(n))
                    want.push_back(i);
            }
            if (!want.empty())
                want_usage = u;
        }
        CHECK(got == want);
        CHECK(usage == want_usage);
    }
}

TEST_CASE("clean_number: separators go, letters are refused")
{
    CHECK(clean_number("+1 (425) 555-0100", "number") == "+14255550100");
    CHECK(clean_number("tel:+14255550100", "number") == "+14255550100");
    CHECK(clean_number("*99#", "number") == "*99#");
    CHECK(clean_number("+14255550100;ext=123", "number", true) == "+14255550100;ext=123");
    CHECK_THROWS_WITH_AS(clean_number("+1425abc", "--number"),
                         "--number \"+1425abc\" contains \"a\", which is not part of a number (use digits, * and #, "
                         "with an optional leading +)",
                         Error);
    CHECK_THROWS_WITH_AS(clean_number("1+2", "--number"), doctest::Contains("contains \"+\""), Error);
    CHECK_THROWS_WITH_AS(clean_number("", "--number"), "--number \"\" has no digits", Error);
    CHECK_THROWS_AS(clean_number("+14255550100;ext=1", "--number"), Error);
}

TEST_CASE("a pathological pattern does not hang: the match limit ends it as no match")
{
    auto d = worked_example();
    d.routes = {route("evil", "^(\\d+)+$", 1, "US and Canada", {"sbc1.contoso.com"})};
    RoutingEngine engine(d);
    std::vector<std::uint32_t> out;
    // 40 digits and a letter-free non-match: catastrophic backtracking without a limit.
    engine.select_routes(engine.policy_index("US Only"), std::string(40, '1') + "*", out);
    CHECK(out.empty());
}

TEST_CASE("the matcher for digit-only patterns agrees with PCRE2")
{
    const std::vector<std::string> patterns{
        R"(^\+1(425|206)(\d{7})$)", R"(^\+1425(\d{7})$)",  R"(^\+1\d{3,5}$)",    R"(^\+1\d{3,5})",     R"(^\+44\d+)",
        R"(^\+44\d+$)",             R"(^[0-9]{10}$)",      R"(^(\d{4})$)",       R"(^5(\d{4})$)",      R"(^0$)",
        R"(^\+1(\d{3})(\d{7})$)",   R"(^\+1\d*$)",         R"(^\+1\d?$)",        R"(^\+1\d{2,}$)",     R"(^1?2$)",
        R"(^\*99\d#?)",             R"(^\+1(\d{3}){2}$)",  R"(^\+1\d{3}?$)",     R"(^\+1[0-9]+?$)",    R"(^\+1(?:\d{10})$)",
        R"(^\+1\d{10}$\n?)",        R"(^$)",               R"(^\+1\d{0}$)",      R"(^\+1\d{1,1}$)"};
    const std::vector<std::string> numbers{"+14255550100", "+12065550100", "+1425", "+142555", "+1425555",   "+1",
                                           "+441234",      "+44",          "4255550100", "1234",  "51234",     "0",
                                           "00",           "2",            "12",         "*991#", "*99",      "+1425555010",
                                           "+142555501000", "",            "+1a",        "+12"};
    for (const auto& source : patterns) {
        CAPTURE(source);
        auto d = worked_example();
        d.routes = {route("r", source, 1, "US and Canada", {"sbc1.contoso.com"})};
        RoutingEngine engine(d);
        auto reference = Pattern::compile(source, "test", "pattern");
        std::vector<std::uint32_t> out;
        for (const auto& n : numbers) {
            CAPTURE(n);
            engine.select_routes(engine.policy_index("US Only"), n, out);
            CHECK(out.empty() == !reference.search(n));
        }
    }
}

TEST_CASE("a matching route without gateways drops the call and says why")
{
    auto d = worked_example();
    d.routes[0].online_pstn_gateway_list.clear();
    d.routes[1].online_pstn_gateway_list.clear();
    d.routes[2].online_pstn_gateway_list.clear();
    RoutingEngine engine(d);
    auto r = engine.route(spencer(), "+14255550100", down({}));
    CHECK(r.outcome == "dropped");
    CHECK(r.reason == "the voice routes of usage \"US and Canada\" that match \"+14255550100\" have no gateways; later "
                      "usages are never tried");
}
