// Dial plans, translation rules and number patterns through core operations on a real SQLite store.
#include "core/dial_plan.hpp"
#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/number_pattern.hpp"
#include "core/translation_rule.hpp"
#include "store/sqlite_tenant.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

using namespace csctl;

namespace {

struct TempTenant {
    std::string path;
    std::unique_ptr<SqliteTenant> store;
    TempTenant()
    {
        path = (std::filesystem::temp_directory_path() / ("csctl-unit-" + std::to_string(getpid()) + "-" +
                                                          std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".db"))
                   .string();
        TenantInfo info;
        info.name = "contoso";
        store = SqliteTenant::create(path, info);
    }
    ~TempTenant()
    {
        store.reset();
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path + suffix, ec);
    }
    void change(const std::function<void(TenantStore&)>& fn) { store->change(ChangeInfo{"test", "tester", {}}, false, fn); }
};

Edit set(std::initializer_list<std::pair<const char*, Json>> fields)
{
    Edit e;
    for (const auto& [k, v] : fields)
        e.set[k] = v;
    return e;
}

}  // namespace

TEST_CASE("a new tenant has the Global dial plan")
{
    TempTenant t;
    auto plans = t.store->dial_plans();
    REQUIRE(plans.size() == 1);
    CHECK(plans[0].identity() == "Global");
    CHECK(plans[0].normalization_rules.empty());
}

TEST_CASE("normalization rules: insert at a position, at most 50, move")
{
    TempTenant t;
    t.change([](TenantStore& s) { new_dial_plan(s, "Redmond", {}); });
    t.change([](TenantStore& s) {
        new_normalization_rule(s, "Redmond", "4digit", set({{"pattern", R"(^(\d{4})$)"}, {"translation", "+1425555$1"}}), std::nullopt);
        new_normalization_rule(s, "Tag:Redmond", "operator", set({{"pattern", "^0$"}, {"translation", "+14255550100"}}), 0);
    });
    auto plan = *t.store->find_dial_plan("redmond");
    REQUIRE(plan.normalization_rules.size() == 2);
    CHECK(plan.normalization_rules[0].name == "operator");
    CHECK(plan.normalization_rules[1].name == "4digit");
    t.change([](TenantStore& s) { set_normalization_rule(s, "Redmond", "operator", {}, 1); });
    CHECK(t.store->find_dial_plan("Redmond")->normalization_rules[1].name == "operator");

    SUBCASE("defaults of New-CsVoiceNormalizationRule") {
        t.change([](TenantStore& s) { new_normalization_rule(s, "Redmond", "eleven", {}, std::nullopt); });
        auto rule = t.store->find_dial_plan("Redmond")->normalization_rules.back();
        CHECK(rule.pattern == R"(^(\d{11})$)");
        CHECK(rule.translation == "+$1");
    }
    SUBCASE("the 51st rule is refused") {
        t.change([](TenantStore& s) {
            for (int i = 2; i < 50; ++i)
                new_normalization_rule(s, "Redmond", "r" + std::to_string(i), {}, std::nullopt);
        });
        CHECK(t.store->find_dial_plan("Redmond")->normalization_rules.size() == 50);
        CHECK_THROWS_WITH_AS(t.change([](TenantStore& s) { new_normalization_rule(s, "Redmond", "r50", {}, std::nullopt); }),
                             doctest::Contains("NormalizationRules has 51 rules; a dial plan holds at most 50"), Error);
        CHECK(t.store->find_dial_plan("Redmond")->normalization_rules.size() == 50);
    }
    SUBCASE("a position beyond the end, a duplicate name, a bad pattern") {
        CHECK_THROWS_WITH_AS(t.change([](TenantStore& s) { new_normalization_rule(s, "Redmond", "x", {}, 3); }),
                             doctest::Contains("position 3 is outside the list (0-2"), Error);
        CHECK_THROWS_AS(t.change([](TenantStore& s) { new_normalization_rule(s, "Redmond", "4DIGIT", {}, std::nullopt); }), Error);
        CHECK_THROWS_WITH_AS(
            t.change([](TenantStore& s) { new_normalization_rule(s, "Redmond", "bad", set({{"pattern", "^(1"}}), std::nullopt); }),
            doctest::Contains("normalization rule \"bad\": Pattern \"^(1\" does not compile at position 4"), Error);
    }
}

