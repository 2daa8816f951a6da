#include "core/country_dial_plan.hpp"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

namespace csctl {

namespace {

const i18n::phonenumbers::PhoneNumberUtil& util()
{
    static const i18n::phonenumbers::PhoneNumberUtil* instance = [] {
        auto* u = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
        u->SetLogger(new i18n::phonenumbers::NullLogger());  // the library would log parse failures to stdout
        return u;
    }();
    return *instance;
}

}  // namespace

std::optional<std::string> country_normalize(std::string_view number, std::string_view country)
{
    if (number.empty() || country.size() != 2)
        return std::nullopt;
    for (char c : number)
        if (!((c >= '0' && c <= '9') || (c == '+' && &c == number.data())))
            return std::nullopt;
    const auto& u = util();
    i18n::phonenumbers::PhoneNumber parsed;
    if (u.Parse(std::string(number), std::string(country), &parsed) !=
        i18n::phonenumbers::PhoneNumberUtil::NO_PARSING_ERROR)
        return std::nullopt;
    if (!u.IsPossibleNumber(parsed))
        return std::nullopt;
    std::string out;
    u.Format(parsed, i18n::phonenumbers::PhoneNumberUtil::E164, &out);
    return out;
}

}  // namespace csctl
