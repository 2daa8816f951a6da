#include "core/diff.hpp"

namespace csctl {

std::vector<FieldDiff> diff_fields(const Json& before, const Json& after)
{
    std::vector<FieldDiff> out;
    if (!before.is_object() || !after.is_object()) {
        if (before != after)
            out.push_back({"", before, after});
        return out;
    }
    for (const auto& [key, value] : after.items()) {
        auto it = before.find(key);
        Json old = it == before.end() ? Json(nullptr) : *it;
        if (old != value)
            out.push_back({key, old, value});
    }
    for (const auto& [key, value] : before.items())
        if (!after.contains(key))
            out.push_back({key, value, nullptr});
    return out;
}

std::string change_action(const Json& before, const Json& after)
{
    if (before.is_null() && after.is_null())
        return "unchanged";
    if (before.is_null())
        return "create";
    if (after.is_null())
        return "delete";
    return before == after ? "unchanged" : "update";
}

std::string display_value(const Json& value)
{
    if (value.is_null())
        return "(none)";
    if (value.is_string())
        return value.get<std::string>().empty() ? "\"\"" : value.get<std::string>();
    if (value.is_array()) {
        if (value.empty())
            return "(empty)";
        std::string out;
        for (const auto& item : value) {
            if (!out.empty())
                out += ", ";
            out += item.is_string() ? item.get<std::string>() : item.dump();
        }
        return out;
    }
    return value.dump();
}

}  // namespace csctl
