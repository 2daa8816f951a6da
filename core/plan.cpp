#include "core/plan.hpp"

#include "core/dial_plan.hpp"
#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/group.hpp"
#include "core/number_pattern.hpp"
#include "core/tenant.hpp"
#include "core/text.hpp"
#include "core/translation_rule.hpp"
#include "core/upgrade_policy.hpp"
#include "core/usage.hpp"
#include "core/user.hpp"
#include "core/voice_route.hpp"
#include "core/voice_routing_policy.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace csctl {

namespace {

enum class Shape {
    single,   // one object (the tenant)
    list,     // one list of names (the usages)
    objects,  // a list of objects, each with an "identity"
};

// One row per object kind. put_rank orders creates and updates (lower first); delete_rank orders
// deletes (lower first, all after every put). The functions work on the kind's JSON form.
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
};

void put_tenant_op(TenantStore& store, const std::string&, const Json& after, Notes&)
{
    auto info = tenant_from_json(after);
    info.name = store.tenant().name;  // the name is the store's own, never part of a plan
    validate(info);
    store.put_tenant(info);
}

void check_tenant_op(TenantStore& store, const PlanOp&)
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

bool route_exists(TenantStore& store, const std::string& id) { return store.find_route(id).has_value(); }
void put_route_op(TenantStore& store, const std::string& id, const Json& after, Notes& notes)
{
    store.put_route(validate(route_from_json(after, id), store, notes));
}
void erase_route_op(TenantStore& store, const std::string& id) { store.erase_route(id); }
void check_route_op(TenantStore& store, const PlanOp& op)
{
    if (op.action == "delete")
        return;
    auto route = store.find_route(op.identity);
    if (route && store.route_priority_taken(route->priority, route->identity))
        throw conflict(label(*route) + ": Priority " + std::to_string(route->priority) +
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

bool user_exists(TenantStore& store, const std::string& id) { return store.find_user(id).has_value(); }
void put_user_op(TenantStore& store, const std::string& id, const Json& after, Notes&)
{
    auto u = validate(user_from_json(after, id));
    const auto owner = user_label(u.user_principal_name);
    std::vector<std::string> groups;
    for (const auto& name : u.groups) {
        auto g = store.find_group(name);
        if (!g)
            throw usage_error(owner + ": groups names " + group_label(name) + ", which does not exist");
        if (find_identity(groups, g->name) < 0)
            groups.push_back(g->name);
    }
    u.groups = std::move(groups);
    if (!u.online_voice_routing_policy.empty()) {
        auto p = store.find_policy(policy_name_from_identity(u.online_voice_routing_policy));
        if (!p)
            throw usage_error(owner + ": onlineVoiceRoutingPolicy names " +
                              policy_label(u.online_voice_routing_policy) + ", which does not exist");
        u.online_voice_routing_policy = p->name;
    }
    if (!u.tenant_dial_plan.empty()) {
        auto d = store.find_dial_plan(dial_plan_name_from_identity(u.tenant_dial_plan));
        if (!d)
            throw usage_error(owner + ": tenantDialPlan names " + dial_plan_label(u.tenant_dial_plan) +
                              ", which does not exist");
        u.tenant_dial_plan = d->name;
    }
    if (!u.teams_upgrade_policy.empty())
        u.teams_upgrade_policy = require_upgrade_policy(u.teams_upgrade_policy).identity;
    if (!u.phone_number.empty()) {
        auto holder = store.user_with_phone_number(u.phone_number);
        if (holder && !iequals(*holder, u.user_principal_name))
            throw conflict(owner + ": phoneNumber " + quote(u.phone_number) + " is assigned to " + user_label(*holder));
    }
    store.put_user(u);
}
void erase_user_op(TenantStore& store, const std::string& id) { store.erase_user(id); }

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
        {kind::tenant, "tenant", "tenant", "", Shape::single, 0, 0, always, put_tenant_op, nullptr, check_tenant_op},
        {kind::usage, "pstn usages", "onlinePstnUsages", "", Shape::list, 10, 190, always, put_usages_op, nullptr,
         check_usages_op},
        {kind::translation_rule, "translation rule", "teamsTranslationRules", "identity", Shape::objects, 15, 160,
         translation_rule_exists, put_translation_rule_op, erase_translation_rule_op, check_translation_rule_op},
        {kind::gateway, "online pstn gateway", "onlinePstnGateways", "identity", Shape::objects, 20, 150,
         gateway_exists, put_gateway_op, erase_gateway_op, check_gateway_op},
        {kind::voice_route, "voice route", "onlineVoiceRoutes", "identity", Shape::objects, 30, 140, route_exists,
         put_route_op, erase_route_op, check_route_op},
        {kind::voice_routing_policy, "voice routing policy", "onlineVoiceRoutingPolicies", "identity", Shape::objects,
         40, 130, policy_exists, put_policy_op, erase_policy_op, check_policy_op},
        {kind::dial_plan, "tenant dial plan", "tenantDialPlans", "identity", Shape::objects, 42, 120,
         dial_plan_exists, put_dial_plan_op, erase_dial_plan_op, check_dial_plan_op},
        {kind::blocked_number, "blocked number pattern", "inboundBlockedNumberPatterns", "identity", Shape::objects,
         44, 100, number_pattern_exists<false>, put_number_pattern_op<false>, erase_number_pattern_op<false>,
         no_check},
        {kind::exempt_number, "exempt number pattern", "inboundExemptNumberPatterns", "identity", Shape::objects, 46,
         100, number_pattern_exists<true>, put_number_pattern_op<true>, erase_number_pattern_op<true>, no_check},
        {kind::group, "group", "groups", "name", Shape::objects, 50, 110, group_exists, put_group_op, erase_group_op,
         check_group_op},
        {kind::user, "user", "users", "userPrincipalName", Shape::objects, 60, 55, user_exists, put_user_op,
         erase_user_op, no_check},
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

struct Ranked {
    int rank;
    std::size_t seq;
    PlanOp op;
};

Json member(const Json& document, const char* key)
{
    if (!document.is_object())
        return nullptr;
    auto it = document.find(key);
    return it == document.end() ? Json(nullptr) : *it;
}

std::string identity_of(const Json& object, const char* key)
{
    if (object.is_object() && object.contains(key) && object.at(key).is_string())
        return object.at(key).get<std::string>();
    throw usage_error(std::string("tenant document: an object without ") + quote(key));
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

std::vector<PlanOp> make_plan(const Json& from_doc, const Json& to_doc)
{
    std::vector<Ranked> out;
    auto add = [&](int rank, PlanOp op) { out.push_back({rank, out.size(), std::move(op)}); };
    for (const auto& k : plan_kinds()) {
        Json from = member(from_doc, k.document_key);
        Json to = member(to_doc, k.document_key);
        switch (k.shape) {
        case Shape::single: {
            if (from.is_null() || to.is_null())
                break;
            Json target = to;
            if (target.contains("name") && from.contains("name"))
                target["name"] = from["name"];
            if (target != from)
                add(k.put_rank, {"update", k.kind, from.value("name", std::string()), from, target});
            break;
        }
        case Shape::list: {
            std::vector<std::string> before, after;
            if (from.is_array())
                before = from.get<std::vector<std::string>>();
            if (to.is_array())
                after = to.get<std::vector<std::string>>();
            if (before == after)
                break;
            std::vector<std::string> grown = before;
            bool removes = false;
            for (const auto& name : after)
                if (find_identity(before, name) < 0)
                    grown.push_back(name);
            for (const auto& name : before)
                removes = removes || find_identity(after, name) < 0;
            if (!removes) {
                add(k.put_rank, {"update", k.kind, "Global", before, after});
            } else {
                // Added names first (routes may need them), the removals after everything else.
                if (grown != before)
                    add(k.put_rank, {"update", k.kind, "Global", before, grown});
                add(k.delete_rank, {"update", k.kind, "Global", grown, after});
            }
            break;
        }
        case Shape::objects: {
            std::map<std::string, const Json*> before;
            std::set<std::string> seen;
            if (from.is_array())
                for (const auto& o : from)
                    before[to_lower(identity_of(o, k.identity_key))] = &o;
            if (to.is_array())
                for (const auto& o : to) {
                    auto id = identity_of(o, k.identity_key);
                    auto key = to_lower(id);
                    seen.insert(key);
                    auto it = before.find(key);
                    if (it == before.end())
                        add(k.put_rank, {"create", k.kind, id, nullptr, o});
                    else if (*it->second != o)
                        add(k.put_rank, {"update", k.kind, identity_of(*it->second, k.identity_key), *it->second, o});
                }
            if (from.is_array())
                for (const auto& o : from)
                    if (!seen.count(to_lower(identity_of(o, k.identity_key))))
                        add(k.delete_rank, {"delete", k.kind, identity_of(o, k.identity_key), o, nullptr});
            break;
        }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Ranked& a, const Ranked& b) { return a.rank < b.rank; });
    std::vector<PlanOp> ops;
    ops.reserve(out.size());
    for (auto& r : out)
        ops.push_back(std::move(r.op));
    return ops;
}

std::vector<PlanOp> make_plan(const TenantDocument& from, const TenantDocument& to)
{
    return make_plan(to_json(from), to_json(to));
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
    for (const auto& op : ops) {
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
                {"after", op.after}};
}

Json plan_json(const std::vector<PlanOp>& ops)
{
    Json out = Json::array();
    for (const auto& op : ops)
        out.push_back(to_json(op));
    return out;
}

std::vector<PlanOp> plan_from_json(const Json& operations)
{
    if (!operations.is_array())
        throw usage_error("change set: \"operations\" must be a list");
    std::vector<PlanOp> ops;
    std::size_t n = 0;
    for (const auto& item : operations) {
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
        op.before = item.value("before", Json(nullptr));
        op.after = item.value("after", Json(nullptr));
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
