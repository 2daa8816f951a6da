// Users, groups, grants, numbers, the Teams upgrade policy, bulk CSV runs and validate: the built
// binary, black box. Every rejected command must leave the export byte-identical.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <set>

using namespace csctl::test;
using nlohmann::json;

namespace {

void ok(const Sandbox& s, const std::vector<std::string>& args)
{
    auto r = s.csctl(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
}

// A tenant with policies, a user homed online with PhoneSystem, one on-premises, a group.
void directory(const Sandbox& s)
{
    ok(s, {"tenant", "init", "contoso", "--domain", "contoso.com"});
    ok(s, {"usage", "add", "US and Canada"});
    ok(s, {"usage", "add", "International"});
    ok(s, {"voice-routing-policy", "new", "US Only", "--online-pstn-usages", "US and Canada"});
    ok(s, {"voice-routing-policy", "new", "No Restrictions", "--online-pstn-usages", "US and Canada,International"});
    ok(s, {"user", "add", "spencer@contoso.com", "--display-name", "Spencer Low", "--usage-location", "US", "--license",
           "PhoneSystem"});
    ok(s, {"user", "add", "olga@contoso.com", "--license", "PhoneSystem", "--license", "CallingPlan", "--homed", "onprem",
           "--groups", "sales;west"});
    ok(s, {"group", "new", "sales"});
    ok(s, {"group", "add-member", "sales", "spencer@contoso.com"});
}

json user_json(const Sandbox& s, const std::string& upn)
{
    auto r = s.csctl({"user", "get", upn, "-o", "json"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto list = json::parse(r.out);
    REQUIRE(list.size() == 1);
    return list[0];
}

// Runs a command that must fail with code, a message containing text, and no change.
void rejected(const Sandbox& s, const std::vector<std::string>& args, int code, const std::string& text)
{
    auto before = s.export_json();
    auto r = s.csctl(args);
    INFO(r.err);
    CHECK(r.code == code);
    CHECK(r.err.find(text) != std::string::npos);
    CHECK(s.export_json() == before);
}

}  // namespace

TEST_CASE("the stable interface forms build a directory that user get shows with effective policies")
{
    Sandbox s;
    directory(s);
    auto olga = user_json(s, "OLGA@contoso.com");
    CHECK(olga["userPrincipalName"] == "olga@contoso.com");
    CHECK(olga["sipAddress"] == "sip:olga@contoso.com");
    CHECK(olga["homed"] == "onprem");
    CHECK(olga["licenses"] == json({"PhoneSystem", "CallingPlan"}));
    CHECK(olga["groups"] == json({"sales", "west"}));
    CHECK(olga["phoneNumber"].is_null());
    CHECK(olga["onlineVoiceRoutingPolicy"].is_null());
    CHECK(olga["teamsUpgradePolicy"].is_null());
    CHECK(olga["effectivePolicies"]["onlineVoiceRoutingPolicy"] == json({{"name", "Global"}, {"source", "global"}, {"group", nullptr}, {"rank", nullptr}}));
    CHECK(olga["effectivePolicies"]["teamsUpgradePolicy"]["mode"] == "Islands");
    CHECK(olga["effectivePolicies"]["tenantDialPlan"]["name"] == "Global");
}

TEST_CASE("effective voice routing policy: direct beats group rank beats tenant default beats Global")
{
    Sandbox s;
    directory(s);
    auto effective = [&](const std::string& upn) { return user_json(s, upn)["effectivePolicies"]["onlineVoiceRoutingPolicy"]; };
    CHECK(effective("spencer@contoso.com")["source"] == "global");

    ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--global", "--yes"});
    CHECK(effective("spencer@contoso.com") == json({{"name", "No Restrictions"}, {"source", "tenant"}, {"group", nullptr}, {"rank", nullptr}}));

    ok(s, {"group", "new", "west"});  // exists already (user add created it): left as it is
    ok(s, {"group", "add-member", "west", "spencer@contoso.com"});
    ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--group", "west"});  // no rank: lowest
    CHECK(effective("spencer@contoso.com") == json({{"name", "No Restrictions"}, {"source", "group"}, {"group", "west"}, {"rank", nullptr}}));
    ok(s, {"voice-routing-policy", "grant", "US Only", "--group", "sales", "--rank", "1"});
    CHECK(effective("spencer@contoso.com") == json({{"name", "US Only"}, {"source", "group"}, {"group", "sales"}, {"rank", 1}}));
    ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--group", "west", "--rank", "2"});
    CHECK(effective("spencer@contoso.com")["group"] == "sales");

    ok(s, {"voice-routing-policy", "grant", "No Restrictions", "--user", "spencer@contoso.com"});
    CHECK(effective("spencer@contoso.com") == json({{"name", "No Restrictions"}, {"source", "direct"}, {"group", nullptr}, {"rank", nullptr}}));

    // A null policy removes the assignment: back to the group.
    ok(s, {"voice-routing-policy", "grant", "$null", "--user", "spencer@contoso.com"});
    CHECK(effective("spencer@contoso.com")["source"] == "group");
    auto list = s.csctl({"user", "list", "--policy", "US Only", "-o", "json"});
    REQUIRE(list.code == 0);
    CHECK(json::parse(list.out).size() == 2);  // olga is in sales too

    // The table view says where it comes from.
    auto r = s.csctl({"user", "get", "spencer@contoso.com"});
    CHECK(r.out.find("US Only (group \"sales\" rank 1)") != std::string::npos);
}

TEST_CASE("grants refuse unknown users, policies and groups and change nothing")
{
    Sandbox s;
    directory(s);
    rejected(s, {"voice-routing-policy", "grant", "US Only", "--user", "nobody@contoso.com"}, 3,
             "user \"nobody@contoso.com\" does not exist");
    rejected(s, {"voice-routing-policy", "grant", "Nope", "--user", "spencer@contoso.com"}, 3,
             "voice routing policy \"Nope\" does not exist");
    rejected(s, {"voice-routing-policy", "grant", "US Only", "--group", "nogroup"}, 3, "group \"nogroup\" does not exist");
    rejected(s, {"voice-routing-policy", "grant", "US Only", "--group", "sales", "--rank", "0"}, 2, "must be 1 or more");
    rejected(s, {"voice-routing-policy", "grant", "US Only"}, 2, "say whom to grant to");
    rejected(s, {"user", "get", "nobody@contoso.com"}, 3, "user \"nobody@contoso.com\" does not exist");
    rejected(s, {"user", "add", "spencer@contoso.com"}, 4, "already exists");
    rejected(s, {"user", "add", "not-an-upn"}, 2, "must look like name@domain");
    rejected(s, {"user", "add", "x@contoso.com", "--usage-location", "USA"}, 2, "not an ISO 3166 country code");
    rejected(s, {"user", "add", "x@contoso.com", "--usage-location", "uk"}, 2, "the United Kingdom is GB");
    rejected(s, {"user", "add", "x@contoso.com", "--usage-location", "ZZ"}, 2, "not an ISO 3166 country code");
    rejected(s, {"user", "add", "x@contoso.com", "--license", "E5"}, 2, "licence \"E5\" is not one of PhoneSystem, CallingPlan");
}

TEST_CASE("a policy still granted cannot be removed, unless cascaded: its grantees fall back")
{
    Sandbox s;
    directory(s);
    ok(s, {"voice-routing-policy", "grant", "US Only", "--user", "spencer@contoso.com"});
    rejected(s, {"voice-routing-policy", "remove", "US Only", "--yes"}, 4, "still granted to 1 user (\"spencer@contoso.com\")");
    ok(s, {"group", "new", "west"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--group", "west", "--rank", "1"});
    ok(s, {"voice-routing-policy", "grant", "US Only", "--global", "--yes"});
    auto r = s.csctl({"voice-routing-policy", "remove", "US Only", "--yes", "--cascade"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("removed the grants of voice routing policy \"US Only\": 1 user and 1 group fall back") !=
          std::string::npos);
    auto effective = user_json(s, "spencer@contoso.com")["effectivePolicies"]["onlineVoiceRoutingPolicy"];
    CHECK(effective["name"] == "Global");
    CHECK(s.csctl({"voice-routing-policy", "get", "US Only"}).code == 3);
    CHECK(s.csctl({"validate"}).code == 0);
    // One change: undo brings the policy and every grant back.
    ok(s, {"undo", "--yes"});
    CHECK(user_json(s, "spencer@contoso.com")["onlineVoiceRoutingPolicy"] == "US Only");
}

TEST_CASE("user-enable normalises numbers with libphonenumber and enforces the number rules")
{
    Sandbox s;
    directory(s);
    ok(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--user", "spencer@contoso.com"});

    auto r = s.csctl({"user-enable", "spencer@contoso.com", "--number", "+1 (425) 555-0100;ext=51297", "-o", "json"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("warning") == std::string::npos);  // TeamsOnly: no warning
    auto spencer = user_json(s, "spencer@contoso.com");
    CHECK(spencer["phoneNumber"] == "+14255550100;ext=51297");
    CHECK(spencer["phoneNumberType"] == "DirectRouting");
    CHECK(spencer["enterpriseVoiceEnabled"] == true);

    // National format read with the user's UsageLocation; the number without the extension is another number.
    ok(s, {"user", "add", "amy@contoso.com", "--usage-location", "US", "--license", "PhoneSystem"});
    r = s.csctl({"user-enable", "amy@contoso.com", "--number", "(425) 555-0100"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("is in mode Islands, not TeamsOnly") != std::string::npos);
    CHECK(user_json(s, "amy@contoso.com")["phoneNumber"] == "+14255550100");

    // Legacy Set-CsUser form: tel: stripped.
    ok(s, {"user", "add", "lee@contoso.com", "--license", "PhoneSystem"});
    ok(s, {"user-enable", "lee@contoso.com", "--on-prem-line-uri", "tel:+14255550111", "--enterprise-voice-enabled",
           "--hosted-voicemail"});
    auto lee = user_json(s, "lee@contoso.com");
    CHECK(lee["phoneNumber"] == "+14255550111");
    CHECK(lee["hostedVoiceMail"] == true);

    SUBCASE("duplicate number") {
        rejected(s, {"user-enable", "lee@contoso.com", "--number", "+1 425-555-0100"}, 4,
                 "PhoneNumber \"+14255550100\" is already assigned to user \"amy@contoso.com\"");
    }
    SUBCASE("malformed and invalid numbers") {
        rejected(s, {"user-enable", "lee@contoso.com", "--number", "+1 425"}, 2, "PhoneNumber \"+1 425\" is");
        rejected(s, {"user-enable", "lee@contoso.com", "--number", "call me"}, 2, "is not a phone number");
        rejected(s, {"user-enable", "lee@contoso.com", "--number", "+1 (099) 555-0100"}, 2, "is not a valid number");
        // In E.164 already, but no number of its country (999 is no North American area code).
        rejected(s, {"user-enable", "lee@contoso.com", "--number", "+19995550100"}, 2,
                 "PhoneNumber \"+19995550100\" is not a valid number in US");
        rejected(s, {"user-enable", "lee@contoso.com", "--number", "+14255550123;ext=abc"}, 2, "extension must be digits");
    }
    SUBCASE("unknown user") {
        rejected(s, {"user-enable", "nobody@contoso.com", "--number", "+14255550199"}, 3, "does not exist");
    }
    SUBCASE("missing licence") {
        ok(s, {"user", "add", "nolicence@contoso.com"});
        rejected(s, {"user-enable", "nolicence@contoso.com", "--number", "+14255550199"}, 2, "need the PhoneSystem licence");
        rejected(s, {"user-enable", "amy@contoso.com", "--number", "+14255550199", "--number-type", "CallingPlan"}, 2,
                 "CallingPlan numbers need the CallingPlan licence");
    }
    SUBCASE("DirectRouting for a user homed on-premises") {
        rejected(s, {"user-enable", "olga@contoso.com", "--number", "+14255550199"}, 2, "DirectRouting numbers need a user homed online");
    }
    SUBCASE("user-disable removes the number, which another user can then take") {
        rejected(s, {"user-disable", "amy@contoso.com", "--number", "+14255550999"}, 2, "is not assigned to the user");
        ok(s, {"user-disable", "amy@contoso.com"});
        auto amy = user_json(s, "amy@contoso.com");
        CHECK(amy["phoneNumber"].is_null());
        CHECK(amy["enterpriseVoiceEnabled"] == false);
        ok(s, {"user-enable", "lee@contoso.com", "--number", "+14255550100"});
    }
}

TEST_CASE("upgrade-policy: built-in instances, TeamsOnly refused for on-premises users, bulk from CSV")
{
    Sandbox s;
    directory(s);
    auto r = s.csctl({"upgrade-policy", "get", "-o", "json"});
    REQUIRE(r.code == 0);
    auto policies = json::parse(r.out);
    CHECK(policies.size() == 10);
    CHECK(policies[0] == json({{"identity", "Global"}, {"mode", "Islands"}, {"notifySfbUsers", false}, {"description", "Tenant default"}}));
    CHECK(policies[1]["identity"] == "Tag:UpgradeToTeams");
    CHECK(policies[1]["mode"] == "TeamsOnly");

    rejected(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--user", "olga@contoso.com"}, 2,
             "user \"olga@contoso.com\" is homed on-premises");
    rejected(s, {"upgrade-policy", "grant", "NoSuchMode", "--user", "spencer@contoso.com"}, 3,
             "teams upgrade policy \"NoSuchMode\" does not exist");
    rejected(s, {"upgrade-policy", "grant", "Islands", "--global"}, 2, "pass --yes");

    ok(s, {"user", "add", "amy@contoso.com", "--license", "PhoneSystem"});
    s.write("wave1.csv", "userPrincipalName\nspencer@contoso.com\nolga@contoso.com\namy@contoso.com\n");
    auto before = s.export_json();
    r = s.csctl({"upgrade-policy", "grant", "UpgradeToTeams", "--from-csv", "wave1.csv", "-o", "json"});
    CHECK(r.code == 2);
    auto rows = json::parse(r.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["outcome"] == "skipped");
    CHECK(rows[1]["outcome"] == "failed");
    CHECK(rows[1]["row"] == 3);
    CHECK(rows[2]["outcome"] == "skipped");
    CHECK(r.err.find("nothing was changed") != std::string::npos);
    CHECK(s.export_json() == before);

    r = s.csctl({"upgrade-policy", "grant", "UpgradeToTeams", "--from-csv", "wave1.csv", "--continue-on-error", "-o", "csv"});
    CHECK(r.code == 2);
    CHECK(r.out == "row,userPrincipalName,outcome,message\n"
                   "2,spencer@contoso.com,updated,(none) -> UpgradeToTeams\n"
                   "3,olga@contoso.com,failed,\"user \"\"olga@contoso.com\"\" is homed on-premises: \"\"UpgradeToTeams\"\" (TeamsOnly) "
                   "needs a user homed online; move the user to Teams Online first (`csctl user set olga@contoso.com --homed online`)\"\n"
                   "4,amy@contoso.com,updated,(none) -> UpgradeToTeams\n");
    CHECK(user_json(s, "amy@contoso.com")["effectivePolicies"]["teamsUpgradePolicy"]["mode"] == "TeamsOnly");
    CHECK(user_json(s, "olga@contoso.com")["teamsUpgradePolicy"].is_null());

    // Re-running is resumable: applied rows report unchanged.
    r = s.csctl({"upgrade-policy", "grant", "UpgradeToTeams", "--from-csv", "wave1.csv", "--continue-on-error", "-o", "json"});
    rows = json::parse(r.out);
    CHECK(rows[0]["outcome"] == "unchanged");
    CHECK(rows[2]["outcome"] == "unchanged");

    r = s.csctl({"user", "list", "--mode", "TeamsOnly", "-o", "json"});
    REQUIRE(r.code == 0);
    auto wave = json::parse(r.out);
    REQUIRE(wave.size() == 2);
    CHECK(wave[0]["userPrincipalName"] == "amy@contoso.com");
    CHECK(wave[1]["userPrincipalName"] == "spencer@contoso.com");

    // The tenant default, confirmed with --yes: TeamsOnly is refused while olga (homed
    // on-premises, no grant of her own) would take it; once she keeps Skype for Business, it is not.
    before = s.export_json();
    rejected(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--global", "--yes"}, 2,
             "as the tenant default would make 1 user homed on-premises TeamsOnly (\"olga@contoso.com\")");
    CHECK(s.export_json() == before);
    // The same default set by a document.
    auto document = s.csctl({"export", "-o", "yaml"}).out;
    auto at = document.find("teamsUpgradePolicy: ~");  // the tenant's, the first
    REQUIRE(at != std::string::npos);
    document.replace(at, 21, "teamsUpgradePolicy: UpgradeToTeams");
    s.write("teams-only.yaml", document);
    rejected(s, {"apply", "-f", "teams-only.yaml"}, 2, "would make 1 user homed on-premises TeamsOnly (\"olga@contoso.com\")");
    ok(s, {"upgrade-policy", "grant", "Islands", "--user", "olga@contoso.com"});
    ok(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--global", "--yes"});
    CHECK(user_json(s, "olga@contoso.com")["effectivePolicies"]["teamsUpgradePolicy"]["source"] == "direct");
    CHECK(user_json(s, "spencer@contoso.com")["effectivePolicies"]["teamsUpgradePolicy"]["mode"] == "TeamsOnly");
    // A user created homed on-premises under that default would be TeamsOnly too.
    rejected(s, {"user", "add", "onp@contoso.com", "--homed", "onprem"}, 2, "Homed \"onprem\" is refused");
    s.write("onprem.csv", "userPrincipalName,homed\nnewonp@contoso.com,onprem\n");
    rejected(s, {"user", "import", "onprem.csv"}, 2, "Homed \"onprem\" is refused");
    ok(s, {"user", "add", "onp@contoso.com"});
    CHECK(s.csctl({"validate"}).out.find("teams-only-on-prem") == std::string::npos);
    // The same rule for a document: a user homed on-premises granted UpgradeToTeams directly, or
    // moved on-premises under the TeamsOnly default.
    s.write("d1.yaml", "users:\n  - userPrincipalName: d1@contoso.com\n    homed: onprem\n    teamsUpgradePolicy: Islands\n"
                       "  - userPrincipalName: d2@contoso.com\n    homed: onprem\n    teamsUpgradePolicy: UpgradeToTeams\n");
    rejected(s, {"apply", "-f", "d1.yaml"}, 2, "user \"d2@contoso.com\": Homed \"onprem\" is refused");
    rejected(s, {"import", "-f", "d1.yaml"}, 2, "user \"d2@contoso.com\": Homed \"onprem\" is refused");
    s.write("d2.yaml", "users:\n  - userPrincipalName: onp@contoso.com\n    homed: onprem\n");
    rejected(s, {"apply", "-f", "d2.yaml"}, 2, "user \"onp@contoso.com\": Homed \"onprem\" is refused");
}

TEST_CASE("user import: a bad row in the middle applies nothing unless --continue-on-error, re-runs report unchanged")
{
    Sandbox s;
    ok(s, {"tenant", "init", "contoso"});
    s.write("users.csv", "\xEF\xBB\xBFUserPrincipalName,DISPLAYNAME,usageLocation,licenses,groups,extra\r\n"
                         "a@contoso.com,\"Low, Amy\",us,PhoneSystem,sales;west,x\r\n"
                         "b@contoso.com,Bad Country,USA,,,\r\n"
                         "c@contoso.com,Cy,GB,PhoneSystem;CallingPlan,,\r\n");
    auto before = s.export_json();
    auto r = s.csctl({"user", "import", "users.csv"});
    CHECK(r.code == 2);
    CHECK(r.out.find("3    b@contoso.com") != std::string::npos);
    CHECK(r.err.find("1 of 3 rows failed (first: row 3: user \"b@contoso.com\": UsageLocation \"USA\" is not an ISO 3166 "
                     "country code") != std::string::npos);
    CHECK(s.export_json() == before);

    r = s.csctl({"user", "import", "users.csv", "--continue-on-error", "--dry-run"});
    CHECK(r.code == 2);
    CHECK(s.export_json() == before);

    r = s.csctl({"user", "import", "users.csv", "--continue-on-error", "-o", "json"});
    CHECK(r.code == 2);
    auto rows = json::parse(r.out);
    CHECK(rows[0]["outcome"] == "created");
    CHECK(rows[1]["outcome"] == "failed");
    CHECK(rows[2]["outcome"] == "created");
    auto a = user_json(s, "a@contoso.com");
    CHECK(a["displayName"] == "Low, Amy");
    CHECK(a["usageLocation"] == "US");
    CHECK(a["groups"] == json({"sales", "west"}));

    s.write("fixed.csv", "userPrincipalName,displayName,usageLocation\n"
                         "a@contoso.com,\"Low, Amy\",US\nb@contoso.com,Bee,US\nc@contoso.com,Cy,GB\n");
    r = s.csctl({"user", "import", "fixed.csv", "-o", "json"});
    INFO(r.err);
    CHECK(r.code == 0);
    rows = json::parse(r.out);
    CHECK(rows[0]["outcome"] == "unchanged");
    CHECK(rows[1]["outcome"] == "created");
    CHECK(rows[2]["outcome"] == "unchanged");

    // Undo of a bulk change restores the directory as it was.
    ok(s, {"undo"});
    r = s.csctl({"user", "get", "b@contoso.com"});
    CHECK(r.code == 3);

    SUBCASE("files without the required column, duplicates, or broken quoting") {
        s.write("nocol.csv", "displayName\nx\n");
        rejected(s, {"user", "import", "nocol.csv"}, 2, "has no \"userPrincipalName\" column");
        s.write("dup.csv", "userPrincipalName\nz@contoso.com\nZ@contoso.com\n");
        rejected(s, {"user", "import", "dup.csv"}, 2, "is listed again (first on row 2)");
        s.write("quote.csv", "userPrincipalName,displayName\nz@contoso.com,\"open\n");
        rejected(s, {"user", "import", "quote.csv"}, 2, "quote.csv:2: a quoted field is never closed");
        rejected(s, {"user", "import", "missing.csv"}, 3, "cannot read \"missing.csv\"");
    }
}

TEST_CASE("user import of more users than one multi-row INSERT: a bad row inside a chunk, then the rest, then undo")
{
    Sandbox s;
    ok(s, {"tenant", "init", "contoso"});
    std::string csv = "userPrincipalName,displayName,objectId,usageLocation,licenses\n";
    for (int i = 0; i < 150; ++i) {
        auto n = std::to_string(1000 + i);
        csv += "u" + n + "@contoso.com,\"User, " + n + "\"," + (i == 100 ? std::string("nope") : "") + ",US,PhoneSystem\n";
    }
    s.write("many.csv", csv);
    auto before = s.export_json();
    auto r = s.csctl({"user", "import", "many.csv"});
    CHECK(r.code == 2);
    CHECK(r.err.find("1 of 150 rows failed (first: row 102: user \"u1100@contoso.com\": ObjectId \"nope\" is not a GUID") !=
          std::string::npos);
    CHECK(s.export_json() == before);

    r = s.csctl({"user", "import", "many.csv", "--continue-on-error", "-o", "csv"});
    CHECK(r.code == 2);
    CHECK(r.out.find("\n65,u1063@contoso.com,created,\n") != std::string::npos);
    CHECK(r.out.find("\n102,u1100@contoso.com,failed,") != std::string::npos);
    auto after = json::parse(s.export_json());
    CHECK(after["users"].size() == 149);
    auto u = user_json(s, "U1149@contoso.com");
    CHECK(u["displayName"] == "User, 1149");
    CHECK(u["sipAddress"] == "sip:u1149@contoso.com");
    CHECK(u["licenses"] == json({"PhoneSystem"}));

    // A grant to all of them shows its "A -> B" messages only in a report format.
    std::string grant = "userPrincipalName\n";
    for (int i = 0; i < 150; ++i)
        if (i != 100)
            grant += "u" + std::to_string(1000 + i) + "@contoso.com\n";
    s.write("grant.csv", grant);
    r = s.csctl({"upgrade-policy", "grant", "UpgradeToTeams", "--from-csv", "grant.csv"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    ok(s, {"undo"});
    r = s.csctl({"upgrade-policy", "grant", "UpgradeToTeams", "--from-csv", "grant.csv", "-o", "json"});
    CHECK(r.code == 0);
    auto rows = json::parse(r.out);
    REQUIRE(rows.size() == 149);
    CHECK(rows[148]["message"] == "(none) -> UpgradeToTeams");

    ok(s, {"undo"});
    ok(s, {"undo"});
    CHECK(s.export_json() == before);
}

TEST_CASE("user-enable and voice-routing-policy grant from CSV")
{
    Sandbox s;
    directory(s);
    ok(s, {"user", "add", "amy@contoso.com", "--license", "PhoneSystem", "--usage-location", "US"});
    s.write("numbers.csv", "userPrincipalName,phoneNumber,numberType\n"
                           "spencer@contoso.com,+14255550100,DirectRouting\n"
                           "amy@contoso.com,(425) 555-0101,\n"
                           "nobody@contoso.com,+14255550102,\n"
                           "olga@contoso.com,+14255550100,\n");
    auto before = s.export_json();
    auto r = s.csctl({"user-enable", "--from-csv", "numbers.csv", "-o", "json"});
    CHECK(r.code == 3);  // the first failed row decides the code
    auto rows = json::parse(r.out);
    CHECK(rows[2]["message"].get<std::string>().find("does not exist") != std::string::npos);
    CHECK(rows[3]["message"].get<std::string>().find("is also on row 2") != std::string::npos);
    CHECK(s.export_json() == before);

    r = s.csctl({"user-enable", "--from-csv", "numbers.csv", "--continue-on-error", "-o", "json"});
    CHECK(r.code == 3);
    CHECK(user_json(s, "amy@contoso.com")["phoneNumber"] == "+14255550101");
    CHECK(user_json(s, "spencer@contoso.com")["phoneNumber"] == "+14255550100");
    // Neither is TeamsOnly: the default output says so too, not only the per-row report.
    CHECK(r.err.find("csctl: warning: 2 users given a number here are not TeamsOnly (\"spencer@contoso.com\", "
                     "\"amy@contoso.com\"); Direct Routing calls will not reach them") != std::string::npos);

    // The options of one user are refused with a CSV; --number-type fills the empty cells.
    before = s.export_json();
    rejected(s, {"user-enable", "--from-csv", "numbers.csv", "--number", "+14255550199"}, 2, "are for one user");
    rejected(s, {"user-enable", "--from-csv", "numbers.csv", "--hosted-voice-mail"}, 2, "are for one user");
    ok(s, {"user", "set", "amy@contoso.com", "--license", "PhoneSystem", "--license", "CallingPlan"});
    s.write("calling.csv", "userPrincipalName,phoneNumber\namy@contoso.com,+14255550101\n");
    ok(s, {"user-enable", "--from-csv", "calling.csv", "--number-type", "CallingPlan"});
    CHECK(user_json(s, "amy@contoso.com")["phoneNumberType"] == "CallingPlan");

    s.write("grants.csv", "userPrincipalName,policyName\nspencer@contoso.com,US Only\namy@contoso.com,No Restrictions\n");
    r = s.csctl({"voice-routing-policy", "grant", "--from-csv", "grants.csv", "-o", "json"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(user_json(s, "amy@contoso.com")["onlineVoiceRoutingPolicy"] == "No Restrictions");
    r = s.csctl({"voice-routing-policy", "grant", "US Only", "--from-csv", "grants.csv", "-o", "json"});
    rows = json::parse(r.out);
    CHECK(rows[0]["outcome"] == "unchanged");
    CHECK(rows[1]["outcome"] == "updated");
}

namespace {
// The directory's findings: the routing rules (rule "routing") have their own tests.
json directory_findings(const std::string& out)
{
    json kept = json::array();
    for (const auto& f : json::parse(out))
        if (f["rule"] != "routing")
            kept.push_back(f);
    return kept;
}
}  // namespace

TEST_CASE("validate lists findings with severity and fails on errors")
{
    Sandbox s;
    directory(s);
    auto r = s.csctl({"validate", "-o", "json"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(directory_findings(r.out).empty());

    ok(s, {"user-enable", "spencer@contoso.com", "--number", "+14255550100"});
    r = s.csctl({"validate", "-o", "json"});
    CHECK(r.code == 0);  // warnings only
    auto findings = directory_findings(r.out);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0]["severity"] == "warning");
    CHECK(findings[0]["rule"] == "user-not-teams-only");
    CHECK(findings[1]["rule"] == "policy-without-usages");

    // What the commands refuse can still reach a database (an older csctl, a hand edit): validate
    // reports it as errors and exits 2.
    auto db = s.dir() + "/data/csctl/contoso.db";
    auto edit = s.run({"sqlite3", db, "UPDATE users SET licenses = '', voice_routing_policy = 'Gone' "
                                      "WHERE upn = 'spencer@contoso.com'"});
    REQUIRE(edit.code == 0);
    r = s.csctl({"validate", "-o", "json"});
    CHECK(r.code == 2);
    findings = directory_findings(r.out);
    std::vector<std::string> rules;
    for (const auto& f : findings)
        rules.push_back(f["severity"].get<std::string>() + " " + f["rule"].get<std::string>());
    CHECK(rules == std::vector<std::string>{"error grant-to-missing-policy", "error number-without-phone-system",
                                            "warning user-not-teams-only"});
    r = s.csctl({"validate"});
    CHECK(r.code == 2);
    CHECK(r.err.find("csctl: error: validate: 2 errors, ") != std::string::npos);
    CHECK(r.out.find("voice routing policy \"Gone\" is granted but does not exist") != std::string::npos);

    // A dial plan granted that does not exist, and a user homed on-premises who is TeamsOnly.
    edit = s.run({"sqlite3", db, "UPDATE users SET tenant_dial_plan = 'GhostPlan', upgrade_policy = 'UpgradeToTeams' "
                                 "WHERE upn = 'olga@contoso.com'"});
    REQUIRE(edit.code == 0);
    r = s.csctl({"validate", "-o", "json"});
    CHECK(r.code == 2);
    std::vector<std::string> olga;
    for (const auto& f : json::parse(r.out))
        if (f["object"] == "user \"olga@contoso.com\"")
            olga.push_back(f["rule"].get<std::string>() + ": " + f["message"].get<std::string>());
    CHECK(olga == std::vector<std::string>{
                      "grant-to-missing-policy: tenant dial plan \"GhostPlan\" is granted but does not exist",
                      "teams-only-on-prem: is homed on-premises but TeamsOnly (teams upgrade policy \"UpgradeToTeams\", "
                      "direct); a TeamsOnly user must be homed online"});

    // Two users with one SIP address or one object id.
    ok(s, {"user", "add", "dup@contoso.com", "--sip-address", "sip:SPENCER@contoso.com", "--object-id",
           "11111111-2222-3333-4444-555555555555"});
    ok(s, {"user", "add", "dup2@contoso.com", "--object-id", "11111111-2222-3333-4444-555555555555"});
    r = s.csctl({"validate", "-o", "json"});
    CHECK(r.code == 2);
    std::set<std::string> dups;
    for (const auto& f : json::parse(r.out))
        if (f["rule"].get<std::string>().starts_with("duplicate-"))
            dups.insert(f["rule"].get<std::string>() + ": " + f["message"].get<std::string>());
    CHECK(dups == std::set<std::string>{
                      "duplicate-object-id: ObjectId \"11111111-2222-3333-4444-555555555555\" is also the object id of user "
                      "\"dup2@contoso.com\"",
                      "duplicate-sip-address: SipAddress \"sip:spencer@contoso.com\" is also the SIP address of user "
                      "\"dup@contoso.com\""});
}

TEST_CASE("user import reads JSON, list filters, removing a group or a user releases what they held")
{
    Sandbox s;
    directory(s);
    s.write("users.json", R"([{"userPrincipalName": "amy@contoso.com", "licenses": ["PhoneSystem"], "groups": "sales"},
                              {"userPrincipalName": "bo@contoso.com", "displayName": "Bo", "usageLocation": "gb"}])");
    auto r = s.csctl({"user", "import", "users.json", "-o", "json"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(json::parse(r.out).size() == 2);
    CHECK(user_json(s, "bo@contoso.com")["usageLocation"] == "GB");
    s.write("bad.json", "[{\"userPrincipalName\": 5}]");
    rejected(s, {"user", "import", "bad.json"}, 2, "field \"userPrincipalName\" must be a string");

    ok(s, {"user-enable", "amy@contoso.com", "--number", "+14255550100"});
    auto count = [&](const std::vector<std::string>& filter) {
        std::vector<std::string> args{"user", "list", "-o", "json"};
        args.insert(args.end(), filter.begin(), filter.end());
        auto out = s.csctl(args);
        INFO(out.err);
        REQUIRE(out.code == 0);
        return json::parse(out.out).size();
    };
    CHECK(count({}) == 4);
    CHECK(count({"--has-number", "true"}) == 1);
    CHECK(count({"--enabled", "false"}) == 3);
    CHECK(count({"--group", "SALES"}) == 3);
    CHECK(count({"--filter", "*@contoso.com", "--mode", "Islands"}) == 4);
    CHECK(count({"--mode", "islands", "--policy", "Global"}) == 4);
    // A typo is an error, not an empty migration wave.
    rejected(s, {"user", "list", "--mode", "TeamOnly"}, 2, "--mode \"TeamOnly\" is not one of TeamsOnly, Islands");
    rejected(s, {"user", "list", "--policy", "US Onyl"}, 3, "voice routing policy \"US Onyl\" does not exist");
    rejected(s, {"user", "list", "--group", "sale"}, 3, "group \"sale\" does not exist");
    // JSON on standard input, told by its first character.
    r = s.csctl({"user", "import", "-"}, R"([{"userPrincipalName": "sj@contoso.com", "displayName": "SJ"}])");
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(user_json(s, "sj@contoso.com")["displayName"] == "SJ");
    ok(s, {"user", "remove", "sj@contoso.com", "--yes"});

    ok(s, {"group", "remove", "sales", "--yes"});
    CHECK(user_json(s, "amy@contoso.com")["groups"] == json::array());
    rejected(s, {"user", "list", "--group", "sales"}, 3, "group \"sales\" does not exist");

    // The number is free again once its user is gone.
    ok(s, {"user", "remove", "amy@contoso.com", "--yes"});
    ok(s, {"user-enable", "spencer@contoso.com", "--number", "+14255550100"});
    rejected(s, {"user", "remove", "amy@contoso.com", "--yes"}, 3, "does not exist");
}

TEST_CASE("a TeamsOnly user cannot be moved on-premises by user set or user import")
{
    Sandbox s;
    directory(s);
    ok(s, {"user", "add", "amy@contoso.com"});
    ok(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--user", "spencer@contoso.com"});
    const std::string refused = "user \"spencer@contoso.com\": Homed \"onprem\" is refused: the user is TeamsOnly (teams upgrade "
                                "policy \"UpgradeToTeams\", direct) and a TeamsOnly user must stay homed online; grant a mode "
                                "that keeps Skype for Business first (`csctl upgrade-policy grant Islands --user "
                                "spencer@contoso.com`)";
    rejected(s, {"user", "set", "spencer@contoso.com", "--homed", "onprem"}, 2, "csctl: error: " + refused);
    rejected(s, {"user", "set", "SPENCER@contoso.com", "--homed", "OnPrem", "--display-name", "S"}, 2, "Homed \"onprem\" is refused");

    s.write("move.csv", "userPrincipalName,homed\namy@contoso.com,onprem\nspencer@contoso.com,onprem\n");
    auto before = s.export_json();
    auto r = s.csctl({"user", "import", "move.csv", "-o", "json"});
    CHECK(r.code == 2);
    auto rows = json::parse(r.out);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["outcome"] == "skipped");
    CHECK(rows[1]["outcome"] == "failed");
    CHECK(rows[1]["message"] == refused);
    CHECK(r.err.find("nothing was changed") != std::string::npos);
    CHECK(s.export_json() == before);

    r = s.csctl({"user", "import", "move.csv", "--continue-on-error", "-o", "json"});
    CHECK(r.code == 2);
    rows = json::parse(r.out);
    CHECK(rows[0]["outcome"] == "updated");
    CHECK(user_json(s, "amy@contoso.com")["homed"] == "onprem");
    CHECK(user_json(s, "spencer@contoso.com")["homed"] == "online");

    // The tenant default counts too; a direct grant that keeps Skype for Business lets the user move.
    ok(s, {"upgrade-policy", "grant", "Islands", "--user", "amy@contoso.com"});
    ok(s, {"upgrade-policy", "grant", "Islands", "--user", "olga@contoso.com"});
    ok(s, {"upgrade-policy", "grant", "UpgradeToTeams", "--global", "--yes"});
    ok(s, {"user", "add", "bob@contoso.com"});
    rejected(s, {"user", "set", "bob@contoso.com", "--homed", "onprem"}, 2, "(teams upgrade policy \"UpgradeToTeams\", tenant default)");
    ok(s, {"upgrade-policy", "grant", "Islands", "--user", "spencer@contoso.com"});
    ok(s, {"user", "set", "spencer@contoso.com", "--homed", "onprem"});
    CHECK(user_json(s, "spencer@contoso.com")["homed"] == "onprem");
}
