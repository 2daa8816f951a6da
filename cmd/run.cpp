#include "cmd/run.hpp"

#include "cmd/complete.hpp"
#include "cmd/manual.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <iostream>

namespace csctl {

namespace {

// "voice-route frobnicate": say which word is not a command and what the commands are.
std::string missing_command_message(CLI::App& app, int argc, char** argv)
{
    CLI::App* deepest = &app;
    for (bool descended = true; descended;) {
        descended = false;
        for (auto* sub : deepest->get_subcommands())
            if (sub->parsed()) {
                deepest = sub;
                descended = true;
                break;
            }
    }
    std::vector<std::string> names;
    for (const auto* sub : deepest->get_subcommands({}))
        if (!sub->get_group().empty())
            names.push_back(sub->get_name());
    std::string path = deepest == &app ? "" : deepest->get_name() + ": ";
    std::string unknown;
    bool after = deepest == &app;
    for (int i = 1; i < argc && unknown.empty(); ++i) {
        std::string arg = argv[i];
        if (!after) {
            after = deepest->check_name(arg);
            continue;
        }
        if (!arg.empty() && arg[0] != '-')
            unknown = arg;
    }
    std::string list;
    for (const auto& n : names)
        list += (list.empty() ? "" : ", ") + n;
    if (!unknown.empty())
        return path + quote(unknown) + " is not a command (commands: " + list + ")";
    return path + "a command is required (commands: " + list + ")";
}

int report(const Context& ctx, ExitCode code, const std::string& message)
{
    if (ctx.json_errors()) {
        std::cerr << Json{{"error", {{"code", static_cast<int>(code)}, {"message", message}}}}.dump() << "\n";
    } else if (ctx.color()) {
        std::cerr << "\033[31mcsctl: error:\033[0m " << message << "\n";
    } else {
        std::cerr << "csctl: error: " << message << "\n";
    }
    return static_cast<int>(code);
}

}  // namespace

int run(int argc, char** argv)
{
    Context ctx(argc, argv);
    CLI::App app("csctl: Microsoft Teams Direct Routing configuration, as fast native commands on a local tenant",
                 "csctl");
    app.require_subcommand(1);
    app.fallthrough();
    Registry registry(app, ctx);
    try {
        // Hidden entry points for the shell scripts and the build: they read the tree, never parse it.
        if (argc > 1 && std::string_view(argv[1]) == "__complete")
            return complete_main(registry, std::vector<std::string>(argv + 2, argv + argc));
        if (argc > 1 && std::string_view(argv[1]) == "__man") {
            register_all(registry);
            return man_main(registry, std::vector<std::string>(argv + 2, argv + argc));
        }
        register_for(registry, argc, argv);
        app.parse(argc, argv);
        if (const auto* command = registry.selected())
            (*command)();
        return 0;
    } catch (const CLI::CallForHelp&) {
        // Help goes to stdout with exit 0, for the command it was asked of.
        std::cout << app.help("", CLI::AppFormatMode::Normal);
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::RequiredError& e) {
        std::string what = e.what();
        if (what.find("subcommand") != std::string::npos)
            return report(ctx, ExitCode::usage, missing_command_message(app, argc, argv));
        return report(ctx, ExitCode::usage, what + " (see `csctl --help`)");
    } catch (const CLI::ParseError& e) {
        // CLI11's own exit codes never leak: every command-line mistake is a usage error.
        std::string message = e.what();
        if (!message.empty())
            message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
        return report(ctx, ExitCode::usage, message + " (see `csctl --help`)");
    } catch (const Error& e) {
        if (*e.what() == '\0')
            return static_cast<int>(e.code());  // an exit status that is not an error (plan --detailed-exitcode)
        return report(ctx, e.code(), e.what());
    } catch (const std::exception& e) {
        return report(ctx, ExitCode::internal, std::string("internal error: ") + e.what());
    }
}

}  // namespace csctl
