// The command groups, one file pair each (tenant.cpp, voice_route.cpp …), in help order.
#pragma once

#include <string>
#include <vector>

namespace csctl {

class Registry;

struct CommandGroup {
    std::vector<std::string> words;  // the top-level words it registers (names and aliases)
    void (*add)(Registry&);
};

void add_tenant_commands(Registry& registry);
void add_gateway_commands(Registry& registry);
void add_usage_commands(Registry& registry);
void add_voice_route_commands(Registry& registry);
void add_voice_routing_policy_commands(Registry& registry);
void add_document_commands(Registry& registry);
void add_journal_commands(Registry& registry);
void add_remote_commands(Registry& registry);
void add_serve_commands(Registry& registry);

const std::vector<CommandGroup>& command_groups();

}  // namespace csctl
