// Rendering data for people and scripts: -o table|json|yaml|csv|list. Data goes to stdout;
// messages go to stderr through Context.
#pragma once

#include "core/json.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace csctl {

enum class Format { table, json, yaml, csv, list };

Format parse_format(const std::string& text);
const std::vector<std::string>& format_names();

struct Column {
    std::string key;        // JSON key
    std::string header;     // table header
};

// Prints a JSON array of objects. Table shows the given columns (all keys when empty); list shows
// every key as "Name : value" blocks; csv has a header row of the JSON keys.
void print_objects(std::ostream& out, Format format, const Json& objects, const std::vector<Column>& columns);
// Prints one document (export, route test): JSON or YAML; table and list fall back to YAML.
void print_document(std::ostream& out, Format format, const Json& document);

std::string to_yaml(const Json& value);
Json yaml_to_json(const std::string& text, const std::string& source);
// "ipAddressVersion" → "IpAddressVersion"
std::string pascal_case(const std::string& key);

}  // namespace csctl
