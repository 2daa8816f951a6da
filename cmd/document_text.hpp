// The text of a tenant document file as JSON: JSON (what `export -o json` and PowerShell's
// ConvertTo-Json write, UTF-8 or UTF-16 with a byte order mark) or YAML.
#pragma once

#include "core/json.hpp"

#include <string>

namespace csctl {

// A file's text as UTF-8: UTF-16 with a byte order mark (Windows PowerShell 5.1's `>` and
// Out-File) converted, a UTF-8 byte order mark dropped.
std::string utf8_text(const std::string& raw, const std::string& source);
// Throws a usage error "SOURCE:LINE:COLUMN: what" for a syntax error.
Json parse_document_text(const std::string& text, const std::string& source);
// The file's bytes ("-": standard input); a missing file is a not-found error.
std::string read_document_file(const std::string& path);

}  // namespace csctl
