// libFuzzer target: the PowerShell-line parser of `csctl ps`. Any input either parses or is
// refused with a usage error naming a line and column inside the input; nothing else may happen.
#include "core/error.hpp"
#include "core/ps_parse.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t lines = 1;
    for (char c : text)
        lines += c == '\n';
    try {
        auto commands = csctl::parse_ps_script(text, "fuzz");
        for (const auto& cmd : commands) {
            if (cmd.cmdlet.find('-') == std::string::npos || cmd.at.line < 1 || cmd.at.line > lines)
                std::abort();
            for (const auto& e : cmd.elements) {
                if (e.at.line < cmd.at.line || e.at.line > lines || e.at.column < 1)
                    std::abort();
                if (!e.parameter && !e.value)
                    std::abort();
            }
        }
    } catch (const csctl::Error& e) {
        if (e.code() != csctl::ExitCode::usage || std::string_view(e.what()).substr(0, 5) != "fuzz:")
            std::abort();
    }
    return 0;
}
