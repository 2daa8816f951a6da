// ps: runs Teams voice cmdlets written in PowerShell syntax (a line, or a script file) as one
// change, or translates them into csctl commands.
#include "cmd/bulk.hpp"
#include "cmd/change.hpp"
#include "cmd/document_text.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/ps_cmdlets.hpp"
#include "core/ps_parse.hpp"
#include "core/text.hpp"

namespace csctl {

namespace {

struct PsArgs {
    std::vector<std::string> line;
    std::string file;
    bool translate = false;
    bool list = false;
};

void print_outputs(Context& ctx, const std::vector<PsOutput>& outputs)
{
    auto format = ctx.format();
    if (outputs.empty())
        return;
    if (format == Format::json || format == Format::yaml) {
        if (outputs.size() == 1) {
            print_document(ctx.out(), format, outputs.front().value);
            return;
        }
        Json all = Json::array();
        for (const auto& o : outputs)
            all.push_back(Json{{"cmdlet", o.cmdlet}, {"at", o.where}, {"output", o.value}});
        print_document(ctx.out(), format, all);
        return;
    }
    // Like PowerShell's default view of these objects: a "Name : value" block per object.
    auto shown = format == Format::table ? Format::list : format;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const auto& o = outputs[i];
        if (outputs.size() > 1 && format != Format::csv)
            ctx.out() << (i ? "\n" : "") << "# " << o.where << " " << o.cmdlet << "\n";
        auto objects = o.value.is_array() ? o.value : Json::array({o.value});
        if (objects.empty() && format != Format::csv)
            ctx.out() << "(none)\n";
        else
            print_objects(ctx.out(), shown, objects, {});
    }
}

}  // namespace

void add_ps_commands(Registry& r)
{
    auto& ctx = r.context();
    auto args = std::make_shared<PsArgs>();
    auto* cmd = r.command(&r.root(), "ps", "run Teams voice cmdlets in PowerShell syntax (a line or a script) as one change",
                          Needs::tenant_write, "the Teams voice cmdlets (csctl ps --list)", [&ctx, args] {
                              if (args->list) {
                                  for (const auto& name : ps_cmdlet_names())
                                      ctx.out() << name << "\n";
                                  return;
                              }
                              if (args->line.empty() == args->file.empty())
                                  throw usage_error("ps: give either a cmdlet line ('New-CsOnlineVoiceRoute -Identity …') "
                                                    "or -f SCRIPT.ps1");
                              std::string text, source;
                              if (args->file.empty()) {
                                  text = join(args->line, " ");
                                  source = "command line";
                              } else {
                                  source = args->file == "-" ? std::string("stdin") : args->file;
                                  text = utf8_text(read_input_file(args->file), source);
                              }
                              // Parse and bind everything first: an error anywhere stops before any change.
                              auto steps = bind_ps_script(parse_ps_script(text, source), source);
                              if (steps.empty())
                                  throw usage_error("ps: " + source + " has no cmdlets");
                              if (args->translate) {
                                  for (const auto& step : steps)
                                      for (const auto& line : step.csctl)
                                          ctx.out() << line << "\n";
                                  return;
                              }
                              bool reads_only = true;
                              for (const auto& step : steps)
                                  reads_only = reads_only && step.reads_only;
                              if (reads_only) {
                                  // Get and Test cmdlets alone: no change, and a read-only tenant will do.
                                  auto store = ctx.open(SqliteTenant::Mode::read_only);
                                  Notes notes;
                                  auto outputs = run_ps_steps(*store, steps, notes);
                                  for (const auto& w : notes.warnings)
                                      ctx.warn(w);
                                  print_outputs(ctx, outputs);
                                  return;
                              }
                              std::string question;
                              for (const auto& step : steps)
                                  if (step.destructive && question.empty())
                                      question = "Run " + source + "? " + step.where + " (" + step.cmdlet + ") " +
                                                 (step.cmdlet.starts_with("Grant-") ? "changes the tenant-wide default."
                                                                                    : "removes objects.");
                              std::vector<PsOutput> outputs;
                              auto result = run_change(
                                  ctx, [&](TenantStore& s, Notes& n) { outputs = run_ps_steps(s, steps, n); }, question);
                              print_outputs(ctx, outputs);
                              if (result.changed() && !ctx.globals.dry_run)
                                  ctx.note("ran " + std::to_string(steps.size()) + (steps.size() == 1 ? " cmdlet" : " cmdlets") +
                                           " from " + source + " as one change");
                          });
    cmd->add_option("line", args->line, "the cmdlet line, quoted for the shell: 'Set-CsOnlinePstnUsage -Usage @{Add=\"US\"}'");
    r.completes(cmd->add_option("-f,--file", args->file, "a PowerShell script of cmdlets (- reads stdin)"), "file");
    cmd->add_flag("--translate", args->translate, "print the equivalent csctl commands instead of running anything");
    cmd->add_flag("--list", args->list, "list the cmdlets csctl runs");
    r.examples(cmd, {"csctl ps 'Set-CsOnlinePstnUsage -Identity Global -Usage @{Add=\"US and Canada\"}'",
                     "csctl ps 'New-CsOnlineVoiceRoute -Identity \"Redmond 1\" -NumberPattern \"^\\+1(425|206)(\\d{7})$\" "
                     "-OnlinePstnGatewayList sbc1.contoso.com, sbc2.contoso.com -Priority 1 -OnlinePstnUsages \"US and Canada\"'",
                     "# a whole script, as one change (nothing is applied when any line fails)",
                     "csctl ps -f direct-routing.ps1",
                     "csctl ps -f direct-routing.ps1 --dry-run",
                     "# the same as csctl commands",
                     "csctl ps --translate -f direct-routing.ps1",
                     "csctl ps 'Get-CsOnlineVoiceRoute' -o json"});
}

}  // namespace csctl
