#include "core/policy_assignment.hpp"

#include "core/text.hpp"
#include "core/upgrade_policy.hpp"
#include "core/voice_routing_policy.hpp"

#include <climits>
#include <unordered_map>

namespace csctl {

namespace {
const std::string k_none;
}  // namespace

std::string grant_name(const std::string& text)
{
    auto t = trim(text);
    if (t.empty() || iequals(t, "$null") || iequals(t, "null"))
        return {};
    auto name = policy_name_from_identity(t);
    return name == "Global" ? std::string() : name;
}

std::string EffectivePolicy::describe() const
{
    if (source == "direct")
        return "direct";
    if (source == "group")
        return "group " + quote(group) + (rank ? " rank " + std::to_string(*rank) : std::string(" (no rank)"));
    if (source == "tenant")
        return "tenant default";
    return "no assignment";
}

Json EffectivePolicy::to_json() const
{
    Json j{{"name", name}, {"source", source}};
    j["group"] = group.empty() ? Json(nullptr) : Json(group);
    j["rank"] = rank ? Json(*rank) : Json(nullptr);
    return j;
}

PolicyResolver::PolicyResolver(TenantStore& store) : m_store(&store), m_tenant(store.tenant()) {}

PolicyResolver::PolicyResolver(const TenantInfo& tenant, const std::vector<Group>& groups) : m_tenant(tenant)
{
    for (const auto& g : groups)
        m_groups.emplace(to_lower(g.name), g);
}

const Group* PolicyResolver::group(const std::string& name) const
{
    auto key = to_lower(name);
    auto it = m_groups.find(key);
    if (it == m_groups.end()) {
        if (!m_store)
            return nullptr;
        it = m_groups.emplace(std::move(key), m_store->find_group(name)).first;
    }
    return it->second ? &*it->second : nullptr;
}

namespace {

// The best-ranked group assignment: lowest rank first, unranked last, then by group name.
std::optional<EffectivePolicy> from_groups(const User& user, const std::function<const Group*(const std::string&)>& find,
                                           std::string Group::*policy, std::optional<int> Group::*rank)
{
    std::optional<EffectivePolicy> best;
    auto key = [](const std::optional<int>& r) { return r ? *r : INT_MAX; };
    for (const auto& name : user.groups) {
        const auto* g = find(name);
        if (!g || (g->*policy).empty())
            continue;
        auto r = g->*rank;
        if (!best || key(r) < key(best->rank) ||
            (key(r) == key(best->rank) && to_lower(g->name) < to_lower(best->group)))
            best = EffectivePolicy{g->*policy, "group", g->name, r};
    }
    return best;
}

}  // namespace

EffectivePolicy PolicyResolver::voice_routing(const User& user) const
{
    if (!user.online_voice_routing_policy.empty())
        return {user.online_voice_routing_policy, "direct", {}, {}};
    if (auto g = from_groups(user, [this](const std::string& n) { return group(n); }, &Group::online_voice_routing_policy,
                             &Group::online_voice_routing_policy_rank))
        return *g;
    if (!m_tenant.voice_routing_policy.empty())
        return {m_tenant.voice_routing_policy, "tenant", {}, {}};
    return {"Global", "global", {}, {}};
}

EffectivePolicy PolicyResolver::upgrade(const User& user) const
{
    // Teams upgrade policies are not granted to groups.
    if (!user.teams_upgrade_policy.empty())
        return {user.teams_upgrade_policy, "direct", {}, {}};
    if (!m_tenant.teams_upgrade_policy.empty())
        return {m_tenant.teams_upgrade_policy, "tenant", {}, {}};
    return {"Global", "global", {}, {}};
}

EffectivePolicy PolicyResolver::dial_plan(const User& user) const
{
    if (!user.tenant_dial_plan.empty())
        return {user.tenant_dial_plan, "direct", {}, {}};
    if (auto g = from_groups(user, [this](const std::string& n) { return group(n); }, &Group::tenant_dial_plan,
                             &Group::tenant_dial_plan_rank))
        return *g;
    if (!m_tenant.tenant_dial_plan.empty())
        return {m_tenant.tenant_dial_plan, "tenant", {}, {}};
    return {"Global", "global", {}, {}};
}

std::string PolicyResolver::mode(const User& user) const
{
    const auto* p = find_upgrade_policy(upgrade(user).name);
    return p ? p->mode : "Islands";
}

Json PolicyResolver::effective_json(const User& user) const
{
    auto upgrade_policy = upgrade(user).to_json();
    upgrade_policy["mode"] = mode(user);
    return Json{{"onlineVoiceRoutingPolicy", voice_routing(user).to_json()},
                {"teamsUpgradePolicy", upgrade_policy},
                {"tenantDialPlan", dial_plan(user).to_json()}};
}

void grant_voice_routing_policy_to_user(TenantStore& store, const std::string& policy, const std::string& upn)
{
    auto name = grant_name(policy);
    if (!name.empty())
        name = require_policy(store, name).name;
    auto user = store.find_user(upn);
    if (!user)
        throw not_found(user_label(upn) + " does not exist (add it with `csctl user add`)");
    store.assign_user_policies(PolicyType::voice_routing,
                               {AssignmentChange{user->user_principal_name, user->online_voice_routing_policy, name}});
}

void grant_voice_routing_policy_to_group(TenantStore& store, const std::string& policy, const std::string& group,
                                         std::optional<int> rank)
{
    auto name = grant_name(policy);
    if (!name.empty())
        name = require_policy(store, name).name;
    grant_to_group(store, PolicyType::voice_routing, group, name, rank);
}

void grant_to_group(TenantStore& store, PolicyType type, const std::string& group, const std::string& name,
                    std::optional<int> rank)
{
    auto g = store.find_group(group);
    if (!g)
        throw not_found(group_label(group) + " does not exist (create it with `csctl group new " + group + "`)");
    if (rank && *rank < 1)
        throw usage_error(group_label(g->name) + ": Rank " + std::to_string(*rank) + " must be 1 or more (1 is the highest)");
    const bool dial_plan = type == PolicyType::dial_plan;
    if (name.empty() && rank)
        throw usage_error(group_label(g->name) + ": --rank goes with a " + (dial_plan ? "dial plan" : "policy") +
                          "; removing the assignment takes no rank");
    auto& granted = dial_plan ? g->tenant_dial_plan : g->online_voice_routing_policy;
    auto& granted_rank = dial_plan ? g->tenant_dial_plan_rank : g->online_voice_routing_policy_rank;
    granted = name;
    granted_rank = name.empty() ? std::nullopt : rank;
    store.put_group(*g);
}

BulkReport grant_bulk(TenantStore& store, const std::vector<GrantRow>& rows, const BulkOptions& options, PolicyType type,
                      const std::function<std::string(const std::string&)>& resolve,
                      const std::function<void(const UserAssignment&, const std::string&)>& check)
{
    BulkReport report;
    report.rows.reserve(rows.size());
    std::vector<std::string> upns;
    upns.reserve(rows.size());
    for (const auto& r : rows)
        upns.push_back(trim(r.upn));
    const auto users = store.user_assignments(type, upns);
    IdentityIndex found(users.size());
    for (std::size_t k = 0; k < users.size(); ++k)
        found.emplace(users[k].upn, k);
    // Policy names repeat on every row: resolve each distinct spelling once.
    std::unordered_map<std::string, std::pair<std::string, std::optional<Error>>> names;
    const std::string* last_policy = nullptr;
    std::pair<std::string, std::optional<Error>>* last_resolved = nullptr;
    // The first row of each user found (0: none yet); UPNs of users not found are tracked by name.
    std::vector<std::size_t> first_row(users.size(), 0);
    SeenRows seen;
    std::vector<AssignmentChange> changes;
    changes.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& in = rows[i];
        auto& out = report.rows.emplace_back(RowResult{in.row, upns[i], {}, {}, ExitCode::ok});
        if (options.progress && i % 4096 == 0)
            options.progress(i, rows.size());
        try {
            if (upns[i].empty())
                throw usage_error("row " + std::to_string(in.row) + ": userPrincipalName is empty");
            const auto match = found.find(upns[i]);
            std::size_t first = in.row;
            if (match != IdentityIndex::npos) {
                auto& slot = first_row[match];
                if (slot == 0)
                    slot = in.row;
                first = slot;
            } else {
                first = seen.emplace(upns[i], in.row).first;
            }
            if (first != in.row)
                throw usage_error(user_label(upns[i]) + " is listed again (first on row " + std::to_string(first) + ")");
            // Rows of a file usually repeat one policy: the last spelling is looked up once.
            if (!last_resolved || in.policy != *last_policy) {
                last_policy = &in.policy;
                last_resolved = &names[in.policy];
            }
            auto& resolved = *last_resolved;
            if (resolved.first.empty() && !resolved.second) {
                try {
                    resolved.first = resolve(in.policy);
                    if (resolved.first.empty())
                        resolved.first = "\x01";  // resolved to "none"
                } catch (const Error& e) {
                    resolved.second = e;
                }
            }
            if (resolved.second)
                throw *resolved.second;
            const std::string& name = resolved.first == "\x01" ? k_none : resolved.first;
            if (match == IdentityIndex::npos)
                throw not_found(user_label(upns[i]) + " does not exist (add it with `csctl user add` or `csctl user import`)");
            const UserAssignment& user = users[match];
            check(user, name);
            out.upn = user.upn;
            if (iequals(user.policy, name)) {
                out.outcome = "unchanged";
                continue;
            }
            out.outcome = "updated";
            if (options.row_messages)
                out.message = (user.policy.empty() ? std::string("(none)") : user.policy) + " -> " + (name.empty() ? "(none)" : name);
            changes.push_back(AssignmentChange{user.upn, user.policy, name});
        } catch (const Error& e) {
            report.fail(out, e);
        }
    }
    if (options.progress)
        options.progress(rows.size(), rows.size());
    // One write for all rows: the store can then update a big grant in one pass over the table.
    if (report.decide(options))
        store.assign_user_policies(type, changes);
    return report;
}

BulkReport grant_voice_routing_policy_bulk(TenantStore& store, const std::vector<GrantRow>& rows, const BulkOptions& options)
{
    auto resolve = [&store](const std::string& text) {
        auto name = grant_name(text);
        return name.empty() ? name : require_policy(store, name).name;
    };
    return grant_bulk(store, rows, options, PolicyType::voice_routing, resolve, [](const UserAssignment&, const std::string&) {});
}

}  // namespace csctl
