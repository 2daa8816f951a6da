#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace csctl::test {

std::string csctl_binary() { return CSCTL_BINARY; }

Result run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                   const std::string& input, const std::string& cwd, int timeout_s)
{
    int in[2], out[2], err[2];
    if (pipe(in) || pipe(out) || pipe(err))
        throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
        posix_spawn_file_actions_addclose(&actions, fd);
    if (!cwd.empty())
        posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env)
        env_strings.push_back(k + "=" + v);
    std::vector<char*> envp, args;
    for (auto& s : env_strings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_copy = argv;
    for (auto& s : argv_copy)
        args.push_back(s.data());
    args.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (rc != 0) {
        close(in[1]);
        close(out[0]);
        close(err[0]);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    signal(SIGPIPE, SIG_IGN);
    Result result;
    std::size_t written = 0;
    if (input.empty()) {
        close(in[1]);
        in[1] = -1;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    bool out_open = true, err_open = true, killed = false;
    while (out_open || err_open) {
        pollfd fds[3];
        int n = 0;
        if (out_open)
            fds[n++] = {out[0], POLLIN, 0};
        if (err_open)
            fds[n++] = {err[0], POLLIN, 0};
        if (in[1] >= 0)
            fds[n++] = {in[1], POLLOUT, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        if (poll(fds, static_cast<nfds_t>(n), static_cast<int>(left.count())) < 0)
            continue;
        for (int i = 0; i < n; ++i) {
            if (!fds[i].revents)
                continue;
            if (fds[i].fd == in[1]) {
                auto w = write(in[1], input.data() + written, input.size() - written);
                if (w > 0)
                    written += static_cast<std::size_t>(w);
                if (w < 0 || written == input.size()) {
                    close(in[1]);
                    in[1] = -1;
                }
                continue;
            }
            char buffer[65536];
            auto r = read(fds[i].fd, buffer, sizeof buffer);
            if (r <= 0) {
                if (fds[i].fd == out[0])
                    out_open = false;
                else
                    err_open = false;
                continue;
            }
            (fds[i].fd == out[0] ? result.out : result.err).append(buffer, static_cast<std::size_t>(r));
        }
    }
    if (in[1] >= 0)
        close(in[1]);
    close(out[0]);
    close(err[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (killed)
        result.code = -9;
    else
        result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return result;
}

Sandbox::Sandbox()
{
    char tmpl[] = "/tmp/csctl-test-XXXXXX";
    const char* dir = mkdtemp(tmpl);
    if (!dir)
        throw std::runtime_error("mkdtemp failed");
    m_dir = dir;
    env = {{"HOME", m_dir + "/home"},
           {"XDG_DATA_HOME", m_dir + "/data"},
           {"XDG_CONFIG_HOME", m_dir + "/config"},
           {"PATH", "/usr/local/bin:/usr/bin:/bin"},
           {"LANG", "C.UTF-8"},
           {"USER", "tester"}};
    std::filesystem::create_directories(m_dir + "/home");
}

Sandbox::~Sandbox()
{
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

Result Sandbox::csctl(const std::vector<std::string>& args, const std::string& input) const
{
    std::vector<std::string> argv{csctl_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env, input, m_dir);
}

Result Sandbox::run(const std::vector<std::string>& argv, const std::string& input) const
{
    return run_process(argv, env, input, m_dir);
}

std::string Sandbox::export_json() const
{
    auto r = csctl({"export", "-o", "json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return r.out;
}

void Sandbox::write(const std::string& name, const std::string& text) const
{
    std::ofstream(file(name)) << text;
}

void build_worked_example(const Sandbox& s)
{
    auto ok = [&](const std::vector<std::string>& args) {
        auto r = s.csctl(args);
        REQUIRE_MESSAGE(r.code == 0, r.err);
    };
    ok({"tenant", "init", "contoso", "--domain", "contoso.com"});
    for (int i = 1; i <= 6; ++i)
        ok({"online-pstn-gateway", "new", "sbc" + std::to_string(i) + ".contoso.com", "--sip-signaling-port", "5061",
            "--enabled"});
    ok({"usage", "add", "US and Canada"});
    ok({"usage", "add", "International"});
    ok({"voice-route", "new", "Redmond 1", "--number-pattern", R"(^\+1(425|206)(\d{7})$)", "--online-pstn-gateway-list",
        "sbc1.contoso.com,sbc2.contoso.com", "--priority", "1", "--online-pstn-usages", "US and Canada"});
    ok({"voice-route", "new", "Redmond 2", "--number-pattern", R"(^\+1(425|206)(\d{7})$)", "--online-pstn-gateway-list",
        "sbc3.contoso.com,sbc4.contoso.com", "--priority", "2", "--online-pstn-usages", "US and Canada"});
    ok({"voice-route", "new", "Other +1", "--number-pattern", R"(^\+1(\d{10})$)", "--online-pstn-gateway-list",
        "sbc5.contoso.com,sbc6.contoso.com", "--online-pstn-usages", "US and Canada"});
    ok({"voice-route", "new", "International", "--number-pattern", ".*", "--online-pstn-gateway-list",
        "sbc2.contoso.com,sbc5.contoso.com", "--online-pstn-usages", "International"});
    ok({"voice-routing-policy", "new", "US Only", "--online-pstn-usages", "US and Canada"});
    ok({"voice-routing-policy", "new", "No Restrictions", "--online-pstn-usages", "US and Canada,International"});
}

}  // namespace csctl::test
