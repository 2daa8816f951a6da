// Field-by-field differences between two JSON forms of an object, for dry runs, the journal
// and plans.
#pragma once

#include "core/json.hpp"

#include <string>
#include <vector>

namespace csctl {

struct FieldDiff {
    std::string key;
    Json before;
    Json after;
};

std::vector<FieldDiff> diff_fields(const Json& before, const Json& after);
// "create", "update", "delete" (or "unchanged") for a before/after pair.
std::string change_action(const Json& before, const Json& after);
// A value as a person reads it in a diff: strings bare, lists comma-separated, null as "(none)".
std::string display_value(const Json& value);

}  // namespace csctl
