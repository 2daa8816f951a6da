// Reading the CSV files of the bulk commands: a header row whose column names are matched
// case-insensitively, in any order; unknown columns are ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace csctl {

struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::size_t> lines;   // the line each row starts on (1-based, the header is line 1)

    // The number of rows (the header not counted).
    std::size_t size() const { return lines.size(); }
    // The index of a column, or -1 when the file has none of that name.
    long column(std::string_view name) const;
    // The cell of a row, "" when the column is absent or the row is short. Valid as long as the
    // table is.
    std::string_view cell(std::size_t row, long column) const;

    // The file's text, quoted fields unquoted in place, and where each cell is in it: the cells
    // of row r are cells[starts[r]] up to cells[starts[r + 1]]. One buffer for the whole file
    // instead of a string per cell.
    struct Span {
        std::size_t offset, length;
    };
    std::string text;
    std::vector<Span> cells;
    std::vector<std::size_t> starts;
};

// RFC 4180 fields (quotes, doubled quotes, CRLF), a UTF-8 byte order mark dropped. Throws a
// usage error naming source and line for an unterminated quote, invalid UTF-8 or a file
// without a header row.
CsvTable parse_csv(std::string text, const std::string& source);

// True when text is well-formed UTF-8.
bool valid_utf8(std::string_view text);

}  // namespace csctl
