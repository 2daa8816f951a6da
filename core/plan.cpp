#include "core/plan.hpp"

#include "core/dial_plan.hpp"
#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/group.hpp"
#include "core/model_read.hpp"
#include "core/number_pattern.hpp"
#include "core/policy_assignment.hpp"
#include "core/simd_json.hpp"
#include "core/tenant.hpp"
#include "core/text.hpp"
#include "core/translation_rule.hpp"
#include "core/upgrade_policy.hpp"
#include "core/usage.hpp"
#include "core/user.hpp"
#include "core/voice_route.hpp"
#include "core/voice_routing_policy.hpp"

#include <algorithm>
#include <deque>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

namespace csctl {

namespace {

enum class Shape {
    single,   // one object (the tenant)
    list,     // one list of names (the usages)
    objects,  // a list of objects, each with an "identity"
};

struct PlanKind;

// An operation and its place in the dependency order (rank, then the order it was found in).
struct Ranked {
    int rank;
    std::size_t seq;
    PlanOp op;
};
using RankedOps = std::vector<Ranked>;

void emit(RankedOps& out, int rank, PlanOp op) { out.push_back({rank, out.size(), std::move(op)}); }

// One row per object kind. put_rank orders creates and updates (lower first); delete_rank orders
// deletes (lower first, all after every put). diff compares the kind's objects of two documents;
// the other functions work on the kind's JSON form.
struct PlanKind {
    const char* kind;
    const char* words;
    const char* document_key;
    const char* identity_key;  // the field that names one object (Shape::objects)
    Shape shape;
    int put_rank;
    int delete_rank;
    bool (*exists)(TenantStore&, const std::string& identity);
    void (*put)(TenantStore&, const std::string& identity, const Json& after, Notes&);
    void (*erase)(TenantStore&, const std::string& identity);
    // Run once after every operation was applied, for each object the change set touched.
    void (*check)(TenantStore&, const PlanOp& op);
    void (*diff)(const PlanKind&, const TenantDocument& from, const TenantDocument& to, const PlanScope& scope,
                 RankedOps& out);
};

// ---- comparing two documents ------------------------------------------------------------------

// Objects are matched by identity (any case). Equal values are unchanged; values that differ are
// compared again in their JSON form, which is what a plan shows and sends.
template <class T, class ToJson>
void diff_objects(const PlanKind& k, const std::vector<T>& from, const std::vector<T>& to, ToJson json,
                  const PlanScope& scope, RankedOps& out)
{
    std::deque<std::string> kept;
    IdentityIndex before(from.size());
    for (std::size_t i = 0; i < from.size(); ++i)
        before.emplace(identity_view(from[i], kept), i);
    std::vector<bool> seen(from.size());
    for (const auto& o : to) {
        auto at = before.find(identity_view(o, kept));
        if (at == IdentityIndex::npos) {
            if constexpr (std::is_same_v<T, User>)
                if (scope.users_as_model) {
                    emit(out, k.put_rank,
                         {"create", k.kind, document_identity(o), nullptr, nullptr, std::make_shared<const User>(o)});
                    continue;
                }
            emit(out, k.put_rank, {"create", k.kind, document_identity(o), nullptr, json(o)});
            continue;
        }
        seen[at] = true;
        const T& current = from[at];
        if (current == o)
            continue;
        Json b = json(current), a = json(o);
        if (b != a)
            emit(out, k.put_rank, {"update", k.kind, document_identity(current), std::move(b), std::move(a)});
    }
    if (!scope.deletes)
        return;
    bool built_in = scope.keep_global && (k.kind == std::string_view(kind::voice_routing_policy) ||
                                          k.kind == std::string_view(kind::dial_plan));
    for (std::size_t i = 0; i < from.size(); ++i)
        if (!seen[i] && !(built_in && document_identity(from[i]) == "Global"))
            emit(out, k.delete_rank, {"delete", k.kind, document_identity(from[i]), json(from[i]), nullptr});
}

template <auto Member>
void diff_section(const PlanKind& k, const TenantDocument& from, const TenantDocument& to, const PlanScope& scope,
                  RankedOps& out)
{
    diff_objects(k, from.*Member, to.*Member, [](const auto& o) { return to_json(o); }, scope, out);
}

template <bool Exempt>
void diff_number_patterns(const PlanKind& k, const TenantDocument& from, const TenantDocument& to,
                          const PlanScope& scope, RankedOps& out)
{
    auto member = Exempt ? &TenantDocument::exempt_numbers : &TenantDocument::blocked_numbers;
    diff_objects(k, from.*member, to.*member, [](const NumberPattern& p) { return to_json(p, Exempt); }, scope, out);
}

// The tenant's settings; its name is the store's own and never compared.
void diff_tenant(const PlanKind& k, const TenantDocument& from, const TenantDocument& to, const PlanScope&,
                 RankedOps& out)
{
    TenantInfo target = to.tenant;
    target.name = from.tenant.name;
    if (target == from.tenant)
        return;
    Json b = to_json(from.tenant), a = to_json(target);
    if (b != a)
        emit(out, k.put_rank, {"update", k.kind, from.tenant.name, std::move(b), std::move(a)});
}

// The usage list: names added first (routes may need them), the removals after everything else.
void diff_usages(const PlanKind& k, const TenantDocument& from, const TenantDocument& to, const PlanScope&,
                 RankedOps& out)
{
    const auto& before = from.usages;
    const auto& after = to.usages;
    if (before == after)
        return;
    std::vector<std::string> grown = before;
    bool removes = false;
    for (const auto& name : after)
        if (find_identity(before, name) < 0)
            grown.push_back(name);
    for (const auto& name : before)
        removes = removes || find_identity(after, name) < 0;
    if (!removes) {
        emit(out, k.put_rank, {"update", k.kind, "Global", before, after});
        return;
    }
    if (grown != before)
        emit(out, k.put_rank, {"update", k.kind, "Global", before, grown});
    emit(out, k.delete_rank, {"update", k.kind, "Global", grown, after});
}

void put_tenant_op(TenantStore& store, const std::string&, const Json& after, Notes&)
{
    auto info = tenant_from_json(after);
    info.name = store.tenant().name;  // the name is the store's own, never part of a plan
    validate(info);
    store.put_tenant(info);
}

void check_tenant_op(TenantStore& store, const PlanOp& op)
{
    auto info = store.tenant();
    if (!info.voice_routing_policy.empty() && !store.find_policy(policy_name_from_identity(info.voice_routing_policy)))
        throw usage_error("tenant " + quote(info.name) + ": onlineVoiceRoutingPolicy names " +
                          policy_label(info.voice_routing_policy) + ", which does not exist");
    if (!info.tenant_dial_plan.empty() && !store.find_dial_plan(dial_plan_name_from_identity(info.tenant_dial_plan)))
        throw usage_error("tenant " + quote(info.name) + ": tenantDialPlan names " +
                          dial_plan_label(info.tenant_dial_plan) + ", which does not exist");
    if (!info.teams_upgrade_policy.empty())
        require_upgrade_policy(info.teams_upgrade_policy);
    auto upgrade_default = [](const Json& t) { return t.is_object() ? t.value("teamsUpgradePolicy", Json()) : Json(); };
    if (upgrade_default(op.before) != upgrade_default(op.after))
        check_upgrade_default(store, info.teams_upgrade_policy);
}

void put_usages_op(TenantStore& store, const std::string&, const Json& after, Notes&)
{
    if (!after.is_array())
        throw usage_error("pstn usages: the list must be a list of names");
    std::vector<std::string> names;
    for (const auto& item : after) {
        if (!item.is_string())
            throw usage_error("pstn usages: the list must be a list of names");
        auto name = item.get<std::string>();
        validate_usage_name(name);
        if (find_identity(names, name) >= 0)
            throw usage_error("pstn usages: " + quote(name) + " is listed twice");
        names.push_back(name);
    }
    store.put_usages(names);
}

void check_usages_op(TenantStore& store, const PlanOp& op)
{
    if (!op.before.is_array())
        return;
    auto now = store.usages();
    for (const auto& item : op.before) {
        auto name = item.get<std::string>();
        if (find_identity(now, name) >= 0)
            continue;
        auto routes = store.routes_using_usage(name);
        auto policies = store.policies_using_usage(name);
        if (!routes.empty())
            throw conflict("pstn usage " + quote(name) + " cannot be removed: voice route " + quoted_list(routes) +
                           " still uses it");
        if (!policies.empty())
            throw conflict("pstn usage " + quote(name) + " cannot be removed: voice routing policy " +
                           quoted_list(policies) + " still uses it");
    }
}

bool gateway_exists(TenantStore& store, const std::string& id) { return store.find_gateway(id).has_value(); }
void put_gateway_op(TenantStore& store, const std::string& id, const Json& after, Notes&)
{
    auto g = resolve_translation_rules(gateway_from_json(after, id), store);
    validate(g, store.tenant());
    store.put_gateway(g);
}
void erase_gateway_op(TenantStore& store, const std::string& id) { store.erase_gateway(id); }
void check_gateway_op(TenantStore& store, const PlanOp& op)
{
    if (op.action != "delete")
        return;
    auto routes = store.routes_using_gateway(op.identity);
    if (!routes.empty())
        throw conflict(gateway_label(op.identity) + " cannot be deleted: voice route " + quoted_list(routes) +
                       " still uses it");
}

bool route_exists(TenantStore& store, const std::string& id) { return store.route_priority(id).has_value(); }
void put_route_op(TenantStore& store, const std::string& id, const Json& after, Notes& notes)
{
    store.put_route(validate(route_from_json(after, id), store, notes));
}
void erase_route_op(TenantStore& store, const std::string& id) { store.erase_route(id); }
void check_route_op(TenantStore& store, const PlanOp& op)
{
    if (op.action == "delete")
        return;
    auto priority = store.route_priority(op.identity);
    if (priority && store.route_priority_taken(*priority, op.identity))
        throw conflict(route_label(op.identity) + ": Priority " + std::to_string(*priority) +
                       " is taken by another voice route after this change set");
}

bool policy_exists(TenantStore& store, const std::string& id)
{
    return store.find_policy(policy_name_from_identity(id)).has_value();
}
void put_policy_op(TenantStore& store, const std::string& id, const Json& after, Notes&)
{
    store.put_policy(validate(policy_from_json(after, id), store));
}
void erase_policy_op(TenantStore& store, const std::string& id)
{
    auto name = policy_name_from_identity(id);
    if (name == "Global")
        throw conflict("voice routing policy \"Global\" cannot be deleted (set its usages instead)");
    store.erase_policy(name);
}
// After the whole change set: a deleted policy or dial plan is no longer granted to anyone.
void check_not_granted(TenantStore& store, PolicyType type, const std::string& name, const std::string& owner)
{
    auto tenant = store.tenant();
    const auto& default_name = type == PolicyType::dial_plan ? tenant.tenant_dial_plan : tenant.voice_routing_policy;
    if (iequals(default_name, name))
        throw conflict(owner + " cannot be deleted: it is the tenant default after this change set");
    std::size_t count = 0;
    auto users = store.users_with_policy(type, name, 5, count);
    if (count > 0)
        throw conflict(owner + " cannot be deleted: it is still granted to " + std::to_string(count) +
                       (count == 1 ? " user" : " users") + " (" + quoted_list(users, 5) +
                       (count > users.size() ? ", …" : "") + ")");
    std::vector<std::string> groups;
    for (const auto& g : store.groups())
        if (iequals(type == PolicyType::dial_plan ? g.tenant_dial_plan : g.online_voice_routing_policy, name))
            groups.push_back(g.name);
    if (!groups.empty())
        throw conflict(owner + " cannot be deleted: it is still granted to group " + quoted_list(groups));
}
void check_policy_op(TenantStore& store, const PlanOp& op)
{
    if (op.action != "delete")
        return;
    auto name = policy_name_from_identity(op.identity);
    check_not_granted(store, PolicyType::voice_routing, name, policy_label(name));
}

bool dial_plan_exists(TenantStore& store, const std::string& id)
{
    return store.find_dial_plan(dial_plan_name_from_identity(id)).has_value();
}
void put_dial_plan_op(TenantStore& store, const std::string& id, const Json& after, Notes&)
{
    auto d = dial_plan_from_json(after, id);
    validate(d);
    store.put_dial_plan(d);
}
void erase_dial_plan_op(TenantStore& store, const std::string& id)
{
    auto name = dial_plan_name_from_identity(id);
    if (name == "Global")
        throw conflict("tenant dial plan \"Global\" cannot be deleted (set its normalization rules instead)");
    store.erase_dial_plan(name);
}
void check_dial_plan_op(TenantStore& store, const PlanOp& op)
{
    if (op.action != "delete")
        return;
    auto name = dial_plan_name_from_identity(op.identity);
    check_not_granted(store, PolicyType::dial_plan, name, dial_plan_label(name));
}

bool translation_rule_exists(TenantStore& store, const std::string& id)
{
    return store.find_translation_rule(id).has_value();
}
void put_translation_rule_op(TenantStore& store, const std::string& id, const Json& after, Notes&)
{
    auto t = translation_rule_from_json(after, id);
    validate(t);
    if (!store.find_translation_rule(t.identity) && store.translation_rules().size() >= k_max_translation_rules)
        throw usage_error(label(t) + ": a tenant holds at most " + std::to_string(k_max_translation_rules) +
                          " translation rules");
    store.put_translation_rule(t);
}
void erase_translation_rule_op(TenantStore& store, const std::string& id) { store.erase_translation_rule(id); }
void check_translation_rule_op(TenantStore& store, const PlanOp& op)
{
    if (op.action != "delete")
        return;
    std::vector<std::string> users;
    for (const auto& g : store.gateways())
        for (const auto& list : gateway_translation_lists())
            if (find_identity(g.*(list.list), op.identity) >= 0)
                users.push_back(g.fqdn + " (" + list.property + ")");
    if (!users.empty())
        throw conflict(translation_rule_label(op.identity) + " cannot be deleted: online pstn gateway " +
                       quoted_list(users) + " still uses it");
}

template <bool Exempt>
bool number_pattern_exists(TenantStore& store, const std::string& id)
{
    return store.find_number_pattern(Exempt, id).has_value();
}
template <bool Exempt>
void put_number_pattern_op(TenantStore& store, const std::string& id, const Json& after, Notes&)
{
    auto p = number_pattern_from_json(after, id, Exempt);
    validate(p, Exempt);
    store.put_number_pattern(Exempt, p);
}
template <bool Exempt>
void erase_number_pattern_op(TenantStore& store, const std::string& id)
{
    store.erase_number_pattern(Exempt, id);
}

bool group_exists(TenantStore& store, const std::string& id) { return store.find_group(id).has_value(); }
void put_group_op(TenantStore& store, const std::string& id, const Json& after, Notes&)
{
    auto g = group_from_json(after, id);
    validate_group_name(g.name);
    const auto owner = group_label(g.name);
    if (!g.online_voice_routing_policy.empty()) {
        auto p = store.find_policy(policy_name_from_identity(g.online_voice_routing_policy));
        if (!p)
            throw usage_error(owner + ": onlineVoiceRoutingPolicy names " +
                              policy_label(g.online_voice_routing_policy) + ", which does not exist");
        g.online_voice_routing_policy = p->name;
    }
    if (!g.tenant_dial_plan.empty()) {
        auto d = store.find_dial_plan(dial_plan_name_from_identity(g.tenant_dial_plan));
        if (!d)
            throw usage_error(owner + ": tenantDialPlan names " + dial_plan_label(g.tenant_dial_plan) +
                              ", which does not exist");
        g.tenant_dial_plan = d->name;
    }
    for (const auto& rank : {g.online_voice_routing_policy_rank, g.tenant_dial_plan_rank})
        if (rank && *rank < 1)
            throw usage_error(owner + ": Rank " + std::to_string(*rank) + " must be 1 or more (1 is the highest)");
    store.put_group(g);
}
void erase_group_op(TenantStore& store, const std::string& id) { store.erase_group(id); }
void check_group_op(TenantStore& store, const PlanOp& op)
{
    if (op.action != "delete")
        return;
    auto members = store.group_members(op.identity);
    if (!members.empty())
        throw conflict(group_label(op.identity) + " cannot be deleted: user " + quoted_list(members, 5) +
                       (members.size() > 5 ? ", …" : "") + " still list it in groups");
}

// Users are most of a large change set. Their operations run through the store's bulk put_users a
// batch at a time, with the groups, policies and dial plans they name looked up once per batch; they
// are checked as put_user_op checks one user.
class UserBatch {
public:
    explicit UserBatch(TenantStore& store) : m_store(store) {}

