#include "core/user.hpp"

#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/group.hpp"
#include "core/names.hpp"
#include "core/phone_number.hpp"
#include "core/policy_assignment.hpp"
#include "core/text.hpp"
#include "core/upgrade_policy.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace csctl {

namespace {

const std::vector<std::string> k_account_types{"User", "ResourceAccount"};
const std::vector<std::string> k_homings{"online", "onprem"};
const std::vector<std::string> k_licenses{"PhoneSystem", "CallingPlan"};
const std::vector<std::string> k_number_types{"DirectRouting", "CallingPlan", "OperatorConnect"};

// The canonical spelling of value among values, or throws naming the user and the field. The
// message is built only on failure: bulk imports validate 100,000s of users.
const std::string& canonical(const std::vector<std::string>& values, std::string_view value, const std::string& upn,
                             const char* field)
{
    for (const auto& v : values)
        if (iequals(v, value))
            return v;
    throw usage_error(user_label(upn) + ": " + field + " " + quote(std::string(value)) + " is not one of " + join(values, ", "));
}

bool same(const User& a, const User& b)
{
    auto tie = [](const User& u) {
        return std::tie(u.user_principal_name, u.sip_address, u.display_name, u.object_id, u.usage_location, u.account_type,
                        u.homed, u.licenses, u.groups, u.enterprise_voice_enabled, u.phone_number, u.phone_number_type,
                        u.hosted_voice_mail, u.online_voice_routing_policy, u.tenant_dial_plan, u.teams_upgrade_policy);
    };
    return tie(a) == tie(b);
}

void check_text(const std::string& upn, const char* field, const std::string& value, std::size_t max_length)
{
    if (value.size() > max_length)
        throw usage_error(user_label(upn) + ": " + field + " is longer than " + std::to_string(max_length) + " characters");
    if (!valid_utf8(value))
        throw usage_error(user_label(upn) + ": " + field + " is not valid UTF-8");
}

void check_upn(const std::string& upn)
{
    if (upn.empty())
        throw usage_error("user: UserPrincipalName is empty");
    check_text(upn, "UserPrincipalName", upn, 256);
    auto at = upn.find('@');
    if (at == std::string::npos || at == 0 || upn.find('@', at + 1) != std::string::npos)
        throw usage_error(user_label(upn) + ": UserPrincipalName must look like name@domain (e.g. spencer@contoso.com)");
    for (char c : std::string_view(upn).substr(0, at))
        if (c == ' ' || c == '"' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
            throw usage_error(user_label(upn) + ": UserPrincipalName contains " + quote(std::string(1, c)) + ", which is not allowed");
    if (auto problem = dns_name_problem(std::string_view(upn).substr(at + 1)))
        throw usage_error(user_label(upn) + ": the domain of UserPrincipalName " + *problem);
}

// Trims in place, without a copy when there is nothing to trim (the usual case).
void trim_in_place(std::string& s)
{
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    if (!s.empty() && (blank(s.front()) || blank(s.back())))
        s = trim(s);
}

}  // namespace

// validate() without the copies: bulk imports check users where they are.
static void validate_in_place(User& u);

const std::vector<FieldSpec>& user_fields()
{
    using T = FieldType;
    static const std::vector<FieldSpec> fields{
        {"DisplayName", "displayName", "display-name", T::text, "the name people see"},
        {"SipAddress", "sipAddress", "sip-address", T::text, "SIP address (default sip:UPN; \"sip:\" is added when missing)"},
        {"ObjectId", "objectId", "object-id", T::text, "the directory object id (a GUID)"},
        {"UsageLocation", "usageLocation", "usage-location", T::text, "ISO 3166 country code (US, GB …); reads national numbers"},
        {"AccountType", "accountType", "account-type", T::enumeration, "User or ResourceAccount", k_account_types},
        {"Homed", "homed", "homed", T::enumeration, "where the user is homed: online (Teams) or onprem (Skype for Business Server)",
         k_homings},
    };
    return fields;
}

User validate(User u)
{
    validate_in_place(u);
    return u;
}

static void validate_in_place(User& u)
{
    trim_in_place(u.user_principal_name);
    const auto& upn = u.user_principal_name;
    check_upn(upn);
    check_text(upn, "DisplayName", u.display_name, 256);
    check_text(upn, "SipAddress", u.sip_address, 256);
    if (u.sip_address.empty())
        u.sip_address = "sip:" + upn;
    else if (u.sip_address.size() < 4 || !iequals(std::string_view(u.sip_address).substr(0, 4), "sip:"))
        u.sip_address = "sip:" + u.sip_address;
    else if (u.sip_address.compare(0, 4, "sip:") != 0)
        u.sip_address = "sip:" + u.sip_address.substr(4);
    if (u.sip_address.find('@') == std::string::npos || u.sip_address.find(' ') != std::string::npos)
        throw usage_error(user_label(upn) + ": SipAddress " + quote(u.sip_address) + " must look like sip:name@domain");
    if (!u.object_id.empty() && !is_guid(u.object_id))
        throw usage_error(user_label(upn) + ": ObjectId " + quote(u.object_id) +
                          " is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    if (!u.usage_location.empty()) {
        auto upper = u.usage_location;
        for (auto& c : upper)
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 'a' + 'A');
        if (!is_country_code(upper))
            throw usage_error(user_label(upn) + ": UsageLocation " + quote(u.usage_location) +
                              " is not an ISO 3166 country code (two letters, e.g. US" +
                              (upper == "UK" ? std::string("; the United Kingdom is GB") : std::string()) + ")");
        u.usage_location = upper;
    }
    u.account_type = canonical(k_account_types, u.account_type, upn, "AccountType");
    u.homed = canonical(k_homings, u.homed, upn, "Homed");
    // Licences in canonical spelling, each once; in place, as they usually are already.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < u.licenses.size(); ++i) {
        trim_in_place(u.licenses[i]);
        const auto& c = canonical(k_licenses, u.licenses[i], upn, "licence");
        bool seen = false;
        for (std::size_t k = 0; k < kept; ++k)
            seen = seen || u.licenses[k] == c;
        if (!seen)
            u.licenses[kept++] = c;
    }
    u.licenses.resize(kept);
    if (!u.phone_number_type.empty())
        u.phone_number_type = canonical(k_number_types, u.phone_number_type, upn, "PhoneNumberType");
    if (u.phone_number.empty())
        u.phone_number_type.clear();
    check_voice_rules(u);
}

