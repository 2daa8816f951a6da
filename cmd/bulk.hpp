// Running a bulk command (user import, --from-csv grants and enables): reading the file, a
// progress line on a terminal, one change for all rows, the per-row report, and the exit code.
#pragma once

#include "cmd/context.hpp"
#include "core/bulk.hpp"
#include "core/csv.hpp"

#include <functional>

namespace csctl {

// The text of a file ("-" reads stdin); a usage error naming it when it cannot be read.
std::string read_input_file(const std::string& path);
CsvTable read_csv_file(const std::string& path);
// Throws a usage error when the table lacks a required column.
void require_column(const CsvTable& table, const std::string& path, const char* column);

// Runs fn inside one change (rolled back for --dry-run or when a row failed without
// --continue-on-error), prints the report (-o json/csv/yaml/list: every row; table: the failed
// rows) and a summary, and throws when any row failed.
void run_bulk(Context& ctx, const std::string& what, bool continue_on_error,
              const std::function<BulkReport(TenantStore&, Notes&, const BulkOptions&)>& fn);

}  // namespace csctl
