// The manual: man pages generated from the registry (csctl(1) and one page per command group)
// and the help topics of `csctl help TOPIC`, from the same tables.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace csctl {

class Registry;

struct HelpTopic {
    std::string name;      // "exit-codes"
    std::string summary;
    std::string text;      // plain text, as `csctl help NAME` prints it
};

const std::vector<HelpTopic>& help_topics();

// file name ("csctl-voice-route.1") → roff source, for every page.
std::map<std::string, std::string> man_pages(const Registry& registry);

// The hidden `csctl __man DIR`: writes every page into DIR (and removes stale csctl*.1 there).
int man_main(const Registry& registry, const std::vector<std::string>& args);

}  // namespace csctl
