#include "cmd/grant.hpp"

#include "cmd/bulk.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace csctl {

std::vector<GrantRow> grant_rows_from_csv(const std::string& path, const std::string* policy)
{
    auto table = read_csv_file(path);
    require_column(table, path, "userPrincipalName");
    const long upn = table.column("userPrincipalName");
    const long name = table.column("policyName");
    if (!policy && name < 0)
        throw usage_error(path + ": name the policy on the command line or give the file a \"policyName\" column");
    std::vector<GrantRow> rows(table.rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = GrantRow{table.lines[i], table.cell(i, upn), policy ? *policy : table.cell(i, name)};
    return rows;
}

std::vector<GrantRow> grant_rows_from_users(const std::vector<std::string>& upns, const std::string& policy)
{
    std::vector<GrantRow> rows;
    std::size_t n = 0;
    for (const auto& raw : upns)
        for (auto& upn : split_list(raw))
            rows.push_back(GrantRow{++n, std::move(upn), policy});
    return rows;
}

}  // namespace csctl