    void add(const PlanOp& op)
    {
        // The same user twice (a change set may say so) sees the first operation applied.
        auto key = to_lower(op.identity);
        if (m_identities.count(key))
            flush();
        m_identities.insert(std::move(key));
        m_ops.push_back(&op);
        if (m_ops.size() >= k_batch)
            flush();
    }

    void flush()
    {
        if (m_ops.empty())
            return;
        // Users updated or deleted are read whole; for creates it is enough to know who exists.
        std::vector<std::string> read, created;
        for (const auto* op : m_ops)
            (op->action == "create" ? created : read).push_back(op->identity);
        std::unordered_map<std::string, User> existing;
        if (!read.empty())
            for (auto& u : m_store.find_users(read))
                existing.emplace(to_lower(u.user_principal_name), std::move(u));
        std::unordered_set<std::string> taken;
        if (!created.empty())
            for (const auto& a : m_store.user_assignments(PolicyType::upgrade, created))
                taken.insert(to_lower(a.upn));
        std::vector<UserChange> changes;
        changes.reserve(m_ops.size());
        for (const auto* op : m_ops) {
            try {
                auto key = to_lower(op->identity);
                if (op->action == "create" && taken.count(key))
                    throw conflict("user " + quote(op->identity) + " already exists; nothing was changed");
                auto it = existing.find(key);
                bool exists = it != existing.end();
                if (op->action != "create" && !exists)
                    throw conflict("user " + quote(op->identity) + " does not exist; nothing was changed");
                UserChange change;
                if (exists)
                    change.before = std::move(it->second);
                if (op->action != "delete") {
                    change.after = resolved(*op);
                    if (change.after->homed == "onprem") {
                        if (!m_resolver)
                            m_resolver.emplace(m_store);
                        check_homing_move(change.before ? &*change.before : nullptr, *change.after, *m_resolver);
                    }
                }
                changes.push_back(std::move(change));
            } catch (const Error& e) {
                throw PlanError(e.code(), e.what(), op->kind, op->identity);
            }
        }
        try {
            m_store.put_users(changes);
        } catch (const Error&) {
            throw number_conflict(changes);
        }
        m_ops.clear();
        m_identities.clear();
        m_policies.clear();
        m_dial_plans.clear();
        m_groups.clear();
        m_resolver.reset();
    }

private:
    static constexpr std::size_t k_batch = 4096;

