#include "core/names.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace csctl {

namespace {
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
}  // namespace

std::optional<std::string> dns_name_problem(std::string_view text, std::size_t max_length)
{
    if (text.empty())
        return "is empty";
    if (text.size() > max_length)
        return "is longer than " + std::to_string(max_length) + " characters";
    if (text.find('.') == std::string_view::npos)
        return "is not a fully qualified domain name (it has no dot)";
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('.', start);
        if (end == std::string_view::npos)
            end = text.size();
        auto label = text.substr(start, end - start);
        if (label.empty())
            return "has an empty label";
        if (label.size() > 63)
            return "has a label longer than 63 characters";
        for (char c : label)
            if (!is_alnum(c) && c != '-')
                return "contains " + std::string(1, c) + ", which is not allowed in a DNS name (letters, digits, '-' and '.')";
        if (label.front() == '-' || label.back() == '-')
            return "has a label that starts or ends with '-'";
        start = end + 1;
    }
    auto last = text.substr(text.rfind('.') + 1);
    bool all_digits = true;
    for (char c : last)
        all_digits = all_digits && is_digit(c);
    if (all_digits)
        return "is an address, not a DNS name";
    return std::nullopt;
}

std::string parent_domain(std::string_view fqdn)
{
    auto dot = fqdn.find('.');
    return dot == std::string_view::npos ? std::string() : std::string(fqdn.substr(dot + 1));
}

bool is_country_code(std::string_view text)
{
    // ISO 3166-1 alpha-2, the officially assigned codes (249), in order.
    static constexpr std::string_view k_codes[] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
    };
    return text.size() == 2 && std::binary_search(std::begin(k_codes), std::end(k_codes), text);
}

bool is_e164(std::string_view text)
{
    if (text.size() < 8 || text.size() > 16 || text[0] != '+' || text[1] == '0')
        return false;
    for (std::size_t i = 1; i < text.size(); ++i)
        if (!is_digit(text[i]))
            return false;
    return true;
}

bool is_guid(std::string_view text)
{
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !is_hex(text[i]))
            return false;
    }
    return true;
}

}  // namespace csctl
