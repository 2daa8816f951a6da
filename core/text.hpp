// Small string helpers shared by every layer: case-insensitive identities, lists, wildcards.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace csctl {

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string trim(std::string_view s);
// Splits "a, b,c" on the separator, trimming each item; empty items are dropped.
std::vector<std::string> split_list(std::string_view s, char separator = ',');
std::string join(const std::vector<std::string>& items, std::string_view separator);
// PowerShell -Filter semantics: '*' any run, '?' one character, case-insensitive.
bool wildcard_match(std::string_view pattern, std::string_view text);
// Position of an identity in a list, compared case-insensitively; -1 when absent.
long find_identity(const std::vector<std::string>& list, std::string_view identity);
// "a", "b" and "c" — for messages that list names.
std::string quoted_list(const std::vector<std::string>& items, std::size_t max_items = 10);

}  // namespace csctl