    // The user as put_user_op would write it: validated, its references in their stored spelling.
    User resolved(const PlanOp& op)
    {
        auto u = validate(op.user ? User(*op.user) : user_from_json(op.after, op.identity));
        auto owner = [&] { return user_label(u.user_principal_name); };
        std::vector<std::string> groups;
        for (const auto& name : u.groups) {
            const auto& g = lookup(m_groups, name, [&] {
                auto found = m_store.find_group(name);
                return found ? std::optional<std::string>(found->name) : std::nullopt;
            });
            if (!g)
                throw usage_error(owner() + ": groups names " + group_label(name) + ", which does not exist");
            if (find_identity(groups, *g) < 0)
                groups.push_back(*g);
        }
        u.groups = std::move(groups);
        if (!u.online_voice_routing_policy.empty())
            u.online_voice_routing_policy =
                reference(m_policies, u.online_voice_routing_policy, owner(), "onlineVoiceRoutingPolicy", policy_label,
                          [&](const std::string& name) { return m_store.find_policy(name); });
        if (!u.tenant_dial_plan.empty())
            u.tenant_dial_plan = reference(m_dial_plans, u.tenant_dial_plan, owner(), "tenantDialPlan", dial_plan_label,
                                           [&](const std::string& name) { return m_store.find_dial_plan(name); });
        if (!u.teams_upgrade_policy.empty())
            u.teams_upgrade_policy = require_upgrade_policy(u.teams_upgrade_policy).identity;
        return u;
    }

