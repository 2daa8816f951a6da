// The PowerShell subset `csctl ps` reads: one cmdlet per statement with named parameters
// (-Name value, -Name:value) and positional values. Values are bare words, single- or
// double-quoted strings (typographic quotes too), $true/$false/$null, comma lists, @(…) arrays and
// @{Add=…; Remove=…; Replace=…} modifiers. Statements end at a newline or ';'; a backtick at the end
// of a line, or a trailing comma, continues it; '#' and <# #> are comments; "PS C:\>" prompts are
// skipped. Everything else (pipelines, variables, script blocks, loops, redirection) is refused with
// the file, line and column, before anything runs. Pure: no store, no printing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace csctl {

struct PsLocation {
    std::size_t line = 0;    // 1-based
    std::size_t column = 0;  // 1-based, in characters
};

struct PsValue {
    enum class Kind { text, boolean, null, list, modifiers };
    Kind kind = Kind::text;
    std::string text;                    // text; "true" or "false" for a boolean
    std::vector<std::string> items;      // list (also @(…)); items are text ($true → "true")
    // @{Add=…; Remove=…; Replace=…} in the order written; keys spelled Add, Remove, Replace.
    std::vector<std::pair<std::string, std::vector<std::string>>> modifiers;
    PsLocation at;
};

// A parameter (-Name, or -Name:value) or a positional value, in the order written.
struct PsElement {
    bool parameter = false;
    std::string name;                    // parameter name without its dash
    std::optional<PsValue> value;        // a positional value; a parameter's -Name:value
    PsLocation at;
};

struct PsCommand {
    std::string cmdlet;                  // as written (New-CsOnlineVoiceRoute)
    std::vector<PsElement> elements;
    PsLocation at;
};

// Parses a whole script. Throws a usage error "SOURCE:LINE:COLUMN: message" at the first
// unsupported construct or syntax error. source names the script in messages.
std::vector<PsCommand> parse_ps_script(std::string_view text, const std::string& source);

// "SOURCE:LINE:COLUMN" (or "SOURCE:LINE" without a column).
std::string ps_where(const std::string& source, PsLocation at, bool with_column = true);

}  // namespace csctl
