// What every command gets: the global options, where the tenant is, output and messages,
// confirmation, and what the journal records about the invocation.
#pragma once

#include "cmd/config.hpp"
#include "cmd/output.hpp"
#include "store/sqlite_tenant.hpp"

#include <iostream>
#include <memory>
#include <string>

namespace csctl {

struct GlobalOptions {
    std::string tenant;
    std::string db;
    std::string output;
    bool yes = false;
    bool dry_run = false;
    bool no_color = false;
};

struct TenantLocation {
    std::string path;
    std::string tenant;     // name, when known
    std::string source;     // which setting decided it
};

class Context {
public:
    Context(int argc, char** argv);

    GlobalOptions globals;

    Format format() const;
    bool json_errors() const;
    std::ostream& out() { return std::cout; }
    void warn(const std::string& message) const;
    void note(const std::string& message) const;
    bool stdin_is_terminal() const { return m_stdin_tty; }
    bool stdout_is_terminal() const { return m_stdout_tty; }
    bool stderr_is_terminal() const { return m_stderr_tty; }
    bool color() const;

    Config config() const;
    TenantLocation location() const;
    // Where tenant NAME's database lives by default.
    static std::string tenant_path(const std::string& name);
    std::unique_ptr<SqliteTenant> open(SqliteTenant::Mode mode) const;

    // True to go ahead: --yes, or a "y" typed at the terminal. Without a terminal and without
    // --yes it refuses with a usage error instead of waiting for input.
    bool confirm(const std::string& question) const;

    ChangeInfo change_info() const;
    const std::string& command_line() const { return m_command_line; }

private:
    std::string m_command_line;
    bool m_stdin_tty = false;
    bool m_stdout_tty = false;
    bool m_stderr_tty = false;
};

}  // namespace csctl
