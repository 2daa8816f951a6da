#include "cmd/groups.hpp"

namespace csctl {

const std::vector<CommandGroup>& command_groups()
{
    static const std::vector<CommandGroup> groups{
        {"tenant", add_tenant_commands},
        {"online-pstn-gateway", add_gateway_commands},
        {"usage", add_usage_commands},
        {"voice-route", add_voice_route_commands},
        {"voice-routing-policy", add_voice_routing_policy_commands},
        {"user", add_user_commands},
        {"group", add_group_commands},
        {"upgrade-policy", add_upgrade_policy_commands},
        {"validate", add_validate_commands},
        {"export", add_document_commands},
        {"log", add_journal_commands},
    };
    return groups;
}

}  // namespace csctl
