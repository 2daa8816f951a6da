// log and undo: the change journal.
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/text.hpp"

namespace csctl {

namespace {

struct JournalArgs {
    long long limit = 20;
    std::string id;
    bool details = false;
};

Json entry_json(const JournalEntry& e, bool details)
{
    Json j{{"id", e.id},
           {"time", e.time},
           {"user", e.os_user},
           {"commandLine", e.command_line},
           {"reverts", e.reverts ? Json(*e.reverts) : Json(nullptr)},
           {"revertedBy", e.reverted_by ? Json(*e.reverted_by) : Json(nullptr)}};
    Json objects = Json::array();
    for (const auto& item : e.items)
        objects.push_back(item.kind + " " + item.identity);
    j["objects"] = objects;
    if (details)
        j["changes"] = changes_json(e.items);
    return j;
}

}  // namespace

void add_journal_commands(Registry& r)
{
    auto& ctx = r.context();
    auto log = std::make_shared<JournalArgs>();
    auto* cmd = r.command(&r.root(), "log", "list the change journal, newest first", Needs::tenant_read, "", [&ctx, log] {
        auto store = ctx.open(SqliteTenant::Mode::read_only);
        std::vector<JournalEntry> entries;
        if (!log->id.empty()) {
            auto entry = store->journal_entry(parse_integer(log->id, "log: change id"));
            if (!entry)
                throw not_found("change " + log->id + " does not exist");
            entries.push_back(*entry);
        } else {
            if (log->limit < 1)
                throw usage_error("log: --limit must be 1 or more");
            // The table lists no objects: a bulk change's 100,000 items are not read for it.
            entries = store->journal(log->limit, std::nullopt, log->details || ctx.format() != Format::table);
        }
        Json objects = Json::array();
        for (const auto& e : entries)
            objects.push_back(entry_json(e, log->details || !log->id.empty()));
        auto format = ctx.format();
        if (format == Format::table && !log->id.empty()) {
            print_objects(ctx.out(), Format::list, Json::array({entry_json(entries.front(), false)}), {});
            print_changes(ctx, entries.front().items);
            return;
        }
        print_objects(ctx.out(), format, objects,
                      {{"id", "Id"}, {"time", "Time"}, {"user", "User"}, {"commandLine", "Command"}, {"revertedBy", "UndoneBy"}});
    });
    r.completes(cmd->add_option("id", log->id, "show one change with its before and after"), "change");
    r.examples(cmd, {"csctl log", "csctl log 12", "csctl log -n 5 --details -o yaml"});
    cmd->add_option("-n,--limit", log->limit, "how many changes to list (default 20)");
    cmd->add_flag("--details", log->details, "include each change's fields (json/yaml)");

    auto undo = std::make_shared<JournalArgs>();
    cmd = r.command(&r.root(), "undo", "revert the last change (or change ID) as a new change", Needs::tenant_write, "",
                    [&ctx, undo] {
                        std::optional<long long> id;
                        if (!undo->id.empty())
                            id = parse_integer(undo->id, "undo: change id");
                        auto store = ctx.open(SqliteTenant::Mode::read_write);
                        auto result = store->undo(id, ctx.change_info(), ctx.globals.dry_run);
                        if (ctx.globals.dry_run) {
                            print_changes(ctx, result.items);
                            ctx.note("dry run: nothing was changed");
                        } else {
                            ctx.note("undone as change " + std::to_string(result.id));
                            print_changes(ctx, result.items);
                        }
                    });
    r.completes(cmd->add_option("id", undo->id, "the change to revert (see `csctl log`); default: the latest not yet undone"),
                "change");
    r.examples(cmd, {"csctl undo", "csctl undo 12 --dry-run"});
}

}  // namespace csctl
