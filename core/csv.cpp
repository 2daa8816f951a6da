#include "core/csv.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cstdint>

namespace csctl {

long CsvTable::column(std::string_view name) const
{
    for (std::size_t i = 0; i < header.size(); ++i)
        if (iequals(header[i], name))
            return static_cast<long>(i);
    return -1;
}

std::string_view CsvTable::cell(std::size_t row, long column) const
{
    if (column < 0)
        return {};
    auto c = starts[row] + static_cast<std::size_t>(column);
    if (c >= starts[row + 1])
        return {};
    return std::string_view(text).substr(cells[c].offset, cells[c].length);
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

CsvTable parse_csv(std::string input, const std::string& source)
{
    CsvTable table;
    table.text = std::move(input);
    std::string& text = table.text;
    std::size_t i = 0;
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        i = 3;
    if (auto bad = utf8_error_at(std::string_view(text).substr(i)); bad != std::string_view::npos) {
        std::size_t line = 1;
        for (std::size_t k = i; k < i + bad; ++k)
            line += text[k] == '\n';
        throw usage_error(source + ":" + std::to_string(line) + ": the file is not valid UTF-8 (save it as UTF-8)");
    }
    // Each field is unquoted in place: its text starts at `start` and has been written up to `w`,
    // never past the byte being read (a quoted field only gets shorter).
    std::size_t line = 1, record_line = 1;
    const auto n = text.size();
    std::size_t start = i, w = i;
    std::size_t record_start = 0;  // index in cells of the record's first field
    bool first = true;
    table.starts.push_back(0);
    auto end_field = [&] {
        table.cells.push_back(CsvTable::Span{start, w - start});
    };
    auto end_record = [&] {
        end_field();
        bool blank = table.cells.size() - record_start == 1 && table.cells.back().length == 0;
        if (blank) {
            table.cells.pop_back();
        } else if (first) {
            for (std::size_t k = record_start; k < table.cells.size(); ++k)
                table.header.push_back(trim(std::string_view(text).substr(table.cells[k].offset, table.cells[k].length)));
            table.cells.clear();
            first = false;
        } else {
            table.starts.push_back(table.cells.size());
            table.lines.push_back(record_line);
        }
        record_start = table.cells.size();
    };
    while (i < n) {
        char c = text[i];
        if (c == '"' && w == start) {
            std::size_t start_line = line;
            ++i;
            for (;;) {
                if (i >= n)
                    throw usage_error(source + ":" + std::to_string(start_line) + ": a quoted field is never closed");
                if (text[i] == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        text[w++] = '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (text[i] == '\n')
                    ++line;
                text[w++] = text[i++];
            }
            continue;
        }
        if (c == ',') {
            end_field();
            start = w = ++i;
        } else if (c == '\r' || c == '\n') {
            end_record();
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n')
                ++i;
            ++i;
            ++line;
            record_line = line;
            start = w = i;
        } else {
            // A run of plain characters (a plain loop: find_first_of tries each delimiter per
            // character), moved down only after a quoted part.
            auto stop = i + 1;
            while (stop < n && text[stop] != ',' && text[stop] != '\n' && text[stop] != '\r' && text[stop] != '"')
                ++stop;
            if (w != i)
                std::copy(text.begin() + static_cast<std::ptrdiff_t>(i), text.begin() + static_cast<std::ptrdiff_t>(stop),
                          text.begin() + static_cast<std::ptrdiff_t>(w));
            w += stop - i;
            i = stop;
        }
    }
    if (w != start || table.cells.size() > record_start)
        end_record();
    if (first)
        throw usage_error(source + ": the file is empty (it needs a header row naming the columns)");
    return table;
}

}  // namespace csctl
