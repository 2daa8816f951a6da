#include "core/names.hpp"
#include "core/text.hpp"

#include <doctest/doctest.h>

using namespace csctl;

TEST_CASE("wildcard_match follows -Filter semantics")
{
    SUBCASE("star and question mark") {
        CHECK(wildcard_match("sbc*.contoso.com", "sbc1.contoso.com"));
        CHECK(wildcard_match("sbc?.contoso.com", "sbc1.contoso.com"));
        CHECK_FALSE(wildcard_match("sbc?.contoso.com", "sbc10.contoso.com"));
        CHECK(wildcard_match("*", ""));
        CHECK(wildcard_match("*1", "Redmond 1"));
    }
    SUBCASE("case-insensitive") {
        CHECK(wildcard_match("REDMOND*", "Redmond 2"));
        CHECK(wildcard_match("tag:us*", "Tag:US Only"));
    }
    SUBCASE("backtracking") {
        CHECK(wildcard_match("*a*b", "xxaxxab"));
        CHECK_FALSE(wildcard_match("*a*b", "xxaxxa"));
    }
}

TEST_CASE("identities compare case-insensitively")
{
    CHECK(iequals("US and Canada", "us AND canada"));
    CHECK_FALSE(iequals("US", "USA"));
    CHECK(find_identity({"US and Canada", "International"}, "international") == 1);
    CHECK(find_identity({"US and Canada"}, "Intl") == -1);
}

TEST_CASE("split_list trims and drops empty items")
{
    CHECK(split_list(" a, b ,,c ") == std::vector<std::string>{"a", "b", "c"});
    CHECK(split_list("").empty());
    CHECK(split_list("sales;west", ';') == std::vector<std::string>{"sales", "west"});
}

TEST_CASE("country codes are the assigned ISO 3166-1 alpha-2 codes")
{
    for (const char* code : {"AD", "GB", "US", "DE", "IN", "ZW", "SS"})
        CHECK_MESSAGE(is_country_code(code), code);
    // Not assigned (UK is reserved; XK, Kosovo's, is user-assigned), or not the shape.
    for (const char* code : {"UK", "XK", "ZZ", "XX", "QQ", "AA", "EU", "gb", "G", "GBR", ""})
        CHECK_FALSE_MESSAGE(is_country_code(code), code);
}