    using Names = std::unordered_map<std::string, std::optional<std::string>>;  // lower name → stored name

    // The stored name of the policy or dial plan a user names; an error naming the field when it
    // does not exist.
    template <class Find>
    std::string reference(Names& names, const std::string& identity, const std::string& owner, const char* field,
                          std::string (*label)(const std::string&), Find find)
    {
        auto name = policy_name_from_identity(identity);
        const auto& stored = lookup(names, name, [&] {
            auto found = find(name);
            return found ? std::optional<std::string>(found->name) : std::nullopt;
        });
        if (!stored)
            throw usage_error(owner + ": " + field + " names " + label(identity) + ", which does not exist");
        return *stored;
    }
    template <class Find>
    static const std::optional<std::string>& lookup(Names& names, const std::string& name, Find find)
    {
        auto key = to_lower(name);
        auto it = names.find(key);
        if (it == names.end())
            it = names.emplace(std::move(key), find()).first;
        return it->second;
    }

    // put_users refused a number that another user holds: the error of the first user of the batch
    // whose number someone else holds (the users written before it hold their own).
    PlanError number_conflict(const std::vector<UserChange>& changes)
    {
        for (const auto& c : changes) {
            if (!c.after || c.after->phone_number.empty())
                continue;
            const auto& u = *c.after;
            auto holder = m_store.user_with_phone_number(u.phone_number);
            if (holder && !iequals(*holder, u.user_principal_name))
                return PlanError(ExitCode::conflict,
                                 user_label(u.user_principal_name) + ": phoneNumber " + quote(u.phone_number) +
                                     " is assigned to " + user_label(*holder),
                                 kind::user, u.user_principal_name);
        }
        throw;
    }

