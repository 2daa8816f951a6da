// Shell completion: the committed scripts are what the binary prints, the hidden __complete answers
// from the registry and the tenant (read-only, silent on error), and real bash, zsh and fish offer
// the expected candidates.
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace csctl::test;

namespace {

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string source_dir() { return CSCTL_SOURCE_DIR; }

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            out.push_back(line.substr(0, line.find('\t')));
    return out;
}

// A sandbox whose PATH finds the built csctl first, as an installed one would be found.
struct ShellSandbox : Sandbox {
    ShellSandbox()
    {
        env["PATH"] = std::filesystem::path(csctl_binary()).parent_path().string() + ":/usr/local/bin:/usr/bin:/bin";
        build_worked_example(*this);
    }
};

const std::vector<std::pair<std::string, std::string>> k_scripts{
    {"bash", "completions/csctl"}, {"zsh", "completions/_csctl"}, {"fish", "completions/csctl.fish"}};

// Drives the function bash-completion registered for csctl, the way readline calls it; words as
// bash splits them (COMP_WORDS).
std::vector<std::string> bash_complete(const Sandbox& s, const std::vector<std::string>& words)
{
    std::string script = "source /usr/share/bash-completion/bash_completion\n"
                         "source '" + source_dir() + "/completions/csctl'\n"
                         "spec=$(complete -p csctl) || exit 3\n"
                         "[[ $spec == *'-F _csctl'* ]] || exit 4\n"
                         "COMP_LINE=$1; shift\n"
                         "COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_POINT=${#COMP_LINE}\n"
                         "_csctl csctl \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                         "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    s.write("complete.bash", script);
    // The line as typed: bash splits "--tenant=x" into three words without spaces between them.
    std::string line;
    for (std::size_t i = 0; i < words.size(); ++i)
        line += (i == 0 || words[i] == "=" || words[i - 1] == "=" || words[i] == ":" || words[i - 1] == ":" ? "" : " ") +
                words[i];
    std::vector<std::string> argv{"bash", "--norc", "--noprofile", s.file("complete.bash"), line};
    argv.insert(argv.end(), words.begin(), words.end());
    auto r = run_process(argv, s.env, {}, s.dir(), 30);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return lines(r.out);
}

// An interactive zsh in a pseudo-terminal (zsh/zpty) gets the line and a TAB; compadd is wrapped to
// print the matches it is given between two markers, then the shell exits.
std::vector<std::string> zsh_complete(const Sandbox& s, const std::string& line)
{
    s.write("init.zsh", "PS1=''; PROMPT=''; RPROMPT=''\n"
                        "fpath=('" + source_dir() + "/completions' $fpath)\n"
                        "autoload -Uz compinit && compinit -u -D\n"
                        "zstyle ':completion:*' list-grouped false\n"
                        "zstyle ':completion:*' insert-tab false\n"
                        "bindkey '^I' complete-word\n"
                        "__mark() { print -r -- '@@MARK@@' }\n"
                        "compprefuncs=(__mark)\n"
                        "comppostfuncs=(__mark exit)\n"
                        "compadd() {\n"
                        "  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"$@\"; return $?; fi\n"
                        "  local -a __hits; builtin compadd -O __hits \"$@\"\n"
                        "  local h; for h in $__hits; do print -r -- \"@@HIT@@$h\"; done\n"
                        "  builtin compadd \"$@\"\n"
                        "}\n");
    s.write("drive.zsh", "zmodload zsh/zpty\n"
                         "zpty z zsh -f -i\n"
                         "zpty -w z \"source ${1:q}\"\n"
                         "zpty -w -n z \"$2\"$'\\t'\n"
                         "local chunk out\n"
                         "while zpty -r z chunk; do out+=$chunk; [[ $out == *@@MARK@@*@@MARK@@* ]] && break; done\n"
                         "zpty -d z\n"
                         "print -r -- \"$out\" | tr -d '\\r' | grep '^@@HIT@@' | sed 's/^@@HIT@@//'\n");
    auto r = run_process({"zsh", "-f", s.file("drive.zsh"), s.file("init.zsh"), line}, s.env, {}, s.dir(), 30);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return lines(r.out);
}

