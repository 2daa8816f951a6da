#include "core/ps_parse.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <array>
#include <cctype>

namespace csctl {

namespace {

// What a character means to the reader. Copied documentation brings typographic quotes and
// dashes, which PowerShell itself accepts in place of ' " and -.
enum class Ch { end, newline, space, squote, dquote, dash, other };

bool is_word_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9'); }

const std::array<std::string_view, 24> k_keywords{"foreach", "for",   "while",  "do",       "if",     "else",
                                                   "elseif",  "switch", "function", "filter", "param",  "try",
                                                   "catch",   "finally", "trap",   "return",   "break",  "continue",
                                                   "exit",    "throw",   "begin",  "process",  "workflow", "class"};

class Parser {
public:
    Parser(std::string_view text, const std::string& source) : m_text(text), m_source(source) {}

    std::vector<PsCommand> script()
    {
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
            m_pos = 3;
        m_line_start = m_pos;
        std::vector<PsCommand> commands;
        while (true) {
            skip_blank();
            if (peek().first == Ch::end)
                break;
            commands.push_back(command());
        }
        return commands;
    }

private:
    std::pair<Ch, std::size_t> peek(std::size_t at) const
    {
        if (at >= m_text.size())
            return {Ch::end, 0};
        auto c = static_cast<unsigned char>(m_text[at]);
        switch (c) {
        case '\n': return {Ch::newline, 1};
        case ' ': case '\t': case '\r': case '\f': case '\v': return {Ch::space, 1};
        case '\'': return {Ch::squote, 1};
        case '"': return {Ch::dquote, 1};
        case '-': return {Ch::dash, 1};
        default: break;
        }
        if (c == 0xC2 && at + 1 < m_text.size() && static_cast<unsigned char>(m_text[at + 1]) == 0xA0)
            return {Ch::space, 2};  // no-break space
        if (c == 0xE2 && at + 2 < m_text.size() && static_cast<unsigned char>(m_text[at + 1]) == 0x80) {
            switch (static_cast<unsigned char>(m_text[at + 2])) {
            case 0x98: case 0x99: case 0x9A: case 0x9B: return {Ch::squote, 3};  // ‘ ’ ‚ ‛
            case 0x9C: case 0x9D: case 0x9E: return {Ch::dquote, 3};             // “ ” „
            case 0x93: case 0x94: case 0x95: return {Ch::dash, 3};               // – — ―
            default: break;
            }
        }
        if (c == 0xEF && at + 2 < m_text.size() && static_cast<unsigned char>(m_text[at + 1]) == 0xBB &&
            static_cast<unsigned char>(m_text[at + 2]) == 0xBF)
            return {Ch::space, 3};  // a byte-order mark left in the middle of pasted text
        return {Ch::other, 1};
    }
    std::pair<Ch, std::size_t> peek() const { return peek(m_pos); }
    char byte(std::size_t at) const { return at < m_text.size() ? m_text[at] : '\0'; }
    char current() const { return byte(m_pos); }

