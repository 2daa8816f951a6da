// The man pages: the committed ones are what the registry generates, each renders without a
// warning, and `csctl help` explains its topics.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

using namespace csctl::test;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::set<std::string> pages_in(const fs::path& dir)
{
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".1")
            names.insert(entry.path().filename().string());
    return names;
}

}  // namespace

TEST_CASE("the committed man pages are what the registry generates")
{
    Sandbox s;
    auto r = s.csctl({"__man", s.file("man")});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const fs::path committed = fs::path(CSCTL_SOURCE_DIR) / "man";
    auto generated = pages_in(s.file("man"));
    CHECK_MESSAGE(generated == pages_in(committed), "man/ is stale: regenerate it with `build/csctl __man man`");
    for (const auto& name : generated) {
        CAPTURE(name);
        CHECK_MESSAGE(read_file(fs::path(s.file("man")) / name) == read_file(committed / name),
                      "man/" << name << " is stale: regenerate it with `build/csctl __man man`");
    }
    for (const auto& page : {"csctl.1", "csctl-voice-route.1", "csctl-online-pstn-gateway.1", "csctl-completion.1"})
        CHECK(generated.contains(page));
}

TEST_CASE("every man page renders without warnings")
{
    Sandbox s;
    auto r = s.csctl({"__man", s.file("man")});
    REQUIRE(r.code == 0);
    for (const auto& name : pages_in(s.file("man"))) {
        CAPTURE(name);
        auto page = s.file("man/" + name);
        auto lint = s.run({"mandoc", "-T", "lint", "-W", "warning", page});
        CHECK_MESSAGE(lint.code == 0, lint.out << lint.err);
        CHECK(lint.out.empty());
        auto groff = s.run({"groff", "-ww", "-z", "-man", page});
        CHECK(groff.code == 0);
        CHECK_MESSAGE(groff.err.empty(), groff.err);
    }
}

TEST_CASE("the group pages name the cmdlets, every option and examples")
{
    Sandbox s;
    REQUIRE(s.csctl({"__man", s.file("man")}).code == 0);
    auto route = read_file(s.file("man/csctl-voice-route.1"));
    CHECK(route.find("New\\-CsOnlineVoiceRoute") == std::string::npos);  // cmdlet names are prose, not options
    CHECK(route.find("New-CsOnlineVoiceRoute") != std::string::npos);
    CHECK(route.find("\\fB\\-\\-online\\-pstn\\-gateway\\-list\\fR, \\fB\\-\\-gateways\\fR") != std::string::npos);
    CHECK(route.find(".SH EXAMPLES") != std::string::npos);
    auto gateway = read_file(s.file("man/csctl-online-pstn-gateway.1"));
    CHECK(gateway.find("Values: IPv4, IPv6.") != std::string::npos);
    CHECK(gateway.find("Also spelled \\fBgateway\\fR") != std::string::npos);
    auto main = read_file(s.file("man/csctl.1"));
    for (const auto& section : {".SH GLOBAL OPTIONS", ".SH ENVIRONMENT", ".SH FILES", ".SH EXIT STATUS", ".SH EXAMPLES"})
        CHECK(main.find(section) != std::string::npos);
    CHECK(main.find("CSCTL_TENANT") != std::string::npos);
    CHECK(main.find(".B 130") != std::string::npos);
}

TEST_CASE("csctl help lists topics and commands and explains each topic")
{
    Sandbox s;
    auto r = s.csctl({"help"});
    REQUIRE(r.code == 0);
    for (const auto& word : {"exit-codes", "environment", "output", "voice-route", "online-pstn-gateway", "completion"})
        CHECK(r.out.find(word) != std::string::npos);
    r = s.csctl({"help", "exit-codes"});
    CHECK(r.code == 0);
    CHECK(r.out.find("  130  interrupted") != std::string::npos);
    r = s.csctl({"help", "environment"});
    CHECK(r.out.find("CSCTL_DB") != std::string::npos);
    CHECK(r.out.find("XDG_DATA_HOME") != std::string::npos);
    r = s.csctl({"help", "output"});
    CHECK(r.out.find("csv") != std::string::npos);
    r = s.csctl({"help", "voice-route", "new"});
    CHECK(r.code == 0);
    CHECK(r.out.find("--number-pattern") != std::string::npos);
    CHECK(r.out.find("Usage: csctl voice-route new") != std::string::npos);  // the whole command, as --help says
    r = s.csctl({"help", "nonsense"});
    CHECK(r.code == 2);
    CHECK(r.err.find("help: no topic or command \"nonsense\"") != std::string::npos);
}

TEST_CASE("every committed man page shows examples")
{
    std::size_t pages = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(CSCTL_SOURCE_DIR) + "/man")) {
        if (entry.path().extension() != ".1")
            continue;
        ++pages;
        std::ifstream in(entry.path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CAPTURE(entry.path().filename().string());
        CHECK(text.find("\n.SH EXAMPLES\n") != std::string::npos);
    }
    CHECK(pages > 20);
}