    TenantStore& m_store;
    std::optional<PolicyResolver> m_resolver;  // for users homed on-premises (the tenant's default mode)
    std::vector<const PlanOp*> m_ops;
    std::unordered_set<std::string> m_identities;
    Names m_policies, m_dial_plans, m_groups;
};

bool always(TenantStore&, const std::string&) { return true; }
void no_check(TenantStore&, const PlanOp&) {}

// The dependency order: the tenant (its domains) first; usages are added before the gateways,
// routes and policies that use them; translation rules before the gateways that list them;
// policies and dial plans before the groups and users granted them; groups before their members.
// Deletes run in the reverse order (users, which nothing references, go first so that their
// numbers are free for the users created after them); usages are removed last.
const std::vector<PlanKind>& plan_kinds()
{
    static const std::vector<PlanKind> kinds{
        {kind::tenant, "tenant", "tenant", "", Shape::single, 0, 0, always, put_tenant_op, nullptr, check_tenant_op, diff_tenant},
        {kind::usage, "pstn usages", "onlinePstnUsages", "", Shape::list, 10, 190, always, put_usages_op, nullptr,
         check_usages_op, diff_usages},
        {kind::translation_rule, "translation rule", "teamsTranslationRules", "identity", Shape::objects, 15, 160,
         translation_rule_exists, put_translation_rule_op, erase_translation_rule_op, check_translation_rule_op,
         diff_section<&TenantDocument::translation_rules>},
        {kind::gateway, "online pstn gateway", "onlinePstnGateways", "identity", Shape::objects, 20, 150,
         gateway_exists, put_gateway_op, erase_gateway_op, check_gateway_op, diff_section<&TenantDocument::gateways>},
        {kind::voice_route, "voice route", "onlineVoiceRoutes", "identity", Shape::objects, 30, 140, route_exists,
         put_route_op, erase_route_op, check_route_op, diff_section<&TenantDocument::routes>},
        {kind::voice_routing_policy, "voice routing policy", "onlineVoiceRoutingPolicies", "identity", Shape::objects,
         40, 130, policy_exists, put_policy_op, erase_policy_op, check_policy_op, diff_section<&TenantDocument::policies>},
        {kind::dial_plan, "tenant dial plan", "tenantDialPlans", "identity", Shape::objects, 42, 120,
         dial_plan_exists, put_dial_plan_op, erase_dial_plan_op, check_dial_plan_op,
         diff_section<&TenantDocument::dial_plans>},
        {kind::blocked_number, "blocked number pattern", "inboundBlockedNumberPatterns", "identity", Shape::objects,
         44, 100, number_pattern_exists<false>, put_number_pattern_op<false>, erase_number_pattern_op<false>,
         no_check, diff_number_patterns<false>},
        {kind::exempt_number, "exempt number pattern", "inboundExemptNumberPatterns", "identity", Shape::objects, 46,
         100, number_pattern_exists<true>, put_number_pattern_op<true>, erase_number_pattern_op<true>, no_check,
         diff_number_patterns<true>},
        {kind::group, "group", "groups", "name", Shape::objects, 50, 110, group_exists, put_group_op, erase_group_op,
         check_group_op, diff_section<&TenantDocument::groups>},
        // Users are applied by UserBatch, not one by one.
        {kind::user, "user", "users", "userPrincipalName", Shape::objects, 60, 55, nullptr, nullptr, nullptr,
         no_check, diff_section<&TenantDocument::users>},
    };
    return kinds;
}

const PlanKind* find_kind(const std::string& name)
{
    for (const auto& k : plan_kinds())
        if (name == k.kind)
            return &k;
    return nullptr;
}

}  // namespace

std::string document_key(const std::string& name)
{
    const auto* k = find_kind(name);
    if (!k)
        throw Error(ExitCode::internal, "internal: unknown object kind " + quote(name));
    return k->document_key;
}

std::string identity_key(const std::string& name)
{
    const auto* k = find_kind(name);
    return k ? k->identity_key : "";
}

std::string section_identity(const std::string& section, const Json& object)
{
    for (const auto& k : plan_kinds())
        if (section == k.document_key && k.shape == Shape::objects) {
            auto it = object.is_object() ? object.find(k.identity_key) : object.end();
            return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
        }
    return "";
}

std::string plan_kind(const std::string& journal_kind)
{
    if (journal_kind == kind::voice_routing_policy_assignment || journal_kind == kind::upgrade_policy_assignment ||
        journal_kind == kind::dial_plan_assignment)
        return kind::user;
    return journal_kind;
}

bool has_identities(const std::string& name)
{
    const auto* k = find_kind(name);
    return k && k->shape == Shape::objects;
}

std::string kind_of_document_key(const std::string& key)
{
    for (const auto& k : plan_kinds())
        if (key == k.document_key)
            return k.kind;
    return {};
}

std::string kind_words(const std::string& name)
{
    if (const auto* k = find_kind(name))
        return k->words;
    return name;
}

std::vector<PlanOp> make_plan(const TenantDocument& from, const TenantDocument& to) { return make_plan(from, to, {}); }

std::vector<PlanOp> make_plan(const TenantDocument& from, const TenantDocument& to, const PlanScope& scope)
{
    RankedOps out;
    for (const auto& k : plan_kinds())
        if (scope.sections.empty() || std::find(scope.sections.begin(), scope.sections.end(), k.document_key) !=
                                          scope.sections.end())
            k.diff(k, from, to, scope, out);
    std::stable_sort(out.begin(), out.end(), [](const Ranked& a, const Ranked& b) { return a.rank < b.rank; });
    std::vector<PlanOp> ops;
    ops.reserve(out.size());
    for (auto& r : out)
        ops.push_back(std::move(r.op));
    return ops;
}

std::vector<PlanOp> adoption_plan(const TenantDocument& current, AdoptedDocument& file, MergeMode mode)
{
    // The sections the file has, compared with the file's objects as they are: every object the
    // tenant has and the file does not name is kept (deleted only by prune, never the built-in
    // Global), as merged_document keeps it.
    PlanScope scope;
    scope.sections = file.sections;
    scope.deletes = mode == MergeMode::prune;
    scope.keep_global = true;
    scope.users_as_model = true;
    auto desired = merged_settings(current, file, mode);
    swap_objects(desired, file);  // lent: documents hold 100,000s of users
    std::vector<PlanOp> ops;
    try {
        ops = make_plan(current, desired, scope);
    } catch (...) {
        swap_objects(desired, file);
        throw;
    }
    swap_objects(desired, file);
    return ops;
}

std::vector<PlanOp> make_plan(const Json& from_doc, const Json& to_doc)
{
    auto from = document_from_json(from_doc);
    auto to = document_from_json(to_doc);
    // A document without tenant settings leaves them as they are.
    if (!from_doc.contains("tenant"))
        from.tenant = to.tenant;
    else if (!to_doc.contains("tenant"))
        to.tenant = from.tenant;
    return make_plan(from, to);
}

std::vector<PlanOp> make_plan(const Json& from_doc, const TenantDocument& to, const PlanScope& scope)
{
    auto from = document_from_json(from_doc);
    if (!from_doc.contains("tenant"))
        from.tenant = to.tenant;
    return make_plan(from, to, scope);
}

void apply_plan(TenantStore& store, const std::vector<PlanOp>& ops, Notes& notes)
{
    // A number may move between users in one change set: every user who gives up a number gives
    // it up first, so that no two users hold it at once, whatever the order of their updates.
    for (const auto& op : ops) {
        if (op.kind != kind::user || op.action != "update" || !op.after.is_object())
            continue;
        auto number = op.after.value("phoneNumber", Json());
        if (op.before.is_object() && op.before.value("phoneNumber", Json()) == number)
            continue;
        auto user = store.find_user(op.identity);
        if (!user || user->phone_number.empty() || (number.is_string() && number.get<std::string>() == user->phone_number))
            continue;
        user->phone_number.clear();
        user->phone_number_type.clear();
        store.put_user(*user);
    }
    UserBatch users(store);
    for (const auto& op : ops) {
      if (op.kind == kind::user) {
          users.add(op);
          continue;
      }
      users.flush();
      try {
        const auto* k = find_kind(op.kind);
        if (!k)
            throw usage_error("change set: unknown object kind " + quote(op.kind));
        std::string owner = std::string(k->words) + " " + quote(op.identity);
        bool exists = k->exists(store, op.identity);
        if (op.action == "create" && exists)
            throw conflict(owner + " already exists; nothing was changed");
        if ((op.action == "update" || op.action == "delete") && !exists)
            throw conflict(owner + " does not exist; nothing was changed");
        if (op.action == "delete") {
            if (!k->erase)
                throw usage_error(owner + " cannot be deleted");
            k->erase(store, op.identity);
        } else {
            k->put(store, op.identity, op.after, notes);
        }
      } catch (const PlanError&) {
        throw;
      } catch (const Error& e) {
        throw PlanError(e.code(), e.what(), op.kind, op.identity);
      }
    }
    users.flush();
    for (const auto& op : ops) {
        try {
            find_kind(op.kind)->check(store, op);
        } catch (const Error& e) {
            throw PlanError(e.code(), e.what(), op.kind, op.identity);
        }
    }
}

Json to_json(const PlanOp& op)
{
    Json fields = Json::array();
    if (op.action == "update")
        for (const auto& d : diff_fields(op.before, op.after))
            fields.push_back(Json{{"field", d.key}, {"before", d.before}, {"after", d.after}});
    return Json{{"action", op.action},
                {"kind", op.kind},
                {"identity", op.identity},
                {"fields", fields},
                {"before", op.before},
                {"after", op.user && op.after.is_null() ? to_json(*op.user) : op.after}};
}

Json plan_json(const std::vector<PlanOp>& ops)
{
    Json out = Json::array();
    for (const auto& op : ops)
        out.push_back(to_json(op));
    return out;
}

std::string change_set_text(const std::vector<PlanOp>& ops)
{
    std::string out = "{\"operations\":[";
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const auto& op = ops[i];
        if (i)
            out += ',';
        if (!(op.user && op.after.is_null() && op.action == "create" && op.before.is_null())) {
            out += to_json(op).dump();
            continue;
        }
        // A user created from the model (100,000s in a first push): written without a tree.
        out += "{\"action\":\"create\",\"kind\":";
        append_json_string(out, op.kind);
        out += ",\"identity\":";
        append_json_string(out, op.identity);
        out += ",\"fields\":[],\"before\":null,\"after\":";
        append_user_export_json(out, *op.user);
        out += '}';
    }
    out += "]}";
    return out;
}

