#include "core/caller.hpp"

namespace csctl {

CallerContext caller_from_user(const User& user, const PolicyResolver& resolver)
{
    CallerContext c;
    auto policy = resolver.voice_routing(user);
    auto dial_plan = resolver.dial_plan(user);
    c.user = user.user_principal_name;
    c.policy = policy.name;
    c.policy_source = policy.source;
    c.dial_plan = dial_plan.name;
    c.dial_plan_source = dial_plan.source;
    c.usage_location = user.usage_location;
    c.calling_plan = user.has_license("CallingPlan");
    // The From of a call carries the number without its extension.
    c.phone_number = user.phone_number.substr(0, user.phone_number.find(';'));
    return c;
}

InboundUser inbound_user(const User& user, const PolicyResolver& resolver)
{
    return InboundUser{user.user_principal_name, resolver.mode(user) == "TeamsOnly", user.enterprise_voice_enabled};
}

}  // namespace csctl
