#include "cmd/context.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace csctl {

namespace {

std::string shell_quote(const std::string& arg)
{
    if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") ==
                            std::string::npos)
        return arg;
    std::string out = "'";
    for (char c : arg) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string os_user()
{
    if (const auto* pw = getpwuid(geteuid()); pw && pw->pw_name)
        return pw->pw_name;
    const char* user = std::getenv("USER");
    return user ? user : std::to_string(geteuid());
}

}  // namespace

Context::Context(int argc, char** argv)
{
    for (int i = 0; i < argc; ++i) {
        if (i)
            m_command_line += ' ';
        m_command_line += i == 0 ? std::string("csctl") : shell_quote(argv[i]);
    }
    m_stdin_tty = isatty(STDIN_FILENO) != 0;
    m_stdout_tty = isatty(STDOUT_FILENO) != 0;
    m_stderr_tty = isatty(STDERR_FILENO) != 0;
}

Config Context::config() const
{
    return Config({{"tenant", globals.tenant}, {"db", globals.db}, {"output", globals.output}});
}

Format Context::format() const
{
    auto value = config().get("output");
    return parse_format(value.value);
}

bool Context::json_errors() const
{
    try {
        return format() == Format::json;
    } catch (const Error&) {
        return false;
    }
}

bool Context::color() const { return m_stderr_tty && !globals.no_color && !std::getenv("NO_COLOR"); }

void Context::warn(const std::string& message) const
{
    if (color())
        std::cerr << "\033[33mcsctl: warning:\033[0m " << message << "\n";
    else
        std::cerr << "csctl: warning: " << message << "\n";
}

void Context::note(const std::string& message) const { std::cerr << "csctl: " << message << "\n"; }

std::string Context::tenant_path(const std::string& name) { return Config::data_dir() + "/" + name + ".db"; }

TenantLocation Context::location() const
{
    auto cfg = config();
    auto db = cfg.get("db");
    auto tenant = cfg.get("tenant");
    // An explicit database path wins over a tenant name from a weaker source.
    if (!db.value.empty() && !(tenant.source == "--tenant" && db.source != "--db"))
        return {db.value, "", db.source};
    if (!tenant.value.empty())
        return {tenant_path(tenant.value), tenant.value, tenant.source};
    throw usage_error("no tenant selected: pass --tenant NAME, set CSCTL_TENANT, or run `csctl tenant use NAME` "
                      "(create one with `csctl tenant init NAME`)");
}

std::unique_ptr<SqliteTenant> Context::open(SqliteTenant::Mode mode) const
{
    auto where = location();
    try {
        return SqliteTenant::open(where.path, mode);
    } catch (const Error& e) {
        if (e.code() == ExitCode::not_found && !where.tenant.empty())
            throw not_found("tenant " + quote(where.tenant) + " does not exist (create it with `csctl tenant init " +
                            where.tenant + "`)");
        throw;
    }
}

bool Context::confirm(const std::string& question) const
{
    if (globals.yes || globals.dry_run)
        return true;
    if (!m_stdin_tty || !m_stderr_tty)
        throw usage_error(question + " Not asking without a terminal: pass --yes to confirm");
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    answer = to_lower(trim(answer));
    return answer == "y" || answer == "yes";
}

ChangeInfo Context::change_info() const { return ChangeInfo{m_command_line, os_user(), std::nullopt}; }

}  // namespace csctl
