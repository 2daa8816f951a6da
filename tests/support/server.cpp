#include "tests/support/server.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace csctl::test {

namespace {

std::string read_file(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

ServerProcess::ServerProcess(const Sandbox& sandbox, const std::string& data, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env, const std::string& listen)
{
    static int counter = 0;
    m_log_path = sandbox.file("serve-" + std::to_string(++counter) + ".log");
    std::vector<std::string> argv{csctl_binary(), "serve", "--data", data, "--listen", listen};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const auto& a : args)
        m_tls = m_tls || a == "--tls-cert";
    auto all_env = sandbox.env;
    for (const auto& [k, v] : env)
        all_env[k] = v;
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : all_env)
        env_strings.push_back(k + "=" + v);
    std::vector<char*> envp, cargs;
    for (auto& s : env_strings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    for (auto& s : argv)
        cargs.push_back(s.data());
    cargs.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, m_log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addchdir_np(&actions, sandbox.dir().c_str());
    int rc = posix_spawn(&m_pid, cargs[0], &actions, nullptr, cargs.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        throw std::runtime_error("cannot start csctl serve");
    std::regex listening(R"(listening on https?://[^ ]*:(\d+))");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch m;
        auto text = read_file(m_log_path);
        if (std::regex_search(text, m, listening)) {
            m_port = std::stoi(m[1].str());
            return;
        }
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            FAIL("csctl serve exited before listening: " << text);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    FAIL("csctl serve did not start listening within 20 s: " << read_file(m_log_path));
}

ServerProcess::~ServerProcess() { stop(); }

std::string ServerProcess::url() const { return std::string(m_tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(m_port); }

std::string ServerProcess::log() const { return read_file(m_log_path); }

int ServerProcess::wait_exit(int timeout_s)
{
    if (m_pid < 0)
        return -1;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
}

int ServerProcess::stop()
{
    if (m_pid < 0)
        return -1;
    ::kill(m_pid, SIGTERM);
    int code = wait_exit(10);
    if (code == -1 && m_pid >= 0) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        waitpid(m_pid, &status, 0);
        m_pid = -1;
        return -9;
    }
    return code;
}

std::string make_token(const Sandbox& s, const std::string& data, const std::string& tenant, const std::string& role,
                       const std::string& file)
{
    auto r = s.csctl({"serve", "token", "create", "--data", data, "--tenant", tenant, "--role", role});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    auto path = s.file(file);
    {
        std::ofstream out(path);
        out << r.out;
    }
    ::chmod(path.c_str(), 0600);
    return path;
}

HttpResult http(const Sandbox& s, const std::string& method, const std::string& url, const std::string& token,
                const std::string& body, const std::vector<std::string>& headers)
{
    std::vector<std::string> argv{"curl", "-sS", "-X", method, "-D", s.file("curl.headers"), "-o", s.file("curl.body"),
                                  "-w", "%{http_code}", "--max-time", "30"};
    if (!token.empty()) {
        argv.push_back("-H");
        argv.push_back("Authorization: Bearer " + token);
    }
    for (const auto& h : headers) {
        argv.push_back("-H");
        argv.push_back(h);
    }
    if (!body.empty() || method == "POST" || method == "PUT") {
        s.write("curl.request", body);
        argv.push_back("-H");
        argv.push_back("Content-Type: application/json");
        argv.push_back("--data-binary");
        argv.push_back("@" + s.file("curl.request"));
    }
    argv.push_back(url);
    auto r = s.run(argv);
    HttpResult out;
    out.status = r.code == 0 ? std::stoi(r.out) : 0;
    out.body = read_file(s.file("curl.body"));
    out.headers = read_file(s.file("curl.headers"));
    return out;
}


}  // namespace csctl::test
