// Validation of the names and numbers that objects carry: DNS names, domains, country codes, E.164.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace csctl {

// Why text is not a valid DNS name (at most max_length characters), or nullopt when it is.
std::optional<std::string> dns_name_problem(std::string_view text, std::size_t max_length = 253);
// "sbc1.contoso.com" → "contoso.com"; "" when there is no parent.
std::string parent_domain(std::string_view fqdn);
bool is_country_code(std::string_view text);        // an ISO 3166-1 alpha-2 code, in capitals ("GB", not "UK")
bool is_e164(std::string_view text);                // + and 7–15 digits, first digit not 0
bool is_guid(std::string_view text);

}  // namespace csctl
