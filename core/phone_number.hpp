// Phone numbers as users are assigned them: E.164 out (";ext=N" kept), human formats in.
// Canonical text (E.164, or a bare digit string) takes a fast path unless the caller asks for
// E.164 to be checked too; anything else is parsed and checked for validity in its country by
// libphonenumber, which lives in a module loaded only when such a number appears (linking it would
// cost every command its start-up time).
#pragma once

#include <string>
#include <string_view>

namespace csctl {

// The number as stored: "+14255550100", "+14255551297;ext=51297", or a bare digit string (a
// non-E.164 number, kept as given). A leading "tel:" is stripped. region (the user's
// UsageLocation) reads national numbers such as "(425) 555-0100". Throws a usage error naming
// owner and the field: "user "x": PhoneNumber "+1 425" is too short".
// With check_e164, a number already in E.164 is checked too (libphonenumber: a valid number of its
// country): what `user-enable UPN` does; the bulk paths keep the fast path for such text (parsing
// costs tens of microseconds a number).
std::string normalise_phone_number(std::string_view text, std::string_view region, const std::string& owner,
                                   bool check_e164 = false);

// True when text is already stored form and needs no parsing: canonical E.164 or a digit
// string, each with an optional ";ext=" of digits.
bool is_canonical_phone_number(std::string_view text);

// How many numbers went through libphonenumber in this process (benchmarks report it).
std::size_t slow_path_parses();

}  // namespace csctl
