#include "core/csv.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <cstdint>

namespace csctl {

long CsvTable::column(std::string_view name) const
{
    for (std::size_t i = 0; i < header.size(); ++i)
        if (iequals(header[i], name))
            return static_cast<long>(i);
    return -1;
}

const std::string& CsvTable::cell(std::size_t row, long column) const
{
    static const std::string k_empty;
    if (column < 0)
        return k_empty;
    const auto& r = rows[row];
    auto c = static_cast<std::size_t>(column);
    return c < r.size() ? r[c] : k_empty;
}

namespace {

// The offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t utf8_error_at(std::string_view text)
{
    std::size_t i = 0;
    const auto n = text.size();
    while (i < n) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + extra >= n)
            return i;
        for (std::size_t k = 1; k <= extra; ++k) {
            auto d = static_cast<unsigned char>(text[i + k]);
            if ((d & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += extra + 1;
    }
    return std::string_view::npos;
}

}  // namespace

bool valid_utf8(std::string_view text) { return utf8_error_at(text) == std::string_view::npos; }

CsvTable parse_csv(std::string_view text, const std::string& source)
{
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    if (auto bad = utf8_error_at(text); bad != std::string_view::npos) {
        std::size_t line = 1;
        for (std::size_t k = 0; k < bad; ++k)
            line += text[k] == '\n';
        throw usage_error(source + ":" + std::to_string(line) + ": the file is not valid UTF-8 (save it as UTF-8)");
    }
    CsvTable table;
    std::vector<std::string> record;
    std::string field;
    std::size_t line = 1, record_line = 1;
    std::size_t i = 0;
    const auto n = text.size();
    bool first = true;
    auto end_record = [&] {
        record.push_back(std::move(field));
        field.clear();
        bool blank = record.size() == 1 && record[0].empty();
        if (!blank) {
            if (first) {
                for (auto& h : record)
                    h = trim(h);
                table.header = std::move(record);
                first = false;
            } else {
                table.rows.push_back(std::move(record));
                table.lines.push_back(record_line);
            }
        }
        record.clear();
        record.reserve(table.header.size());  // one allocation per row, not one per growth
    };
    while (i < n) {
        char c = text[i];
        if (c == '"' && field.empty()) {
            std::size_t start_line = line;
            ++i;
            for (;;) {
                if (i >= n)
                    throw usage_error(source + ":" + std::to_string(start_line) + ": a quoted field is never closed");
                if (text[i] == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (text[i] == '\n')
                    ++line;
                field += text[i++];
            }
            continue;
        }
        if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            ++i;
        } else if (c == '\r' || c == '\n') {
            end_record();
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n')
                ++i;
            ++i;
            ++line;
            record_line = line;
        } else {
            // A run of plain characters in one append (a plain loop: find_first_of tries each
            // delimiter per character).
            auto stop = i + 1;
            while (stop < n && text[stop] != ',' && text[stop] != '\n' && text[stop] != '\r' && text[stop] != '"')
                ++stop;
            field.append(text.substr(i, stop - i));
            i = stop;
        }
    }
    if (!field.empty() || !record.empty())
        end_record();
    if (first)
        throw usage_error(source + ": the file is empty (it needs a header row naming the columns)");
    return table;
}

}  // namespace csctl
