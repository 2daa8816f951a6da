// The text of a tenant document file as JSON: JSON (what `export -o json` and PowerShell's
// ConvertTo-Json write, UTF-8 or UTF-16 with a byte order mark) or YAML.
#pragma once

#include "core/json.hpp"

#include <string>

namespace csctl {

// Throws a usage error "SOURCE:LINE:COLUMN: what" for a syntax error.
Json parse_document_text(const std::string& text, const std::string& source);
// The file's bytes ("-": standard input); a missing file is a not-found error.
std::string read_document_file(const std::string& path);

}  // namespace csctl
