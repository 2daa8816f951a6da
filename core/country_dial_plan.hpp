// The country dial plan Teams applies when no tenant normalization rule matches: a national (or
// internationally prefixed) number dialed in the user's UsageLocation becomes E.164. Backed by
// libphonenumber's metadata.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace csctl {

// "4255550100" in "US" → "+14255550100"; "02079460000" in "GB" → "+442079460000";
// "011442079460000" in "US" → "+442079460000". nullopt when the number is not a possible
// number of that country (short codes, partial numbers, an unknown country).
std::optional<std::string> country_normalize(std::string_view number, std::string_view country);

}  // namespace csctl
