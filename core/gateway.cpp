#include "core/gateway.hpp"

#include "core/error.hpp"
#include "core/names.hpp"
#include "core/text.hpp"
#include "core/translation_rule.hpp"

#include <algorithm>

namespace csctl {

namespace {
const std::vector<int> k_default_failover_codes{408, 503, 504};
}

const std::vector<FieldSpec>& gateway_fields()
{
    using T = FieldType;
    static const std::vector<FieldSpec> fields{
        {"SipSignalingPort", "sipSignalingPort", "sip-signaling-port", T::integer,
         "SIP listening port of the SBC (1-65535); required by new", {}, {"sip-signalling-port"}, "", false},
        {"Enabled", "enabled", "enabled", T::flag, "route outbound calls to this SBC (default false: a new SBC is drained)"},
        {"SendSipOptions", "sendSipOptions", "send-sip-options", T::flag,
         "monitor the SBC with SIP OPTIONS (default true; false excludes it from health monitoring)"},
        {"ForwardCallHistory", "forwardCallHistory", "forward-call-history", T::flag,
         "send call history headers (History-Info, Referred-By) to the SBC"},
        {"ForwardPai", "forwardPai", "forward-pai", T::flag, "send the P-Asserted-Identity header to the SBC"},
        {"MediaBypass", "mediaBypass", "media-bypass", T::flag, "let media flow directly between client and SBC"},
        {"PidfLoSupported", "pidfLoSupported", "pidf-lo-supported", T::flag, "send PIDF-LO location to the SBC"},
        {"GatewaySiteLbrEnabled", "gatewaySiteLbrEnabled", "gateway-site-lbr-enabled", T::flag,
         "enable location-based routing for this SBC"},
        {"GatewayLbrEnabledUserOverride", "gatewayLbrEnabledUserOverride", "gateway-lbr-enabled-user-override", T::flag,
         "let LBR-enabled users' location override the SBC's"},
        {"FailoverTimeSeconds", "failoverTimeSeconds", "failover-time-seconds", T::integer,
         "seconds without answer before trying the next SBC (default 10)"},
        {"FailoverResponseCodes", "failoverResponseCodes", "failover-response-codes", T::integer_list,
         "SIP responses (400-699) that fail over to the next SBC; replaces the default 408,503,504"},
        {"MaxConcurrentSessions", "maxConcurrentSessions", "max-concurrent-sessions", T::optional_integer,
         "capacity of the SBC (1-100000, or null); alerts at 90 %"},
        {"BypassMode", "bypassMode", "bypass-mode", T::optional_enumeration, "media bypass mode, or null",
         {"None", "Always", "OnlyForLocalUsers"}},
        {"IPAddressVersion", "ipAddressVersion", "ip-address-version", T::enumeration,
         "address family of the SBC (default IPv4)", {"IPv4", "IPv6"}},
        {"GatewaySiteId", "gatewaySiteId", "gateway-site-id", T::text, "network site of the SBC (location-based routing)"},
        {"ProxySbc", "proxySbc", "proxy-sbc", T::text, "FQDN of the proxy SBC for local media optimisation",
         {}, {}, "", false, "gateway"},
        {"MediaRelayRoutingLocationOverride", "mediaRelayRoutingLocationOverride",
         "media-relay-routing-location-override", T::text, "ISO country code of the media relay location"},
        {"Description", "description", "description", T::text, "free text"},
        {"InboundTeamsNumberTranslationRules", "inboundTeamsNumberTranslationRules",
         "inbound-teams-number-translation-rules", T::text_list,
         "translation rules for the called (Teams) number of inbound calls, first match applies (replaces the list)",
         {}, {}, "inbound-teams-number-translation-rule"},
        {"InboundPstnNumberTranslationRules", "inboundPstnNumberTranslationRules",
         "inbound-pstn-number-translation-rules", T::text_list,
         "translation rules for the calling (PSTN) number of inbound calls, first match applies (replaces the list)",
         {}, {}, "inbound-pstn-number-translation-rule"},
        {"OutboundPstnNumberTranslationRules", "outboundPstnNumberTranslationRules",
         "outbound-pstn-number-translation-rules", T::text_list,
         "translation rules for the called (PSTN) number of outbound calls, first match applies (replaces the list)",
         {}, {}, "outbound-pstn-number-translation-rule"},
        {"OutboundTeamsNumberTranslationRules", "outboundTeamsNumberTranslationRules",
         "outbound-teams-number-translation-rules", T::text_list,
         "translation rules for the calling (Teams) number of outbound calls, first match applies (replaces the list)",
         {}, {}, "outbound-teams-number-translation-rule"},
    };
    return fields;
}

std::optional<std::string> fqdn_problem(const std::string& fqdn, const TenantInfo& tenant)
{
    if (auto problem = dns_name_problem(fqdn, 63))
        return *problem;
    auto parent = parent_domain(fqdn);
    auto lower = to_lower(parent);
    if (lower == "onmicrosoft.com" || (lower.size() > 16 && lower.ends_with(".onmicrosoft.com")))
        return "is under onmicrosoft.com, which cannot be used for an SBC (use a domain of the tenant)";
    if (!tenant.domains.empty() && find_identity(tenant.domains, parent) < 0)
        return "is not in a domain of the tenant: " + quote(parent) + " is not one of " + quoted_list(tenant.domains) +
               " (add it with `csctl tenant domain add " + parent + "`)";
    return std::nullopt;
}

void validate(const Gateway& g, const TenantInfo& tenant)
{
    const auto owner = label(g);
    if (auto problem = fqdn_problem(g.fqdn, tenant))
        throw usage_error(owner + ": Fqdn " + quote(g.fqdn) + " " + *problem);
    if (g.sip_signaling_port == 0)
        throw usage_error(owner + ": SipSignalingPort is required (--sip-signaling-port, e.g. 5061)");
    if (g.sip_signaling_port < 1 || g.sip_signaling_port > 65535)
        throw usage_error(owner + ": SipSignalingPort " + std::to_string(g.sip_signaling_port) +
                          " is out of range (1-65535)");
    if (g.failover_time_seconds <= 0)
        throw usage_error(owner + ": FailoverTimeSeconds " + std::to_string(g.failover_time_seconds) +
                          " must be greater than 0");
    if (g.failover_response_codes.empty())
        throw usage_error(owner + ": FailoverResponseCodes must list at least one SIP response code (default 408,503,504)");
    for (std::size_t i = 0; i < g.failover_response_codes.size(); ++i) {
        int code = g.failover_response_codes[i];
        if (code < 400 || code > 699)
            throw usage_error(owner + ": FailoverResponseCodes " + std::to_string(code) +
                              " is not a SIP failure response (400-699)");
        if (std::find(g.failover_response_codes.begin(), g.failover_response_codes.begin() + static_cast<long>(i), code) !=
            g.failover_response_codes.begin() + static_cast<long>(i))
            throw usage_error(owner + ": FailoverResponseCodes lists " + std::to_string(code) + " twice");
    }
    if (g.max_concurrent_sessions && (*g.max_concurrent_sessions < 1 || *g.max_concurrent_sessions > 100000))
        throw usage_error(owner + ": MaxConcurrentSessions " + std::to_string(*g.max_concurrent_sessions) +
                          " is out of range (1-100000, or null)");
    const auto& fields = gateway_fields();
    auto check_enum = [&](const char* key, const std::string& value, bool nullable) {
        if (nullable && value.empty())
            return;
        const auto* f = find_field(fields, key);
        if (std::find(f->values.begin(), f->values.end(), value) == f->values.end())
            throw usage_error(owner + ": " + f->property + " " + quote(value) + " is not one of " + join(f->values, ", "));
    };
    check_enum("bypassMode", g.bypass_mode, true);
    check_enum("ipAddressVersion", g.ip_address_version, false);
    if (!g.proxy_sbc.empty())
        if (auto problem = dns_name_problem(g.proxy_sbc))
            throw usage_error(owner + ": ProxySbc " + quote(g.proxy_sbc) + " " + *problem);
    if (!g.media_relay_routing_location_override.empty() && !is_country_code(g.media_relay_routing_location_override))
        throw usage_error(owner + ": MediaRelayRoutingLocationOverride " + quote(g.media_relay_routing_location_override) +
                          " is not an ISO 3166 country code (two capital letters, e.g. US)");
}

Gateway require_gateway(TenantStore& store, const std::string& fqdn)
{
    auto g = store.find_gateway(fqdn);
    if (!g)
        throw not_found(gateway_label(fqdn) + " does not exist (list them with `csctl online-pstn-gateway get`)");
    return *g;
}

namespace {

void warn_about_failover_codes(const Gateway& g, const Edit& edit, Notes& notes)
{
    if (!edit.set.contains("failoverResponseCodes"))
        return;
    std::vector<std::string> dropped;
    for (int code : k_default_failover_codes)
        if (std::find(g.failover_response_codes.begin(), g.failover_response_codes.end(), code) ==
            g.failover_response_codes.end())
            dropped.push_back(std::to_string(code));
    if (!dropped.empty())
        notes.warnings.push_back(label(g) + ": FailoverResponseCodes replaces the defaults 408,503,504; " +
                                 join(dropped, ",") + " will no longer fail over to the next SBC");
}

Gateway apply(const Gateway& base, const Edit& edit)
{
    auto json = to_json(base);
    apply_edit(json, edit, gateway_fields(), label(base));
    return gateway_from_json(json, base.fqdn);
}

}  // namespace

Gateway new_gateway(TenantStore& store, const std::string& fqdn, const Edit& edit, Notes& notes)
{
    if (auto existing = store.find_gateway(fqdn))
        throw conflict(label(*existing) + " already exists (change it with `csctl online-pstn-gateway set`)");
    Gateway base;
    base.fqdn = trim(fqdn);
    auto g = resolve_translation_rules(apply(base, edit), store);
    validate(g, store.tenant());
    store.put_gateway(g);
    if (!g.enabled)
        notes.warnings.push_back(label(g) + " is disabled, so no calls are routed to it; enable it with "
                                 "`csctl online-pstn-gateway set " + g.fqdn + " --enabled`");
    warn_about_failover_codes(g, edit, notes);
    return g;
}

Gateway set_gateway(TenantStore& store, const std::string& fqdn, const Edit& edit, Notes& notes)
{
    auto g = resolve_translation_rules(apply(require_gateway(store, fqdn), edit), store);
    validate(g, store.tenant());
    store.put_gateway(g);
    warn_about_failover_codes(g, edit, notes);
    return g;
}

void remove_gateway(TenantStore& store, const std::string& fqdn)
{
    auto g = require_gateway(store, fqdn);
    auto routes = store.routes_using_gateway(g.fqdn);
    if (!routes.empty())
        throw conflict(label(g) + " is still used by voice route " + quoted_list(routes) +
                       "; remove it from them first (`csctl voice-route set NAME --remove-gateway " + g.fqdn + "`)");
    store.erase_gateway(g.fqdn);
}

}  // namespace csctl
