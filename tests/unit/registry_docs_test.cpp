// Every registered command has a man page section and a completion entry, and every option and
// choice of it completes: the manual and the completion are derived from the registry alone.
#include "cmd/complete.hpp"
#include "cmd/manual.hpp"
#include "cmd/registry.hpp"
#include "core/text.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace csctl;

namespace {

struct Tree {
    Tree() : app("csctl", "csctl"), context(1, argv), registry(app, context) { register_all(registry); }
    char arg0[6] = "csctl";
    char* argv[2] = {arg0, nullptr};
    CLI::App app;
    Context context;
    Registry registry;
};

std::vector<std::string> values(const Completion& c)
{
    std::vector<std::string> out;
    for (const auto& candidate : c.candidates)
        out.push_back(candidate.value);
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::string roff_name(const std::string& text)
{
    std::string out;
    for (char c : text)
        out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}

}  // namespace

TEST_CASE("every command has a man page section and a completion entry")
{
    Tree tree;
    auto pages = man_pages(tree.registry);
    REQUIRE(pages.contains("csctl.1"));
    for (const auto& info : tree.registry.commands()) {
        CAPTURE(info.path);
        std::vector<std::string> path;
        for (std::size_t at = 0, next; at <= info.path.size(); at = next + 1) {
            next = info.path.find(' ', at);
            if (next == std::string::npos)
                next = info.path.size();
            path.push_back(info.path.substr(at, next - at));
        }
        auto top = path.front();
        REQUIRE(pages.contains("csctl-" + top + ".1"));
        CHECK(pages.at("csctl.1").find(".BR csctl\\-" + roff_name(top) + " (1)") != std::string::npos);
        bool leaf = info.app->get_subcommands([](CLI::App*) { return true; }).empty();
        if (leaf && path.size() > 1)
            CHECK(pages.at("csctl-" + top + ".1").find(".SS \"csctl " + roff_name(info.path) + "\"") != std::string::npos);

        // The command's own name completes from its first two letters…
        auto typed = path;
        typed.back() = typed.back().substr(0, 2);
        CHECK(has(values(complete_words(tree.registry, typed)), path.back()));
        if (!leaf)
            continue;
        // …and each of its options from "--", with the values of the options that have choices.
        for (const auto* option : info.app->get_options()) {
            for (const auto& name : option->get_lnames()) {
                CAPTURE(name);
                auto with = path;
                with.push_back("--" + name.substr(0, 1));
                CHECK(has(values(complete_words(tree.registry, with)), "--" + name));
                if (name == "help")
                    continue;  // -h/--help is on every page once, in csctl(1)
                auto page = pages.at("csctl-" + top + ".1");
                CHECK(page.find("\\fB\\-\\-" + roff_name(name) + "\\fR") != std::string::npos);
            }
            auto choices = tree.registry.choices().find(option);
            if (choices == tree.registry.choices().end() || option->get_items_expected_max() == 0 || option->get_lnames().empty())
                continue;
            for (const auto& value : choices->second) {
                auto with = path;
                with.push_back("--" + option->get_lnames().front());
                with.push_back(value.substr(0, 1));
                CHECK(has(values(complete_words(tree.registry, with)), value));
            }
        }
    }
}

TEST_CASE("global options complete after any command and the enum values come from the registry")
{
    Tree tree;
    CHECK(values(complete_words(tree.registry, {"voice-route", "get", "-o", "j"})) == std::vector<std::string>{"json"});
    CHECK(values(complete_words(tree.registry, {"-o", "y"})) == std::vector<std::string>{"yaml"});
    CHECK(values(complete_words(tree.registry, {"--output=c"})) == std::vector<std::string>{"--output=csv"});
    CHECK(values(complete_words(tree.registry, {"gateway", "set", "x", "--ip-address-version", "ipv"})) ==
          std::vector<std::string>{"IPv4", "IPv6"});
    CHECK(values(complete_words(tree.registry, {"gateway", "set", "x", "--enabled=f"})) ==
          std::vector<std::string>{"--enabled=false"});
    CHECK(has(values(complete_words(tree.registry, {"voice-route", "new", "R", "--te"})), "--tenant"));
    CHECK(values(complete_words(tree.registry, {"voice-r"})) ==
          std::vector<std::string>{"voice-route", "voice-routing-policy"});
    CHECK(values(complete_words(tree.registry, {"completion", ""})) == std::vector<std::string>{"bash", "zsh", "fish"});
    CHECK(complete_words(tree.registry, {"export", "--file", ""}).files);
    CHECK(complete_words(tree.registry, {"--db", "x"}).files);
    CHECK(values(complete_words(tree.registry, {"help", "exit"})) == std::vector<std::string>{"exit-codes"});
}