std::optional<std::vector<PlanOp>> change_set_from_text(std::string_view text)
{
    auto parsed = SimdDocument::parse(text, 64);
    if (!parsed || !parsed->root().is_object())
        return std::nullopt;
    std::optional<SimdValue> operations;
    bool twice = false;
    parsed->root().fields([&](std::string_view key, SimdValue value) {
        if (key == "operations") {
            twice = twice || operations.has_value();
            operations = value;
        }
    });
    if (!operations || twice || !operations->is_array())
        return std::nullopt;
    std::vector<PlanOp> ops;
    ops.reserve(operations->size());
    bool usual = true;
    try {
        operations->each([&](SimdValue item) {
            if (!usual || !item.is_object()) {
                usual = false;
                return;
            }
            std::optional<SimdValue> action, kind, identity, before, after, fields;  // fields: shown, not read
            unsigned seen = 0;
            item.fields([&](std::string_view key, SimdValue value) {
                auto take = [&](std::optional<SimdValue>& slot, unsigned bit) {
                    usual = usual && !(seen & bit);
                    seen |= bit;
                    slot = value;
                };
                if (key == "action")
                    take(action, 1);
                else if (key == "kind")
                    take(kind, 2);
                else if (key == "identity")
                    take(identity, 4);
                else if (key == "before")
                    take(before, 8);
                else if (key == "after")
                    take(after, 16);
                else if (key == "fields")
                    take(fields, 32);
                else
                    usual = false;
            });
            if (!usual || !action || !kind || !identity || !action->is_string() || !kind->is_string() ||
                !identity->is_string()) {
                usual = false;
                return;
            }
            PlanOp op;
            op.action = std::string(action->string());
            op.kind = std::string(kind->string());
            op.identity = std::string(identity->string());
            usual = (op.action == "create" || op.action == "update" || op.action == "delete") && find_kind(op.kind) &&
                    (op.action == "delete" || (after && !after->is_null()));
            if (!usual)
                return;
            if (before)
                op.before = before->tree();
            if (op.kind == kind::user && op.action == "create")
                op.user = std::make_shared<const User>(model_read::read_user(*after, op.identity));
            else if (after)
                op.after = after->tree();
            ops.push_back(std::move(op));
        });
    } catch (const Error&) {
        return std::nullopt;  // a user that does not read: the tree's path names it
    } catch (const SimdValue::KeyTwice&) {
        return std::nullopt;
    }
    if (!usual)
        return std::nullopt;
    return ops;
}

