#include "core/voice_route.hpp"

#include "core/error.hpp"
#include "core/names.hpp"
#include "core/pattern.hpp"
#include "core/text.hpp"
#include "core/usage.hpp"

namespace csctl {

const std::vector<FieldSpec>& voice_route_fields()
{
    using T = FieldType;
    static const std::vector<FieldSpec> fields{
        {"NumberPattern", "numberPattern", "number-pattern", T::text,
         "regular expression the dialed number must match (searched, default [0-9]{10})"},
        {"Priority", "priority", "priority", T::integer,
         "0 or more, lowest tried first; a taken priority inserts and shifts the others; omitted appends"},
        {"OnlinePstnUsages", "onlinePstnUsages", "online-pstn-usages", T::text_list,
         "comma-separated PSTN usages this route belongs to (replaces the list)", {}, {"usages"}, "usage", false, "usage"},
        {"OnlinePstnGatewayList", "onlinePstnGatewayList", "online-pstn-gateway-list", T::text_list,
         "comma-separated gateway FQDNs, in order (replaces the list)", {}, {"gateways"}, "gateway", false, "gateway"},
        {"BridgeSourcePhoneNumber", "bridgeSourcePhoneNumber", "bridge-source-phone-number", T::text,
         "E.164 number of an Operator Connect / Calling Plan bridge (excludes a gateway list)"},
        {"Description", "description", "description", T::text, "free text"},
    };
    return fields;
}

VoiceRoute require_route(TenantStore& store, const std::string& identity)
{
    auto r = store.find_route(identity);
    if (!r)
        throw not_found(route_label(identity) + " does not exist (list them with `csctl voice-route get`)");
    return *r;
}

VoiceRoute validate(VoiceRoute r, TenantStore& store, Notes& notes)
{
    const auto owner = label(r);
    if (trim(r.identity).empty())
        throw usage_error("voice route: Identity is empty");
    if (r.identity.size() > 256)
        throw usage_error(owner + ": Identity is longer than 256 characters");
    if (trim(r.number_pattern).empty())
        throw usage_error(owner + ": NumberPattern is empty");
    if (auto error = Pattern::check(r.number_pattern))
        throw usage_error(owner + ": NumberPattern " + quote(r.number_pattern) + " does not compile at position " +
                          std::to_string(error->offset + 1) + ": " + error->message + "\n" +
                          point_at(r.number_pattern, error->offset));
    if (r.priority < 0)
        throw usage_error(owner + ": Priority " + std::to_string(r.priority) + " must be 0 or more");

    auto usages = store.usages();
    for (std::size_t i = 0; i < r.online_pstn_usages.size(); ++i) {
        auto& u = r.online_pstn_usages[i];
        u = require_usage(usages, u, owner);
        if (find_identity({r.online_pstn_usages.begin(), r.online_pstn_usages.begin() + static_cast<long>(i)}, u) >= 0)
            throw usage_error(owner + ": OnlinePstnUsages lists " + quote(u) + " twice");
    }
    for (std::size_t i = 0; i < r.online_pstn_gateway_list.size(); ++i) {
        auto& fqdn = r.online_pstn_gateway_list[i];
        auto g = store.find_gateway(fqdn);
        if (!g)
            throw usage_error(owner + ": OnlinePstnGatewayList names gateway " + quote(fqdn) +
                              ", which does not exist (create it with `csctl online-pstn-gateway new " + fqdn +
                              " --sip-signaling-port 5061 --enabled`)");
        fqdn = g->fqdn;
        if (find_identity({r.online_pstn_gateway_list.begin(), r.online_pstn_gateway_list.begin() + static_cast<long>(i)},
                          fqdn) >= 0)
            throw usage_error(owner + ": OnlinePstnGatewayList lists " + quote(fqdn) + " twice");
    }
    if (!r.bridge_source_phone_number.empty()) {
        if (!is_e164(r.bridge_source_phone_number))
            throw usage_error(owner + ": BridgeSourcePhoneNumber " + quote(r.bridge_source_phone_number) +
                              " is not an E.164 number (+ and 7-15 digits)");
        if (!r.online_pstn_gateway_list.empty())
            throw usage_error(owner + ": BridgeSourcePhoneNumber and OnlinePstnGatewayList cannot both be set");
    }
    if (r.online_pstn_usages.empty())
        notes.warnings.push_back(owner + " has no PSTN usages, so no policy can select it");
    if (r.online_pstn_gateway_list.empty() && r.bridge_source_phone_number.empty())
        notes.warnings.push_back(owner + " has no gateways, so calls it matches cannot be routed");
    return r;
}

namespace {

VoiceRoute apply(const VoiceRoute& base, const Edit& edit)
{
    auto json = to_json(base);
    apply_edit(json, edit, voice_route_fields(), label(base));
    return route_from_json(json, base.identity);
}

// Makes room at the route's priority: the holder and every route above it move down by one.
void place(TenantStore& store, const VoiceRoute& route)
{
    if (store.route_priority_taken(route.priority, route.identity))
        store.shift_route_priorities(route.priority, route.identity);
}

}  // namespace

VoiceRoute new_route(TenantStore& store, const std::string& identity, const Edit& edit, Notes& notes)
{
    if (auto existing = store.find_route(identity))
        throw conflict(label(*existing) + " already exists (change it with `csctl voice-route set`)");
    VoiceRoute base;
    base.identity = trim(identity);
    auto route = apply(base, edit);
    if (!edit.set.contains("priority")) {
        auto max = store.max_route_priority();
        route.priority = max ? *max + 1 : 1;
    }
    route = validate(route, store, notes);
    place(store, route);
    store.put_route(route);
    return route;
}

VoiceRoute set_route(TenantStore& store, const std::string& identity, const Edit& edit, Notes& notes)
{
    auto before = require_route(store, identity);
    auto route = validate(apply(before, edit), store, notes);
    if (route.priority != before.priority)
        place(store, route);
    store.put_route(route);
    return route;
}

void remove_route(TenantStore& store, const std::string& identity)
{
    auto route = require_route(store, identity);
    store.erase_route(route.identity);
}

}  // namespace csctl
