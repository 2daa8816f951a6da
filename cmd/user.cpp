// user, user-enable, user-disable: the directory and number assignment
// (Set/Remove-CsPhoneNumberAssignment, the legacy Set-CsUser forms).
#include "cmd/bulk.hpp"
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/policy_assignment.hpp"
#include "core/text.hpp"
#include "core/user.hpp"

namespace csctl {

namespace {

// The Teams upgrade modes `user list --mode` takes (the modes of the built-in upgrade policies).
const std::vector<std::string> k_upgrade_modes{"TeamsOnly", "Islands", "SfBOnly", "SfBWithTeamsCollab",
                                               "SfBWithTeamsCollabAndMeetings"};

const std::vector<Column> k_columns{{"userPrincipalName", "UserPrincipalName"},
                                    {"displayName", "DisplayName"},
                                    {"phoneNumber", "PhoneNumber"},
                                    {"enterpriseVoiceEnabled", "EnterpriseVoiceEnabled"},
                                    {"homed", "Homed"},
                                    {"effectiveOnlineVoiceRoutingPolicy", "OnlineVoiceRoutingPolicy"},
                                    {"teamsUpgradeMode", "Mode"}};

struct UserArgs {
    std::string identity;
    std::string filter;
    FieldInputs fields;
    std::vector<std::string> licenses;
    std::string groups;
    CLI::Option* groups_option = nullptr;
    std::string file;
    bool continue_on_error = false;
    // list filters
    std::string mode, policy, enabled, has_number, group;
};

struct EnableArgs {
    std::string identity;
    std::string number;
    std::string number_type;
    std::string line_uri;
    std::string enterprise_voice;
    std::string hosted_voice_mail;
    std::string file;
    bool continue_on_error = false;
};

// A user as `get` shows it: JSON keeps effectivePolicies nested; the other formats flatten them.
Json user_view(const User& u, const PolicyResolver& resolver, Format format)
{
    auto j = to_json(u);
    if (format == Format::json || format == Format::yaml) {
        j["effectivePolicies"] = resolver.effective_json(u);
        return j;
    }
    auto describe = [](const EffectivePolicy& p) { return p.name + " (" + p.describe() + ")"; };
    j["effectiveOnlineVoiceRoutingPolicy"] = describe(resolver.voice_routing(u));
    j["effectiveTeamsUpgradePolicy"] = describe(resolver.upgrade(u));
    j["teamsUpgradeMode"] = resolver.mode(u);
    j["effectiveTenantDialPlan"] = describe(resolver.dial_plan(u));
    return j;
}

std::vector<std::string> expand(const std::vector<std::string>& raw)
{
    std::vector<std::string> out;
    for (const auto& r : raw)
        for (auto& item : split_list(r, r.find(';') != std::string::npos ? ';' : ','))
            out.push_back(std::move(item));
    return out;
}

Edit user_edit(UserArgs& a)
{
    auto edit = a.fields.edit(user_label(a.identity));
    if (!a.licenses.empty())
        edit.set["licenses"] = expand(a.licenses);
    if (a.groups_option && a.groups_option->count() > 0)
        edit.set["groups"] = split_list(a.groups, a.groups.find(';') != std::string::npos ? ';' : ',');
    return edit;
}

std::vector<UserRow> rows_from_csv(const CsvTable& t, const std::string& path)
{
    require_column(t, path, "userPrincipalName");
    const long upn = t.column("userPrincipalName"), display = t.column("displayName"), sip = t.column("sipAddress"),
               object = t.column("objectId"), location = t.column("usageLocation"), account = t.column("accountType"),
               homed = t.column("homed"), licenses = t.column("licenses"), groups = t.column("groups");
    std::vector<UserRow> rows(t.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& r = rows[i];
        r.row = t.lines[i];
        auto take = [&](long column, std::string& out) { out = t.cell(i, column); };
        take(upn, r.upn);
        take(display, r.display_name);
        take(sip, r.sip_address);
        take(object, r.object_id);
        take(location, r.usage_location);
        take(account, r.account_type);
        take(homed, r.homed);
        take(licenses, r.licenses);
        take(groups, r.groups);
        r.has_licenses = licenses >= 0;
        r.has_groups = groups >= 0;
    }
    return rows;
}

std::vector<UserRow> rows_from_json(const Json& j, const std::string& path)
{
    if (j.is_discarded())
        throw usage_error(path + ": not valid JSON");
    const Json* list = &j;
    if (j.is_object() && j.contains("users"))
        list = &j.at("users");
    if (!list->is_array())
        throw usage_error(path + ": expected a JSON array of users (or an export document)");
    std::vector<UserRow> rows;
    std::size_t n = 0;
    auto text = [&](const Json& o, const char* key, std::string& out) {
        if (!o.contains(key) || o.at(key).is_null())
            return false;
        const auto& v = o.at(key);
        if (v.is_string())
            out = v.get<std::string>();
        else if (v.is_array()) {
            std::vector<std::string> items;
            for (const auto& item : v) {
                if (!item.is_string())
                    throw usage_error(path + ": user " + std::to_string(n) + ": field " + quote(key) + " must be a list of strings");
                items.push_back(item.get<std::string>());
            }
            out = join(items, ";");
        } else
            throw usage_error(path + ": user " + std::to_string(n) + ": field " + quote(key) + " must be a string");
        return true;
    };
    for (const auto& o : *list) {
        ++n;
        if (!o.is_object())
            throw usage_error(path + ": user " + std::to_string(n) + " is not a JSON object");
        UserRow r;
        r.row = n;
        text(o, "userPrincipalName", r.upn);
        text(o, "displayName", r.display_name);
        text(o, "sipAddress", r.sip_address);
        text(o, "objectId", r.object_id);
        text(o, "usageLocation", r.usage_location);
        text(o, "accountType", r.account_type);
        text(o, "homed", r.homed);
        r.has_licenses = text(o, "licenses", r.licenses);
        r.has_groups = text(o, "groups", r.groups);
        rows.push_back(std::move(r));
    }
    return rows;
}

std::optional<bool> optional_flag(const std::string& text, const char* what)
{
    if (text.empty())
        return std::nullopt;
    return parse_bool(text, what);
}

}  // namespace

void add_user_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("user", "The directory: users that policies and numbers are assigned to", "Get-CsOnlineUser");
    r.names(group, "user");
    auto print_one = [&ctx](const User& u) {
        if (ctx.globals.dry_run)
            return;
        auto store = ctx.open(SqliteTenant::Mode::read_only);
        PolicyResolver resolver(*store);
        auto format = ctx.format() == Format::table ? Format::list : ctx.format();
        print_objects(ctx.out(), format, Json::array({user_view(u, resolver, format)}), k_columns);
    };
    auto add_user_options = [&r](CLI::App* cmd, UserArgs& a, bool create) {
        r.add_identity(cmd, a.identity, "UserPrincipalName (name@domain)", true);
        r.add_fields(cmd, user_fields(), create, a.fields);
        auto* licence = cmd->add_option("--license,--licence", a.licenses,
                                        "licences, repeatable or comma-separated: PhoneSystem, CallingPlan (replaces the list)");
        r.set_choices(licence, {"PhoneSystem", "CallingPlan"});
        a.groups_option = cmd->add_option("--groups", a.groups,
                                          "group memberships, ';'-separated (replaces them; missing groups are created)");
    };

