// libFuzzer target: the change-set reader of `csctl serve` (the body of POST …/changes, read from
// its text with simdjson) against the tree's reader, plan_from_json. A change set the direct
// reader takes must be one the tree takes, with the same operations (a user created read into the
// same user), and what push writes of those operations must read back the same. Any exception out
// of the direct reader is a finding: it answers nullopt for everything it does not take.
#include "core/error.hpp"
#include "core/model.hpp"
#include "core/module.hpp"
#include "core/plan.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace csctl;

// One operation as JSON, with a user created from the model written as the tree reads it.
Json comparable(const PlanOp& op)
{
    Json after = op.after;
    if (op.user)
        after = to_json(*op.user);
    else if (op.kind == kind::user && op.action == "create")
        after = to_json(user_from_json(op.after, op.identity));  // throws: the direct reader took a bad user
    return Json{{"action", op.action}, {"kind", op.kind}, {"identity", op.identity}, {"before", op.before}, {"after", after}};
}

bool same(const std::vector<PlanOp>& a, const std::vector<PlanOp>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (comparable(a[i]) != comparable(b[i]))
            return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > 64 * 1024)
        return 0;
    static const bool module_loaded = module_symbol("csctl-json.so", "csctl_json_parse") != nullptr;
    if (!module_loaded)
        __builtin_trap();  // the direct reader would never run: build csctl-json.so beside this target
    std::string text(reinterpret_cast<const char*>(data), size);
    auto direct = change_set_from_text(text);
    if (!direct)
        return 0;
    try {
        auto body = Json::parse(text);
        auto tree = plan_from_json(std::move(body.at("operations")));
        if (!same(*direct, tree))
            __builtin_trap();
        auto again = change_set_from_text(change_set_text(*direct));
        if (!again || !same(*again, *direct))
            __builtin_trap();
    } catch (const std::exception&) {
        __builtin_trap();  // the direct reader took what the tree refuses
    }
    return 0;
}
