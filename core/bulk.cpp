#include "core/bulk.hpp"

#include "core/text.hpp"

#include <cstdint>
#include <cstring>

namespace csctl {

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

UserIndex::UserIndex(std::vector<User> users) : m_users(std::move(users)), m_index(m_users.size())
{
    for (std::size_t i = 0; i < m_users.size(); ++i)
        m_index.emplace(m_users[i].user_principal_name, i);
}

User* UserIndex::find(std::string_view upn)
{
    if (m_users.empty())
        return nullptr;
    auto at = m_index.find(upn);
    return at == IdentityIndex::npos ? nullptr : &m_users[at];
}

void BulkReport::fail(RowResult& row, const Error& error)
{
    row.outcome = "failed";
    row.message = error.what();
    row.code = error.code();
    ++failed;
}

std::size_t BulkReport::count(std::string_view outcome) const
{
    std::size_t n = 0;
    for (const auto& r : rows)
        n += r.outcome == outcome;
    return n;
}

bool BulkReport::decide(const BulkOptions& options)
{
    applied = failed == 0 || options.continue_on_error;
    if (!applied)
        for (auto& r : rows)
            if (r.outcome != "failed") {
                r.message = "not applied (" + r.outcome + "): another row failed; pass --continue-on-error to apply the valid rows";
                r.outcome = "skipped";
            }
    return applied;
}

std::string BulkReport::summary() const
{
    std::string out;
    for (const char* outcome : {"created", "updated", "removed", "unchanged", "skipped", "failed"}) {
        auto n = count(outcome);
        if (n == 0)
            continue;
        if (!out.empty())
            out += ", ";
        out += std::to_string(n) + " " + outcome;
    }
    return out.empty() ? "no rows" : out;
}

ExitCode BulkReport::code() const
{
    for (const auto& r : rows)
        if (r.outcome == "failed")
            return r.code;
    return ExitCode::ok;
}

Json to_json(const RowResult& row)
{
    return Json{{"row", row.row}, {"userPrincipalName", row.upn}, {"outcome", row.outcome}, {"message", row.message}};
}

}  // namespace csctl
