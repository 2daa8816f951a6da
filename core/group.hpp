// Groups for group policy assignment: New/Remove a group, add and remove members.
#pragma once

#include "core/tenant_store.hpp"

namespace csctl {

void validate_group_name(const std::string& name);
Group require_group(TenantStore& store, const std::string& name);
// Creates the group. A group that exists already (user add --groups creates groups) is left as
// it is when no other description is asked for; otherwise a conflict.
Group new_group(TenantStore& store, const std::string& name, const std::string& description);
// Removes the group and every membership in it (the members' lists change, journaled).
void remove_group(TenantStore& store, const std::string& name);
void add_group_members(TenantStore& store, const std::string& group, const std::vector<std::string>& upns);
void remove_group_members(TenantStore& store, const std::string& group, const std::vector<std::string>& upns);

}  // namespace csctl
