// Results of the bulk commands (user import, --from-csv grants and enables): one result per row,
// and the rule that a run with a failed row applies nothing unless continue_on_error.
#pragma once

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/model.hpp"
#include "core/text.hpp"

#include <functional>
#include <string>
#include <unordered_map>
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
    // The messages of rows that did not fail (a grant's "A -> B"): off when only failed rows are
    // shown, so that 100,000 rows cost no message each.
    bool row_messages = true;
};

// Bulk commands write as they go, in chunks of this many rows, so that memory stays flat. A run
// that ends with a failed row and without continue_on_error is rolled back by the caller.
inline constexpr std::size_t k_bulk_chunk = 4096;

// UPNs (views into the rows, which outlive it) → the first row that named them.
using SeenRows = IdentityIndex;

// The users a bulk command found, by UPN (any case).
class UserIndex {
public:
    explicit UserIndex(std::vector<User> users);
    User* find(std::string_view upn);

private:
    std::vector<User> m_users;
    IdentityIndex m_index;
};

struct BulkReport {
    std::vector<RowResult> rows;
    std::size_t failed = 0;
    bool applied = false;              // the valid rows were written; false: the caller must roll back

    void fail(RowResult& row, const Error& error);
    std::size_t count(std::string_view outcome) const;
    // After every row is checked: true when the valid rows are to be written. When a row failed
    // and continue_on_error is off, the valid rows become "skipped".
    bool decide(const BulkOptions& options);
    // While rows are checked: whether valid rows may still be written.
    bool writing(const BulkOptions& options) const { return failed == 0 || options.continue_on_error; }
    // "3 created, 1 unchanged, 1 failed"
    std::string summary() const;
    // The exit code of the first failed row (ok when none failed).
    ExitCode code() const;
};

Json to_json(const RowResult& row);

}  // namespace csctl
