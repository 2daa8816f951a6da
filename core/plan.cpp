#include "core/plan.hpp"

#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/tenant.hpp"
#include "core/text.hpp"
#include "core/usage.hpp"
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
    auto g = gateway_from_json(after, id);
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
bool always(TenantStore&, const std::string&) { return true; }
void no_check(TenantStore&, const PlanOp&) {}

// The dependency order: the tenant (its domains) first; usages are added before the gateways,
// routes and policies that use them; deletes run in the reverse order; usages are removed last.
const std::vector<PlanKind>& plan_kinds()
{
    static const std::vector<PlanKind> kinds{
        {kind::tenant, "tenant", "tenant", Shape::single, 0, 0, always, put_tenant_op, nullptr, check_tenant_op},
        {kind::usage, "pstn usages", "onlinePstnUsages", Shape::list, 10, 90, always, put_usages_op, nullptr,
         check_usages_op},
        {kind::gateway, "online pstn gateway", "onlinePstnGateways", Shape::objects, 20, 70, gateway_exists,
         put_gateway_op, erase_gateway_op, check_gateway_op},
        {kind::voice_route, "voice route", "onlineVoiceRoutes", Shape::objects, 30, 60, route_exists, put_route_op,
         erase_route_op, check_route_op},
        {kind::voice_routing_policy, "voice routing policy", "onlineVoiceRoutingPolicies", Shape::objects, 40, 50,
         policy_exists, put_policy_op, erase_policy_op, no_check},
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

std::string identity_of(const Json& object)
{
    if (object.is_object() && object.contains("identity") && object.at("identity").is_string())
        return object.at("identity").get<std::string>();
    throw usage_error("tenant document: an object without \"identity\"");
}

}  // namespace

std::string document_key(const std::string& name)
{
    const auto* k = find_kind(name);
    if (!k)
        throw Error(ExitCode::internal, "internal: unknown object kind " + quote(name));
    return k->document_key;
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
                    before[to_lower(identity_of(o))] = &o;
            if (to.is_array())
                for (const auto& o : to) {
                    auto id = identity_of(o);
                    auto key = to_lower(id);
                    seen.insert(key);
                    auto it = before.find(key);
                    if (it == before.end())
                        add(k.put_rank, {"create", k.kind, id, nullptr, o});
                    else if (*it->second != o)
                        add(k.put_rank, {"update", k.kind, identity_of(*it->second), *it->second, o});
                }
            if (from.is_array())
                for (const auto& o : from)
                    if (!seen.count(to_lower(identity_of(o))))
                        add(k.delete_rank, {"delete", k.kind, identity_of(o), o, nullptr});
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
