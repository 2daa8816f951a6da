#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/pattern.hpp"

#include "core/error.hpp"

#include <pcre2.h>

namespace csctl {

namespace {

// Work limits per match: far above what any real number pattern needs (tens of steps),
// low enough that catastrophic backtracking ends in microseconds.
constexpr uint32_t k_match_limit = 100'000;
constexpr uint32_t k_depth_limit = 1'000;

struct MatchContext {
    pcre2_match_context* ctx = pcre2_match_context_create(nullptr);
    MatchContext()
    {
        pcre2_set_match_limit(ctx, k_match_limit);
        pcre2_set_depth_limit(ctx, k_depth_limit);
    }
    ~MatchContext() { pcre2_match_context_free(ctx); }
};

pcre2_match_context* match_context()
{
    static MatchContext context;
    return context.ctx;
}

// One match-data block per thread, sized for the largest pattern seen so far.
pcre2_match_data* match_data_for(uint32_t pairs)
{
    thread_local struct Holder {
        pcre2_match_data* data = nullptr;
        uint32_t pairs = 0;
        ~Holder() { pcre2_match_data_free(data); }
    } holder;
    if (!holder.data || holder.pairs < pairs) {
        pcre2_match_data_free(holder.data);
        holder.pairs = pairs;
        holder.data = pcre2_match_data_create(holder.pairs, nullptr);
    }
    return holder.data;
}

std::string error_text(int code)
{
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof buffer);
    return reinterpret_cast<const char*>(buffer);
}

// check() needs no JIT code: compiling it is most of the cost of checking a pattern.
pcre2_code* compile_code(std::string_view pattern, PatternError* error, bool jit = true)
{
    int code = 0;
    PCRE2_SIZE offset = 0;
    auto* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF,
                                   &code, &offset, nullptr);
    if (!compiled) {
        if (error)
            *error = PatternError{error_text(code), offset};
        return nullptr;
    }
    if (jit)
        pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE);  // falls back to the interpreter when JIT is unavailable
    return compiled;
}

}  // namespace

struct Pattern::Impl {
    pcre2_code* code = nullptr;
    uint32_t pairs = 1;    // capture groups + 1
    bool jit = false;      // JIT-compiled: matched through the JIT entry point, which skips the checks
    explicit Impl(pcre2_code* c) : code(c)
    {
        uint32_t captures = 0;
        pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
        pairs = captures + 1;
        size_t jit_size = 0;
        jit = pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jit_size) == 0 && jit_size > 0;
    }
    ~Impl() { pcre2_code_free(code); }
};

Pattern::Pattern(std::unique_ptr<Impl> impl, std::string source) : m_impl(std::move(impl)), m_source(std::move(source)) {}
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

std::optional<PatternError> Pattern::check(std::string_view pattern)
{
    PatternError error;
    auto* code = compile_code(pattern, &error, false);
    if (!code)
        return error;
    pcre2_code_free(code);
    return std::nullopt;
}

std::optional<Pattern> Pattern::try_compile(std::string_view pattern, PatternError* error)
{
    auto* code = compile_code(pattern, error);
    if (!code)
        return std::nullopt;
    auto impl = std::make_unique<Impl>(code);
    return Pattern(std::move(impl), std::string(pattern));
}

Pattern Pattern::compile(std::string_view pattern, const std::string& owner, const std::string& field)
{
    PatternError error;
    auto compiled = try_compile(pattern, &error);
    if (!compiled)
        throw usage_error(owner + ": " + field + " " + quote(std::string(pattern)) + " does not compile at position " +
                          std::to_string(error.offset + 1) + ": " + error.message + "\n" + point_at(pattern, error.offset));
    return std::move(*compiled);
}

void Pattern::require(std::string_view pattern, const std::string& owner, const std::string& field)
{
    if (auto error = check(pattern))
        throw usage_error(owner + ": " + field + " " + quote(std::string(pattern)) + " does not compile at position " +
                          std::to_string(error->offset + 1) + ": " + error->message + "\n" +
                          point_at(pattern, error->offset));
}

std::size_t Pattern::min_length() const
{
    uint32_t length = 0;
    pcre2_pattern_info(m_impl->code, PCRE2_INFO_MINLENGTH, &length);
    return length;
}

std::optional<char> Pattern::required_char() const
{
    uint32_t type = 0;
    pcre2_pattern_info(m_impl->code, PCRE2_INFO_LASTCODETYPE, &type);
    if (type != 1)
        return std::nullopt;
    uint32_t unit = 0;
    pcre2_pattern_info(m_impl->code, PCRE2_INFO_LASTCODEUNIT, &unit);
    if (unit > 127)
        return std::nullopt;
    return static_cast<char>(unit);
}

bool Pattern::search(std::string_view text) const
{
    auto* data = match_data_for(m_impl->pairs);
    auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    int rc = m_impl->jit ? pcre2_jit_match(m_impl->code, subject, text.size(), 0, 0, data, match_context())
                         : pcre2_match(m_impl->code, subject, text.size(), 0, 0, data, match_context());
    return rc >= 0;
}

std::optional<std::string> Pattern::translate(std::string_view text, std::string_view translation) const
{
    if (!search(text))
        return std::nullopt;
    std::string out(text.size() + translation.size() + 32, '\0');
    for (int attempt = 0; attempt < 2; ++attempt) {
        PCRE2_SIZE length = out.size();
        // Replace only the matched part's text by the translation, as Teams does with whole-number
        // patterns; PCRE2_SUBSTITUTE_REPLACEMENT_ONLY returns just the translation.
        int rc = pcre2_substitute(m_impl->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                                  PCRE2_SUBSTITUTE_REPLACEMENT_ONLY | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                                      PCRE2_SUBSTITUTE_UNSET_EMPTY | PCRE2_SUBSTITUTE_UNKNOWN_UNSET,
                                  nullptr, match_context(), reinterpret_cast<PCRE2_SPTR>(translation.data()),
                                  translation.size(), reinterpret_cast<PCRE2_UCHAR*>(out.data()), &length);
        if (rc == PCRE2_ERROR_NOMEMORY) {
            out.resize(length + 1);
            continue;
        }
        if (rc < 0)
            return std::nullopt;
        out.resize(length);
        return out;
    }
    return std::nullopt;
}

std::string point_at(std::string_view pattern, std::size_t offset)
{
    std::string line = "  " + std::string(pattern) + "\n  ";
    line += std::string(offset, ' ');
    line += '^';
    return line;
}

}  // namespace csctl