void check_voice_rules(const User& u)
{
    const auto& upn = u.user_principal_name;
    if ((u.enterprise_voice_enabled || !u.phone_number.empty()) && !u.has_license("PhoneSystem"))
        throw usage_error(user_label(upn) + ": a phone number and Enterprise Voice need the PhoneSystem licence "
                                            "(add it with `csctl user set " + upn + " --license PhoneSystem`)");
    if (u.phone_number.empty())
        return;
    if (u.phone_number_type == "DirectRouting" && u.homed != "online")
        throw usage_error(user_label(upn) + ": DirectRouting numbers need a user homed online, and the user is homed "
                                            "on-premises (move the user to Teams first, or use OnPremLineUri on the Skype "
                                            "for Business Server)");
    if (u.phone_number_type == "CallingPlan" && !u.has_license("CallingPlan"))
        throw usage_error(user_label(upn) + ": CallingPlan numbers need the CallingPlan licence (add it with --license "
                                            "CallingPlan)");
}

void check_homing_move(const User* before, const User& after, const PolicyResolver& resolver)
{
    if (after.homed != "onprem" || resolver.mode(after) != "TeamsOnly")
        return;
    if (before && before->homed == "onprem" && resolver.mode(*before) == "TeamsOnly")
        return;  // not made so by this change (validate reports it)
    auto effective = resolver.upgrade(after);
    throw usage_error(user_label(after.user_principal_name) + ": Homed \"onprem\" is refused: the user is TeamsOnly (teams "
                      "upgrade policy " + quote(effective.name) + ", " + effective.describe() +
                      ") and a TeamsOnly user must stay homed online; grant a mode that keeps Skype for Business first "
                      "(`csctl upgrade-policy grant Islands --user " + after.user_principal_name + "`)");
}

User require_user(TenantStore& store, const std::string& upn)
{
    auto u = store.find_user(trim(upn));
    if (!u)
        throw not_found(user_label(upn) + " does not exist (add it with `csctl user add`, list them with `csctl user list`)");
    return *u;
}

