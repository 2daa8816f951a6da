#include "core/country_dial_plan.hpp"

#include "core/module.hpp"

namespace csctl {

std::optional<std::string> country_normalize(std::string_view number, std::string_view country)
{
    if (number.empty() || country.size() != 2)
        return std::nullopt;
    for (char c : number)
        if (!((c >= '0' && c <= '9') || (c == '+' && &c == number.data())))
            return std::nullopt;
    // libphonenumber's metadata lives in the phone module, loaded only when a call needs it.
    using Fn = int (*)(const char* number, const char* region, char* out, unsigned long out_size);
    static auto fn = reinterpret_cast<Fn>(module_symbol("csctl-phone.so", "csctl_phone_country_normalise"));
    if (!fn)
        return std::nullopt;
    char out[64];
    if (fn(std::string(number).c_str(), std::string(country).c_str(), out, sizeof out) != 0)
        return std::nullopt;
    return std::string(out);
}

}  // namespace csctl
