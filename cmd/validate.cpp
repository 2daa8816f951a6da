// validate: the whole-tenant lint.
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/lint.hpp"
#include "core/lint_routing.hpp"
#include "core/text.hpp"

namespace csctl {

void add_validate_commands(Registry& r)
{
    auto& ctx = r.context();
    r.command(&r.root(), "validate", "lint the whole tenant: findings with severity; exit 2 when there is an error",
              Needs::tenant_read, "", [&ctx] {
                  auto store = ctx.open(SqliteTenant::Mode::read_only);
                  auto findings = lint_tenant(*store);
                  // The routing rules: shadowed routes, unused usages, all-disabled gateways …
                  for (const auto& f : lint_routing(store->document()))
                      findings.push_back({f.severity, "routing", f.kind + " " + quote(f.identity), f.message});
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
    r.examples("validate", {"csctl validate", "csctl validate -o json | jq '.[] | select(.severity == \"error\")'"});
}

}  // namespace csctl