std::vector<PlanOp> plan_from_json(Json operations)
{
    if (!operations.is_array())
        throw usage_error("change set: \"operations\" must be a list");
    std::vector<PlanOp> ops;
    std::size_t n = 0;
    ops.reserve(operations.size());
    for (auto& item : operations) {
        std::string owner = "change set operation " + std::to_string(++n);
        if (!item.is_object())
            throw usage_error(owner + ": expected a JSON object");
        PlanOp op;
        auto text = [&](const char* key) {
            auto it = item.find(key);
            if (it == item.end() || !it->is_string())
                throw usage_error(owner + ": field " + quote(key) + " must be a string");
            return it->get<std::string>();
        };
        op.action = text("action");
        op.kind = text("kind");
        op.identity = text("identity");
        if (op.action != "create" && op.action != "update" && op.action != "delete")
            throw usage_error(owner + ": action " + quote(op.action) + " is not one of create, update, delete");
        if (!find_kind(op.kind))
            throw usage_error(owner + ": unknown kind " + quote(op.kind));
        // Moved out of the change set: a first push carries 100,000s of objects.
        if (auto it = item.find("before"); it != item.end())
            op.before = std::move(*it);
        if (auto it = item.find("after"); it != item.end())
            op.after = std::move(*it);
        if (op.action != "delete" && op.after.is_null())
            throw usage_error(owner + ": " + op.action + " needs \"after\", the object's new state");
        for (const auto& [key, value] : item.items())
            if (key != "action" && key != "kind" && key != "identity" && key != "before" && key != "after" &&
                key != "fields")
                throw usage_error(owner + ": unknown field " + quote(key));
        ops.push_back(std::move(op));
    }
    return ops;
}

}  // namespace csctl