    auto add = std::make_shared<UserArgs>();
    auto* cmd = r.command(group, "add", "add a user to the directory", Needs::tenant_write, "New-MgUser / Get-CsOnlineUser",
                          [&ctx, add, print_one] {
                              auto edit = user_edit(*add);
                              User created;
                              run_change(ctx, [&](TenantStore& s, Notes& n) { created = new_user(s, add->identity, edit, n); });
                              print_one(created);
                          });
    add_user_options(cmd, *add, true);

    auto set = std::make_shared<UserArgs>();
    cmd = r.command(group, "set", "change a user's directory fields", Needs::tenant_write, "Update-MgUser",
                    [&ctx, set, print_one] {
                        auto edit = user_edit(*set);
                        User changed;
                        run_change(ctx, [&](TenantStore& s, Notes& n) { changed = set_user(s, set->identity, edit, n); });
                        print_one(changed);
                    });
    add_user_options(cmd, *set, false);

    auto import = std::make_shared<UserArgs>();
    cmd = r.command(group, "import", "add or update many users from a CSV (or JSON) file, in one change", Needs::tenant_write,
                    "New-MgUser (bulk)", [&ctx, import] {
                        std::vector<UserRow> rows;
                        // JSON by its name, or by its first character (standard input has no name).
                        auto text = read_input_file(import->file);
                        auto first = text.find_first_not_of(" \t\r\n");
                        bool json = import->file.ends_with(".json") ||
                                    (first != std::string::npos && (text[first] == '[' || text[first] == '{'));
                        if (json)
                            rows = rows_from_json(Json::parse(text, nullptr, false), import->file);
                        else
                            rows = rows_from_csv(parse_csv(std::move(text), import->file), import->file);
                        run_bulk(ctx, "user import", import->continue_on_error,
                                 [&](TenantStore& s, Notes& n, const BulkOptions& o) { return import_users(s, rows, o, n); });
                    });
    cmd->add_option("file", import->file,
                    "CSV with a header row: userPrincipalName (required), displayName, sipAddress, objectId, usageLocation, "
                    "accountType, homed, licenses, groups (';'-separated); or a .json array of users; - reads stdin")
        ->required();
    cmd->add_flag("--continue-on-error", import->continue_on_error, "apply the valid rows even when some rows fail");

