// The PowerShell subset of `csctl ps`: what it reads, and where it stops.
#include "core/error.hpp"
#include "core/ps_cmdlets.hpp"
#include "core/ps_parse.hpp"

#include <doctest/doctest.h>

using namespace csctl;

namespace {

std::vector<PsCommand> parse(std::string_view text) { return parse_ps_script(text, "t.ps1"); }

// The message of the usage error parsing text throws.
std::string error_of(std::string_view text)
{
    try {
        parse(text);
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        return e.what();
    }
    FAIL("no error for: " << text);
    return {};
}

std::string bind_error_of(std::string_view text)
{
    try {
        bind_ps_script(parse(text), "t.ps1");
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("no error for: " << text);
    return {};
}

const PsValue& value_of(const PsCommand& cmd, const std::string& name)
{
    for (std::size_t i = 0; i < cmd.elements.size(); ++i)
        if (cmd.elements[i].parameter && cmd.elements[i].name == name) {
            if (cmd.elements[i].value)
                return *cmd.elements[i].value;
            REQUIRE(i + 1 < cmd.elements.size());
            return *cmd.elements[i + 1].value;
        }
    FAIL("no parameter " << name);
    static PsValue none;
    return none;
}

}  // namespace

TEST_CASE("ps parser: names, values, quotes")
{
    SUBCASE("a route as Microsoft's documentation writes it") {
        auto c = parse(R"(New-CsOnlineVoiceRoute -Identity "Redmond 1" -NumberPattern "^\+1(425|206)(\d{7})$" )"
                       R"(-OnlinePstnGatewayList sbc1.contoso.com, sbc2.contoso.com -Priority 1 -OnlinePstnUsages "US and Canada")");
        REQUIRE(c.size() == 1);
        CHECK(c[0].cmdlet == "New-CsOnlineVoiceRoute");
        CHECK(value_of(c[0], "Identity").text == "Redmond 1");
        CHECK(value_of(c[0], "NumberPattern").text == R"(^\+1(425|206)(\d{7})$)");
        const auto& gateways = value_of(c[0], "OnlinePstnGatewayList");
        CHECK(gateways.kind == PsValue::Kind::list);
        CHECK(gateways.items == std::vector<std::string>{"sbc1.contoso.com", "sbc2.contoso.com"});
        CHECK(value_of(c[0], "Priority").text == "1");
        CHECK(value_of(c[0], "OnlinePstnUsages").text == "US and Canada");
    }
    SUBCASE("typographic quotes and dashes, as pasted from a document") {
        auto c = parse("New-CsOnlineVoiceRoutingPolicy \xE2\x80\x9CUS Only\xE2\x80\x9D \xE2\x80\x93OnlinePstnUsages "
                       "\xE2\x80\x98US and Canada\xE2\x80\x99 \xE2\x80\x94Description \xE2\x80\x9Ea\xE2\x80\x93b\xE2\x80\x9D");
        REQUIRE(c.size() == 1);
        CHECK_FALSE(c[0].elements[0].parameter);
        CHECK(c[0].elements[0].value->text == "US Only");
        CHECK(value_of(c[0], "OnlinePstnUsages").text == "US and Canada");
        CHECK(value_of(c[0], "Description").text == "a\xE2\x80\x93" "b");  // a dash inside a string stays
    }
    SUBCASE("$true, $false, $null, -Name:value, switches") {
        auto c = parse("Set-CsOnlinePSTNGateway sbc1 -Enabled $TRUE -SendSipOptions:$false -MaxConcurrentSessions $null -Force");
        CHECK(value_of(c[0], "Enabled").kind == PsValue::Kind::boolean);
        CHECK(value_of(c[0], "Enabled").text == "true");
        CHECK(value_of(c[0], "SendSipOptions").text == "false");
        CHECK(value_of(c[0], "MaxConcurrentSessions").kind == PsValue::Kind::null);
        CHECK(c[0].elements.back().parameter);
        CHECK_FALSE(c[0].elements.back().value);
    }
    SUBCASE("quoting rules: '' and \"\" and backtick escapes, $ before a non-name") {
        auto c = parse(R"(X-Y 'it''s' "say ""hi""" "a`tb" "+1`$1" '+1$1' "^(\d{4})$" tag:"US Only")");
        std::vector<std::string> texts;
        for (const auto& e : c[0].elements)
            texts.push_back(e.value->text);
        CHECK(texts == std::vector<std::string>{"it's", "say \"hi\"", "a\tb", "+1$1", "+1$1", R"(^(\d{4})$)", "tag:US Only"});
    }
    SUBCASE("@{Add=…; Remove=…; Replace=…} and @(…)") {
        auto c = parse("Set-CsOnlineVoiceRoute x -OnlinePstnUsages @{add=\"A\", 'B'; REMOVE=C}\n"
                       "Set-CsOnlineVoiceRoutingPolicy -id tag:\"no Restrictions\" -OnlinePstnUsages @{Replace=\"International\", \"US and Canada\"}\n"
                       "Set-CsOnlinePstnUsage -Usage @(\n  \"a\",\n  \"b\"\n  'c'\n)");
        REQUIRE(c.size() == 3);
        const auto& m = value_of(c[0], "OnlinePstnUsages");
        REQUIRE(m.kind == PsValue::Kind::modifiers);
        REQUIRE(m.modifiers.size() == 2);
        CHECK(m.modifiers[0].first == "Add");
        CHECK(m.modifiers[0].second == std::vector<std::string>{"A", "B"});
        CHECK(m.modifiers[1].first == "Remove");
        CHECK(m.modifiers[1].second == std::vector<std::string>{"C"});
        CHECK(value_of(c[1], "id").text == "tag:no Restrictions");
        CHECK(value_of(c[1], "OnlinePstnUsages").modifiers[0].second == std::vector<std::string>{"International", "US and Canada"});
        CHECK(value_of(c[2], "Usage").items == std::vector<std::string>{"a", "b", "c"});
    }
    SUBCASE("statements: newlines, ';', backtick and comma continuations, comments, prompts") {
        auto c = parse("\xEF\xBB\xBF# a comment\r\n"
                       "PS C:\\> Get-CsOnlinePstnUsage ; Get-CsOnlineVoiceRoute # trailing\n"
                       "<# a block\n comment #>\n"
                       "New-CsOnlineVoiceRoute -Identity R `  \n"
                       "   -OnlinePstnGatewayList a,\n"
                       "   b -Priority 2\n"
                       "PS> Get-CsTenantDialPlan");
        REQUIRE(c.size() == 4);
        CHECK(c[0].cmdlet == "Get-CsOnlinePstnUsage");
        CHECK(c[0].at.line == 2);
        CHECK(c[0].at.column == 9);
        CHECK(c[1].cmdlet == "Get-CsOnlineVoiceRoute");
        CHECK(c[2].at.line == 5);
        CHECK(value_of(c[2], "OnlinePstnGatewayList").items == std::vector<std::string>{"a", "b"});
        CHECK(value_of(c[2], "Priority").text == "2");
        CHECK(c[3].cmdlet == "Get-CsTenantDialPlan");
    }
}

TEST_CASE("ps parser: what it refuses, with line and column")
{
    CHECK(error_of("Get-CsOnlineUser \"Spencer Low\" | select OnlineVoiceRoutingPolicy") ==
          "t.ps1:1:32: pipelines ('|') are not supported: write one cmdlet per line with its values");
    CHECK(error_of("Get-CsOnlinePstnUsage\n$u = 'x'") ==
          "t.ps1:2:1: variables are not supported ($u = 'x'): write the values into the cmdlet's parameters");
    CHECK(error_of("Grant-CsOnlineVoiceRoutingPolicy -Identity $user -PolicyName x") ==
          "t.ps1:1:44: variables are not supported ($user -Polic): write the value itself");
    CHECK(error_of("foreach ($u in $all) { Grant-CsTeamsUpgradePolicy -Identity $u }") ==
          "t.ps1:1:1: \"foreach\": loops, conditions and functions are not supported; write one cmdlet per line");
    CHECK(error_of("Get-CsOnlineVoiceRoute | Where-Object {$_.Priority -eq 1}").starts_with("t.ps1:1:24: pipelines"));
    CHECK(error_of("\n\nNew-CsTeamsTranslationRule -Identity x -Translation \"+1$1\"") ==
          "t.ps1:3:54: PowerShell would expand \"$1\"\" inside double quotes (variables are not supported): use single "
          "quotes, e.g. '+1$1'");
    CHECK(error_of("New-CsOnlineVoiceRoute -Identity \"Redmond 1\n-Priority 1") ==
          "t.ps1:1:34: the string that starts here is not closed (missing \")");
    CHECK(error_of("X-Y -a @{Insert=1}") == "t.ps1:1:10: @{…} takes Add, Remove or Replace, not \"Insert\"");
    CHECK(error_of("X-Y -a @{Add=1") == "t.ps1:1:8: @{ is not closed (missing })");
    CHECK(error_of("X-Y -a { 1 }") == "t.ps1:1:8: script blocks ({ … }) are not supported");
    CHECK(error_of("X-Y -a (Get-Date)") == "t.ps1:1:8: parenthesised expressions are not supported: write the value itself");
    CHECK(error_of("X-Y -a $(1)") == "t.ps1:1:8: sub-expressions ($( … )) are not supported: write the value itself");
    CHECK(error_of("X-Y a > out.txt") == "t.ps1:1:7: redirection ('>') is not supported");
    CHECK(error_of("Hello") == "t.ps1:1:1: expected a cmdlet (Verb-Noun), found \"Hello\"");
    CHECK(error_of("X-Y a,") == "t.ps1:1:7: a value is missing after ','");
    CHECK(error_of("X-Y ^\\+1(\\d{10})$") == "t.ps1:1:9: a bare value cannot contain '(': put \"^\\+1(\\d{10})$\" in quotes");
    CHECK(error_of("X-Y é \xE2\x80\x9Cunclosed").starts_with("t.ps1:1:7: the string"));  // columns count characters
}

TEST_CASE("ps binding: parameter names, prefixes, aliases, values")
{
    SUBCASE("case-insensitive names, prefixes and aliases bind") {
        auto steps = bind_ps_script(parse("new-csonlinepstngateway -FQDN sbc1.contoso.com -sipsignallingport 5061 -enab $true\n"
                                          "Set-CsOnlineVoiceRoute -id R -OnlinePstnGatewayL @{Add='a'}\n"
                                          "Set-CsPhoneNumberAssignment -Identity u@contoso.com -TelephoneNumber +14255550100 -PhoneNumberType DirectRouting\n"
                                          "New-CsInboundBlockedNumberPattern -Name B -Pattern '^1$' -ErrorAction Stop -Confirm:$false"),
                                    "t.ps1");
        REQUIRE(steps.size() == 4);
        CHECK(steps[0].cmdlet == "New-CsOnlinePSTNGateway");
        CHECK(steps[0].csctl == std::vector<std::string>{"csctl online-pstn-gateway new sbc1.contoso.com --sip-signaling-port 5061 --enabled"});
        CHECK(steps[1].csctl == std::vector<std::string>{"csctl voice-route set R --add-gateway a"});
        CHECK(steps[2].csctl == std::vector<std::string>{"csctl user-enable u@contoso.com --number +14255550100 --number-type DirectRouting"});
        CHECK(steps[3].csctl == std::vector<std::string>{"csctl blocked-number new B --pattern '^1$'"});
        CHECK(steps[3].where == "t.ps1:4");
    }
    SUBCASE("errors name the place and the parameter") {
        CHECK(bind_error_of("Set-CsOnlinePSTNGateway -Identity sbc1 -Foo 1").starts_with(
            "t.ps1:1:40: Set-CsOnlinePSTNGateway: no parameter -Foo (parameters: -Identity, -SipSignalingPort, -Enabled,"));
        CHECK(bind_error_of("Set-CsOnlinePSTNGateway -Identity sbc1 -E $true") ==
              "t.ps1:1:40: Set-CsOnlinePSTNGateway: -E is ambiguous: it could be -Enabled, -ErrorAction, -ErrorVariable");
        CHECK(bind_error_of("Set-CsOnlinePSTNGateway -Identity sbc1 -SipSignalingPort abc") ==
              "t.ps1:1:40: Set-CsOnlinePSTNGateway: online pstn gateway \"sbc1\": SipSignalingPort \"abc\" is not an integer");
        CHECK(bind_error_of("Get-CsOnlinePstnUsage\nNew-CsOnlineUser -Identity x") ==
              "t.ps1:2:1: New-CsOnlineUser is not a cmdlet csctl runs (`csctl ps --list` shows those it does)");
        CHECK(bind_error_of("New-CsOnlineVoiceRoute -Identity R -Priority") ==
              "t.ps1:1:37: New-CsOnlineVoiceRoute: -Priority needs a value");
        CHECK(bind_error_of("New-CsOnlineVoiceRoute -Identity R -Identity S") ==
              "t.ps1:1:37: New-CsOnlineVoiceRoute: -Identity is given twice");
        CHECK(bind_error_of("New-CsOnlineVoiceRoute R S") ==
              "t.ps1:1:26: New-CsOnlineVoiceRoute: unexpected value \"S\" (name the parameter it is for, like -Identity)");
        CHECK(bind_error_of("Set-CsOnlineVoiceRoute -Identity R -Priority 1,2") ==
              "t.ps1:1:37: Set-CsOnlineVoiceRoute: -Priority takes one value, not a list");
        CHECK(bind_error_of("Remove-CsOnlineVoiceRoute -Identity R -WhatIf") ==
              "t.ps1:1:40: Remove-CsOnlineVoiceRoute: -WhatIf is not supported here: run `csctl ps --dry-run` to see what "
              "would change");
        CHECK(bind_error_of("New-CsVoiceNormalizationRule -Parent Global -Name x -Pattern 'a' -Translation 'b' -InMemory") ==
              "t.ps1:1:85: New-CsVoiceNormalizationRule: -InMemory makes a rule for a variable, and variables are not "
              "supported: create the rule in its dial plan with -Parent PLAN -Name NAME");
    }
    SUBCASE("shell words for --translate") {
        CHECK(shell_word("sbc1.contoso.com") == "sbc1.contoso.com");
        CHECK(shell_word("US and Canada") == "'US and Canada'");
        CHECK(shell_word("it's") == "'it'\\''s'");
        CHECK(shell_word("") == "''");
    }
}
