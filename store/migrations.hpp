// The schema of a tenant database as numbered migrations: migration N brings PRAGMA user_version
// from N-1 to N. Never edit a released migration; append a new one.
#pragma once

#include <string_view>
#include <vector>

namespace csctl {
const std::vector<std::string_view>& tenant_migrations();
}
