// The per-call queries of the API (outbound route, inbound) answer from a RouteSnapshot: the
// routing engine compiled from one revision of a tenant, with the directory indexed for the
// caller lookup (UPN, SIP address, phone number). Built once per revision, then immutable, so
// every worker thread shares one instance without locks.
#pragma once

#include "core/json.hpp"
#include "core/model.hpp"
#include "core/policy_assignment.hpp"
#include "core/routing.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace csctl::server {

class RouteSnapshot {
public:
    RouteSnapshot(const TenantDocument& tenant, long long revision);

    long long revision() const { return m_revision; }

    // The caller of an outbound call: the user whose UPN, SIP address or phone number `from` is,
    // else a caller with that number and the tenant's default policy and dial plan. Throws a
    // usage error when `from` is neither a user nor a number.
    CallerContext caller(std::string_view from) const;
    // The gateway's FQDN as stored, nullopt when the tenant has no such gateway.
    std::optional<std::string> gateway_fqdn(std::string_view name) const;
    const std::unordered_map<std::string, Gateway>& gateways() const { return m_gateways; }  // by lower-case FQDN

    OutboundResult route(const CallerContext& caller, std::string_view number, const OutboundOptions& options) const;
    InboundResult inbound(std::string_view gateway, std::string_view called, std::string_view calling) const;

    // Kamailio's rtjson document of a decision, as one line of JSON text: serial routing, one
    // entry per gateway to try, in order, with the translated Request-URI (sip:NUMBER@FQDN:PORT)
    // and the next hop.
    std::string rtjson(const OutboundResult& result) const;

private:
    const User* find_user(std::string_view key) const;

    long long m_revision;
    RoutingEngine m_engine;
    PolicyResolver m_resolver;
    std::vector<User> m_users;
    std::unordered_map<std::string, std::size_t> m_by_name;    // lower-case UPN and SIP address (no "sip:")
    std::unordered_map<std::string, std::size_t> m_by_number;       // phone number as stored
    std::unordered_map<std::string, std::size_t> m_by_base_number;  // phone number without ";ext="
    std::unordered_map<std::string, Gateway> m_gateways;       // by lower-case FQDN
};

// The decision as `route test -o json` writes it (to_json(result).dump()) and a newline, written
// straight into the text: the per-call answer of the API is not built as a JSON tree first.
std::string decision_json(const OutboundResult& result);

}  // namespace csctl::server
