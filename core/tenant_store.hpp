// What the tenant operations of core need from wherever a tenant lives. The SQLite store
// implements it; every put/erase inside a change is journaled by the implementation, so the
// operations in core never write anything else.
#pragma once

#include "core/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace csctl {

// Warnings an operation wants the user to see; core never prints.
struct Notes {
    std::vector<std::string> warnings;
};

// The policy types a user (and a group) can be granted.
enum class PolicyType { voice_routing, upgrade, dial_plan };

// One user before and after a bulk change (nullopt: did not exist / removed). `before` is what
// the caller read in the same change.
struct UserChange {
    std::optional<User> before;
    std::optional<User> after;
};

// A user's direct assignment of one policy type changing from before to after ("" = none).
struct AssignmentChange {
    std::string upn;
    std::string before;
    std::string after;
};

// What a bulk grant reads of a user: the UPN as stored, the homing and the direct assignment of
// the policy type being granted ("" = none).
struct UserAssignment {
    std::string upn;
    std::string homed;
    std::string policy;
};

class TenantStore {
public:
    virtual ~TenantStore() = default;

    virtual TenantInfo tenant() = 0;
    virtual void put_tenant(const TenantInfo& info) = 0;

    virtual std::optional<Gateway> find_gateway(std::string_view fqdn) = 0;
    virtual std::vector<Gateway> gateways() = 0;
    virtual void put_gateway(const Gateway& gateway) = 0;   // insert or replace (key: FQDN, any case)
    virtual void erase_gateway(std::string_view fqdn) = 0;

    virtual std::vector<std::string> usages() = 0;           // in list order
    virtual void put_usages(const std::vector<std::string>& usages) = 0;

    virtual std::optional<VoiceRoute> find_route(std::string_view identity) = 0;
    // The route's priority without reading the route (nullopt: no such route).
    virtual std::optional<int> route_priority(std::string_view identity) = 0;
    virtual std::vector<VoiceRoute> routes() = 0;            // by priority
    virtual void put_route(const VoiceRoute& route) = 0;
    virtual void erase_route(std::string_view identity) = 0;
    virtual std::optional<int> max_route_priority() = 0;
    virtual bool route_priority_taken(int priority, std::string_view except_identity) = 0;
    // Adds one to the priority of every route at `from` or above, except the named one.
    virtual void shift_route_priorities(int from, std::string_view except_identity) = 0;
    virtual std::vector<std::string> routes_using_gateway(std::string_view fqdn) = 0;
    virtual std::vector<std::string> routes_using_usage(std::string_view usage) = 0;

    virtual std::optional<VoiceRoutingPolicy> find_policy(std::string_view name) = 0;
    virtual std::vector<VoiceRoutingPolicy> policies() = 0;  // Global first, then by name
    virtual void put_policy(const VoiceRoutingPolicy& policy) = 0;
    virtual void erase_policy(std::string_view name) = 0;
    virtual std::vector<std::string> policies_using_usage(std::string_view usage) = 0;

    virtual std::optional<TenantDialPlan> find_dial_plan(std::string_view name) = 0;
    virtual std::vector<TenantDialPlan> dial_plans() = 0;     // Global first, then by name
    virtual void put_dial_plan(const TenantDialPlan& plan) = 0;
    virtual void erase_dial_plan(std::string_view name) = 0;

    virtual std::optional<TranslationRule> find_translation_rule(std::string_view identity) = 0;
    virtual std::vector<TranslationRule> translation_rules() = 0;  // by identity
    virtual void put_translation_rule(const TranslationRule& rule) = 0;
    virtual void erase_translation_rule(std::string_view identity) = 0;

    // Blocked (exempt = false) or exempt (exempt = true) inbound number patterns.
    virtual std::optional<NumberPattern> find_number_pattern(bool exempt, std::string_view identity) = 0;
    virtual std::vector<NumberPattern> number_patterns(bool exempt) = 0;  // by identity
    virtual void put_number_pattern(bool exempt, const NumberPattern& pattern) = 0;
    virtual void erase_number_pattern(bool exempt, std::string_view identity) = 0;
    // Users carry their group memberships (User::groups). Bulk reads and writes take whole
    // lists so that the store can work set-based and journal cheaply.
    virtual std::optional<User> find_user(std::string_view upn) = 0;
    // The existing users among upns, in any order (possibly more: callers pick by UPN).
    virtual std::vector<User> find_users(const std::vector<std::string>& upns) = 0;
    virtual std::vector<User> users() = 0;                   // by UPN
    virtual std::size_t user_count() = 0;
    virtual void put_user(const User& user) = 0;             // insert or replace (key: UPN, any case)
    virtual void erase_user(std::string_view upn) = 0;
    virtual void put_users(const std::vector<UserChange>& changes) = 0;
    // The UPN of the user who holds the number (exact text, extension included).
    virtual std::optional<std::string> user_with_phone_number(std::string_view number) = 0;
    // The existing users among upns with their assignment of type, in any order (possibly more:
    // callers pick by UPN). Reads three columns, not whole users.
    virtual std::vector<UserAssignment> user_assignments(PolicyType type, const std::vector<std::string>& upns) = 0;
    // Changes users' direct assignments; each change is journaled as the assignment alone.
    virtual void assign_user_policies(PolicyType type, const std::vector<AssignmentChange>& changes) = 0;
    // Users directly assigned the named policy: the first `limit` UPNs, and how many in all.
    virtual std::vector<std::string> users_with_policy(PolicyType type, std::string_view name, std::size_t limit,
                                                       std::size_t& count) = 0;

    virtual std::optional<Group> find_group(std::string_view name) = 0;
    virtual std::vector<Group> groups() = 0;                 // by name
    virtual void put_group(const Group& group) = 0;
    virtual void erase_group(std::string_view name) = 0;
    virtual std::vector<std::string> group_members(std::string_view name) = 0;
};

}  // namespace csctl
