// The phone number module: libphonenumber behind one C function, loaded with dlopen by
// core/phone_number.cpp only when a number is not in canonical form.
#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

namespace {

void put(char* out, unsigned long size, const std::string& text)
{
    if (size == 0)
        return;
    std::strncpy(out, text.c_str(), size - 1);
    out[size - 1] = '\0';
}

// The library logs parse failures to stdout unless given a logger: csctl's output is its own.
const i18n::phonenumbers::PhoneNumberUtil* phone_util()
{
    static const auto* instance = [] {
        auto* u = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
        u->SetLogger(new i18n::phonenumbers::NullLogger());
        return u;
    }();
    return instance;
}

}  // namespace

// Writes the E.164 form (";ext=N" appended) to out and returns 0; or writes why the text is not
// a valid number and returns 1 (not valid), 2 (cannot be read as a number), 3 (country unknown).
extern "C" __attribute__((visibility("default"))) int csctl_phone_normalise(const char* text, const char* region,
                                                                             char* out, unsigned long out_size)
{
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const auto* util = phone_util();
    PhoneNumber number;
    switch (util->Parse(text, region, &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
        break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        put(out, out_size, std::string("has no country calling code") +
                               (std::strcmp(region, "ZZ") == 0 ? "" : " known for region " + std::string(region)));
        return 2;
    case PhoneNumberUtil::TOO_SHORT_NSN:
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
        put(out, out_size, "is too short");
        return 1;
    case PhoneNumberUtil::TOO_LONG_NSN:
        put(out, out_size, "is too long");
        return 1;
    default:
        put(out, out_size, "is not a phone number");
        return 1;
    }
    if (!util->IsValidNumber(number)) {
        std::string country;
        util->GetRegionCodeForCountryCode(number.country_code(), &country);
        put(out, out_size, "is not a valid number" + (country.empty() || country == "ZZ" ? std::string() : " in " + country) +
                               " (country code +" + std::to_string(number.country_code()) + ")");
        return 1;
    }
    std::string e164;
    util->Format(number, PhoneNumberUtil::E164, &e164);
    if (number.has_extension() && !number.extension().empty())
        e164 += ";ext=" + number.extension();
    put(out, out_size, e164);
    return 0;
}

// The country dial plan: number dialed in region (national, or with the region's international
// prefix) as E.164 in out; 0 when it is a possible number of that region, 1 otherwise.
extern "C" __attribute__((visibility("default"))) int csctl_phone_country_normalise(const char* text, const char* region,
                                                                                     char* out, unsigned long out_size)
{
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const auto* util = phone_util();
    PhoneNumber number;
    if (util->Parse(text, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR || !util->IsPossibleNumber(number))
        return 1;
    std::string e164;
    util->Format(number, PhoneNumberUtil::E164, &e164);
    put(out, out_size, e164);
    return 0;
}
