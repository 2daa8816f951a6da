// The one error type that aborts a command: a message for the user and the exit code of cli.md.
#pragma once

#include <stdexcept>
#include <string>

namespace csctl {

enum class ExitCode : int {
    ok = 0,
    internal = 1,
    usage = 2,        // usage or validation error (bad input)
    not_found = 3,
    conflict = 4,     // already exists, still referenced, or the remote moved
    remote = 5,       // remote unreachable or failed
    auth = 6,         // authentication or authorisation refused
    pending = 10,     // plan --detailed-exitcode only
    interrupted = 130,
};

class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    ExitCode code() const { return m_code; }

private:
    ExitCode m_code;
};

inline Error usage_error(const std::string& m) { return Error(ExitCode::usage, m); }
inline Error not_found(const std::string& m) { return Error(ExitCode::not_found, m); }
inline Error conflict(const std::string& m) { return Error(ExitCode::conflict, m); }

// "voice route "Redmond 1"" — how messages name an object.
std::string describe(const std::string& kind_label, const std::string& identity);
// A user value in a message: quoted with double quotes.
std::string quote(const std::string& value);

}  // namespace csctl
