#include "core/fields.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <charconv>

namespace csctl {

namespace {

bool is_null_word(std::string_view text)
{
    auto t = trim(text);
    return t.empty() || iequals(t, "null") || iequals(t, "$null");
}

std::string field_name(const FieldSpec& field, const std::string& owner)
{
    return owner + ": " + field.property;
}

}  // namespace

bool parse_bool(std::string_view text, const std::string& what)
{
    auto t = trim(text);
    if (iequals(t, "true") || iequals(t, "$true") || t == "1" || iequals(t, "yes"))
        return true;
    if (iequals(t, "false") || iequals(t, "$false") || t == "0" || iequals(t, "no"))
        return false;
    throw usage_error(what + " " + quote(std::string(text)) + " is not a boolean (use true or false)");
}

long long parse_integer(std::string_view text, const std::string& what)
{
    auto t = trim(text);
    long long value = 0;
    const char* begin = t.data();
    const char* end = t.data() + t.size();
    if (!t.empty() && *begin == '+')
        ++begin;
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (t.empty() || ec != std::errc() || ptr != end)
        throw usage_error(what + " " + quote(std::string(text)) + " is not an integer");
    return value;
}

Json parse_field(const FieldSpec& field, std::string_view text, const std::string& owner)
{
    const auto what = field_name(field, owner);
    switch (field.type) {
    case FieldType::text:
        return iequals(trim(text), "$null") ? Json("") : Json(std::string(text));
    case FieldType::flag:
        return parse_bool(text, what);
    case FieldType::integer: {
        auto v = parse_integer(text, what);
        if (v < INT32_MIN || v > INT32_MAX)
            throw usage_error(what + " " + quote(std::string(text)) + " is out of range");
        return static_cast<int>(v);
    }
    case FieldType::optional_integer: {
        if (is_null_word(text))
            return nullptr;
        auto v = parse_integer(text, what);
        if (v < INT32_MIN || v > INT32_MAX)
            throw usage_error(what + " " + quote(std::string(text)) + " is out of range");
        return static_cast<int>(v);
    }
    case FieldType::enumeration:
    case FieldType::optional_enumeration: {
        if (field.type == FieldType::optional_enumeration && is_null_word(text))
            return nullptr;
        for (const auto& v : field.values)
            if (iequals(v, trim(text)))
                return v;
        throw usage_error(what + " " + quote(std::string(text)) + " is not one of " + join(field.values, ", "));
    }
    case FieldType::text_list:
        return split_list(text);
    case FieldType::integer_list: {
        Json list = Json::array();
        for (const auto& item : split_list(text)) {
            auto v = parse_integer(item, what);
            if (v < INT32_MIN || v > INT32_MAX)
                throw usage_error(what + " " + quote(item) + " is out of range");
            list.push_back(static_cast<int>(v));
        }
        return list;
    }
    }
    return nullptr;
}

const FieldSpec* find_field(const std::vector<FieldSpec>& fields, std::string_view key)
{
    for (const auto& f : fields)
        if (f.key == key)
            return &f;
    return nullptr;
}

void apply_edit(Json& object, const Edit& edit, const std::vector<FieldSpec>& fields, const std::string& owner)
{
    for (const auto& [key, value] : edit.set.items())
        object[key] = value;
    auto property = [&](const std::string& key) {
        const auto* f = find_field(fields, key);
        return f ? f->property : key;
    };
    for (const auto& [key, items] : edit.remove) {
        auto list = object.value(key, Json::array()).get<std::vector<std::string>>();
        for (const auto& item : items) {
            auto at = find_identity(list, item);
            if (at < 0)
                throw usage_error(owner + ": " + property(key) + " does not contain " + quote(item) +
                                  (list.empty() ? std::string(" (the list is empty)") : " (it has " + quoted_list(list) + ")"));
            list.erase(list.begin() + at);
        }
        object[key] = list;
    }
    for (const auto& [key, items] : edit.add) {
        auto list = object.value(key, Json::array()).get<std::vector<std::string>>();
        for (const auto& item : items)
            if (find_identity(list, item) < 0)
                list.push_back(item);
        object[key] = list;
    }
}

}  // namespace csctl
