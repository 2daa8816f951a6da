// The command groups, one file pair each (tenant.cpp, voice_route.cpp …), in help order.
#pragma once

#include <string>
#include <vector>

namespace csctl {

class Registry;

struct CommandGroup {
    std::vector<std::string> words;  // the top-level words it registers (names and aliases)
    void (*add)(Registry&);
    bool whole_tree = false;         // its commands read the other groups (help): build them all
};

void add_tenant_commands(Registry& registry);
void add_gateway_commands(Registry& registry);
void add_usage_commands(Registry& registry);
void add_voice_route_commands(Registry& registry);
void add_voice_routing_policy_commands(Registry& registry);
void add_dial_plan_commands(Registry& registry);
void add_translation_rule_commands(Registry& registry);
void add_number_pattern_commands(Registry& registry);
void add_route_commands(Registry& registry);
void add_user_commands(Registry& registry);
void add_group_commands(Registry& registry);
void add_upgrade_policy_commands(Registry& registry);
void add_validate_commands(Registry& registry);
void add_document_commands(Registry& registry);
void add_ps_commands(Registry& registry);
void add_journal_commands(Registry& registry);
void add_help_commands(Registry& registry);
void add_remote_commands(Registry& registry);
void add_serve_commands(Registry& registry);

const std::vector<CommandGroup>& command_groups();

}  // namespace csctl
