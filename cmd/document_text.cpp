#include "cmd/document_text.hpp"

#include "cmd/output.hpp"
#include "core/error.hpp"

#include <yaml-cpp/exceptions.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace csctl {

namespace {

void append_utf8(std::string& out, unsigned long cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Windows PowerShell 5.1 writes `> file` as UTF-16 LE with a byte order mark.
std::string from_utf16(const std::string& text, bool little_endian, const std::string& source)
{
    std::string out;
    auto unit = [&](std::size_t i) {
        auto a = static_cast<unsigned char>(text[i]), b = static_cast<unsigned char>(text[i + 1]);
        return little_endian ? static_cast<unsigned long>(a | (b << 8)) : static_cast<unsigned long>((a << 8) | b);
    };
    for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
        auto u = unit(i);
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < text.size()) {
            auto low = unit(i + 2);
            if (low >= 0xDC00 && low < 0xE000) {
                append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u < 0xE000)
            throw usage_error(source + ": not valid UTF-16 text");
        append_utf8(out, u);
    }
    return out;
}

// Line and column (1-based) of a byte offset.
std::pair<std::size_t, std::size_t> position(const std::string& text, std::size_t offset)
{
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return {line, column};
}

// Deeper nesting than any tenant document has is refused before parsing (the parsers and the
// readers after them recurse).
constexpr std::size_t k_max_depth = 64;

void check_json_depth(const std::string& text, const std::string& source)
{
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > k_max_depth) {
                auto [line, column] = position(text, i);
                throw usage_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                  ": nested deeper than " + std::to_string(k_max_depth) + " levels");
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

// The offset of the first byte that is not part of valid UTF-8, or npos. (JSON's parser checks
// this itself; YAML's does not, and the text must be valid to be stored and printed.)
std::size_t invalid_utf8(const std::string& text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 9;
        if (extra == 9 || (extra == 1 && c < 0xC2) || i + extra >= text.size() + (extra ? 0 : 1))
            return i;
        for (std::size_t k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
                return i;
        i += extra + 1;
    }
    return std::string::npos;
}

}  // namespace

std::string utf8_text(const std::string& raw, const std::string& source)
{
    if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0xFF && static_cast<unsigned char>(raw[1]) == 0xFE)
        return from_utf16(raw, true, source);
    if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0xFE && static_cast<unsigned char>(raw[1]) == 0xFF)
        return from_utf16(raw, false, source);
    if (raw.starts_with("\xEF\xBB\xBF"))
        return raw.substr(3);
    return raw;
}

Json parse_document_text(const std::string& raw, const std::string& source)
{
    std::string text = utf8_text(raw, source);
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        throw usage_error(source + ": the document is empty");
    if (text[first] == '{' || text[first] == '[') {
        check_json_depth(text, source);
        try {
            return Json::parse(text);
        } catch (const Json::parse_error& e) {
            // nlohmann's byte is one past the offending character.
            auto [line, column] = position(text, e.byte > 0 ? e.byte - 1 : 0);
            std::string what = e.what();
            auto colon = what.find("syntax error");
            if (colon != std::string::npos)
                what = what.substr(colon);
            throw usage_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": JSON " + what);
        } catch (const Json::exception& e) {
            // A number too large for any field ("1e999"), and the like.
            std::string what = e.what();
            auto bracket = what.find("] ");
            throw usage_error(source + ": JSON " + (bracket == std::string::npos ? what : what.substr(bracket + 2)));
        }
    }
    if (auto bad = invalid_utf8(text); bad != std::string::npos) {
        auto [line, column] = position(text, bad);
        throw usage_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                          ": not valid UTF-8 text (save the file as UTF-8)");
    }
    try {
        auto document = yaml_to_json(text, source);
        try {
            (void)document.dump();  // what the checks above let through (overlong forms, surrogates)
        } catch (const Json::type_error&) {
            throw usage_error(source + ": not valid UTF-8 text (save the file as UTF-8)");
        }
        return document;
    } catch (const YAML::Exception& e) {
        // Not a syntax error but a shape JSON cannot hold (a map as a key …).
        throw usage_error(source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                          ": " + e.msg);
    }
}

std::string read_document_file(const std::string& path)
{
    if (path == "-") {
        std::ostringstream text;
        text << std::cin.rdbuf();
        return text.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw not_found("cannot read " + quote(path) + ": no such file or not readable");
    // One read of a whole regular file (documents of 100,000 users are tens of megabytes); a pipe
    // cannot tell its size and is read as a stream.
    in.seekg(0, std::ios::end);
    auto size = in.tellg();
    if (size <= 0) {
        in.clear();
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }
    in.seekg(0, std::ios::beg);
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), size);
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

}  // namespace csctl
