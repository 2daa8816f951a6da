// The difference between two tenant documents as an ordered change set (what `plan` shows and
// `push` sends), and applying a change set to a tenant through the validation rules of core.
//
// The object kinds are one table (plan_kinds() in plan.cpp): each entry names the kind, where its
// objects sit in the export document, its place in the dependency order and how one object is
// put or erased. A new kind is one entry there.
#pragma once

#include "core/adopt.hpp"
#include "core/diff.hpp"
#include "core/error.hpp"
#include "core/tenant_store.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace csctl {

struct PlanOp {
    std::string action;        // "create", "update" or "delete"
    std::string kind;          // kind::voice_route …
    std::string identity;
    Json before;               // null for create
    Json after;                // null for delete
    // A user that make_plan creates with PlanScope::users_as_model: the user itself, with `after`
    // null until to_json(op) writes it (apply creates 100,000s of users without a JSON tree each).
    std::shared_ptr<const User> user;
};

// What turns `from` into `to`, object by object, in dependency order: the tenant, usages added,
// translation rules, gateways, routes, policies, dial plans, number patterns, groups, users created
// or changed; deletes in the reverse order (users first), usages removed last. The tenant's name
// is not compared (local and remote names may differ).
std::vector<PlanOp> make_plan(const Json& from_document, const Json& to_document);
std::vector<PlanOp> make_plan(const TenantDocument& from, const TenantDocument& to);
// What a plan compares: every section and every difference (the default), or less.
struct PlanScope {
    std::vector<std::string> sections;  // the export keys compared ("tenant", "users" …); empty: all
    bool deletes = true;                // false: the objects `to` does not name are left as they are
    bool keep_global = false;           // the built-in "Global" policy and dial plan are never deleted
    bool users_as_model = false;        // users created are PlanOp::user (for apply_plan and to_json only)
};
std::vector<PlanOp> make_plan(const TenantDocument& from, const TenantDocument& to, const PlanScope& scope);
// From a document (the remote's, as fetched) to the model (the local tenant's).
std::vector<PlanOp> make_plan(const Json& from_document, const TenantDocument& to, const PlanScope& scope);
// The plan of `apply`/`import`/`diff`: from `current` to merged_document(current, file, mode),
// made without building that document: the file's objects are lent to the comparison and are back
// in `file` after it. Users created are PlanOp::user (PlanScope::users_as_model).
std::vector<PlanOp> adoption_plan(const TenantDocument& current, AdoptedDocument& file, MergeMode mode);

// An error of one operation of a change set: the error, and the object it concerns.
class PlanError : public Error {
public:
    PlanError(ExitCode code, const std::string& message, std::string kind, std::string identity)
        : Error(code, message), m_kind(std::move(kind)), m_identity(std::move(identity))
    {
    }
    const std::string& kind() const { return m_kind; }
    const std::string& identity() const { return m_identity; }

private:
    std::string m_kind;
    std::string m_identity;
};

// Applies ops in order through the TenantStore, validating each object as the commands do, and
// checks references once every op is applied (a deleted policy granted to nobody, a group
// without members …). A create of an existing object, or an update/delete of a missing one, is a
// conflict naming it.
void apply_plan(TenantStore& store, const std::vector<PlanOp>& ops, Notes& notes);

Json to_json(const PlanOp& op);                 // {action, kind, identity, fields, before, after}
Json plan_json(const std::vector<PlanOp>& ops);
// The body push sends, {"operations": [...]}: the text of Json{{"operations", plan_json(ops)}}.dump(),
// with the users created from the model written without a tree each.
std::string change_set_text(const std::vector<PlanOp>& ops);
// Reads a change set's operations; throws a usage error naming the operation and the field.
std::vector<PlanOp> plan_from_json(Json operations);
// The same from the body's text, read with simdjson, users created as PlanOp::user (a first push
// carries 100,000s). nullopt for anything plan_from_json would refuse or that is unusual (a key
// twice, a user that does not read, no JSON module): then the tree's path reads it and names the
// error.
std::optional<std::vector<PlanOp>> change_set_from_text(std::string_view text);
// Where a kind's objects sit in the export document, and whether that is a list of objects with
// identities (false: one value, such as the tenant or the usage list).
std::string document_key(const std::string& kind);
bool has_identities(const std::string& kind);
// The kind whose objects sit under an export document key; empty when no kind of the plan does.
std::string kind_of_document_key(const std::string& key);
// The field that names one object of the kind ("identity", "userPrincipalName" for users, "name"
// for groups; "" for the kinds that are one value).
std::string identity_key(const std::string& kind);
// The identity of one object of a document section ("" when the section is one value).
std::string section_identity(const std::string& document_key, const Json& object);
// The kind of plan a journal item belongs to: a user's policy assignment is part of the user.
std::string plan_kind(const std::string& journal_kind);

// "voice route", "online pstn gateway" … for messages.
std::string kind_words(const std::string& kind);

}  // namespace csctl