namespace {

// Group names in stored spelling; groups that do not exist are created (and noted).
std::vector<std::string> resolve_groups(TenantStore& store, const std::vector<std::string>& names, Notes& notes)
{
    std::vector<std::string> out;
    for (const auto& name : names) {
        std::string stored;
        if (auto g = store.find_group(name)) {
            stored = g->name;
        } else {
            stored = new_group(store, name, {}).name;
            notes.warnings.push_back("created " + group_label(stored) + " (it did not exist)");
        }
        if (find_identity(out, stored) < 0)
            out.push_back(stored);
    }
    return out;
}

User apply(const User& base, const Edit& edit)
{
    auto json = to_json(base);
    apply_edit(json, edit, user_fields(), user_label(base.user_principal_name));
    return user_from_json(json, base.user_principal_name);
}

}  // namespace

User new_user(TenantStore& store, const std::string& upn, const Edit& edit, Notes& notes)
{
    User base;
    base.user_principal_name = trim(upn);
    check_upn(base.user_principal_name);
    if (auto existing = store.find_user(base.user_principal_name))
        throw conflict(user_label(existing->user_principal_name) + " already exists (change it with `csctl user set`)");
    auto u = validate(apply(base, edit));
    check_homing_move(nullptr, u, PolicyResolver(store));
    u.groups = resolve_groups(store, u.groups, notes);
    store.put_user(u);
    return u;
}

User set_user(TenantStore& store, const std::string& upn, const Edit& edit, Notes& notes)
{
    const auto before = require_user(store, upn);
    auto u = validate(apply(before, edit));
    check_homing_move(&before, u, PolicyResolver(store));
    u.groups = resolve_groups(store, u.groups, notes);
    store.put_user(u);
    return u;
}

void remove_user(TenantStore& store, const std::string& upn) { store.erase_user(require_user(store, upn).user_principal_name); }

std::string teams_only_warning(TenantStore& store, const User& user)
{
    if (user.phone_number.empty() && !user.enterprise_voice_enabled)
        return {};
    PolicyResolver resolver(store);
    auto mode = resolver.mode(user);
    if (mode == "TeamsOnly")
        return {};
    auto effective = resolver.upgrade(user);
    return user_label(user.user_principal_name) + " is in mode " + mode + ", not TeamsOnly (teams upgrade policy " +
           quote(effective.name) + ", " + effective.describe() + "); Direct Routing calls will not reach the user until it is "
           "(`csctl upgrade-policy grant UpgradeToTeams --user " + user.user_principal_name + "`)";
}

User enable_user(TenantStore& store, const std::string& upn, const EnableRequest& request, Notes& notes)
{
    auto user = require_user(store, upn);
    const auto owner = user_label(user.user_principal_name);
    if (request.number.empty() && request.number_type.empty() && !request.enterprise_voice_enabled &&
        !request.hosted_voice_mail)
        throw usage_error("user-enable " + quote(user.user_principal_name) +
                          ": say what to assign: --number N, --enterprise-voice-enabled or --hosted-voice-mail");
    if (!request.number.empty()) {
        auto number = normalise_phone_number(request.number, user.usage_location, owner, true);
        if (auto holder = store.user_with_phone_number(number); holder && !iequals(*holder, user.user_principal_name))
            throw conflict(owner + ": PhoneNumber " + quote(number) + " is already assigned to " + user_label(*holder) +
                           " (remove it there first: `csctl user-disable " + *holder + "`)");
        user.phone_number = number;
        user.enterprise_voice_enabled = true;
        if (request.number_type.empty())
            user.phone_number_type = "DirectRouting";
    }
    if (!request.number_type.empty()) {
        if (user.phone_number.empty())
            throw usage_error(owner + ": --number-type needs a number (--number N)");
        user.phone_number_type = canonical(k_number_types, request.number_type, user.user_principal_name, "PhoneNumberType");
    }
    if (request.enterprise_voice_enabled) {
        if (!*request.enterprise_voice_enabled && !user.phone_number.empty())
            throw usage_error(owner + ": a user with a phone number stays Enterprise Voice enabled; remove the number with "
                                      "`csctl user-disable " + user.user_principal_name + "`");
        user.enterprise_voice_enabled = *request.enterprise_voice_enabled;
    }
    if (request.hosted_voice_mail)
        user.hosted_voice_mail = *request.hosted_voice_mail;
    user = validate(user);
    store.put_user(user);
    if (auto w = teams_only_warning(store, user); !w.empty())
        notes.warnings.push_back(w);
    return user;
}

