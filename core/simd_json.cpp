#include "core/simd_json.hpp"

#include "core/module.hpp"

namespace csctl {

std::optional<SimdDocument> SimdDocument::parse(std::string_view text, unsigned long max_depth)
{
    using ParseFn = const void* (*)(const char* text, unsigned long size, unsigned long max_depth, void** parser);
    auto parse_text = reinterpret_cast<ParseFn>(module_symbol("csctl-json.so", "csctl_json_parse"));
    auto free_parser = reinterpret_cast<FreeFn>(module_symbol("csctl-json.so", "csctl_json_free"));
    if (!parse_text || !free_parser)
        return std::nullopt;
    void* parser = nullptr;
    const auto* parsed =
        static_cast<const simdjson::dom::document*>(parse_text(text.data(), text.size(), max_depth, &parser));
    if (!parsed)
        return std::nullopt;
    return SimdDocument(parser, free_parser, parsed->root());
}

}  // namespace csctl