std::vector<std::string> fish_complete(const Sandbox& s, const std::string& line)
{
    auto r = run_process({"fish", "--no-config", "-c",
                          "source '" + source_dir() + "/completions/csctl.fish'; complete -C " + "'" + line + "'"},
                         s.env, {}, s.dir(), 30);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return lines(r.out);
}

}  // namespace

TEST_CASE("the committed completion scripts are what `csctl completion` prints")
{
    Sandbox s;
    for (const auto& [shell, file] : k_scripts) {
        CAPTURE(shell);
        auto r = s.csctl({"completion", shell});
        REQUIRE(r.code == 0);
        CHECK_MESSAGE(r.out == read_file(source_dir() + "/" + file),
                      file << " is stale: regenerate it with `build/csctl completion " << shell << " > " << file << "`");
    }
    auto r = s.csctl({"completion", "tcsh"});
    CHECK(r.code == 2);
    CHECK(r.err.find("\"tcsh\"") != std::string::npos);
}

TEST_CASE("__complete offers commands, options, choices and object names")
{
    ShellSandbox s;
    auto complete = [&](const std::vector<std::string>& words) {
        std::vector<std::string> args{"__complete", "--"};
        args.insert(args.end(), words.begin(), words.end());
        auto r = s.csctl(args);
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());
        return lines(r.out);
    };
    using V = std::vector<std::string>;
    CHECK(complete({"voice-r"}) == V{"voice-route", "voice-routing-policy"});
    CHECK(complete({"voice-route", "new", "R", "--online-pstn-g"}) == V{"--online-pstn-gateway-list"});
    CHECK(complete({"gateway", "set", "sbc1.contoso.com", "--ip-address-version", "IPv"}) == V{"IPv4", "IPv6"});
    CHECK(complete({"voice-route", "get", "-o", "j"}) == V{"json"});
    CHECK(complete({"voice-route", "set", "Redmond 1", "--add-gateway", "SBC"}) ==
          V{"sbc1.contoso.com", "sbc2.contoso.com", "sbc3.contoso.com", "sbc4.contoso.com", "sbc5.contoso.com",
            "sbc6.contoso.com"});
    CHECK(complete({"voice-route", "set", "Redmond 1", "--gateways", "sbc1.contoso.com,sbc6"}) ==
          V{"sbc1.contoso.com,sbc6.contoso.com"});
    CHECK(complete({"voice-route", "remove", "Red"}) == V{"Redmond 1", "Redmond 2"});
    CHECK(complete({"voice-routing-policy", "set", "US O"}) == V{"US Only"});
    CHECK(complete({"-o", "json", "--tenant=contoso", "-y", "voice-routing-policy", "set", "US O"}) == V{"US Only"});
    CHECK(complete({"--tenant", "contoso", "gateway", "get", "--ip"}).empty());  // get has no such option
    CHECK(complete({"--db", s.file("data/csctl/contoso.db"), "usage", "remove", "US"}) == V{"US and Canada"});
    CHECK(complete({"voice-routing-policy", "get", "tag:us"}) == V{"tag:US Only"});
    CHECK(complete({"voice-routing-policy", "new", "US"}).empty());  // a new name is not an existing one
    CHECK(complete({"usage", "remove", "I"}) == V{"International"});
    CHECK(complete({"voice-route", "new", "X", "--usages", "US"}) == V{"US and Canada"});
    CHECK(complete({"--tenant", "con"}) == V{"contoso"});
    CHECK(complete({"tenant", "use", ""}) == V{"contoso"});
    CHECK(complete({"tenant", "domain", "remove", "c"}) == V{"contoso.com"});
    CHECK(complete({"log", "1"}) == V{"14", "13", "12", "11", "10", "1"});
    // an option already on the line is not offered again, unless it takes a list
    CHECK(complete({"voice-route", "set", "Redmond 1", "--priority", "1", "--pri"}).empty());
    CHECK(complete({"voice-route", "get", "-o", "json", "--out"}).empty());
    CHECK(complete({"voice-route", "set", "Redmond 1", "--add-gateway", "sbc1.contoso.com", "--add-g"}) ==
          V{"--add-gateway"});
}

