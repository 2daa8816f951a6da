#include "cmd/bulk.hpp"

#include "cmd/output.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

namespace csctl {

std::string read_input_file(const std::string& path)
{
    if (path == "-") {
        std::ostringstream all;
        all << std::cin.rdbuf();
        return all.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw not_found("cannot read " + quote(path) + ": no such file or not readable");
    std::string text;
    in.seekg(0, std::ios::end);
    auto size = in.tellg();
    if (size > 0) {
        text.resize(static_cast<std::size_t>(size));
        in.seekg(0);
        in.read(text.data(), size);
    }
    return text;
}

CsvTable read_csv_file(const std::string& path) { return parse_csv(read_input_file(path), path); }

void require_column(const CsvTable& table, const std::string& path, const char* column)
{
    if (table.column(column) < 0)
        throw usage_error(path + ": the header row has no " + quote(column) + " column (columns: " +
                          quoted_list(table.header) + ")");
}

void run_bulk(Context& ctx, const std::string& what, bool continue_on_error,
              const std::function<BulkReport(TenantStore&, Notes&, const BulkOptions&)>& fn)
{
    auto store = ctx.open(SqliteTenant::Mode::read_write);
    BulkOptions options;
    options.continue_on_error = continue_on_error;
    const auto format = ctx.format();
    options.row_messages = format != Format::table;  // a table shows only the failed rows
    const auto start = std::chrono::steady_clock::now();
    bool progress_shown = false;
    if (ctx.stderr_is_terminal()) {
        // Only runs that take more than a moment show progress.
        options.progress = [&](std::size_t done, std::size_t total) {
            auto elapsed = std::chrono::steady_clock::now() - start;
            if (elapsed < std::chrono::milliseconds(300) && !progress_shown)
                return;
            progress_shown = true;
            std::cerr << "\r" << what << ": checked " << done << " of " << total << " rows" << std::flush;
        };
    }
    BulkReport report;
    Notes notes;
    // Rows are written as they are checked; a run that is not to apply is rolled back.
    struct NotApplied {};
    ChangeResult result;
    try {
        result = store->change(ctx.change_info(), ctx.globals.dry_run, [&](TenantStore& s) {
            report = fn(s, notes, options);
            if (!report.applied)
                throw NotApplied{};
        });
    } catch (const NotApplied&) {
        notes.warnings.erase(std::remove_if(notes.warnings.begin(), notes.warnings.end(),
                                            [](const std::string& w) { return w.starts_with("created group"); }),
                             notes.warnings.end());
    }
    if (progress_shown)
        std::cerr << "\r\033[K" << std::flush;
    for (const auto& w : notes.warnings)
        ctx.warn(w);

    Json rows = Json::array();
    for (const auto& r : report.rows)
        if (format != Format::table || r.outcome == "failed")
            rows.push_back(to_json(r));
    if (format != Format::table || !rows.empty())
        print_objects(ctx.out(), format, rows,
                      {{"row", "Row"}, {"userPrincipalName", "UserPrincipalName"}, {"outcome", "Outcome"}, {"message", "Message"}});

    const auto total = report.rows.size();
    auto summary = what + ": " + std::to_string(total) + (total == 1 ? " row: " : " rows: ") + report.summary();
    if (report.failed == 0) {
        if (ctx.globals.dry_run)
            ctx.note(summary + " (dry run: nothing was changed)");
        else
            ctx.note(summary + (result.id ? " (change " + std::to_string(result.id) + ")" : std::string()));
        return;
    }
    ctx.note(summary);
    auto failed = std::to_string(report.failed) + " of " + std::to_string(total) + (total == 1 ? " row" : " rows") + " failed";
    std::string first;
    for (const auto& r : report.rows)
        if (r.outcome == "failed") {
            first = " (first: row " + std::to_string(r.row) + ": " + r.message + ")";
            break;
        }
    if (ctx.globals.dry_run)
        throw Error(report.code(), failed + first + "; dry run: nothing was changed");
    if (!report.applied)
        throw Error(report.code(), failed + first + "; nothing was changed (fix the rows, or pass --continue-on-error to apply the " +
                                       std::to_string(total - report.failed) + " valid rows)");
    throw Error(report.code(), failed + first + "; the valid rows were applied" +
                                   (result.id ? " as change " + std::to_string(result.id) : std::string()) +
                                   "; fix the failed rows and run the same command again");
}

}  // namespace csctl