    PsLocation here() const
    {
        std::size_t column = 1;
        for (std::size_t i = m_line_start; i < m_pos && i < m_text.size(); ++i)
            if ((static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80)
                ++column;
        return {m_line, column};
    }

    [[noreturn]] void fail(PsLocation at, const std::string& message) const
    {
        throw usage_error(ps_where(m_source, at) + ": " + message);
    }
    [[noreturn]] void fail(const std::string& message) const { fail(here(), message); }

    // Moves over n bytes, counting lines.
    void advance(std::size_t n)
    {
        for (std::size_t i = 0; i < n && m_pos < m_text.size(); ++i) {
            if (m_text[m_pos] == '\n') {
                ++m_line;
                m_line_start = m_pos + 1;
            }
            ++m_pos;
        }
    }

    void skip_to_line_end()
    {
        while (m_pos < m_text.size() && m_text[m_pos] != '\n')
            ++m_pos;
    }

    // <# … #>
    void skip_block_comment()
    {
        auto start = here();
        advance(2);
        while (true) {
            if (m_pos >= m_text.size())
                fail(start, "the comment <# is not closed (missing #>)");
            if (current() == '#' && byte(m_pos + 1) == '>') {
                advance(2);
                return;
            }
            advance(1);
        }
    }

    // A backtick that ends the line (spaces after it tolerated): the statement goes on.
    bool at_continuation() const
    {
        if (current() != '`')
            return false;
        auto at = m_pos + 1;
        while (true) {
            auto [c, n] = peek(at);
            if (c == Ch::newline || c == Ch::end)
                return true;
            if (c != Ch::space)
                return false;
            at += n;
        }
    }
    void skip_continuation()
    {
        advance(1);
        while (peek().first == Ch::space)
            advance(peek().second);
        advance(1);  // the newline
    }

    // Spaces inside a statement (continuations and <# #> comments included).
    void skip_spaces()
    {
        while (true) {
            auto [c, n] = peek();
            if (c == Ch::space)
                advance(n);
            else if (at_continuation())
                skip_continuation();
            else if (current() == '<' && byte(m_pos + 1) == '#')
                skip_block_comment();
            else
                return;
        }
    }

    // Spaces, newlines, comments and statement separators; also lists continued after a comma.
    void skip_blank_in_list()
    {
        while (true) {
            skip_spaces();
            auto [c, n] = peek();
            if (c == Ch::newline)
                advance(n);
            else if (current() == '#')
                skip_to_line_end();
            else
                return;
        }
    }

    // Between statements: blank lines, ';', comments and "PS C:\>" prompts.
    void skip_blank()
    {
        bool line_start = true;
        while (true) {
            auto [c, n] = peek();
            if (c == Ch::space) {
                advance(n);
            } else if (c == Ch::newline) {
                advance(n);
                line_start = true;
            } else if (current() == ';') {
                advance(1);
                line_start = false;
            } else if (current() == '#') {
                skip_to_line_end();
            } else if (current() == '<' && byte(m_pos + 1) == '#') {
                skip_block_comment();
            } else if (at_continuation()) {
                skip_continuation();
            } else if (line_start && skip_prompt()) {
                line_start = false;
            } else {
                return;
            }
        }
    }

    // "PS C:\> " or "PS> " at the start of a line (copied from a console), or the "C:\PS> " of
    // older documentation.
    bool skip_prompt()
    {
        if (m_pos + 5 < m_text.size() && std::isalpha(static_cast<unsigned char>(byte(m_pos))) &&
            m_text.compare(m_pos + 1, 5, ":\\PS>") == 0) {
            advance(6);
            return true;
        }
        if (m_text.substr(m_pos, 2) != "PS" || (byte(m_pos + 2) != ' ' && byte(m_pos + 2) != '>'))
            return false;
        auto at = m_pos + 2;
        while (at < m_text.size() && m_text[at] != '\n' && m_text[at] != '>')
            ++at;
        if (byte(at) != '>')
            return false;
        advance(at + 1 - m_pos);
        return true;
    }

    PsCommand command()
    {
        PsCommand cmd;
        cmd.at = here();
        refuse_statement_start();
        std::string name;
        while (true) {
            auto [c, n] = peek();
            if (c == Ch::dash)
                name += '-';
            else if (c == Ch::other && is_name_char(current()))
                name += current();
            else
                break;
            advance(n);
        }
        for (auto keyword : k_keywords)
            if (iequals(name, keyword))
                fail(cmd.at, "\"" + name + "\": loops, conditions and functions are not supported; write one cmdlet per line");
        if (name.size() > 1 && name.front() == '-' && is_word_start(name[1]))
            fail(cmd.at, "a statement cannot start with the parameter " + name +
                             ": to continue the line before, end it with a backtick (`)");
        if (name.find('-') == std::string::npos || name.front() == '-' || name.back() == '-')
            fail(cmd.at, "expected a cmdlet (Verb-Noun), found " + quote(name.empty() ? excerpt() : name));
        cmd.cmdlet = name;
        check_delimiter("the cmdlet name " + quote(name));
        while (true) {
            skip_spaces();
            auto [c, n] = peek();
            if (c == Ch::end || c == Ch::newline || current() == ';')
                break;
            if (current() == '#') {
                skip_to_line_end();
                break;
            }
            refuse_operator();
            if (c == Ch::dash && is_word_start(byte(m_pos + n)))
                cmd.elements.push_back(parameter(n));
            else {
                PsElement value;
                value.at = here();
                value.value = value_list();
                cmd.elements.push_back(std::move(value));
            }
        }
        return cmd;
    }

    // The next few characters, for messages.
    std::string excerpt() const
    {
        std::string out;
        for (auto at = m_pos; at < m_text.size() && out.size() < 12 && m_text[at] != '\n'; ++at)
            out += m_text[at];
        return out;
    }

    void refuse_statement_start()
    {
        char c = current();
        if (c == '$')
            fail("variables are not supported (" + excerpt() + "): write the values into the cmdlet's parameters");
        if (c == '{')
            fail("script blocks ({ … }) are not supported");
        if (c == '(')
            fail("parenthesised expressions are not supported");
        if (c == '&' || c == '.')
            fail(std::string("the '") + c + "' operator is not supported: write the cmdlet itself");
        if (c == '[')
            fail("type casts and attributes ([…]) are not supported");
        refuse_operator();
    }

    void refuse_operator()
    {
        char c = current();
        if (c == '|')
            fail("pipelines ('|') are not supported: write one cmdlet per line with its values");
        if (c == '>' || c == '<')
            fail("redirection ('" + std::string(1, c) + "') is not supported");
        if (c == '&')
            fail("'&' is not supported");
        if (c == ')' || c == '}')
            fail(std::string("unexpected '") + c + "'");
        if (c == '{')
            fail("script blocks ({ … }) are not supported");
        if (c == '(')
            fail("parenthesised expressions are not supported: write the value itself");
    }

    // After a name or value: a space, the end of the statement, or an operator (refused later).
    void check_delimiter(const std::string& what)
    {
        auto [c, n] = peek();
        (void)n;
        if (c == Ch::end || c == Ch::newline || c == Ch::space || at_continuation())
            return;
        char b = current();
        if (b == ';' || b == '|' || b == '#' || b == '>' || b == '<' || b == '&' || (b == '<' && byte(m_pos + 1) == '#'))
            return;
        if (b == ')' || b == '}')
            fail(std::string("unexpected '") + b + "'");
        fail(what + " is followed by " + quote(excerpt()) + " without a space");
    }

    PsElement parameter(std::size_t dash_length)
    {
        PsElement e;
        e.parameter = true;
        e.at = here();
        advance(dash_length);
        while (is_name_char(current())) {
            e.name += current();
            advance(1);
        }
        if (current() == ':') {
            advance(1);
            skip_spaces();
            auto [c, n] = peek();
            (void)n;
            if (c == Ch::end || c == Ch::newline || current() == ';')
                fail("-" + e.name + ": has no value after ':'");
            refuse_operator();
            e.value = value_list();
            return e;  // the value ends at a delimiter
        }
        check_delimiter("the parameter -" + e.name);
        return e;
    }

    // A value, or values separated by commas (a list; a comma at the end of a line continues it).
    PsValue value_list()
    {
        auto at = here();
        auto first = primary();
        skip_spaces();
        if (current() != ',')
            return first;
        PsValue list;
        list.kind = PsValue::Kind::list;
        list.at = at;
        list.items.push_back(item_text(first));
        while (current() == ',') {
            advance(1);
            skip_blank_in_list();
            auto [c, n] = peek();
            (void)n;
            if (c == Ch::end || current() == ';' || current() == ',')
                fail("a value is missing after ','");
            refuse_operator();
            list.items.push_back(item_text(primary()));
            skip_spaces();
        }
        return list;
    }

    std::string item_text(const PsValue& v) const
    {
        if (v.kind == PsValue::Kind::text || v.kind == PsValue::Kind::boolean)
            return v.text;
        if (v.kind == PsValue::Kind::null)
            fail(v.at, "$null cannot be an item of a list");
        fail(v.at, "a list cannot contain another list or @{…}");
    }

    PsValue primary()
    {
        PsValue v;
        v.at = here();
        char c = current();
        if (c == '$') {
            auto rest = m_text.substr(m_pos + 1);
            for (auto [word, kind] : {std::pair{std::string_view("true"), PsValue::Kind::boolean},
                                      std::pair{std::string_view("false"), PsValue::Kind::boolean},
                                      std::pair{std::string_view("null"), PsValue::Kind::null}}) {
                if (rest.size() >= word.size() && iequals(rest.substr(0, word.size()), word) &&
                    !is_name_char(byte(m_pos + 1 + word.size()))) {
                    advance(1 + word.size());
                    v.kind = kind;
                    if (kind == PsValue::Kind::boolean)
                        v.text = std::string(word);
                    return v;
                }
            }
            if (byte(m_pos + 1) == '(')
                fail("sub-expressions ($( … )) are not supported: write the value itself");
            if (is_name_char(byte(m_pos + 1)) || byte(m_pos + 1) == '{' || byte(m_pos + 1) == '_')
                fail("variables are not supported (" + excerpt() + "): write the value itself");
        }
        if (c == '@') {
            char next = byte(m_pos + 1);
            if (next == '{')
                return modifiers();
            if (next == '(')
                return array();
            if (next == '"' || next == '\'')
                fail("here-strings (@\" … \"@) are not supported");
        }
        refuse_operator();
        v.text = word();
        return v;
    }

    // A bare word with any quoted parts joined to it (tag:"US Only" is one value).
    std::string word()
    {
        std::string out;
        while (true) {
            auto [c, n] = peek();
            if (c == Ch::end || c == Ch::newline || c == Ch::space)
                break;
            if (c == Ch::squote) {
                out += single_quoted();
                continue;
            }
            if (c == Ch::dquote) {
                out += double_quoted();
                continue;
            }
            char b = current();
            if (b == ';' || b == ',' || b == '|' || b == '>' || b == '<' || b == ')' || b == '}' || b == '&')
                break;
            if (b == '(' || b == '{')
                fail(std::string("a bare value cannot contain '") + b + "': put " + quote(out + excerpt()) + " in quotes");
            if (b == '`') {
                if (at_continuation())
                    break;
                advance(1);
                if (peek().first == Ch::end)
                    fail("a backtick at the end of the script escapes nothing");
                out += escaped(current());
                advance(peek().second);
                continue;
            }
            if (b == '$' && (is_name_char(byte(m_pos + 1)) || byte(m_pos + 1) == '{' || byte(m_pos + 1) == '('))
                fail("variables are not supported (" + excerpt() + "): write the value itself, or quote it with '…'");
            out.append(m_text.substr(m_pos, n));
            advance(n);
        }
        return out;
    }

    // The character a backtick escape stands for (`n: newline …; anything else: itself).
    std::string escaped(char c) const
    {
        switch (c) {
        case 'n': return "\n";
        case 't': return "\t";
        case 'r': return "\r";
        case '0': return std::string(1, '\0');
        case 'a': return "\a";
        case 'b': return "\b";
        case 'f': return "\f";
        case 'v': return "\v";
        default: break;
        }
        auto [k, n] = peek();
        (void)k;
        return std::string(m_text.substr(m_pos, n));
    }

    std::string single_quoted()
    {
        auto start = here();
        advance(peek().second);
        std::string out;
        while (true) {
            auto [c, n] = peek();
            if (c == Ch::end)
                fail(start, "the string that starts here is not closed (missing ')");
            if (c == Ch::squote) {
                advance(n);
                if (peek().first == Ch::squote) {  // '' is a quote
                    out += '\'';
                    advance(peek().second);
                    continue;
                }
                return out;
            }
            out.append(m_text.substr(m_pos, n));
            advance(n);
        }
    }

    std::string double_quoted()
    {
        auto start = here();
        advance(peek().second);
        std::string out;
        while (true) {
            auto [c, n] = peek();
            if (c == Ch::end)
                fail(start, "the string that starts here is not closed (missing \")");
            if (c == Ch::dquote) {
                advance(n);
                if (peek().first == Ch::dquote) {  // "" is a quote
                    out += '"';
                    advance(peek().second);
                    continue;
                }
                return out;
            }
            char b = current();
            if (b == '`') {
                advance(1);
                if (peek().first == Ch::end)
                    fail(start, "the string that starts here is not closed (missing \")");
                out += escaped(current());
                advance(peek().second);
                continue;
            }
            if (b == '$') {
                char next = byte(m_pos + 1);
                if (is_name_char(next) || next == '{' || next == '(')
                    fail("PowerShell would expand " + quote(excerpt()) +
                         " inside double quotes (variables are not supported): use single quotes, e.g. '+1$1'");
            }
            out.append(m_text.substr(m_pos, n));
            advance(n);
        }
    }

    // @{Add=…; Remove=…; Replace=…}
    PsValue modifiers()
    {
        PsValue v;
        v.kind = PsValue::Kind::modifiers;
        v.at = here();
        advance(2);
        while (true) {
            skip_blank_in_list();
            while (current() == ';') {
                advance(1);
                skip_blank_in_list();
            }
            if (peek().first == Ch::end)
                fail(v.at, "@{ is not closed (missing })");
            if (current() == '}') {
                advance(1);
                return v;
            }
            auto key_at = here();
            std::string key;
            auto [c, n] = peek();
            if (c == Ch::squote)
                key = single_quoted();
            else if (c == Ch::dquote)
                key = double_quoted();
            else
                while (is_name_char(current())) {
                    key += current();
                    advance(1);
                }
            std::string canonical;
            for (const char* k : {"Add", "Remove", "Replace"})
                if (iequals(key, k))
                    canonical = k;
            if (canonical.empty())
                fail(key_at, "@{…} takes Add, Remove or Replace, not " + quote(key.empty() ? excerpt() : key));
            skip_spaces();
            if (current() != '=')
                fail("expected '=' after " + canonical + " in @{…}");
            advance(1);
            skip_spaces();
            std::vector<std::string> items;
            auto [vc, vn] = peek();
            (void)vn;
            if (vc == Ch::end || vc == Ch::newline || current() == ';' || current() == '}')
                fail(canonical + "= has no value");
            refuse_in_braces();
            auto value = value_list();
            if (value.kind == PsValue::Kind::list)
                items = value.items;
            else if (value.kind == PsValue::Kind::text || value.kind == PsValue::Kind::boolean)
                items.push_back(value.text);
            else if (value.kind == PsValue::Kind::modifiers)
                fail(value.at, "@{…} cannot be nested");
            v.modifiers.emplace_back(canonical, std::move(items));
            skip_spaces();
            if (peek().first == Ch::end)
                fail(v.at, "@{ is not closed (missing })");
            if (current() != ';' && current() != '}' && peek().first != Ch::newline && current() != '#')
                fail("expected ';' or '}' after the value of " + canonical);
        }
    }

    void refuse_in_braces()
    {
        if (current() == '}')
            fail("unexpected '}'");
        refuse_operator();
    }

    // @(a, b, c) — also one item per line.
    PsValue array()
    {
        PsValue v;
        v.kind = PsValue::Kind::list;
        v.at = here();
        advance(2);
        while (true) {
            skip_blank_in_list();
            while (current() == ',' || current() == ';') {
                advance(1);
                skip_blank_in_list();
            }
            if (peek().first == Ch::end)
                fail(v.at, "@( is not closed (missing ))");
            if (current() == ')') {
                advance(1);
                return v;
            }
            refuse_operator();
            v.items.push_back(item_text(primary()));
        }
    }

    std::string_view m_text;
    const std::string& m_source;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
    std::size_t m_line_start = 0;
};

}  // namespace

std::string ps_where(const std::string& source, PsLocation at, bool with_column)
{
    auto out = source + ":" + std::to_string(at.line);
    if (with_column)
        out += ":" + std::to_string(at.column);
    return out;
}

std::vector<PsCommand> parse_ps_script(std::string_view text, const std::string& source)
{
    return Parser(text, source).script();
}

}  // namespace csctl
