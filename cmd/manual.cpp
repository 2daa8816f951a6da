#include "cmd/manual.hpp"

#include "cmd/config.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace csctl {

namespace {

// The date and version printed in every page's header; fixed so that regenerating the pages
// gives the same bytes (bump both with a release).
constexpr const char* k_man_date = "2026-11-23";
constexpr const char* k_man_source = "csctl 0.1.0";

struct ExitCodeHelp {
    int code;
    std::string meaning;
};

const std::vector<ExitCodeHelp>& exit_codes()
{
    static const std::vector<ExitCodeHelp> codes{
        {0, "success"},
        {1, "unexpected internal error"},
        {2, "usage or validation error (bad input, including a reference to an object that does not exist)"},
        {3, "not found (the object the command names does not exist)"},
        {4, "conflict: already exists, still referenced, or the remote changed since the last sync"},
        {5, "remote unreachable or failed"},
        {6, "authentication or authorisation refused"},
        {10, "plan --detailed-exitcode only: changes are pending"},
        {130, "interrupted"},
    };
    return codes;
}

struct EnvironmentHelp {
    std::string name;
    std::string meaning;
};

std::vector<EnvironmentHelp> environment()
{
    std::vector<EnvironmentHelp> vars;
    for (const auto& s : settings())
        vars.push_back({s.env, s.help + " (flag " + s.flag + ", config key " + s.name +
                                   (s.fallback.empty() ? "" : ", default " + s.fallback) + ")"});
    vars.push_back({"XDG_DATA_HOME", "where tenant databases live: $XDG_DATA_HOME/csctl/NAME.db (default ~/.local/share)"});
    vars.push_back({"XDG_CONFIG_HOME", "where the config file lives: $XDG_CONFIG_HOME/csctl/config.yaml (default ~/.config)"});
    vars.push_back({"NO_COLOR", "when set, messages are never coloured (like --no-color)"});
    return vars;
}

const std::vector<std::pair<std::string, std::string>>& output_formats()
{
    static const std::vector<std::pair<std::string, std::string>> formats{
        {"table", "aligned columns for people (the default)"},
        {"json", "a JSON array of objects whose keys are the PowerShell property names in camelCase; errors too "
                 "are JSON on stderr"},
        {"yaml", "the same objects as YAML"},
        {"csv", "a header row of the JSON keys, then one row per object"},
        {"list", "one \"Name : value\" block per object, like Format-List"},
    };
    return formats;
}

const std::vector<std::pair<std::string, std::string>>& files()
{
    static const std::vector<std::pair<std::string, std::string>> list{
        {"$XDG_CONFIG_HOME/csctl/config.yaml", "settings (keys tenant, db, output); `csctl tenant use` writes tenant"},
        {"$XDG_DATA_HOME/csctl/NAME.db", "the SQLite database of tenant NAME, with its change journal"},
    };
    return list;
}

// roff-safe text: backslashes escaped, characters beyond ASCII as \[uXXXX] (troff reads its
// input as Latin-1), no line starting with a control character.
std::string roff(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '\\') {
            out += "\\e";
        } else if (c >= 0x80) {
            int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
            unsigned code = c & (0x3Fu >> extra);
            for (int k = 0; k < extra && i + 1 < text.size(); ++k)
                code = (code << 6) | (static_cast<unsigned char>(text[++i]) & 0x3Fu);
            char buffer[16];
            std::snprintf(buffer, sizeof buffer, "\\[u%04X]", code);
            out += buffer;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\''))
        out = "\\&" + out;
    return out;
}

