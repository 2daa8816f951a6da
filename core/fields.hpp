// The editable fields of each object kind: what the command line offers as options, how a value
// typed by the user becomes a JSON value, and how an edit (set fields, add/remove list items) is
// applied to an object's JSON form. Help, man pages and completion read the same tables.
#pragma once

#include "core/json.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace csctl {

enum class FieldType {
    text,             // free text; "" or $null clears
    flag,             // boolean: --enabled, --enabled=false
    integer,
    optional_integer, // integer or "null"
    enumeration,      // one of values (case-insensitive in, canonical spelling out)
    optional_enumeration,
    text_list,        // comma-separated list, replaced whole; items added/removed with --add-X/--remove-X
    integer_list,
};

struct FieldSpec {
    std::string property;               // PowerShell parameter: SipSignalingPort
    std::string key;                    // JSON key: sipSignalingPort
    std::string option;                 // long option: sip-signaling-port
    FieldType type = FieldType::text;
    std::string help;
    std::vector<std::string> values;    // enumeration values
    std::vector<std::string> aliases;   // more long options: usages
    std::string item;                   // list item noun for --add-ITEM / --remove-ITEM
    bool create_only = false;           // offered by new, not by set
    std::string names;                  // kind of object the values name ("usage"): completes them
};

// A change to one object, as the command line (or a document) asked for it.
struct Edit {
    Json set = Json::object();                                // key → typed value
    std::map<std::string, std::vector<std::string>> add;      // list key → items to append
    std::map<std::string, std::vector<std::string>> remove;   // list key → items to drop
    bool empty() const { return set.empty() && add.empty() && remove.empty(); }
};

// Converts what the user typed into the field's JSON value; throws a usage error naming
// owner and field ("online pstn gateway "x": SipSignalingPort "abc" is not an integer").
Json parse_field(const FieldSpec& field, std::string_view text, const std::string& owner);

// Sets the edited fields of object and applies the list modifiers (adding an item already in the
// list is a no-op; removing one that is not there is an error naming it). Items are compared
// case-insensitively.
void apply_edit(Json& object, const Edit& edit, const std::vector<FieldSpec>& fields, const std::string& owner);

const FieldSpec* find_field(const std::vector<FieldSpec>& fields, std::string_view key);

// Parsing of the scalar types, shared with every other reader of user input.
bool parse_bool(std::string_view text, const std::string& what);
long long parse_integer(std::string_view text, const std::string& what);

}  // namespace csctl
