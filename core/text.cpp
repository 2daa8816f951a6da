#include "core/text.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace csctl {

std::string describe(const std::string& kind_label, const std::string& identity)
{
    return kind_label + " " + quote(identity);
}

std::string quote(const std::string& value) { return "\"" + value + "\""; }

std::string to_lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto ca = static_cast<unsigned char>(a[i]);
        auto cb = static_cast<unsigned char>(b[i]);
        if (ca >= 'A' && ca <= 'Z')
            ca = static_cast<unsigned char>(ca - 'A' + 'a');
        if (cb >= 'A' && cb <= 'Z')
            cb = static_cast<unsigned char>(cb - 'A' + 'a');
        if (ca != cb)
            return false;
    }
    return true;
}

std::string trim(std::string_view s)
{
    const auto* ws = " \t\r\n";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos)
        return {};
    auto e = s.find_last_not_of(ws);
    return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_list(std::string_view s, char separator)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(separator, start);
        if (end == std::string_view::npos)
            end = s.size();
        auto item = trim(s.substr(start, end - start));
        if (!item.empty())
            out.push_back(std::move(item));
        start = end + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += separator;
        out += items[i];
    }
    return out;
}

bool wildcard_match(std::string_view pattern, std::string_view text)
{
    // Iterative glob match with single backtrack point: linear for practical patterns.
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(text[t]))) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

long find_identity(const std::vector<std::string>& list, std::string_view identity)
{
    for (std::size_t i = 0; i < list.size(); ++i)
        if (iequals(list[i], identity))
            return static_cast<long>(i);
    return -1;
}

std::string quoted_list(const std::vector<std::string>& items, std::size_t max_items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < max_items; ++i) {
        if (i)
            out += ", ";
        out += quote(items[i]);
    }
    if (items.size() > max_items)
        out += " and " + std::to_string(items.size() - max_items) + " more";
    return out;
}

}  // namespace csctl
