// export: the whole tenant as one YAML or JSON document (the schema of `get -o json`).
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <fstream>
#include <sstream>

namespace csctl {

namespace {
struct ExportArgs {
    std::string file;
    std::string format;
};
}  // namespace

void add_document_commands(Registry& r)
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

}  // namespace csctl
