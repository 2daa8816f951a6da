#include "core/voice_routing_policy.hpp"

#include "core/error.hpp"
#include "core/policy_assignment.hpp"
#include "core/text.hpp"
#include "core/usage.hpp"

namespace csctl {

const std::vector<FieldSpec>& voice_routing_policy_fields()
{
    using T = FieldType;
    static const std::vector<FieldSpec> fields{
        {"OnlinePstnUsages", "onlinePstnUsages", "online-pstn-usages", T::text_list,
         "comma-separated PSTN usages, in the order calls try them (replaces the list)", {}, {"usages"}, "usage", false, "usage"},
        {"Description", "description", "description", T::text, "free text"},
    };
    return fields;
}

VoiceRoutingPolicy require_policy(TenantStore& store, const std::string& identity)
{
    auto name = policy_name_from_identity(identity);
    auto p = store.find_policy(name);
    if (!p)
        throw not_found(policy_label(name) + " does not exist (list them with `csctl voice-routing-policy get`)");
    return *p;
}

VoiceRoutingPolicy validate(VoiceRoutingPolicy p, TenantStore& store)
{
    const auto owner = label(p);
    if (p.name.empty())
        throw usage_error("voice routing policy: Identity is empty");
    if (p.name.size() > 256)
        throw usage_error(owner + ": Identity is longer than 256 characters");
    auto usages = store.usages();
    for (std::size_t i = 0; i < p.online_pstn_usages.size(); ++i) {
        auto& u = p.online_pstn_usages[i];
        u = require_usage(usages, u, owner);
        if (find_identity({p.online_pstn_usages.begin(), p.online_pstn_usages.begin() + static_cast<long>(i)}, u) >= 0)
            throw usage_error(owner + ": OnlinePstnUsages lists " + quote(u) + " twice");
    }
    return p;
}

namespace {
VoiceRoutingPolicy apply(const VoiceRoutingPolicy& base, const Edit& edit)
{
    auto json = to_json(base);
    apply_edit(json, edit, voice_routing_policy_fields(), label(base));
    return policy_from_json(json, base.identity());
}
}  // namespace

VoiceRoutingPolicy new_policy(TenantStore& store, const std::string& identity, const Edit& edit)
{
    VoiceRoutingPolicy base;
    base.name = policy_name_from_identity(identity);
    if (auto existing = store.find_policy(base.name))
        throw conflict(label(*existing) + " already exists (change it with `csctl voice-routing-policy set`)");
    auto p = validate(apply(base, edit), store);
    store.put_policy(p);
    return p;
}

VoiceRoutingPolicy set_policy(TenantStore& store, const std::string& identity, const Edit& edit)
{
    auto p = validate(apply(require_policy(store, identity), edit), store);
    store.put_policy(p);
    return p;
}

namespace {

// Cascade: the policy's grants go (the tenant default, users, groups); each falls back to its
// next policy, Global at last.
void remove_grants(TenantStore& store, const VoiceRoutingPolicy& p, Notes* notes)
{
    auto tenant = store.tenant();
    if (iequals(tenant.voice_routing_policy, p.name)) {
        tenant.voice_routing_policy.clear();
        store.put_tenant(tenant);
    }
    std::size_t count = 0;
    auto users = store.users_with_policy(PolicyType::voice_routing, p.name, SIZE_MAX, count);
    std::vector<AssignmentChange> changes;
    changes.reserve(users.size());
    for (auto& upn : users)
        changes.push_back({std::move(upn), p.name, ""});
    store.assign_user_policies(PolicyType::voice_routing, changes);
    std::size_t groups = 0;
    for (const auto& g : store.groups())
        if (iequals(g.online_voice_routing_policy, p.name)) {
            grant_to_group(store, PolicyType::voice_routing, g.name, "", std::nullopt);
            ++groups;
        }
    if (notes && (count > 0 || groups > 0))
        notes->warnings.push_back("removed the grants of " + label(p) + ": " + std::to_string(count) +
                                  (count == 1 ? " user" : " users") + " and " + std::to_string(groups) +
                                  (groups == 1 ? " group" : " groups") + " fall back to their next policy");
}

// Without cascade: a conflict naming who still holds the policy.
void refuse_if_granted(TenantStore& store, const VoiceRoutingPolicy& p)
{
    if (iequals(store.tenant().voice_routing_policy, p.name))
        throw conflict(label(p) + " is the tenant default; grant another first (`csctl voice-routing-policy grant Global "
                                  "--global`), or pass --cascade");
    std::size_t count = 0;
    auto users = store.users_with_policy(PolicyType::voice_routing, p.name, 5, count);
    if (count > 0)
        throw conflict(label(p) + " is still granted to " + std::to_string(count) + (count == 1 ? " user" : " users") + " (" +
                       quoted_list(users, 5) + (count > users.size() ? ", …" : "") +
                       "); grant them another first (`csctl voice-routing-policy grant \"\" --user UPN` falls back to Global), "
                       "or pass --cascade to remove its grants with it");
    std::vector<std::string> groups;
    for (const auto& g : store.groups())
        if (iequals(g.online_voice_routing_policy, p.name))
            groups.push_back(g.name);
    if (!groups.empty())
        throw conflict(label(p) + " is still granted to group " + quoted_list(groups) +
                       "; remove the group grant first (`csctl voice-routing-policy grant \"\" --group NAME`), or pass "
                       "--cascade");
}

}  // namespace

void remove_policy(TenantStore& store, const std::string& identity, bool cascade, Notes* notes)
{
    auto p = require_policy(store, identity);
    if (p.name == "Global") {  // Global cannot go away: removing it resets it
        store.put_policy(VoiceRoutingPolicy{"Global", {}, {}});
        return;
    }
    if (cascade)
        remove_grants(store, p, notes);
    else
        refuse_if_granted(store, p);
    store.erase_policy(p.name);
}

void grant_policy_global(TenantStore& store, const std::string& identity)
{
    auto tenant = store.tenant();
    auto name = policy_name_from_identity(identity);
    if (name.empty() || name == "Global" || iequals(name, "$null"))
        tenant.voice_routing_policy.clear();
    else
        tenant.voice_routing_policy = require_policy(store, name).name;
    store.put_tenant(tenant);
}

}  // namespace csctl
