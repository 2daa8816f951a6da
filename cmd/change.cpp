#include "cmd/change.hpp"

#include "core/diff.hpp"
#include "core/error.hpp"
#include "core/plan.hpp"
#include "core/text.hpp"

namespace csctl {

namespace {

std::string item_words(const std::string& kind)
{
    if (kind == kind::gateway)
        return "online pstn gateway";
    if (kind == kind::usage)
        return "pstn usages";
    if (kind == kind::voice_route)
        return "voice route";
    if (kind == kind::voice_routing_policy)
        return "voice routing policy";
    if (kind == kind::dial_plan)
        return "tenant dial plan";
    if (kind == kind::translation_rule)
        return "translation rule";
    if (kind == kind::blocked_number)
        return "blocked number pattern";
    if (kind == kind::exempt_number)
        return "exempt number pattern";
    if (kind == kind::user)
        return "user";
    if (kind == kind::group)
        return "group";
    if (kind == kind::voice_routing_policy_assignment)
        return "voice routing policy of user";
    if (kind == kind::upgrade_policy_assignment)
        return "teams upgrade policy of user";
    return kind;
}

}  // namespace

Json changes_json(const std::vector<ChangeItem>& items)
{
    Json out = Json::array();
    for (const auto& item : items) {
        Json fields = Json::array();
        if (!item.before.is_null() && !item.after.is_null())
            for (const auto& d : diff_fields(item.before, item.after))
                fields.push_back(Json{{"field", d.key}, {"before", d.before}, {"after", d.after}});
        out.push_back(Json{{"action", change_action(item.before, item.after)},
                           {"kind", item.kind},
                           {"identity", item.identity},
                           {"fields", fields},
                           {"before", item.before},
                           {"after", item.after}});
    }
    return out;
}

void print_changes(Context& ctx, const std::vector<ChangeItem>& items)
{
    auto format = ctx.format();
    if (format == Format::json || format == Format::yaml) {
        print_document(ctx.out(), format, changes_json(items));
        return;
    }
    auto& out = ctx.out();
    for (const auto& item : items) {
        auto action = change_action(item.before, item.after);
        out << action << " " << item_words(item.kind) << " " << quote(item.identity) << "\n";
        if (action != "update")
            continue;
        for (const auto& d : diff_fields(item.before, item.after)) {
            if (d.key.empty())
                out << "    " << display_value(d.before) << " -> " << display_value(d.after) << "\n";
            else
                out << "    " << d.key << ": " << display_value(d.before) << " -> " << display_value(d.after) << "\n";
        }
    }
}

ChangeResult run_change(Context& ctx, const std::function<void(TenantStore&, Notes&)>& fn, const std::string& question)
{
    auto store = ctx.open(SqliteTenant::Mode::read_write);
    if (!question.empty() && !ctx.globals.yes && !ctx.globals.dry_run) {
        // Validate first (a rolled-back pass), so bad input is reported before anyone is asked.
        Notes ignored;
        store->change(ctx.change_info(), true, [&](TenantStore& s) { fn(s, ignored); });
        if (!ctx.confirm(question)) {
            ctx.note("cancelled: nothing was changed");
            return {};
        }
    }
    Notes notes;
    auto result = store->change(ctx.change_info(), ctx.globals.dry_run, [&](TenantStore& s) { fn(s, notes); });
    for (const auto& w : notes.warnings)
        ctx.warn(w);
    if (ctx.globals.dry_run) {
        print_changes(ctx, result.items);
        ctx.note(result.items.empty() ? "dry run: nothing would change" : "dry run: nothing was changed");
    } else if (!result.changed()) {
        ctx.note("unchanged");
    }
    return result;
}

std::string plan_counts(const std::vector<PlanOp>& ops)
{
    int c = 0, u = 0, d = 0;
    for (const auto& op : ops)
        (op.action == "create" ? c : op.action == "delete" ? d : u)++;
    return std::to_string(c) + " to create, " + std::to_string(u) + " to update, " + std::to_string(d) + " to delete";
}

void print_plan(Context& ctx, const std::vector<PlanOp>& ops, const std::vector<std::size_t>& affected)
{
    auto& out = ctx.out();
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const auto& op = ops[i];
        out << op.action << " " << kind_words(op.kind);
        if (op.kind != kind::usage)
            out << " " << quote(op.identity);
        if (i < affected.size())
            out << "  (" << affected[i] << (affected[i] == 1 ? " user" : " users") << ")";
        out << "\n";
        if (op.action != "update")
            continue;
        for (const auto& d : diff_fields(op.before, op.after)) {
            if (d.key.empty())
                out << "    " << display_value(d.before) << " -> " << display_value(d.after) << "\n";
            else
                out << "    " << d.key << ": " << display_value(d.before) << " -> " << display_value(d.after) << "\n";
        }
    }
}

}  // namespace csctl
