// Small string helpers shared by every layer: case-insensitive identities, lists, wildcards.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace csctl {

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string trim(std::string_view s);
// Splits "a, b,c" on the separator, trimming each item; empty items are dropped.
std::vector<std::string> split_list(std::string_view s, char separator = ',');
std::string join(const std::vector<std::string>& items, std::string_view separator);
// PowerShell -Filter semantics: '*' any run, '?' one character, case-insensitive.
bool wildcard_match(std::string_view pattern, std::string_view text);
// Position of an identity in a list, compared case-insensitively; -1 when absent.
long find_identity(const std::vector<std::string>& list, std::string_view identity);
// "a", "b" and "c" — for messages that list names.
std::string quoted_list(const std::vector<std::string>& items, std::size_t max_items = 10);

// Hashing and comparing identities case-insensitively without copying them.
struct CaseInsensitiveHash {
    std::size_t operator()(std::string_view s) const noexcept;
};
struct CaseInsensitiveEqual {
    bool operator()(std::string_view a, std::string_view b) const noexcept;
};
// Identities (views into strings that outlive it) compared case-insensitively, each with a
// number: open addressing in one array, without an allocation or a pointer to follow per entry
// (bulk commands index 100,000s of UPNs).
class IdentityIndex {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    explicit IdentityIndex(std::size_t expected = 0);
    // The number of key, after giving it value when it is new; second: whether it was new.
    std::pair<std::size_t, bool> emplace(std::string_view key, std::size_t value);
    // The number of key, or npos.
    std::size_t find(std::string_view key) const;
    std::size_t size() const { return m_size; }

private:
    struct Slot {
        const char* data = nullptr;
        std::size_t length = 0;
        std::size_t hash = 0;
        std::size_t value = npos;      // npos: empty
    };
    std::size_t locate(std::string_view key, std::size_t hash) const;
    void grow();

    std::vector<Slot> m_slots;
    std::size_t m_size = 0;
};

}  // namespace csctl
