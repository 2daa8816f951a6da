// libFuzzer target: the document importer of `apply`/`import`/`diff` (text → JSON or YAML →
// csctl's schema or PowerShell JSON → the merged desired state). Any exception other than
// csctl::Error (a clean rejection of bad input) is a finding.
#include "cmd/document_text.hpp"
#include "core/adopt.hpp"
#include "core/error.hpp"
#include "core/model.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace csctl;
    if (size > 64 * 1024)
        return 0;
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto input = parse_document_text(text, "fuzz");
        auto file = adopt_document(input, {"fuzz", ""});
        for (auto mode : {MergeMode::add, MergeMode::update, MergeMode::prune}) {
            auto desired = merged_document(TenantDocument{}, file, mode);
            merged_document(desired, file, mode);  // over a tenant that has the objects already
        }
    } catch (const Error&) {
    }
    return 0;
}
