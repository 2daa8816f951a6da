#include "cmd/groups.hpp"

namespace csctl {

const std::vector<CommandGroup>& command_groups()
{
    static const std::vector<CommandGroup> groups{
        {{"tenant"}, add_tenant_commands},
        {{"online-pstn-gateway", "gateway"}, add_gateway_commands},
        {{"usage"}, add_usage_commands},
        {{"voice-route"}, add_voice_route_commands},
        {{"voice-routing-policy"}, add_voice_routing_policy_commands},
        {{"user", "user-enable", "user-disable"}, add_user_commands},
        {{"group"}, add_group_commands},
        {{"upgrade-policy"}, add_upgrade_policy_commands},
        {{"dial-plan", "normalization-rule"}, add_dial_plan_commands},
        {{"translation-rule"}, add_translation_rule_commands},
        {{"blocked-number", "exempt-number"}, add_number_pattern_commands},
        {{"route"}, add_route_commands},
        {{"validate"}, add_validate_commands},
        {{"export", "import", "apply", "diff"}, add_document_commands},
        {{"ps"}, add_ps_commands},
        {{"log", "undo"}, add_journal_commands},
        {{"help", "completion"}, add_help_commands, true},
        {{"remote", "status", "plan", "push", "pull"}, add_remote_commands},
        {{"serve"}, add_serve_commands},
    };
    return groups;
}

}  // namespace csctl
