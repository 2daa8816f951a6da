// export, import, apply, diff: the whole tenant as one YAML or JSON document (the schema of
// `get -o json` and of the API), and a document as the desired state of the tenant.
#include "cmd/change.hpp"
#include "cmd/document_text.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/adopt.hpp"
#include "core/diff.hpp"
#include "core/error.hpp"
#include "core/plan.hpp"
#include "core/text.hpp"

#include <fstream>
#include <sstream>
#include <map>

namespace csctl {

namespace {

struct ExportArgs {
    std::string file;
    std::string format;
};

struct DocumentArgs {
    std::string file;
    std::string kind;
    bool prune = false;
    bool detailed_exitcode = false;
};

std::string source_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

AdoptedDocument read_input(const DocumentArgs& args)
{
    AdoptOptions options;
    options.source = source_name(args.file);
    if (!args.kind.empty()) {
        options.powershell_section = section_of_kind_name(args.kind);
        if (options.powershell_section.empty())
            throw usage_error("--kind " + quote(args.kind) + " is not one of " + join(powershell_kind_names(), ", "));
    }
    auto text = read_document_file(args.file);
    if (auto document = adopt_csctl_json_text(text, options))
        return std::move(*document);
    return adopt_document(parse_document_text(text, options.source), options);
}

std::string past(const std::string& action)
{
    return action == "create" ? "created" : action == "delete" ? "deleted" : "updated";
}

struct ObjectRef {
    std::string kind;
    std::string identity;
};

// The objects of the file that the plan leaves as they are.
std::vector<ObjectRef> unchanged_objects(const std::vector<PlanOp>& ops, const AdoptedDocument& file)
{
    std::map<std::string, IdentityIndex> touched;  // kind → the identities the plan touches (any case)
    for (const auto& op : ops)
        touched[op.kind].emplace(op.identity, 0);
    std::vector<ObjectRef> out;
    for (const auto& key : file.sections) {
        auto kind = kind_of_document_key(key);
        const auto it = touched.find(kind);
        if (!has_identities(kind)) {
            if (it == touched.end())
                out.push_back({kind, kind == kind::usage ? "Global" : "tenant"});
            continue;
        }
        for (auto& id : section_identities(file.document, key))
            if (it == touched.end() || it->second.find(id) == IdentityIndex::npos)
                out.push_back({kind, std::move(id)});
    }
    return out;
}

// One row per object of the file and per object the plan touches: what happens to it.
Json outcomes(const std::vector<PlanOp>& ops, const std::vector<ObjectRef>& unchanged, bool done)
{
    Json rows = Json::array();
    for (const auto& op : ops) {
        Json fields = Json::array();
        if (op.action == "update")
            for (const auto& d : diff_fields(op.before, op.after))
                fields.push_back(d.key);
        rows.push_back(Json{{"kind", op.kind},
                            {"identity", op.identity},
                            {"result", done ? past(op.action) : op.action},
                            {"fields", fields}});
    }
    for (const auto& o : unchanged)
        rows.push_back(Json{{"kind", o.kind}, {"identity", o.identity}, {"result", "unchanged"}, {"fields", Json::array()}});
    return rows;
}

// Import adds: an object the tenant has must already be the file's. Usages only grow and the
// tenant only gains domains (merged_document), so any other update is a difference import refuses.
void refuse_updates(const std::vector<PlanOp>& ops, const std::string& source)
{
    for (const auto& op : ops) {
        if (op.action != "update" || op.kind == kind::usage)
            continue;
        std::vector<std::string> fields;
        for (const auto& d : diff_fields(op.before, op.after))
            if (!(op.kind == kind::tenant && d.key == "domains"))
                fields.push_back(d.key + ": " + display_value(d.before) + " -> " + display_value(d.after));
        if (fields.empty())
            continue;
        std::string owner = op.kind == kind::tenant ? std::string("the tenant's settings")
                                                    : kind_words(op.kind) + " " + quote(op.identity);
        throw conflict("import: " + owner + " already exists and differs from " + source + " (" + join(fields, "; ") +
                       "); nothing was imported. `csctl apply -f " + source + "` updates it");
    }
}

std::string summary(const std::vector<PlanOp>& ops, std::size_t unchanged)
{
    int c = 0, u = 0, d = 0;
    for (const auto& op : ops)
        (op.action == "create" ? c : op.action == "delete" ? d : u)++;
    return std::to_string(c) + " created, " + std::to_string(u) + " updated, " + std::to_string(d) + " deleted, " +
           std::to_string(unchanged) + " unchanged";
}

// apply and import: one change through the write path (rolled back for --dry-run).
void run_apply(Context& ctx, const DocumentArgs& args, MergeMode mode)
{
    auto file = read_input(args);
    auto source = source_name(args.file);
    auto store = ctx.open(SqliteTenant::Mode::read_write);
    auto revision = store->revision();
    auto ops = adoption_plan(store->document(), file, mode);
    if (mode == MergeMode::add)
        refuse_updates(ops, source);
    std::size_t deletes = 0;
    for (const auto& op : ops)
        deletes += op.action == "delete";
    auto unchanged_list = unchanged_objects(ops, file);
    auto unchanged = unchanged_list.size();
    auto print_rows = [&] {
        print_objects(ctx.out(), ctx.format(), outcomes(ops, unchanged_list, !ctx.globals.dry_run), {});
    };
    std::string verb = mode == MergeMode::add ? "import" : "apply";
    if (ops.empty()) {
        if (ctx.format() != Format::table)
            print_rows();
        ctx.note(verb + ": the tenant already matches " + source + " (" + std::to_string(unchanged) +
                 " unchanged); nothing was changed");
        return;
    }
    if (deletes > 0 && !ctx.globals.dry_run) {
        // Validate first (a rolled-back pass), so a bad file is reported before anyone is asked.
        Notes ignored;
        store->change(ctx.change_info(), true, [&](TenantStore& ts) { apply_plan(ts, ops, ignored); });
        if (!ctx.confirm(verb + " -f " + source + " deletes " + std::to_string(deletes) +
                         " object(s) that the file does not have; continue?")) {
            ctx.note("cancelled: nothing was changed");
            return;
        }
    }
    Notes notes;
    ChangeResult result;
    try {
        result = store->change(ctx.change_info(), ctx.globals.dry_run, [&](TenantStore& ts) {
            if (store->revision() != revision)
                throw conflict("the tenant changed while " + source +
                               " was being compared with it; nothing was changed: run the command again");
            apply_plan(ts, ops, notes);
        });
    } catch (const PlanError& e) {
        throw Error(e.code(), source + ": " + e.what() + "; nothing was changed");
    }
    for (const auto& w : notes.warnings)
        ctx.warn(w);
    if (ctx.format() == Format::table)
        print_plan(ctx, ops);
    else
        print_rows();
    if (ctx.globals.dry_run)
        ctx.note("dry run: " + verb + " would make " + plan_counts(ops) + " (" + std::to_string(unchanged) +
                 " unchanged); nothing was changed");
    else
        ctx.note(verb + " " + source + ": " + summary(ops, unchanged) + " (journal change " +
                 std::to_string(result.id) + "; `csctl undo` reverts it)");
}

void run_diff(Context& ctx, const DocumentArgs& args)
{
    auto file = read_input(args);
    auto source = source_name(args.file);
    auto store = ctx.open(SqliteTenant::Mode::read_only);
    auto ops = adoption_plan(store->document(), file, args.prune ? MergeMode::prune : MergeMode::update);
    auto unchanged = unchanged_objects(ops, file).size();
    if (ctx.format() == Format::json || ctx.format() == Format::yaml)
        print_document(ctx.out(), ctx.format(), plan_json(ops));
    else
        print_plan(ctx, ops);
    if (ops.empty()) {
        ctx.note("diff: the tenant matches " + source + " (" + std::to_string(unchanged) + " unchanged)");
        return;
    }
    ctx.note("diff: apply -f " + source + (args.prune ? " --prune" : "") + " would make " + plan_counts(ops) + " (" +
             std::to_string(unchanged) + " unchanged)");
    if (args.detailed_exitcode)
        throw Error(ExitCode::pending, "");
}

void add_export(Registry& r)
{
    auto& ctx = r.context();
    auto args = std::make_shared<ExportArgs>();
    auto* cmd = r.command(&r.root(), "export", "write the whole tenant as one YAML or JSON document", Needs::tenant_read,
                          "Get-Cs* | ConvertTo-Json", [&ctx, args] {
                              auto store = ctx.open(SqliteTenant::Mode::read_only);
                              auto document = to_json(store->document());
                              Format format = Format::yaml;
                              if (!args->format.empty())
                                  format = parse_format(args->format);
                              else if (ctx.format() == Format::json)
                                  format = Format::json;
                              else if (args->file.ends_with(".json"))
                                  format = Format::json;
                              if (format != Format::json && format != Format::yaml)
                                  throw usage_error("export: --format must be yaml or json");
                              if (args->file.empty() || args->file == "-") {
                                  print_document(ctx.out(), format, document);
                                  return;
                              }
                              std::ostringstream text;
                              print_document(text, format, document);
                              auto tmp = args->file + ".tmp";
                              {
                                  std::ofstream out(tmp, std::ios::trunc);
                                  out << text.str();
                                  if (!out.flush())
                                      throw usage_error("export: cannot write " + quote(args->file));
                              }
                              if (std::rename(tmp.c_str(), args->file.c_str()) != 0)
                                  throw usage_error("export: cannot write " + quote(args->file));
                          });
    r.completes(cmd->add_option("-f,--file", args->file, "write to this file instead of stdout (.json selects JSON)"), "file");
    r.examples(cmd, {"csctl export > contoso.yaml", "csctl export -f contoso.json", "csctl --tenant fabrikam export -o json"});
    auto* format = cmd->add_option("--format", args->format, "yaml (default) or json; -o json also selects JSON");
    r.set_choices(format, {"yaml", "json"});
}

void add_input_options(Registry& r, CLI::App* cmd, DocumentArgs& args)
{
    r.completes(cmd->add_option("-f,--file", args.file,
                                "the document: csctl's export schema (YAML or JSON) or PowerShell Get-Cs* | "
                                "ConvertTo-Json output; - reads stdin")
                    ->required(),
                "file");
    auto* kind = cmd->add_option("--kind", args.kind,
                                 "PowerShell JSON only: read every object as this kind instead of telling it from its "
                                 "properties (needed for blocked-number and exempt-number patterns)");
    r.set_choices(kind, powershell_kind_names());
}

}  // namespace

void add_document_commands(Registry& r)
{
    add_export(r);
    auto& ctx = r.context();

    auto apply_args = std::make_shared<DocumentArgs>();
    auto* apply = r.command(&r.root(), "apply", "make the tenant match a document: create, update and (--prune) delete",
                            Needs::tenant_write, "", [&ctx, apply_args] {
                                run_apply(ctx, *apply_args, apply_args->prune ? MergeMode::prune : MergeMode::update);
                            });
    add_input_options(r, apply, *apply_args);
    apply->add_flag("--prune", apply_args->prune,
                    "also delete the objects of each section the file has that the file does not list");
    r.examples(apply, {"csctl export > contoso.yaml", "csctl --tenant lab apply -f contoso.yaml --prune --yes",
                       "csctl apply -f contoso.yaml --dry-run",
                       "# adopt gateways from PowerShell: Get-CsOnlinePSTNGateway | ConvertTo-Json > gw.json",
                       "csctl apply -f gw.json",
                       "csctl apply -f blocked.json --kind blocked-number"});

    auto import_args = std::make_shared<DocumentArgs>();
    auto* import_cmd = r.command(&r.root(), "import",
                             "add the objects of a document to the tenant (never updates or deletes)",
                             Needs::tenant_write, "", [&ctx, import_args] {
                                 run_apply(ctx, *import_args, MergeMode::add);
                             });
    add_input_options(r, import_cmd, *import_args);
    r.examples(import_cmd, {"csctl tenant init lab && csctl --tenant lab import -f contoso.yaml",
                        "csctl import -f routes.json   # Get-CsOnlineVoiceRoute | ConvertTo-Json"});

    auto diff_args = std::make_shared<DocumentArgs>();
    auto* diff = r.command(&r.root(), "diff", "show what `apply -f FILE` would change, object by object",
                           Needs::tenant_read, "", [&ctx, diff_args] { run_diff(ctx, *diff_args); });
    add_input_options(r, diff, *diff_args);
    diff->add_flag("--prune", diff_args->prune, "show the deletes of `apply --prune` too");
    diff->add_flag("--detailed-exitcode", diff_args->detailed_exitcode, "exit 10 when changes are pending (0 when none)");
    r.examples(diff, {"csctl diff -f contoso.yaml --prune", "csctl diff -f contoso.yaml --detailed-exitcode -o json"});
}

}  // namespace csctl