// Option names and commands: hyphens are minus signs (so they can be searched and copied).
std::string roff_literal(const std::string& text)
{
    std::string out;
    for (char c : roff(text)) {
        if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    return out;
}

std::string upper(std::string text)
{
    for (auto& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string page_name(const CLI::App* group) { return "csctl-" + group->get_name(); }

std::string header(const std::string& name, const std::string& summary)
{
    std::ostringstream out;
    out << ".TH " << roff_literal(upper(name)) << " 1 " << k_man_date << " \"" << k_man_source
        << "\" \"csctl manual\"\n"
        << ".nh\n.ad l\n"  // option and cmdlet names are neither hyphenated nor stretched
        << ".SH NAME\n"
        << roff_literal(name) << " \\- " << roff(summary) << "\n";
    return out.str();
}

std::string option_names(const Registry& registry, const CLI::Option* option)
{
    std::string names;
    auto add = [&](const std::string& name) { names += (names.empty() ? "" : ", ") + std::string("\\fB") + roff_literal(name) + "\\fR"; };
    if (option->get_positional())
        names = "\\fI" + roff_literal(option->get_name(true, false)) + "\\fR";
    for (const auto& s : option->get_snames())
        add("-" + s);
    for (const auto& l : option->get_lnames())
        add("--" + l);
    if (option->nonpositional() && option->get_items_expected_max() != 0)
        names += " \\fI" + roff(option->get_type_name().empty() ? std::string("VALUE") : option->get_type_name()) + "\\fR";
    else if (option->nonpositional() && registry.choices().contains(option))
        names += "[=\\fItrue\\fR|\\fIfalse\\fR]";  // a boolean field: --enabled, --enabled=false
    return names;
}

void describe_options(std::ostringstream& out, const Registry& registry, const CLI::App* app)
{
    for (const auto* option : app->get_options()) {
        if (option->check_name("--help") && app->get_parent())
            continue;  // said once, in csctl(1)
        out << ".TP\n" << option_names(registry, option) << "\n" << roff(option->get_description());
        if (option->get_required())
            out << " (required)";
        out << "\n";
        if (auto c = registry.choices().find(option); c != registry.choices().end() && option->get_items_expected_max() != 0) {
            std::string values;
            for (const auto& v : c->second)
                values += (values.empty() ? "" : ", ") + v;
            out << "Values: " << roff(values) << ".\n";
        }
        if (auto k = registry.kinds().find(option); k != registry.kinds().end() && k->second != "file") {
            if (k->second == "tenant")
                out << "Completes the names of the local tenants.\n";
            else if (k->second == "change")
                out << "Completes the change ids of the journal.\n";
            else
                out << "Completes " << roff(k->second) << " names from the tenant.\n";
        }
    }
}

std::string usage_line(const CLI::App* app, const std::string& path)
{
    std::string line = ".B csctl " + roff_literal(path) + "\n";
    for (const auto* option : app->get_options()) {
        if (!option->get_positional())
            continue;
        auto name = "\\fI" + roff_literal(option->get_name(true, false)) + "\\fR";
        bool many = option->get_items_expected_max() > 1;
        line += (option->get_required() ? name : "[" + name + "]") + (many ? "\\|.\\|.\\|." : "") + " ";
    }
    return line + "[\\fIoptions\\fR]\n";
}

std::string needs_text(Needs needs)
{
    switch (needs) {
    case Needs::nothing: return "";
    case Needs::tenant_read: return "Reads the tenant (opened read-only).";
    case Needs::tenant_write:
        return "Changes the tenant in one transaction recorded in the journal; \\fB\\-\\-dry\\-run\\fR shows the "
               "change and keeps nothing.";
    case Needs::remote: return "Talks to the remote routing-control API.";
    }
    return "";
}

// after_heading: directly below .SH, where a paragraph break would be one too many.
void examples(std::ostringstream& out, const std::vector<std::string>& lines, bool after_heading = false)
{
    if (lines.empty())
        return;
    out << (after_heading ? "" : ".PP\n") << ".RS\n.nf\n";
    for (const auto& line : lines)
        out << roff(line) << "\n";
    out << ".fi\n.RE\n";
}

std::string group_page(const Registry& registry, const CommandInfo& group)
{
    std::ostringstream out;
    const auto* app = group.app;
    out << header(page_name(app), group.summary);
    std::vector<const CommandInfo*> commands;
    for (const auto& info : registry.commands()) {
        if (info.app == app || info.app->get_parent() == nullptr)
            continue;
        for (const auto* p = info.app; p; p = p->get_parent())
            if (p == app && info.app->get_subcommands([](CLI::App*) { return true; }).empty())
                commands.push_back(&info);
    }
    bool leaf = commands.empty();  // a command without subcommands (export, log …)
    if (leaf)
        commands.push_back(&group);
    out << ".SH SYNOPSIS\n";
    for (std::size_t i = 0; i < commands.size(); ++i)
        out << (i ? ".br\n" : "") << usage_line(commands[i]->app, commands[i]->path);
    out << ".SH DESCRIPTION\n" << roff(group.summary) << ".\n";
    if (!group.mirrors.empty())
        out << "Mirrors the PowerShell cmdlets \\fB" << roff(group.mirrors) << "\\fR.\n";
    if (!app->get_aliases().empty()) {
        std::string aliases;
        for (const auto& a : app->get_aliases())
            aliases += (aliases.empty() ? "" : ", ") + ("\\fB" + roff_literal(a) + "\\fR");
        out << "Also spelled " << aliases << ".\n";
    }
    out << ".PP\nOptions are the PowerShell parameters in kebab case; identities are case-insensitive. The global "
           "options of \\fBcsctl\\fR(1) are accepted after the command too.\n";
    out << ".SH COMMANDS\n";
    for (const auto* c : commands) {
        out << ".SS \"" << roff_literal("csctl " + c->path) << "\"\n" << roff(c->summary) << ".\n";
        if (!c->mirrors.empty() && !leaf)
            out << "Mirrors \\fB" << roff(c->mirrors) << "\\fR.\n";
        if (auto needs = needs_text(c->needs); !needs.empty())
            out << needs << "\n";
        describe_options(out, registry, c->app);
        if (!leaf && !c->examples.empty()) {
            out << ".PP\nExample:\n";
            examples(out, c->examples, true);
        }
    }
    out << ".SH EXIT STATUS\n0 on success; see \\fBcsctl\\fR(1) for the other codes.\n";
    if (!group.examples.empty()) {
        out << ".SH EXAMPLES\n";
        examples(out, group.examples, true);
    }
    out << ".SH SEE ALSO\n.BR csctl (1)\n";
    return out.str();
}

std::string main_page(const Registry& registry)
{
    std::ostringstream out;
    const auto& root = registry.root();
    out << header("csctl", "Microsoft Teams Direct Routing configuration on a local tenant");
    out << ".SH SYNOPSIS\n.B csctl\n.RI [ global-options ] \" command \" [ options ]\n.br\n"
           ".B csctl help\n.RI [ topic | command ]\n";
    out << ".SH DESCRIPTION\n"
           "\\fBcsctl\\fR gives Teams voice administrators the objects and rules of the Direct Routing PowerShell "
           "cmdlets as \\fBcsctl\\fR \\fInoun verb\\fR commands that edit a local SQLite model of the tenant: "
           "validated on entry, journaled, undoable, with a real dry run.\n"
           ".PP\nEach command is one transaction: an invalid value leaves the tenant as it was. Data goes to standard "
           "output, messages (\\fBcsctl: warning:\\fR, \\fBcsctl: error:\\fR) to standard error. "
           "Confirmations are asked on a terminal only; without one, \\fB\\-\\-yes\\fR is required.\n";
    out << ".SH COMMANDS\n";
    for (const auto& info : registry.commands()) {
        if (info.app->get_parent() != &root)
            continue;
        out << ".TP\n.BR " << roff_literal(page_name(info.app)) << " (1)\n" << roff(info.summary);
        if (!info.mirrors.empty())
            out << " (" << roff(info.mirrors) << ")";
        out << "\n";
    }
    out << ".SH GLOBAL OPTIONS\n";
    describe_options(out, registry, &root);
    out << ".SH ENVIRONMENT\n";
    for (const auto& e : environment())
        out << ".TP\n.B " << roff(e.name) << "\n" << roff(e.meaning) << "\n";
    out << ".SH FILES\n";
    for (const auto& [path, meaning] : files())
        out << ".TP\n.I " << roff(path) << "\n" << roff(meaning) << "\n";
    out << ".SH OUTPUT FORMATS\n";
    for (const auto& [name, meaning] : output_formats())
        out << ".TP\n.B " << name << "\n" << roff(meaning) << "\n";
    out << ".SH EXIT STATUS\n";
    for (const auto& e : exit_codes())
        out << ".TP\n.B " << e.code << "\n" << roff(e.meaning) << "\n";
    out << ".SH EXAMPLES\n";
    examples(out, {"csctl tenant init contoso --domain contoso.com",
                   "csctl online-pstn-gateway new sbc1.contoso.com --sip-signaling-port 5061 --enabled",
                   "csctl usage add \"US and Canada\"",
                   "csctl voice-route new \"Redmond 1\" --number-pattern '^\\+1(425|206)(\\d{7})$' \\",
                   "      --online-pstn-gateway-list sbc1.contoso.com --priority 1 --online-pstn-usages \"US and Canada\"",
                   "csctl voice-routing-policy new \"US Only\" --online-pstn-usages \"US and Canada\"",
                   "csctl voice-route get -o json", "csctl log; csctl undo"},
             true);
    out << ".PP\nShell completion: \\fBcsctl completion bash\\fR (or \\fBzsh\\fR, \\fBfish\\fR) prints the script; "
           "installed copies live in the shells' standard completion directories.\n";
    out << ".SH SEE ALSO\n";
    std::string see;
    for (const auto& info : registry.commands())
        if (info.app->get_parent() == &root)
            see += (see.empty() ? "" : ",\n") + (".BR " + roff_literal(page_name(info.app)) + " (1)");
    out << see << "\n";
    return out.str();
}

std::string topic_text_environment()
{
    std::string text = "Environment variables:\n\n";
    for (const auto& e : environment())
        text += "  " + e.name + "\n      " + e.meaning + "\n";
    text += "\nFiles:\n\n";
    for (const auto& [path, meaning] : files())
        text += "  " + path + "\n      " + meaning + "\n";
    return text;
}

std::string topic_text_exit_codes()
{
    std::string text = "Exit codes:\n\n";
    for (const auto& e : exit_codes()) {
        auto code = std::to_string(e.code);
        text += "  " + code + std::string(5 - code.size(), ' ') + e.meaning + "\n";
    }
    return text;
}

std::string topic_text_output()
{
    std::string text = "Output formats (-o/--output FORMAT, CSCTL_OUTPUT, config key output):\n\n";
    for (const auto& [name, meaning] : output_formats())
        text += "  " + name + std::string(7 - name.size(), ' ') + meaning + "\n";
    return text;
}

}  // namespace

const std::vector<HelpTopic>& help_topics()
{
    static const std::vector<HelpTopic> topics{
        {"environment", "environment variables and files", topic_text_environment()},
        {"exit-codes", "what each exit status means", topic_text_exit_codes()},
        {"output", "the output formats of -o", topic_text_output()},
    };
    return topics;
}

std::map<std::string, std::string> man_pages(const Registry& registry)
{
    std::map<std::string, std::string> pages;
    pages["csctl.1"] = main_page(registry);
    for (const auto& info : registry.commands())
        if (info.app->get_parent() == &registry.root())
            pages[page_name(info.app) + ".1"] = group_page(registry, info);
    return pages;
}

int man_main(const Registry& registry, const std::vector<std::string>& args)
{
    if (args.size() != 1)
        throw usage_error("__man: give the directory to write the pages to");
    const std::string dir = args.front();
    std::filesystem::create_directories(dir);
    auto pages = man_pages(registry);
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        auto name = entry.path().filename().string();
        if (name.starts_with("csctl") && name.ends_with(".1") && !pages.contains(name))
            std::filesystem::remove(entry.path());
    }
    for (const auto& [name, text] : pages) {
        std::ofstream out(dir + "/" + name, std::ios::trunc);
        out << text;
        if (!out.flush())
            throw usage_error("__man: cannot write " + quote(dir + "/" + name));
    }
    return 0;
}

}  // namespace csctl
