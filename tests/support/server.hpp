// A real `csctl serve` for black-box tests: started on a free 127.0.0.1 port (or a given one),
// waited for until it listens, and always stopped (SIGTERM, then SIGKILL) when it goes out of scope.
#pragma once

#include "tests/support/process.hpp"

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace csctl::test {

class ServerProcess {
public:
    // Starts `csctl serve --data DATA --listen LISTEN ARGS…` with the sandbox's environment plus env.
    ServerProcess(const Sandbox& sandbox, const std::string& data, const std::vector<std::string>& args = {},
                  const std::map<std::string, std::string>& env = {}, const std::string& listen = "127.0.0.1:0");
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    // "http://127.0.0.1:PORT" (https when started with --tls-cert).
    std::string url() const;
    // SIGTERM and wait (bounded); returns the exit status, or -9 when it had to be killed.
    int stop();
    // Waits for the process to end by itself (bounded); returns its status or -1 if still running.
    int wait_exit(int timeout_s);
    std::string log() const;

private:
    pid_t m_pid = -1;
    int m_port = 0;
    bool m_tls = false;
    std::string m_log_path;
};

// Runs `csctl serve token create` and writes the token to a private file; returns its path.
std::string make_token(const Sandbox& sandbox, const std::string& data, const std::string& tenant,
                       const std::string& role, const std::string& file);
// curl with a bearer token: returns "STATUS\nBODY" pieces.
struct HttpResult {
    int status = 0;
    std::string body;
    std::string headers;
};
HttpResult http(const Sandbox& sandbox, const std::string& method, const std::string& url, const std::string& token,
                const std::string& body = {}, const std::vector<std::string>& headers = {});

}  // namespace csctl::test
