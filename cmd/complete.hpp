// Shell completion. `csctl completion bash|zsh|fish` prints a script (the same as completions/);
// the script hands the words typed so far to the hidden `csctl __complete -- WORDS…`, which answers
// from the registry's command tree (subcommands, options, choices, which option names which kind of
// object) and, for object names, from the tenant database opened read-only.
#pragma once

#include <string>
#include <vector>

namespace csctl {

class Registry;

struct Candidate {
    std::string value;
    std::string description;  // may be empty
};

struct Completion {
    bool files = false;  // let the shell complete a path
    std::vector<Candidate> candidates;
};

// words: the command line after "csctl"; the last one is the word being completed (maybe "").
Completion complete_words(Registry& registry, const std::vector<std::string>& words);

// The hidden entry point: builds as much of the tree as the words need, then prints ":files" or
// one "value<TAB>description" line per candidate. Never writes, never prompts, prints nothing and
// exits 0 on any problem.
int complete_main(Registry& registry, const std::vector<std::string>& args);

// The script for shell ("bash", "zsh", "fish"); throws a usage error for any other.
std::string completion_script(const std::string& shell);
const std::vector<std::string>& completion_shells();

// At most this many object names are offered at once.
constexpr int k_max_names = 100;

}  // namespace csctl