TEST_CASE("dial plan identities and the tenant default")
{
    TempTenant t;
    CHECK_THROWS_WITH_AS(t.change([](TenantStore& s) { new_dial_plan(s, "Red mond", {}); }),
                         doctest::Contains("Identity may contain only letters, digits, '.' and '-'"), Error);
    t.change([](TenantStore& s) { new_dial_plan(s, "Redmond", {}); });
    t.change([](TenantStore& s) { grant_dial_plan_global(s, "Redmond"); });
    CHECK(t.store->tenant().tenant_dial_plan == "Redmond");
    try {
        t.change([](TenantStore& s) { remove_dial_plan(s, "Redmond"); });
        FAIL("expected a conflict");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::conflict);
    }
    t.change([](TenantStore& s) { remove_dial_plan(s, "Global"); });  // resets, never removes
    CHECK(t.store->find_dial_plan("Global"));
}

TEST_CASE("translation rules: at most 400, referenced names must exist, removal refused while referenced")
{
    TempTenant t;
    t.change([](TenantStore& s) {
        auto info = s.tenant();
        info.domains = {"contoso.com"};
        s.put_tenant(info);
        Notes notes;
        new_gateway(s, "sbc1.contoso.com", set({{"sipSignalingPort", 5061}}), notes);
        new_translation_rule(s, "StripPlus1", set({{"pattern", R"(^\+1(\d{10})$)"}, {"translation", "$1"}}));
    });
    SUBCASE("gateway lists") {
        Edit edit;
        edit.add["outboundPstnNumberTranslationRules"] = {"stripplus1"};
        t.change([&](TenantStore& s) {
            Notes notes;
            set_gateway(s, "sbc1.contoso.com", edit, notes);
        });
        CHECK(t.store->find_gateway("sbc1.contoso.com")->outbound_pstn_number_translation_rules ==
              std::vector<std::string>{"StripPlus1"});
        try {
            t.change([](TenantStore& s) { remove_translation_rule(s, "StripPlus1"); });
            FAIL("expected a conflict");
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::conflict);
            CHECK(std::string(e.what()).find("sbc1.contoso.com (OutboundPstnNumberTranslationRules)") != std::string::npos);
        }
        Edit unknown;
        unknown.add["inboundTeamsNumberTranslationRules"] = {"Nope"};
        CHECK_THROWS_WITH_AS(t.change([&](TenantStore& s) {
            Notes notes;
            set_gateway(s, "sbc1.contoso.com", unknown, notes);
        }),
                             doctest::Contains("InboundTeamsNumberTranslationRules names translation rule \"Nope\", which does not exist"),
                             Error);
    }
    SUBCASE("the 401st rule is refused") {
        t.change([](TenantStore& s) {
            for (int i = 1; i < 400; ++i)
                new_translation_rule(s, "r" + std::to_string(i), set({{"pattern", "^1$"}, {"translation", "2"}}));
        });
        CHECK(t.store->translation_rules().size() == 400);
        CHECK_THROWS_WITH_AS(
            t.change([](TenantStore& s) { new_translation_rule(s, "r400", set({{"pattern", "^1$"}, {"translation", "2"}})); }),
            doctest::Contains("the tenant already has 400 translation rules"), Error);
    }
    SUBCASE("limits of the fields") {
        CHECK_THROWS_WITH_AS(t.change([](TenantStore& s) { new_translation_rule(s, "x", set({{"pattern", "^1$"}})); }),
                             doctest::Contains("Translation is required"), Error);
        CHECK_THROWS_WITH_AS(t.change([](TenantStore& s) {
            new_translation_rule(s, std::string(101, 'a'), set({{"pattern", "^1$"}, {"translation", "2"}}));
        }),
                             doctest::Contains("Identity is longer than 100 characters"), Error);
    }
}

TEST_CASE("blocked and exempt number patterns, the tenant switch, undo")
{
    TempTenant t;
    t.change([](TenantStore& s) {
        new_number_pattern(s, false, "BlockRange1", set({{"pattern", R"(^\+?1312555\d{4}$)"}}));
        new_number_pattern(s, true, "AllowContoso1", set({{"pattern", R"(^\+?1312555888[2|3]$)"}}));
        set_blocked_calling_numbers(s, false);
    });
    CHECK(t.store->number_patterns(false).size() == 1);
    CHECK(t.store->number_patterns(true).size() == 1);
    CHECK_FALSE(t.store->tenant().blocked_calling_numbers_enabled);
    t.store->undo(std::nullopt, ChangeInfo{"undo", "tester", {}}, false);
    CHECK(t.store->number_patterns(false).empty());
    CHECK(t.store->number_patterns(true).empty());
    CHECK(t.store->tenant().blocked_calling_numbers_enabled);
    CHECK_THROWS_WITH_AS(t.change([](TenantStore& s) {
        new_number_pattern(s, false, "x", set({{"pattern", "^1$"}, {"resourceAccount", "nope"}}));
    }),
                         doctest::Contains("ResourceAccount \"nope\" is not an object id"), Error);
}
