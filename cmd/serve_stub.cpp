// serve, as the csctl executable knows it: the server lives in the csctl-serve executable beside
// csctl, so that the commands that edit a tenant do not load the HTTP and TLS libraries at every
// start. This command hands the whole command line over to it.
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <cstdio>

namespace csctl {

namespace {

[[noreturn]] void exec_server()
{
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    auto path = (ec ? std::filesystem::path("csctl") : self).parent_path() / "csctl-serve";
    std::string raw;
    if (FILE* f = std::fopen("/proc/self/cmdline", "rb")) {
        char buffer[4096];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;)
            raw.append(buffer, n);
        std::fclose(f);
    }
    std::vector<std::string> args;
    for (std::size_t start = 0; start < raw.size();) {
        auto end = raw.find('\0', start);
        if (end == std::string::npos)
            end = raw.size();
        args.push_back(raw.substr(start, end - start));
        start = end + 1;
    }
    if (args.empty())
        args.push_back("csctl");
    args[0] = path.string();
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    throw Error(ExitCode::internal, "serve: cannot run " + path.string() + ": " + std::strerror(errno) +
                                        " (csctl-serve is installed next to csctl)");
}

}  // namespace

void add_serve_commands(Registry& r)
{
    auto* cmd = r.command(&r.root(), "serve",
                          "run the routing-control API server; `serve token create/list/revoke` manage its tokens "
                          "(see `csctl serve --help`)",
                          Needs::nothing, "", [] { exec_server(); });
    cmd->fallthrough(false);
    cmd->prefix_command();
    cmd->set_help_flag();
    r.examples("serve", {"csctl serve --listen 127.0.0.1:8443 --data /var/lib/csctl", "csctl serve token create --data /var/lib/csctl --tenant contoso --role writer", "csctl serve --listen 0.0.0.0:8443 --data /var/lib/csctl --tls-cert server.pem --tls-key server.key"});
}

}  // namespace csctl