    auto get = std::make_shared<UserArgs>();
    cmd = r.command(group, "get", "show a user with each effective policy and where it comes from", Needs::tenant_read,
                    "Get-CsOnlineUser", [&ctx, get] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        auto user = require_user(*store, get->identity);
                        PolicyResolver resolver(*store);
                        auto format = ctx.format() == Format::table ? Format::list : ctx.format();
                        print_objects(ctx.out(), format, Json::array({user_view(user, resolver, format)}), k_columns);
                    });
    r.add_identity(cmd, get->identity, "UserPrincipalName", true);

    auto list = std::make_shared<UserArgs>();
    cmd = r.command(group, "list", "list users, filtered for migration waves", Needs::tenant_read, "Get-CsOnlineUser -Filter",
                    [&ctx, list] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        PolicyResolver resolver(*store);
                        auto enabled = optional_flag(list->enabled, "user list: --enabled");
                        auto has_number = optional_flag(list->has_number, "user list: --has-number");
                        auto policy = list->policy.empty() ? std::string() : policy_name_from_identity(list->policy);
                        // A typo must not give an empty migration wave.
                        if (!list->mode.empty() && find_identity(k_upgrade_modes, list->mode) < 0)
                            throw usage_error("user list: --mode " + quote(list->mode) + " is not one of " +
                                              join(k_upgrade_modes, ", "));
                        if (!policy.empty() && policy != "Global" && !store->find_policy(policy))
                            throw not_found("user list: --policy: " + policy_label(policy) + " does not exist");
                        if (!list->group.empty() && !store->find_group(list->group))
                            throw not_found("user list: --group: " + group_label(list->group) + " does not exist");
                        auto format = ctx.format();
                        Json out = Json::array();
                        for (const auto& u : store->users()) {
                            if (!list->filter.empty() && !wildcard_match(list->filter, u.user_principal_name))
                                continue;
                            if (enabled && u.enterprise_voice_enabled != *enabled)
                                continue;
                            if (has_number && u.phone_number.empty() == *has_number)
                                continue;
                            if (!list->group.empty() && find_identity(u.groups, list->group) < 0)
                                continue;
                            if (!list->mode.empty() && !iequals(resolver.mode(u), list->mode))
                                continue;
                            if (!policy.empty() && !iequals(resolver.voice_routing(u).name, policy))
                                continue;
                            out.push_back(user_view(u, resolver, format));
                        }
                        print_objects(ctx.out(), format, out, k_columns);
                    });
    cmd->add_option("--filter", list->filter, "wildcard on the UserPrincipalName (* and ?)");
    auto* mode = cmd->add_option("--mode", list->mode, "effective Teams upgrade mode (TeamsOnly, Islands, SfBOnly …)");
    r.set_choices(mode, k_upgrade_modes);
    cmd->add_option("--policy", list->policy, "effective voice routing policy (Global included)");
    r.set_choices(cmd->add_option("--enabled", list->enabled, "EnterpriseVoiceEnabled: true or false"), {"true", "false"});
    r.set_choices(cmd->add_option("--has-number", list->has_number, "has a phone number: true or false"), {"true", "false"});
    cmd->add_option("--group", list->group, "member of this group");

    auto remove = std::make_shared<UserArgs>();
    cmd = r.command(group, "remove", "remove a user (frees the number and the grants)", Needs::tenant_write, "Remove-MgUser",
                    [&ctx, remove] {
                        run_change(ctx, [&](TenantStore& s, Notes&) { remove_user(s, remove->identity); },
                                   "Remove " + user_label(remove->identity) + "?");
                    });
    r.add_identity(cmd, remove->identity, "UserPrincipalName", true);

    // user-enable / user-disable: top-level, like the cmdlets they mirror.
    auto enable = std::make_shared<EnableArgs>();
    cmd = r.command(&r.root(), "user-enable", "assign a phone number and enable Enterprise Voice", Needs::tenant_write,
                    "Set-CsPhoneNumberAssignment, Set-CsUser -EnterpriseVoiceEnabled -OnPremLineURI", [&ctx, enable, print_one] {
                        if (!enable->file.empty()) {
                            if (!enable->identity.empty())
                                throw usage_error("user-enable: give either a user or --from-csv, not both");
                            if (!enable->number.empty() || !enable->line_uri.empty() || !enable->enterprise_voice.empty() ||
                                !enable->hosted_voice_mail.empty())
                                throw usage_error("user-enable --from-csv: --number, --on-prem-line-uri, --enterprise-voice-enabled "
                                                  "and --hosted-voice-mail are for one user; the CSV gives each row's number "
                                                  "(and numberType; --number-type sets it for the rows that leave it empty)");
                            auto table = read_csv_file(enable->file);
                            require_column(table, enable->file, "userPrincipalName");
                            require_column(table, enable->file, "phoneNumber");
                            const long upn = table.column("userPrincipalName"), number = table.column("phoneNumber");
                            long type = table.column("numberType");
                            if (type < 0)
                                type = table.column("phoneNumberType");
                            std::vector<EnableRow> rows(table.size());
                            for (std::size_t i = 0; i < rows.size(); ++i) {
                                rows[i] = EnableRow{table.lines[i], std::string(table.cell(i, upn)),
                                                    std::string(table.cell(i, number)), std::string(table.cell(i, type))};
                                if (trim(rows[i].number_type).empty())
                                    rows[i].number_type = enable->number_type;
                            }
                            run_bulk(ctx, "user-enable", enable->continue_on_error,
                                     [&](TenantStore& s, Notes& n, const BulkOptions& o) { return enable_users(s, rows, o, n); });
                            return;
                        }
                        if (enable->identity.empty())
                            throw usage_error("user-enable: name the user (UPN) or give --from-csv FILE");
                        EnableRequest request;
                        request.number = enable->number;
                        if (!enable->line_uri.empty()) {
                            if (!enable->number.empty())
                                throw usage_error("user-enable: give either --number or --on-prem-line-uri, not both");
                            request.number = enable->line_uri;
                        }
                        request.number_type = enable->number_type;
                        request.enterprise_voice_enabled =
                            optional_flag(enable->enterprise_voice, "user-enable: --enterprise-voice-enabled");
                        request.hosted_voice_mail = optional_flag(enable->hosted_voice_mail, "user-enable: --hosted-voice-mail");
                        User changed;
                        run_change(ctx, [&](TenantStore& s, Notes& n) { changed = enable_user(s, enable->identity, request, n); });
                        print_one(changed);
                    });
    r.add_identity(cmd, enable->identity, "UserPrincipalName", false);
    cmd->add_option("--number,--phone-number", enable->number,
                    "the number: E.164 (+14255550100), a human format (+1 (425) 555-0100), ;ext=N kept  [PhoneNumber]");
    r.set_choices(cmd->add_option("--number-type,--phone-number-type", enable->number_type,
                                  "DirectRouting (default), CallingPlan or OperatorConnect  [PhoneNumberType]"),
                  {"DirectRouting", "CallingPlan", "OperatorConnect"});
    cmd->add_option("--on-prem-line-uri", enable->line_uri, "legacy form of --number: tel:+14255550100  [OnPremLineURI]");
    r.set_choices(cmd->add_flag("--enterprise-voice-enabled", enable->enterprise_voice,
                                "enable (or =false disable) Enterprise Voice  [EnterpriseVoiceEnabled]"),
                  {"true", "false"});
    r.set_choices(cmd->add_flag("--hosted-voice-mail,--hosted-voicemail", enable->hosted_voice_mail,
                                "legacy hosted voicemail flag  [HostedVoiceMail]"),
                  {"true", "false"});
    cmd->add_option("--from-csv", enable->file,
                    "many users: CSV with userPrincipalName, phoneNumber, numberType (--number-type: for empty cells)");
    cmd->add_flag("--continue-on-error", enable->continue_on_error, "with --from-csv: apply the valid rows even when some fail");

    auto disable = std::make_shared<EnableArgs>();
    cmd = r.command(&r.root(), "user-disable", "remove the user's phone number and disable Enterprise Voice",
                    Needs::tenant_write, "Remove-CsPhoneNumberAssignment", [&ctx, disable, print_one] {
                        User changed;
                        run_change(ctx, [&](TenantStore& s, Notes&) { changed = disable_user(s, disable->identity, disable->number); });
                        print_one(changed);
                    });
    r.add_identity(cmd, disable->identity, "UserPrincipalName", true);
    cmd->add_option("--number,--phone-number", disable->number,
                    "remove only if the user has this number (default: remove all, like -RemoveAll)");
    r.examples("user", {"csctl user add spencer@contoso.com --display-name \"Spencer Low\" --usage-location US --license PhoneSystem", "csctl user add olga@contoso.com --license PhoneSystem --license CallingPlan --homed onprem --groups \"sales;west\"", "csctl user import users.csv --continue-on-error -o json", "csctl user get spencer@contoso.com -o list", "csctl user list --mode TeamsOnly --has-number"});
    r.examples("user-enable", {"csctl user-enable spencer@contoso.com --number +14255388797 --number-type DirectRouting", "# the legacy Set-CsUser form", "csctl user-enable spencer@contoso.com --on-prem-line-uri tel:+14255388797 --enterprise-voice-enabled", "csctl user-enable --from-csv numbers.csv -o csv"});
    r.examples("user-disable", {"csctl user-disable spencer@contoso.com", "csctl user-disable spencer@contoso.com --number +14255388797"});
}

}  // namespace csctl