User disable_user(TenantStore& store, const std::string& upn, const std::string& number)
{
    auto user = require_user(store, upn);
    const auto owner = user_label(user.user_principal_name);
    if (!number.empty()) {
        auto wanted = normalise_phone_number(number, user.usage_location, owner);
        if (user.phone_number != wanted)
            throw usage_error(owner + ": PhoneNumber " + quote(wanted) + " is not assigned to the user" +
                              (user.phone_number.empty() ? std::string(" (the user has no number)")
                                                         : " (the user has " + quote(user.phone_number) + ")"));
    }
    user.phone_number.clear();
    user.phone_number_type.clear();
    user.enterprise_voice_enabled = false;
    store.put_user(user);
    return user;
}

BulkReport import_users(TenantStore& store, const std::vector<UserRow>& rows, const BulkOptions& options, Notes& notes)
{
    BulkReport report;
    report.rows.reserve(rows.size());
    std::unordered_map<std::string, std::string> groups;  // lower-case → stored spelling
    for (const auto& g : store.groups())
        groups.emplace(to_lower(g.name), g.name);
    std::vector<std::string> new_groups;
    std::vector<std::string> upns;
    upns.reserve(rows.size());
    for (const auto& r : rows)
        upns.push_back(trim(r.upn));
    UserIndex found(store.find_users(upns));
    const PolicyResolver resolver(store);
    SeenRows seen(rows.size());
    std::vector<UserChange> changes;
    changes.reserve(std::min(rows.size(), k_bulk_chunk));
    // Groups a row names that do not exist yet: created once a row that needs them is valid.
    auto create_groups = [&](const User& u) {
        for (const auto& g : u.groups) {
            auto at = std::find(new_groups.begin(), new_groups.end(), g);
            if (at == new_groups.end())
                continue;
            new_group(store, g, {});
            notes.warnings.push_back("created " + group_label(g) + " (it did not exist)");
            new_groups.erase(at);
        }
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& in = rows[i];
        auto& out = report.rows.emplace_back(RowResult{in.row, upns[i], {}, {}, ExitCode::ok});
        if (options.progress && i % 4096 == 0)
            options.progress(i, rows.size());
        try {
            if (upns[i].empty())
                throw usage_error("row " + std::to_string(in.row) + ": userPrincipalName is empty");
            auto [first_row, fresh] = seen.emplace(upns[i], in.row);
            if (!fresh)
                throw usage_error(user_label(upns[i]) + " is listed again (first on row " + std::to_string(first_row) + ")");
            const User* existing = found.find(upns[i]);
            User u;
            if (existing)
                u = *existing;
            else
                u.user_principal_name = upns[i];
            if (!in.display_name.empty())
                u.display_name = in.display_name;
            if (!in.sip_address.empty())
                u.sip_address = in.sip_address;
            if (!in.object_id.empty())
                u.object_id = in.object_id;
            if (!in.usage_location.empty())
                u.usage_location = in.usage_location;
            if (!in.account_type.empty())
                u.account_type = in.account_type;
            if (!in.homed.empty())
                u.homed = in.homed;
            if (in.has_licenses && !in.licenses.empty())
                u.licenses = split_list(in.licenses, ';');
            if (in.has_groups && !in.groups.empty()) {
                u.groups.clear();
                for (const auto& name : split_list(in.groups, ';')) {
                    validate_group_name(name);
                    auto [g, added] = groups.emplace(to_lower(name), name);
                    if (added)
                        new_groups.push_back(name);
                    if (find_identity(u.groups, g->second) < 0)
                        u.groups.push_back(g->second);
                }
            }
            validate_in_place(u);
            out.upn = u.user_principal_name;
            check_homing_move(existing, u, resolver);
            if (existing && same(*existing, u)) {
                out.outcome = "unchanged";
                continue;
            }
            out.outcome = existing ? "updated" : "created";
            if (report.writing(options))
                create_groups(u);
            auto& change = changes.emplace_back();
            if (existing)
                change.before = *existing;
            change.after = std::move(u);
        } catch (const Error& e) {
            report.fail(out, e);
        }
        if (changes.size() >= k_bulk_chunk && report.writing(options)) {
            store.put_users(changes);
            changes.clear();
        }
    }
    if (options.progress)
        options.progress(rows.size(), rows.size());
    if (report.decide(options))
        store.put_users(changes);
    return report;
}

