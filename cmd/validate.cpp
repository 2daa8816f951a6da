// validate: the whole-tenant lint.
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/lint.hpp"

namespace csctl {

void add_validate_commands(Registry& r)
{
    auto& ctx = r.context();
    r.command(&r.root(), "validate", "lint the whole tenant: findings with severity; exit 2 when there is an error",
              Needs::tenant_read, "", [&ctx] {
                  auto store = ctx.open(SqliteTenant::Mode::read_only);
                  auto findings = lint_tenant(*store);
                  Json out = Json::array();
                  std::size_t errors = 0;
                  for (const auto& f : findings) {
                      out.push_back(to_json(f));
                      errors += f.severity == "error";
                  }
                  if (!findings.empty() || ctx.format() != Format::table)
                      print_objects(ctx.out(), ctx.format(), out,
                                    {{"severity", "Severity"}, {"rule", "Rule"}, {"object", "Object"}, {"message", "Message"}});
                  auto summary = std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") +
                                 std::to_string(findings.size() - errors) +
                                 (findings.size() - errors == 1 ? " warning" : " warnings");
                  if (errors > 0)
                      throw usage_error("validate: " + summary);
                  ctx.note("validate: " + summary);
              });
}

}  // namespace csctl
