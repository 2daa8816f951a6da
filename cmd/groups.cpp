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
        {{"export"}, add_document_commands},
        {{"log", "undo"}, add_journal_commands},
        {{"remote", "status", "plan", "push", "pull"}, add_remote_commands},
        {{"serve"}, add_serve_commands},
    };
    return groups;
}

}  // namespace csctl