BulkReport enable_users(TenantStore& store, const std::vector<EnableRow>& rows, const BulkOptions& options, Notes& notes)
{
    std::vector<std::string> not_teams_only;  // enabled here, and not in TeamsOnly mode: the first few
    std::size_t not_teams_only_count = 0;
    BulkReport report;
    report.rows.reserve(rows.size());
    std::vector<std::string> upns;
    upns.reserve(rows.size());
    for (const auto& r : rows)
        upns.push_back(trim(r.upn));
    UserIndex found(store.find_users(upns));
    PolicyResolver resolver(store);
    SeenRows seen(rows.size());
    std::unordered_map<std::string, std::size_t> numbers;
    std::vector<UserChange> changes;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& in = rows[i];
        auto& out = report.rows.emplace_back(RowResult{in.row, upns[i], {}, {}, ExitCode::ok});
        if (options.progress && i % 4096 == 0)
            options.progress(i, rows.size());
        try {
            if (upns[i].empty())
                throw usage_error("row " + std::to_string(in.row) + ": userPrincipalName is empty");
            auto [first_row, fresh] = seen.emplace(upns[i], in.row);
            if (!fresh)
                throw usage_error(user_label(upns[i]) + " is listed again (first on row " + std::to_string(first_row) + ")");
            const User* existing = found.find(upns[i]);
            if (!existing)
                throw not_found(user_label(upns[i]) + " does not exist (add it with `csctl user add` or `csctl user import`)");
            User u = *existing;
            const auto owner = user_label(u.user_principal_name);
            out.upn = u.user_principal_name;
            auto number = normalise_phone_number(in.phone_number, u.usage_location, owner);
            if (auto [n, first] = numbers.emplace(number, in.row); !first)
                throw conflict(owner + ": PhoneNumber " + quote(number) + " is also on row " + std::to_string(n->second));
            if (auto holder = store.user_with_phone_number(number); holder && !iequals(*holder, u.user_principal_name))
                throw conflict(owner + ": PhoneNumber " + quote(number) + " is already assigned to " + user_label(*holder) +
                               " (remove it there first: `csctl user-disable " + *holder + "`)");
            u.phone_number = number;
            u.phone_number_type = in.number_type.empty() ? std::string("DirectRouting")
                                                         : canonical(k_number_types, trim(in.number_type), u.user_principal_name, "PhoneNumberType");
            u.enterprise_voice_enabled = true;
            check_voice_rules(u);
            if (same(*existing, u)) {
                out.outcome = "unchanged";
                continue;
            }
            out.outcome = "updated";
            if (resolver.mode(u) != "TeamsOnly") {
                out.message = "warning: not TeamsOnly; Direct Routing calls will not reach the user";
                if (not_teams_only_count++ < 3)
                    not_teams_only.push_back(u.user_principal_name);
            }
            changes.push_back(UserChange{*existing, std::move(u)});
        } catch (const Error& e) {
            report.fail(out, e);
        }
        if (changes.size() >= k_bulk_chunk && report.writing(options)) {
            store.put_users(changes);
            changes.clear();
        }
    }
    if (options.progress)
        options.progress(rows.size(), rows.size());
    if (report.decide(options))
        store.put_users(changes);
    if (report.applied && not_teams_only_count > 0) {
        auto n = not_teams_only_count;
        notes.warnings.push_back(std::to_string(n) + (n == 1 ? " user" : " users") + " given a number here " +
                                 (n == 1 ? "is" : "are") + " not TeamsOnly (" + quoted_list(not_teams_only, 3) +
                                 (n > not_teams_only.size() ? ", …" : "") +
                                 "); Direct Routing calls will not reach them until they are (`csctl upgrade-policy grant "
                                 "UpgradeToTeams --from-csv FILE`)");
    }
    return report;
}

}  // namespace csctl
