#include "core/text.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

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

namespace {

// Eight bytes with ASCII capitals made lower-case (as iequals compares), all bytes at once: a
// byte gets 0x20 when it is ASCII and its low seven bits are at least 'A' and at most 'Z'.
std::uint64_t fold_ascii(std::uint64_t x)
{
    constexpr std::uint64_t high = 0x8080808080808080ull, low7 = 0x7f7f7f7f7f7f7f7full;
    const std::uint64_t heptets = x & low7;
    const std::uint64_t at_least_a = heptets + 0x3f3f3f3f3f3f3f3full;  // 0x80 - 'A'
    const std::uint64_t above_z = heptets + 0x2525252525252525ull;     // 0x80 - ('Z' + 1)
    const std::uint64_t capitals = at_least_a & ~above_z & ~x & high;
    return x | (capitals >> 2);
}

}  // namespace

std::size_t CaseInsensitiveHash::operator()(std::string_view s) const noexcept
{
    // Eight bytes at a time, folded, multiplied in; then the length.
    constexpr std::uint64_t k = 0x9e3779b97f4a7c15ull;
    std::uint64_t h = 0;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, s.data() + i, 8);
        h = (h ^ fold_ascii(word)) * k;
        h ^= h >> 29;
    }
    if (i < s.size()) {
        std::uint64_t word = 0;
        std::memcpy(&word, s.data() + i, s.size() - i);
        h = (h ^ fold_ascii(word)) * k;
        h ^= h >> 29;
    }
    h = (h ^ s.size()) * k;
    return static_cast<std::size_t>(h ^ (h >> 32));
}

bool CaseInsensitiveEqual::operator()(std::string_view a, std::string_view b) const noexcept { return iequals(a, b); }

IdentityIndex::IdentityIndex(std::size_t expected)
{
    std::size_t capacity = 16;
    while (capacity < expected * 2)
        capacity *= 2;
    m_slots.resize(capacity);
}

std::size_t IdentityIndex::locate(std::string_view key, std::size_t hash) const
{
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        const auto& slot = m_slots[at];
        if (slot.value == npos)
            return at;
        // The same spelling is the usual match: compared at once before letter by letter.
        if (slot.hash != hash || slot.length != key.size())
            continue;
        if (key.empty() || std::memcmp(slot.data, key.data(), key.size()) == 0 ||
            iequals(std::string_view(slot.data, slot.length), key))
            return at;
    }
}

void IdentityIndex::grow()
{
    std::vector<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    const std::size_t mask = m_slots.size() - 1;
    for (const auto& slot : old) {
        if (slot.value == npos)
            continue;
        auto at = slot.hash & mask;
        while (m_slots[at].value != npos)
            at = (at + 1) & mask;
        m_slots[at] = slot;
    }
}

std::pair<std::size_t, bool> IdentityIndex::emplace(std::string_view key, std::size_t value)
{
    if ((m_size + 1) * 2 > m_slots.size())
        grow();
    const auto hash = CaseInsensitiveHash{}(key);
    auto& slot = m_slots[locate(key, hash)];
    if (slot.value != npos)
        return {slot.value, false};
    slot = Slot{key.data(), key.size(), hash, value};
    ++m_size;
    return {value, true};
}

std::size_t IdentityIndex::find(std::string_view key) const
{
    return m_slots[locate(key, CaseInsensitiveHash{}(key))].value;
}

}  // namespace csctl
