// Results of the bulk commands (user import, --from-csv grants and enables): one result per row,
// and the rule that a run with a failed row applies nothing unless continue_on_error.
#pragma once

#include "core/error.hpp"
#include "core/json.hpp"

#include <functional>
#include <string>
#include <vector>

namespace csctl {

struct RowResult {
    std::size_t row = 0;               // line in the file (the header is line 1)
    std::string upn;
    std::string outcome;               // created, updated, unchanged, removed, failed, skipped
    std::string message;
    ExitCode code = ExitCode::ok;      // of a failed row
};

using Progress = std::function<void(std::size_t done, std::size_t total)>;

struct BulkOptions {
    bool continue_on_error = false;
    Progress progress;                 // called now and then while rows are checked
};

struct BulkReport {
    std::vector<RowResult> rows;
    std::size_t failed = 0;
    bool applied = false;              // the valid rows were written (in the change)

    void fail(RowResult& row, const Error& error);
    std::size_t count(std::string_view outcome) const;
    // After every row is checked: true when the valid rows are to be written. When a row failed
    // and continue_on_error is off, the valid rows become "skipped".
    bool decide(const BulkOptions& options);
    // "3 created, 1 unchanged, 1 failed"
    std::string summary() const;
    // The exit code of the first failed row (ok when none failed).
    ExitCode code() const;
};

Json to_json(const RowResult& row);

}  // namespace csctl
