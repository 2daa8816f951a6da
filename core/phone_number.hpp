// Phone numbers as users are assigned them: E.164 out (";ext=N" kept), human formats in.
// Canonical E.164 text takes a fast path; anything else is parsed and checked for validity in
// its country by libphonenumber, which lives in a module loaded only when such a number appears
// (linking it would cost every command its start-up time).
#pragma once

#include <string>
#include <string_view>

namespace csctl {

// The number as stored: "+14255550100", "+14255551297;ext=51297", or a bare digit string (a
// non-E.164 number, kept as given). A leading "tel:" is stripped. region (the user's
// UsageLocation) reads national numbers such as "(425) 555-0100". Throws a usage error naming
// owner and the field: "user "x": PhoneNumber "+1 425" is too short".
std::string normalise_phone_number(std::string_view text, std::string_view region, const std::string& owner);

// True when text is already stored form and needs no parsing: canonical E.164 or a digit
// string, each with an optional ";ext=" of digits.
bool is_canonical_phone_number(std::string_view text);

// How many numbers went through libphonenumber in this process (benchmarks report it).
std::size_t slow_path_parses();

}  // namespace csctl
