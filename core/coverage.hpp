// `route check --all-users`: can each voice-enabled user's own number be reached under that
// user's own effective policy and dial plan? A user whose own number no route of their policy
// reaches usually holds the wrong policy (a London user granted "US Only"), or sits in a site
// whose routes are missing or whose gateways are all disabled: their local calls are dropped.
#pragma once

#include "core/json.hpp"
#include "core/model.hpp"
#include "core/policy_assignment.hpp"
#include "core/routing.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace csctl {

struct UserCoverage {
    std::string user;
    std::string phone_number;             // as assigned, ";ext=" dropped
    std::string normalized_number;        // after the user's dial plan
    std::string policy;                   // identity: Global or Tag:<name>
    std::string policy_source;            // direct, group "sales" rank 1, tenant default, no assignment
    std::string outcome;                  // routed, calling-plan, dropped
    std::string reason;
    std::string usage;                    // the usage whose routes match; empty = none
    std::string route;                    // the first route that matches; empty = none
};

struct CoverageReport {
    std::size_t users = 0;                // the directory
    std::size_t checked = 0;              // enterprise voice enabled, with a phone number
    std::size_t routed = 0;
    std::size_t calling_plan = 0;         // no route, but the user has a Calling Plan licence
    std::size_t dropped = 0;
    std::vector<UserCoverage> dropped_users;  // in directory order
};

// The check, one user at a time (a 100,000-user directory is streamed through it, never held).
class UserCoverageCheck {
public:
    UserCoverageCheck(const RoutingEngine& engine, const PolicyResolver& resolver);
    // Counts the user in the directory; checks them when enterprise voice enabled with a number.
    void add(const User& user);
    CoverageReport& report() { return m_report; }

private:
    UserCoverage& drop(const User& user, const CallerContext& caller, std::string reason);

    const RoutingEngine& m_engine;
    const PolicyResolver& m_resolver;
    std::unordered_map<std::string, int> m_policies;  // policy name → engine index, looked up once
    std::vector<std::uint32_t> m_selected;
    CoverageReport m_report;
};

// Checks every user of the list.
CoverageReport check_user_coverage(const RoutingEngine& engine, const std::vector<User>& users,
                                   const PolicyResolver& resolver);

Json to_json(const UserCoverage& c);
// {users, checked, routed, callingPlan, dropped, droppedUsers: [...]}
Json to_json(const CoverageReport& r);

}  // namespace csctl
