#include "core/bulk.hpp"

#include "core/text.hpp"


namespace csctl {

UserIndex::UserIndex(std::vector<User> users) : m_users(std::move(users)), m_index(m_users.size())
{
    for (std::size_t i = 0; i < m_users.size(); ++i)
        m_index.emplace(m_users[i].user_principal_name, i);
}

User* UserIndex::find(std::string_view upn)
{
    if (m_users.empty())
        return nullptr;
    auto at = m_index.find(upn);
    return at == IdentityIndex::npos ? nullptr : &m_users[at];
}

void BulkReport::fail(RowResult& row, const Error& error)
{
    row.outcome = "failed";
    row.message = error.what();
    row.code = error.code();
    ++failed;
}

std::size_t BulkReport::count(std::string_view outcome) const
{
    std::size_t n = 0;
    for (const auto& r : rows)
        n += r.outcome == outcome;
    return n;
}

bool BulkReport::decide(const BulkOptions& options)
{
    applied = failed == 0 || options.continue_on_error;
    if (!applied)
        for (auto& r : rows)
            if (r.outcome != "failed") {
                r.message = "not applied (" + r.outcome + "): another row failed; pass --continue-on-error to apply the valid rows";
                r.outcome = "skipped";
            }
    return applied;
}

std::string BulkReport::summary() const
{
    std::string out;
    for (const char* outcome : {"created", "updated", "removed", "unchanged", "skipped", "failed"}) {
        auto n = count(outcome);
        if (n == 0)
            continue;
        if (!out.empty())
            out += ", ";
        out += std::to_string(n) + " " + outcome;
    }
    return out.empty() ? "no rows" : out;
}

ExitCode BulkReport::code() const
{
    for (const auto& r : rows)
        if (r.outcome == "failed")
            return r.code;
    return ExitCode::ok;
}

Json to_json(const RowResult& row)
{
    return Json{{"row", row.row}, {"userPrincipalName", row.upn}, {"outcome", row.outcome}, {"message", row.message}};
}

}  // namespace csctl
