// Running a command's change through the write path and reporting it: warnings to stderr, a dry
// run's would-be changes to stdout, the journal id of a real change.
#pragma once

#include "cmd/context.hpp"
#include "cmd/output.hpp"
#include "core/plan.hpp"
#include "core/text.hpp"

#include <functional>

namespace csctl {

// Opens the tenant writable, runs fn inside one change (rolled back for --dry-run), prints the
// notes' warnings, and returns what changed. With a question (destructive changes), the change is
// validated first and then confirmed (--yes, or a terminal prompt) before it is applied.
ChangeResult run_change(Context& ctx, const std::function<void(TenantStore&, Notes&)>& fn,
                        const std::string& question = {});
// Describes changes as a person reads them ("update voice route "X": priority 2 → 3"), or as
// JSON/YAML objects {action, kind, identity, changes: [{field, before, after}]}.
void print_changes(Context& ctx, const std::vector<ChangeItem>& items);
Json changes_json(const std::vector<ChangeItem>& items);

// A change set (plan, pull, diff, apply): "create voice route "X"", then the changed fields of an update.
void print_plan(Context& ctx, const std::vector<PlanOp>& ops, const std::vector<std::size_t>& affected = {});
// "1 to create, 2 to update, 0 to delete"
std::string plan_counts(const std::vector<PlanOp>& ops);

// For get: a single identity, a --filter wildcard, or everything.
template <typename T, typename Id>
Json select_objects(const std::vector<T>& all, const std::string& filter, Id identity_of)
{
    Json out = Json::array();
    for (const auto& object : all)
        if (filter.empty() || wildcard_match(filter, identity_of(object)))
            out.push_back(to_json(object));
    return out;
}

}  // namespace csctl
