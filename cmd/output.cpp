#include "cmd/output.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <ostream>

namespace csctl {

const std::vector<std::string>& format_names()
{
    static const std::vector<std::string> names{"table", "json", "yaml", "csv", "list"};
    return names;
}

Format parse_format(const std::string& text)
{
    const auto& names = format_names();
    for (std::size_t i = 0; i < names.size(); ++i)
        if (iequals(names[i], text))
            return static_cast<Format>(i);
    throw usage_error("output format " + quote(text) + " is not one of " + join(names, ", "));
}

std::string pascal_case(const std::string& key)
{
    std::string out = key;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
        out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

namespace {

std::string cell(const Json& value, const char* list_separator)
{
    if (value.is_null())
        return "";
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_array()) {
        std::string out;
        for (const auto& item : value) {
            if (!out.empty())
                out += list_separator;
            out += item.is_string() ? item.get<std::string>() : item.dump();
        }
        return out;
    }
    if (value.is_object())
        return value.dump();
    return value.dump();
}

std::string csv_escape(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::size_t display_width(const std::string& s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;  // count UTF-8 code points, not bytes
    return n;
}

void emit(YAML::Emitter& out, const Json& j)
{
    switch (j.type()) {
    case Json::value_t::object:
        out << YAML::BeginMap;
        for (const auto& [key, value] : j.items()) {
            out << YAML::Key << key << YAML::Value;
            emit(out, value);
        }
        out << YAML::EndMap;
        break;
    case Json::value_t::array:
        out << (j.empty() ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
        for (const auto& item : j)
            emit(out, item);
        out << YAML::EndSeq;
        break;
    case Json::value_t::null:
        out << YAML::Null;
        break;
    case Json::value_t::string: {
        // Quote strings that YAML would read back as another type (true, 123, null, "").
        const auto& s = j.get_ref<const std::string&>();
        auto node = YAML::Load(s.empty() ? std::string("''") : s);
        bool plain_ok = !s.empty() && node.IsScalar() && node.Tag() == "?" && node.as<std::string>() == s;
        if (plain_ok) {
            bool looks_typed = false;
            try {
                (void)node.as<double>();
                looks_typed = true;
            } catch (const YAML::Exception&) {
            }
            looks_typed = looks_typed || iequals(s, "true") || iequals(s, "false") || iequals(s, "null") ||
                          iequals(s, "yes") || iequals(s, "no") || s == "~";
            plain_ok = !looks_typed;
        }
        if (plain_ok)
            out << s;
        else
            out << YAML::DoubleQuoted << s;
        break;
    }
    case Json::value_t::boolean:
        out << j.get<bool>();
        break;
    default:
        out << j.dump();
    }
}

Json from_node(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return nullptr;
    case YAML::NodeType::Sequence: {
        Json out = Json::array();
        for (const auto& item : node)
            out.push_back(from_node(item));
        return out;
    }
    case YAML::NodeType::Map: {
        Json out = Json::object();
        for (const auto& entry : node)
            out[entry.first.as<std::string>()] = from_node(entry.second);
        return out;
    }
    case YAML::NodeType::Scalar: {
        const auto& s = node.Scalar();
        if (node.Tag() == "!")  // quoted: always a string
            return s;
        if (s == "true" || s == "True")
            return true;
        if (s == "false" || s == "False")
            return false;
        if (s == "null" || s == "~" || s.empty())
            return nullptr;
        try {
            std::size_t used = 0;
            long long v = std::stoll(s, &used);
            if (used == s.size())
                return v;
        } catch (const std::logic_error&) {
        }
        return s;
    }
    }
    return nullptr;
}

}  // namespace

std::string to_yaml(const Json& value)
{
    YAML::Emitter out;
    out.SetIndent(2);
    emit(out, value);
    return std::string(out.c_str()) + "\n";
}

Json yaml_to_json(const std::string& text, const std::string& source)
{
    try {
        return from_node(YAML::Load(text));
    } catch (const YAML::ParserException& e) {
        throw usage_error(source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                          ": " + e.msg);
    }
}

void print_document(std::ostream& out, Format format, const Json& document)
{
    if (format == Format::json)
        out << document.dump(2) << "\n";
    else
        out << to_yaml(document);
}

void print_objects(std::ostream& out, Format format, const Json& objects, const std::vector<Column>& wanted)
{
    switch (format) {
    case Format::json:
        out << objects.dump(2) << "\n";
        return;
    case Format::yaml:
        out << to_yaml(objects);
        return;
    case Format::csv: {
        if (objects.empty())
            return;
        std::vector<std::string> keys;
        for (const auto& [key, value] : objects.front().items())
            keys.push_back(key);
        for (std::size_t i = 0; i < keys.size(); ++i)
            out << (i ? "," : "") << csv_escape(keys[i]);
        out << "\n";
        for (const auto& object : objects) {
            for (std::size_t i = 0; i < keys.size(); ++i)
                out << (i ? "," : "") << csv_escape(cell(object.value(keys[i], Json(nullptr)), ";"));
            out << "\n";
        }
        return;
    }
    case Format::list: {
        bool first = true;
        for (const auto& object : objects) {
            if (!first)
                out << "\n";
            first = false;
            std::size_t width = 0;
            for (const auto& [key, value] : object.items())
                width = std::max(width, key.size());
            for (const auto& [key, value] : object.items())
                out << pascal_case(key) << std::string(width - key.size(), ' ') << " : " << cell(value, ", ") << "\n";
        }
        return;
    }
    case Format::table: {
        std::vector<Column> columns = wanted;
        if (columns.empty() && !objects.empty())
            for (const auto& [key, value] : objects.front().items())
                columns.push_back({key, pascal_case(key)});
        std::vector<std::vector<std::string>> rows;
        std::vector<std::size_t> widths;
        for (const auto& c : columns)
            widths.push_back(display_width(c.header));
        for (const auto& object : objects) {
            std::vector<std::string> row;
            for (std::size_t i = 0; i < columns.size(); ++i) {
                row.push_back(cell(object.value(columns[i].key, Json(nullptr)), ", "));
                widths[i] = std::max(widths[i], display_width(row.back()));
            }
            rows.push_back(std::move(row));
        }
        auto print_row = [&](const std::vector<std::string>& row) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                line += row[i];
                if (i + 1 < row.size())
                    line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
            }
            out << line << "\n";
        };
        std::vector<std::string> headers;
        for (const auto& c : columns)
            headers.push_back(c.header);
        print_row(headers);
        for (const auto& row : rows)
            print_row(row);
        return;
    }
    }
}

}  // namespace csctl