TEST_CASE("__complete reads the tenant without changing it and is silent when it cannot")
{
    ShellSandbox s;
    auto db = s.file("data/csctl/contoso.db");
    auto before = read_file(db);
    auto exported = s.export_json();
    auto r = s.csctl({"__complete", "--", "voice-route", "set", "R"});
    CHECK(r.code == 0);
    CHECK(read_file(db) == before);
    CHECK(s.export_json() == exported);

    SUBCASE("no tenant") {
        s.env["CSCTL_TENANT"] = "nowhere";
        r = s.csctl({"__complete", "--", "voice-route", "set", "R"});
        CHECK(r.code == 0);
        CHECK(r.out.empty());
        CHECK(r.err.empty());
        CHECK_FALSE(std::filesystem::exists(s.file("data/csctl/nowhere.db")));
    }
    SUBCASE("not a database") {
        s.write("junk.db", "this is not SQLite");
        r = s.csctl({"__complete", "--", "--db", s.file("junk.db"), "voice-route", "set", "R"});
        CHECK(r.code == 0);
        CHECK(r.out.empty());
        CHECK(r.err.empty());
        CHECK(read_file(s.file("junk.db")) == "this is not SQLite");
    }
    SUBCASE("at most 100 names") {
        std::string script = "BEGIN;";
        for (int i = 0; i < 150; ++i)
            script += "INSERT INTO usages(name, position) VALUES ('bulk " + std::to_string(1000 + i) + "', " +
                      std::to_string(10 + i) + ");";
        script += "COMMIT;";
        REQUIRE(s.run({"sqlite3", db, script}).code == 0);
        r = s.csctl({"__complete", "--", "usage", "remove", "bulk"});
        CHECK(lines(r.out).size() == 100);
        CHECK(lines(r.out).front() == "bulk 1000");
    }
}

TEST_CASE("bash with bash-completion offers the candidates")
{
    ShellSandbox s;
    auto bash = [&](const std::vector<std::string>& words) { return bash_complete(s, words); };
    using V = std::vector<std::string>;
    CHECK(bash({"csctl", "voice-r"}) == V{"voice-route", "voice-routing-policy"});
    CHECK(bash({"csctl", "gateway", "new", "x", "--sip-s"}) == V{"--sip-signaling-port", "--sip-signalling-port"});
    CHECK(bash({"csctl", "gateway", "set", "sbc1.contoso.com", "--ip-address-version", "IPv"}) == V{"IPv4", "IPv6"});
    CHECK(bash({"csctl", "voice-route", "get", "-o", "j"}) == V{"json"});
    CHECK(bash({"csctl", "voice-route", "set", "x", "--add-gateway", "sbc3"}) == V{"sbc3.contoso.com"});
    CHECK(bash({"csctl", "voice-routing-policy", "set", "US\\ O"}) == V{"US\\ Only"});
    CHECK(bash({"csctl", "voice-routing-policy", "set", "\"US O"}) == V{"US Only"});
    CHECK(bash({"csctl", "voice-routing-policy", "set", "'No"}) == V{"No Restrictions"});
    // bash splits --tenant=con at "=": the words are "--tenant", "=", "con".
    CHECK(bash({"csctl", "--tenant", "=", "con"}) == V{"contoso"});
    // ":" breaks words for readline too: what is offered replaces the text after "Tag:".
    CHECK(bash({"csctl", "voice-routing-policy", "get", "Tag", ":", "No"}) == V{"No\\ Restrictions"});
    s.write("contoso.yaml", "");
    CHECK(bash({"csctl", "export", "-f", "contoso.y"}) == V{"contoso.yaml"});
    CHECK(bash({"csctl", "usage", "remove", "--cascade", "US\\ and"}) == V{"US\\ and\\ Canada"});
}

