// Who is calling, as routing sees a user of the directory: the CallerContext of an outbound call
// (effective policy and dial plan with their sources, usage location, CallingPlan licence, own
// number) and the InboundUser of the reverse number lookup. Shared by the CLI and the server.
#pragma once

#include "core/model.hpp"
#include "core/policy_assignment.hpp"
#include "core/routing.hpp"

namespace csctl {

// The caller of an outbound call placed by this user.
CallerContext caller_from_user(const User& user, const PolicyResolver& resolver);

// The user an inbound call reaches, with what decides whether Teams rings them.
InboundUser inbound_user(const User& user, const PolicyResolver& resolver);

}  // namespace csctl
