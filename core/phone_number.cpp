#include "core/phone_number.hpp"

#include "core/error.hpp"
#include "core/module.hpp"
#include "core/names.hpp"
#include "core/text.hpp"

#include <unistd.h>

#include <array>

namespace csctl {

namespace {

std::size_t g_slow_parses = 0;

bool all_digits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// The base number and the extension digits ("" when none) of "N;ext=E".
bool split_extension(std::string_view text, std::string_view& base, std::string_view& extension)
{
    auto at = text.find(';');
    if (at == std::string_view::npos) {
        base = text;
        extension = {};
        return true;
    }
    base = text.substr(0, at);
    auto rest = text.substr(at + 1);
    if (rest.size() < 5 || !iequals(rest.substr(0, 4), "ext="))
        return false;
    extension = rest.substr(4);
    return true;
}

// The entry point of the libphonenumber module (phone/libphonenumber_module.cpp).
using NormaliseFn = int (*)(const char* text, const char* region, char* out, unsigned long out_size);

NormaliseFn load_module()
{
    return reinterpret_cast<NormaliseFn>(module_symbol("csctl-phone.so", "csctl_phone_normalise"));
}

}  // namespace

std::size_t slow_path_parses() { return g_slow_parses; }

bool is_canonical_phone_number(std::string_view text)
{
    std::string_view base, extension;
    if (!split_extension(text, base, extension))
        return false;
    if (!extension.empty() && (!all_digits(extension) || extension.size() > 15))
        return false;
    if (!base.empty() && base[0] == '+')
        return is_e164(base);
    return all_digits(base) && base.size() <= 15;
}

std::string normalise_phone_number(std::string_view raw, std::string_view region, const std::string& owner, bool check_e164)
{
    auto text = trim(raw);
    if (text.size() > 4 && iequals(std::string_view(text).substr(0, 4), "tel:"))
        text = trim(text.substr(4));
    const auto what = owner + ": PhoneNumber " + quote(std::string(raw));
    if (text.empty())
        throw usage_error(owner + ": PhoneNumber is empty");
    if (text.size() > 64)
        throw usage_error(what + " is longer than 64 characters");
    if (is_canonical_phone_number(text) && !(check_e164 && text[0] == '+')) {
        // ";EXT=" is accepted; stored with the lower-case spelling.
        if (auto at = text.find(';'); at != std::string::npos)
            text = text.substr(0, at) + ";ext=" + text.substr(at + 5);
        return text;
    }
    std::string_view base, extension;
    if (split_extension(text, base, extension) && !extension.empty() && !all_digits(extension))
        throw usage_error(what + ": the extension must be digits (;ext=1234)");
    auto fn = load_module();
    if (!fn)
        throw Error(ExitCode::internal, what + " needs parsing, but the phone number module csctl-phone.so was not found "
                                               "next to csctl or in its lib/csctl directory; reinstall csctl, or give the "
                                               "number in E.164 form (+14255550100)");
    ++g_slow_parses;
    std::array<char, 256> out{};
    std::string region_code = region.empty() ? std::string("ZZ") : std::string(region);
    int rc = fn(text.c_str(), region_code.c_str(), out.data(), out.size());
    std::string result(out.data());
    if (rc != 0) {
        if (region.empty() && text[0] != '+' && rc == 2)
            throw usage_error(what + " " + result + "; give it in E.164 form (+14255550100) or set the user's UsageLocation");
        throw usage_error(what + " " + result);
    }
    return result;
}

}  // namespace csctl
