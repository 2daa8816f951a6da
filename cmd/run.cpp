#include "cmd/run.hpp"

#include "cmd/complete.hpp"
#include "cmd/manual.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"

#include <iostream>

namespace csctl {

namespace {

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
        register_all(registry);
        if (argc > 1 && std::string_view(argv[1]) == "__man")
            return man_main(registry, std::vector<std::string>(argv + 2, argv + argc));
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
    } catch (const CLI::ParseError& e) {
        // CLI11's own exit codes never leak: every command-line mistake is a usage error.
        std::string message = e.what();
        if (!message.empty())
            message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
        return report(ctx, ExitCode::usage, message + " (see `csctl --help`)");
    } catch (const Error& e) {
        return report(ctx, e.code(), e.what());
    } catch (const std::exception& e) {
        return report(ctx, ExitCode::internal, std::string("internal error: ") + e.what());
    }
}

}  // namespace csctl
