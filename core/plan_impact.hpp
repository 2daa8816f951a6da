// How many users each change of a plan affects: a user change affects that user; a voice
// routing policy or dial plan change the users whose effective policy (or dial plan) it is; a
// usage, route, gateway or translation rule change the users of the policies whose usages reach
// it; a group change its members; an inbound number pattern the users with a phone number; a
// tenant default the users who fall back to it.
#pragma once

#include "core/model.hpp"
#include "core/plan.hpp"

#include <cstddef>
#include <vector>

namespace csctl {

// One count per operation of ops, in order. Creates and updates are counted in `to`, deletes in
// `from`; an update counts the larger of the two (the users before and after the change).
std::vector<std::size_t> users_affected(const TenantDocument& from, const TenantDocument& to,
                                        const std::vector<PlanOp>& ops);

}  // namespace csctl
