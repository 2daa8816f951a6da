// Users: the directory entries policies and numbers are assigned to, their rules, the
// user-enable/user-disable number assignment (Set/Remove-CsPhoneNumberAssignment and the legacy
// Set-CsUser forms), and the bulk import.
#pragma once

#include "core/bulk.hpp"
#include "core/fields.hpp"
#include "core/tenant_store.hpp"

namespace csctl {

class PolicyResolver;

// The directory fields that `user add` / `user set` offer as options (licences and groups are
// lists the command line gathers itself).
const std::vector<FieldSpec>& user_fields();

// Checks the user and returns it in stored spelling: SIP address defaulted and prefixed,
// country code upper-case, enumerations canonical, licences deduplicated. Throws a usage error
// naming the user and the field.
User validate(User user);
// The voice rules: a number needs the PhoneSystem licence, DirectRouting a user homed online,
// CallingPlan the CallingPlan licence.
void check_voice_rules(const User& user);

// Coexistence (domain.md): a user homed on-premises is never TeamsOnly. A usage error naming the
// user and the field when `after` (created when before is null, else changed from before) is homed
// on-premises with TeamsOnly as its effective mode, unless before was so already.
void check_homing_move(const User* before, const User& after, const PolicyResolver& resolver);

User require_user(TenantStore& store, const std::string& upn);
// Creates the user; groups that do not exist yet are created (noted). Refused when it exists.
User new_user(TenantStore& store, const std::string& upn, const Edit& edit, Notes& notes);
User set_user(TenantStore& store, const std::string& upn, const Edit& edit, Notes& notes);
void remove_user(TenantStore& store, const std::string& upn);

struct EnableRequest {
    std::string number;                          // "" = keep the current number
    std::string number_type;                     // "" = DirectRouting (or the current type)
    std::optional<bool> enterprise_voice_enabled;
    std::optional<bool> hosted_voice_mail;
};
User enable_user(TenantStore& store, const std::string& upn, const EnableRequest& request, Notes& notes);
// Removes the user's number (only when it is `number`, if given) and clears EnterpriseVoiceEnabled.
User disable_user(TenantStore& store, const std::string& upn, const std::string& number);

// One row of `user import` as text; empty cells leave a field as it is (a new user's default).
struct UserRow {
    std::size_t row = 0;
    std::string upn, display_name, sip_address, object_id, usage_location, account_type, homed;
    std::string licenses;                        // "PhoneSystem;CallingPlan"
    std::string groups;                          // "sales;west"
    bool has_licenses = false, has_groups = false;
};
BulkReport import_users(TenantStore& store, const std::vector<UserRow>& rows, const BulkOptions& options, Notes& notes);

// One row of `user-enable --from-csv`.
struct EnableRow {
    std::size_t row = 0;
    std::string upn;
    std::string phone_number;
    std::string number_type;
};
BulkReport enable_users(TenantStore& store, const std::vector<EnableRow>& rows, const BulkOptions& options, Notes& notes);

// The warning for a user with a number who is not effectively TeamsOnly, or "".
std::string teams_only_warning(TenantStore& store, const User& user);

}  // namespace csctl
