// A compiled .NET-style regular expression (PCRE2 with JIT), matched as a search with bounded work.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace csctl {

struct PatternError {
    std::string message;   // PCRE2's own words, e.g. "missing closing parenthesis"
    std::size_t offset;    // 0-based position in the pattern where compilation stopped
};

class Pattern {
public:
    // Compiles or returns the error with its position; never throws.
    static std::optional<PatternError> check(std::string_view pattern);
    // Compiles; throws csctl::Error (usage) naming what the pattern belongs to.
    static Pattern compile(std::string_view pattern, const std::string& owner, const std::string& field);
    static std::optional<Pattern> try_compile(std::string_view pattern, PatternError* error = nullptr);
    // Checks that the pattern compiles; throws the same usage error as compile.
    static void require(std::string_view pattern, const std::string& owner, const std::string& field);

    Pattern(Pattern&&) noexcept;
    Pattern& operator=(Pattern&&) noexcept;
    ~Pattern();

    // True when the pattern matches anywhere in text. A match that exceeds the work limit counts
    // as no match (a pathological pattern cannot hang a command or the server).
    bool search(std::string_view text) const;
    // Applies a translation ($1, $2 … group references) to the first match; nullopt if no match.
    std::optional<std::string> translate(std::string_view text, std::string_view translation) const;
    const std::string& source() const { return m_source; }
    // What PCRE2 knows without matching: the least number of characters a match needs, and the
    // last literal character every match contains (nullopt when there is none).
    std::size_t min_length() const;
    std::optional<char> required_char() const;

private:
    struct Impl;
    explicit Pattern(std::unique_ptr<Impl> impl, std::string source);
    std::unique_ptr<Impl> m_impl;
    std::string m_source;
};

// "^\+1(425)$" with the error at offset 3 → the pattern, then a caret under position 3.
std::string point_at(std::string_view pattern, std::size_t offset);

}  // namespace csctl
