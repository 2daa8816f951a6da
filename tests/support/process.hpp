// Runs programs for black-box tests: a scratch directory with its own HOME and XDG directories,
// a clean environment, and the exit code, stdout and stderr of each run.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace csctl::test {

struct Result {
    int code = -1;
    std::string out;
    std::string err;
};

// Runs argv with exactly env as its environment; feeds input on stdin. timeout_s bounds the run
// (the process is killed and code is -9 after it).
Result run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                   const std::string& input = {}, const std::string& cwd = {}, int timeout_s = 120);

class Sandbox {
public:
    Sandbox();
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    // Runs the built csctl with the sandbox's environment.
    Result csctl(const std::vector<std::string>& args, const std::string& input = {}) const;
    Result run(const std::vector<std::string>& argv, const std::string& input = {}) const;
    // Runs `csctl export -o json` and returns its stdout (fails the test if it fails).
    std::string export_json() const;
    std::string file(const std::string& name) const { return m_dir + "/" + name; }
    void write(const std::string& name, const std::string& text) const;

    const std::string& dir() const { return m_dir; }
    std::map<std::string, std::string> env;

private:
    std::string m_dir;
};

std::string csctl_binary();
// The worked-example tenant of Microsoft's "Configure call routing for Direct Routing".
void build_worked_example(const Sandbox& sandbox);

}  // namespace csctl::test