TEST_CASE("zsh with compinit offers the candidates")
{
    ShellSandbox s;
    auto zsh = [&](const std::string& line) { return zsh_complete(s, line); };
    using V = std::vector<std::string>;
    CHECK(zsh("csctl voice-r") == V{"voice-route", "voice-routing-policy"});
    CHECK(zsh("csctl gateway new x --sip-s") == V{"--sip-signaling-port", "--sip-signalling-port"});
    CHECK(zsh("csctl gateway set sbc1.contoso.com --ip-address-version IPv") == V{"IPv4", "IPv6"});
    CHECK(zsh("csctl voice-route get -o j") == V{"json"});
    CHECK(zsh("csctl voice-route set x --add-gateway sbc3") == V{"sbc3.contoso.com"});
    CHECK(zsh("csctl voice-routing-policy set US\\ O") == V{"US Only"});
    CHECK(zsh("csctl voice-routing-policy set \"US O") == V{"US Only"});
    CHECK(zsh("csctl --tenant=con") == V{"--tenant=contoso"});
    s.write("contoso.yaml", "");
    CHECK(zsh("csctl export -f contoso.y") == V{"contoso.yaml"});
}

TEST_CASE("fish offers the candidates")
{
    ShellSandbox s;
    auto fish = [&](const std::string& line) { return fish_complete(s, line); };
    using V = std::vector<std::string>;
    CHECK(fish("csctl voice-r") == V{"voice-route", "voice-routing-policy"});
    CHECK(fish("csctl gateway new x --sip-s") == V{"--sip-signaling-port", "--sip-signalling-port"});
    CHECK(fish("csctl gateway set sbc1.contoso.com --ip-address-version IPv") == V{"IPv4", "IPv6"});
    CHECK(fish("csctl voice-route get -o j") == V{"json"});
    CHECK(fish("csctl voice-route set x --add-gateway sbc3") == V{"sbc3.contoso.com"});
    CHECK(fish("csctl voice-routing-policy set US\\\\ O") == V{"US Only"});
    CHECK(fish("csctl voice-routing-policy set \"US O") == V{"US Only"});
    CHECK(fish("csctl --tenant=con") == V{"--tenant=contoso"});
    s.write("contoso.yaml", "");
    CHECK(fish("csctl export -f contoso.y") == V{"contoso.yaml"});
}

// The name completion of a big tenant, in every shell. One row per kind: how to fill the tenant
// with 100,000 objects straight in SQLite (names numbered 000000…), the words typed, and the 10
// names expected (an empty fill reuses the objects of the row before).
TEST_CASE("a name prefix among 100,000 objects completes in bash, zsh and fish")
{
    struct Case {
        std::string fill;
        std::vector<std::string> words;  // after csctl; the last is the prefix
        const char* name;                // printf format of the i-th name
    };
    const std::vector<Case> cases{
        {"INSERT INTO routes(identity, priority, data) SELECT printf('Route%06d', i), 1000 + i, "
         "json_object('identity', printf('Route%06d', i)) FROM n;",
         {"voice-route", "set", "route00420"}, "Route%06d"},
        {"INSERT INTO users(upn, sip_address, display_name, account_type, homed, licenses, enterprise_voice_enabled, hosted_voice_mail) SELECT printf('user%06d@contoso.com', i), printf('sip:user%06d@contoso.com', i), '', 'User', 'online', '', 0, 0 FROM n;",
         {"voice-routing-policy", "grant", "US Only", "--user", "USER00420"}, "user%06d@contoso.com"},
        {"", {"user", "get", "user00420"}, "user%06d@contoso.com"},
    };
    ShellSandbox s;
    for (const auto& c : cases) {
        CAPTURE(c.words);
        auto sql = "BEGIN; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < 100000) " + c.fill +
                   " COMMIT;";
        if (!c.fill.empty())
            REQUIRE(s.run({"sqlite3", s.file("data/csctl/contoso.db"), sql}).code == 0);
        std::vector<std::string> expected;
        for (int i = 4200; i < 4210; ++i) {
            char buffer[128];
            std::snprintf(buffer, sizeof buffer, c.name, i);
            expected.emplace_back(buffer);
        }
        std::vector<std::string> words{"csctl"};
        words.insert(words.end(), c.words.begin(), c.words.end());
        std::string line;
        for (const auto& w : words)
            line += (line.empty() ? "" : " ") + w;
        CHECK(bash_complete(s, words) == expected);
        CHECK(zsh_complete(s, line) == expected);
        CHECK(fish_complete(s, line) == expected);
    }
}
