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
};

}  // namespace csctl
