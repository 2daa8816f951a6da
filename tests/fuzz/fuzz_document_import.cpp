// libFuzzer target: the document importer of `apply`/`import`/`diff` (text → JSON or YAML →
// csctl's schema or PowerShell JSON → the merged desired state), and the direct reader of csctl
// JSON documents against it. Any exception other than csctl::Error (a clean rejection of bad
// input) is a finding, and so is a document the direct reader reads otherwise than the tree.
#include "cmd/document_text.hpp"
#include "core/adopt.hpp"
#include "core/error.hpp"
#include "core/model.hpp"
#include "core/module.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace csctl;
    if (size > 64 * 1024)
        return 0;
    static const bool module_loaded = module_symbol("csctl-json.so", "csctl_json_parse") != nullptr;
    if (!module_loaded)
        __builtin_trap();  // the direct reader would never run: build csctl-json.so beside this target
    std::string text(reinterpret_cast<const char*>(data), size);
    std::optional<AdoptedDocument> direct;
    bool direct_refused = false;
    try {
        direct = adopt_csctl_json_text(text, {"fuzz", ""});
    } catch (const Error&) {
        direct_refused = true;
    }
    try {
        auto input = parse_document_text(text, "fuzz");
        auto file = adopt_document(input, {"fuzz", ""});
        if (direct_refused || (direct && !(to_json(direct->document) == to_json(file.document) &&
                                           direct->sections == file.sections && direct->objects == file.objects)))
            __builtin_trap();
        for (auto mode : {MergeMode::add, MergeMode::update, MergeMode::prune}) {
            auto desired = merged_document(TenantDocument{}, file, mode);
            merged_document(desired, file, mode);  // over a tenant that has the objects already
        }
    } catch (const Error&) {
        if (direct)
            __builtin_trap();  // the direct reader took what the tree refuses
    }
    return 0;
}
