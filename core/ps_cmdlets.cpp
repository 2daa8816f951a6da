#include "core/ps_cmdlets.hpp"

#include "core/dial_plan.hpp"
#include "core/error.hpp"
#include "core/gateway.hpp"
#include "core/names.hpp"
#include "core/number_pattern.hpp"
#include "core/pattern.hpp"
#include "core/policy_assignment.hpp"
#include "core/routing.hpp"
#include "core/text.hpp"
#include "core/translation_rule.hpp"
#include "core/upgrade_policy.hpp"
#include "core/usage.hpp"
#include "core/user.hpp"
#include "core/voice_route.hpp"
#include "core/voice_routing_policy.hpp"

#include <cctype>
#include <map>

namespace csctl {

namespace {

// ---- parameters -------------------------------------------------------------------------------

enum class ParamType {
    text,      // one value
    boolean,   // $true / $false
    toggle,    // a switch: -Global, -Force (or -Global:$false)
    list,      // one value or a comma list
    field,     // a field of the kind's table (FieldSpec)
    ignored,   // a common parameter that changes nothing here (-ErrorAction Stop)
    ignored_toggle,
};

struct Param {
    std::string name;
    ParamType type = ParamType::text;
    std::vector<std::string> aliases;
    const FieldSpec* field = nullptr;
};

// Common parameters every cmdlet takes; they change nothing in a local tenant.
const std::vector<Param>& common_params()
{
    static const std::vector<Param> params{
        {"Force", ParamType::ignored_toggle},        {"Confirm", ParamType::ignored_toggle},
        {"Verbose", ParamType::ignored_toggle, {"vb"}}, {"Debug", ParamType::ignored_toggle, {"db"}},
        {"ErrorAction", ParamType::ignored, {"ea"}}, {"WarningAction", ParamType::ignored, {"wa"}},
        {"InformationAction", ParamType::ignored, {"infa"}}, {"ErrorVariable", ParamType::ignored, {"ev"}},
        {"WarningVariable", ParamType::ignored, {"wv"}}, {"InformationVariable", ParamType::ignored, {"iv"}},
        {"OutVariable", ParamType::ignored, {"ov"}}, {"OutBuffer", ParamType::ignored, {"ob"}},
        {"PipelineVariable", ParamType::ignored, {"pv"}}, {"WhatIf", ParamType::toggle, {"wi"}},
    };
    return params;
}

// PowerShell aliases of field parameters, as Microsoft's cmdlet reference documents them.
const std::map<std::string, std::vector<std::string>>& field_aliases()
{
    static const std::map<std::string, std::vector<std::string>> aliases{
        {"SipSignalingPort", {"SipSignallingPort"}},
    };
    return aliases;
}

struct Bound {
    std::string source;
    std::string cmdlet;
    PsLocation at;
    std::map<std::string, PsValue> values;  // by canonical parameter name

    std::string where(const std::string& name = {}) const
    {
        auto it = values.find(name);
        return ps_where(source, it != values.end() ? it->second.at : at) + ": " + cmdlet;
    }
    [[noreturn]] void fail(const std::string& name, const std::string& message) const
    {
        throw usage_error(where(name) + ": " + message);
    }
    bool has(const std::string& name) const { return values.count(name) > 0; }
    const PsValue* get(const std::string& name) const
    {
        auto it = values.find(name);
        return it == values.end() ? nullptr : &it->second;
    }
    // One value as text: $null → "", $true → "true".
    std::string text(const std::string& name) const
    {
        const auto* v = get(name);
        if (!v)
            return {};
        switch (v->kind) {
        case PsValue::Kind::text:
        case PsValue::Kind::boolean: return v->text;
        case PsValue::Kind::null: return {};
        case PsValue::Kind::list: fail(name, "-" + name + " takes one value, not a list");
        case PsValue::Kind::modifiers: fail(name, "-" + name + " takes one value, not @{…}");
        }
        return {};
    }
    std::string required(const std::string& name) const
    {
        if (!has(name))
            fail("", "-" + name + " is required");
        auto t = text(name);
        if (trim(t).empty())
            fail(name, "-" + name + " is empty");
        return t;
    }
    bool toggle(const std::string& name) const
    {
        const auto* v = get(name);
        return v && v->kind == PsValue::Kind::boolean && v->text == "true";
    }
    std::optional<bool> boolean(const std::string& name) const
    {
        const auto* v = get(name);
        if (!v)
            return std::nullopt;
        if (v->kind == PsValue::Kind::boolean)
            return v->text == "true";
        try {
            return parse_bool(text(name), "-" + name);
        } catch (const Error& e) {
            fail(name, e.what());
        }
    }
    std::vector<std::string> list(const std::string& name) const
    {
        const auto* v = get(name);
        if (!v || v->kind == PsValue::Kind::null)
            return {};
        if (v->kind == PsValue::Kind::list)
            return v->items;
        return {text(name)};
    }
};

// ---- binding ----------------------------------------------------------------------------------

struct Definition {
    std::string name;
    std::vector<Param> params;          // positional ones first, in order (see positional)
    std::size_t positional = 0;         // how many of params take positional values
    std::function<void(const Bound&, PsStep&)> bind;
};

Param param(std::string name, ParamType type = ParamType::text, std::vector<std::string> aliases = {})
{
    return Param{std::move(name), type, std::move(aliases), nullptr};
}

ParamType field_param_type(const FieldSpec& f)
{
    (void)f;
    return ParamType::field;
}

// params, then one parameter per field of the table (new: all; set: those not create_only).
std::vector<Param> with_fields(std::vector<Param> params, const std::vector<FieldSpec>& fields, bool create)
{
    for (const auto& f : fields) {
        if (f.create_only && !create)
            continue;
        Param p{f.property, field_param_type(f), {}, &f};
        if (auto it = field_aliases().find(f.property); it != field_aliases().end())
            p.aliases = it->second;
        params.push_back(std::move(p));
    }
    return params;
}

// The parameter a name (any case, a prefix, or an alias) means: exact names win over prefixes.
const Param* resolve(const std::vector<Param>& params, const std::string& name, const std::string& where)
{
    std::vector<const Param*> all;
    for (const auto& p : params)
        all.push_back(&p);
    for (const auto& p : common_params())
        all.push_back(&p);
    for (const auto* p : all) {
        if (iequals(p->name, name))
            return p;
        for (const auto& a : p->aliases)
            if (iequals(a, name))
                return p;
    }
    std::vector<const Param*> matches;
    auto lower = to_lower(name);
    for (const auto* p : all) {
        bool hit = to_lower(p->name).starts_with(lower);
        for (const auto& a : p->aliases)
            hit = hit || to_lower(a).starts_with(lower);
        if (hit)
            matches.push_back(p);
    }
    if (matches.size() == 1)
        return matches.front();
    if (matches.size() > 1) {
        std::vector<std::string> names;
        for (const auto* p : matches)
            names.push_back("-" + p->name);
        throw usage_error(where + ": -" + name + " is ambiguous: it could be " + join(names, ", "));
    }
    std::vector<std::string> names;
    for (const auto& p : params)
        names.push_back("-" + p.name);
    throw usage_error(where + ": no parameter -" + name + " (parameters: " + join(names, ", ") + ")");
}

Bound bind_parameters(const PsCommand& cmd, const Definition& def, const std::string& source)
{
    Bound b;
    b.source = source;
    b.cmdlet = def.name;
    b.at = cmd.at;
    std::size_t next_position = 0;
    for (std::size_t i = 0; i < cmd.elements.size(); ++i) {
        const auto& e = cmd.elements[i];
        const auto where = ps_where(source, e.at) + ": " + def.name;
        if (!e.parameter) {
            while (next_position < def.positional && b.has(def.params[next_position].name))
                ++next_position;
            if (next_position >= def.positional)
                throw usage_error(where + ": unexpected value" +
                                  (e.value->kind == PsValue::Kind::text ? " " + quote(e.value->text) : std::string()) +
                                  " (name the parameter it is for, like -Identity)");
            b.values[def.params[next_position].name] = *e.value;
            ++next_position;
            continue;
        }
        const auto* p = resolve(def.params, e.name, where);
        if (b.has(p->name))
            throw usage_error(where + ": -" + p->name + " is given twice");
        PsValue value;
        value.at = e.at;
        bool is_toggle = p->type == ParamType::toggle || p->type == ParamType::ignored_toggle;
        if (e.value) {
            value = *e.value;
        } else if (is_toggle) {
            value.kind = PsValue::Kind::boolean;
            value.text = "true";
        } else if (i + 1 < cmd.elements.size() && !cmd.elements[i + 1].parameter) {
            value = *cmd.elements[++i].value;
        } else {
            throw usage_error(where + ": -" + p->name + " needs a value");
        }
        if (p->name == "WhatIf")
            throw usage_error(where + ": -WhatIf is not supported here: run `csctl ps --dry-run` to see what would change");
        if (p->type == ParamType::ignored || p->type == ParamType::ignored_toggle)
            continue;
        if (is_toggle && value.kind != PsValue::Kind::boolean)
            throw usage_error(where + ": -" + p->name + " is a switch: give it alone or as -" + p->name + ":$true");
        if (p->type == ParamType::boolean && value.kind != PsValue::Kind::boolean && value.kind != PsValue::Kind::text)
            throw usage_error(where + ": -" + p->name + " takes $true or $false");
        b.values[p->name] = value;
    }
    return b;
}

// The Edit the field parameters ask for; values are checked here, before anything runs.
Edit field_edit(const Bound& b, const std::vector<FieldSpec>& fields, bool create, const std::string& owner)
{
    Edit edit;
    for (const auto& f : fields) {
        if (f.create_only && !create)
            continue;
        const auto* v = b.get(f.property);
        if (!v)
            continue;
        const bool is_list = f.type == FieldType::text_list || f.type == FieldType::integer_list;
        // A text item is one name (PowerShell passes "a,b" as one string); an integer item may be
        // the cmdlet's own text form of the list ("408,503,504" for -FailoverResponseCodes).
        auto list_json = [&](const std::vector<std::string>& items) {
            Json out = Json::array();
            for (const auto& item : items) {
                if (f.type != FieldType::integer_list) {
                    out.push_back(trim(item));
                    continue;
                }
                for (auto& code : parse_field(f, item, owner))
                    out.push_back(std::move(code));
            }
            return out;
        };
        try {
            switch (v->kind) {
            case PsValue::Kind::modifiers:
                if (!is_list)
                    b.fail(f.property, "-" + f.property + " takes one value; @{Add=…} is for lists");
                for (const auto& [op, items] : v->modifiers) {
                    if (op == "Replace") {
                        edit.set[f.key] = list_json(items);
                        continue;
                    }
                    if (f.type == FieldType::integer_list)
                        b.fail(f.property, "-" + f.property + ": use @{Replace=…} or the whole list");
                    auto& target = op == "Add" ? edit.add[f.key] : edit.remove[f.key];
                    for (const auto& item : items)
                        target.push_back(trim(item));
                }
                break;
            case PsValue::Kind::list:
                if (!is_list)
                    b.fail(f.property, "-" + f.property + " takes one value, not a list");
                edit.set[f.key] = list_json(v->items);
                break;
            case PsValue::Kind::null:
                if (is_list)
                    edit.set[f.key] = Json::array();
                else if (f.type == FieldType::flag || f.type == FieldType::integer || f.type == FieldType::enumeration)
                    b.fail(f.property, "-" + f.property + " cannot be $null");
                else
                    edit.set[f.key] = parse_field(f, "$null", owner);
                break;
            case PsValue::Kind::boolean:
            case PsValue::Kind::text:
                if (is_list)
                    edit.set[f.key] = list_json({v->text});
                else
                    edit.set[f.key] = parse_field(f, v->text, owner);
                break;
            }
        } catch (const Error& e) {
            if (std::string(e.what()).starts_with(b.source))
                throw;
            throw Error(e.code(), b.where(f.property) + ": " + e.what());
        }
    }
    return edit;
}

// The csctl options that say the same as the field parameters.
std::string field_options(const Bound& b, const std::vector<FieldSpec>& fields, bool create)
{
    std::string out;
    for (const auto& f : fields) {
        if (f.create_only && !create)
            continue;
        const auto* v = b.get(f.property);
        if (!v)
            continue;
        // csctl's list options split at commas: a name that holds one has no csctl equivalent.
        auto one_name = [&](const std::string& item) {
            if (f.type == FieldType::text_list && item.find(',') != std::string::npos)
                b.fail(f.property, quote(item) + " is one name to PowerShell and holds a comma, which csctl's --" +
                                       f.option + " reads as two; to give several, write a list: \"a\", \"b\"");
        };
        for (const auto& item : v->items)
            one_name(item);
        for (const auto& [op, items] : v->modifiers)
            for (const auto& item : items)
                one_name(item);
        if (v->kind == PsValue::Kind::text && f.type == FieldType::text_list)
            one_name(v->text);
        switch (v->kind) {
        case PsValue::Kind::modifiers:
            for (const auto& [op, items] : v->modifiers) {
                if (op == "Replace" || f.item.empty())
                    out += " --" + f.option + " " + shell_word(join(items, ","));
                else
                    for (const auto& item : items)
                        out += " --" + std::string(op == "Add" ? "add-" : "remove-") + f.item + " " + shell_word(item);
            }
            break;
        case PsValue::Kind::list: out += " --" + f.option + " " + shell_word(join(v->items, ",")); break;
        case PsValue::Kind::null: out += " --" + f.option + " ''"; break;
        case PsValue::Kind::boolean:
        case PsValue::Kind::text:
            if (f.type == FieldType::flag) {
                bool on = false;
                try {
                    on = parse_bool(v->text, f.property);
                } catch (const Error&) {
                }
                out += " --" + f.option + (on ? "" : "=false");
            } else {
                out += " --" + f.option + " " + shell_word(v->text);
            }
            break;
        }
    }
    return out;
}

// ---- reading the tenant inside the change -----------------------------------------------------

// The tenant as the routing engine reads it, without the directory (no Test cmdlet needs it).
TenantDocument routing_document(TenantStore& s)
{
    TenantDocument d;
    d.tenant = s.tenant();
    d.gateways = s.gateways();
    d.usages = s.usages();
    d.routes = s.routes();
    d.policies = s.policies();
    d.dial_plans = s.dial_plans();
    d.translation_rules = s.translation_rules();
    d.blocked_numbers = s.number_patterns(false);
    d.exempt_numbers = s.number_patterns(true);
    d.groups = s.groups();
    return d;
}

// A user as -Identity names one: UPN, SIP address, object id, or a unique display name.
User resolve_user(TenantStore& s, const std::string& identity)
{
    auto id = trim(identity);
    if (id.size() > 4 && iequals(id.substr(0, 4), "sip:"))
        id = id.substr(4);
    if (id.find('@') != std::string::npos)
        return require_user(s, id);
    std::vector<User> found;
    for (auto& u : s.users())
        if (iequals(u.display_name, id) || (!u.object_id.empty() && iequals(u.object_id, id)))
            found.push_back(std::move(u));
    if (found.size() == 1)
        return found.front();
    if (found.empty())
        throw not_found(user_label(id) + " does not exist (no UserPrincipalName, SIP address, object id or display name "
                                         "matches; add the user with `csctl user add`)");
    std::vector<std::string> upns;
    for (const auto& u : found)
        upns.push_back(u.user_principal_name);
    throw usage_error("user " + quote(id) + " is ambiguous: display name of " + quoted_list(upns) +
                      " (give the UserPrincipalName)");
}

Json select(const Json& all, const std::string& filter, const char* key)
{
    if (filter.empty())
        return all;
    Json out = Json::array();
    for (const auto& o : all)
        if (wildcard_match(filter, o.value(key, std::string())))
            out.push_back(o);
    return out;
}

template <typename T>
Json json_list(const std::vector<T>& objects)
{
    Json out = Json::array();
    for (const auto& o : objects)
        out.push_back(to_json(o));
    return out;
}

std::string cli(const std::string& words) { return "csctl " + words; }

// ---- the cmdlets ------------------------------------------------------------------------------

// New/Set/Get/Remove of a kind with a field table: the shape most cmdlets share.
struct KindOps {
    std::string noun;                   // CsOnlineVoiceRoute
    std::string group;                  // voice-route
    std::vector<std::string> identity_aliases;
    const std::vector<FieldSpec>& (*fields)();
    std::function<std::string(const std::string&)> owner;
    std::function<void(TenantStore&, const std::string&, const Edit&, Notes&)> create;
    std::function<void(TenantStore&, const std::string&, const Edit&, Notes&)> change;
    std::function<void(TenantStore&, const std::string&)> remove;
    std::function<Json(TenantStore&, const std::string& identity, const std::string& filter)> get;
};

void add_kind(std::vector<Definition>& defs, const KindOps& k)
{
    auto identity = param("Identity", ParamType::text, k.identity_aliases);
    defs.push_back({"New-" + k.noun, with_fields({identity}, k.fields(), true), 1, [k](const Bound& b, PsStep& step) {
                        auto id = b.required("Identity");
                        auto edit = field_edit(b, k.fields(), true, k.owner(id));
                        step.csctl = {cli(k.group + " new " + shell_word(id) + field_options(b, k.fields(), true))};
                        step.run = [k, id, edit](TenantStore& s, Notes& n, Json&) { k.create(s, id, edit, n); };
                    }});
    defs.push_back({"Set-" + k.noun, with_fields({identity}, k.fields(), false), 1, [k](const Bound& b, PsStep& step) {
                        // Set-CsOnlineVoiceRoutingPolicy and Set-CsTenantDialPlan without -Identity change Global.
                        bool global_default = k.noun == "CsOnlineVoiceRoutingPolicy" || k.noun == "CsTenantDialPlan";
                        auto id = global_default && !b.has("Identity") ? std::string("Global") : b.required("Identity");
                        auto edit = field_edit(b, k.fields(), false, k.owner(id));
                        if (edit.empty())
                            b.fail("", "say what to change (parameters: " + [&] {
                                std::vector<std::string> names;
                                for (const auto& f : k.fields())
                                    if (!f.create_only)
                                        names.push_back("-" + f.property);
                                return join(names, ", ");
                            }() + ")");
                        step.csctl = {cli(k.group + " set " + shell_word(id) + field_options(b, k.fields(), false))};
                        step.run = [k, id, edit](TenantStore& s, Notes& n, Json&) { k.change(s, id, edit, n); };
                    }});
    defs.push_back({"Get-" + k.noun, {identity, param("Filter")}, 1, [k](const Bound& b, PsStep& step) {
                        auto id = b.text("Identity");
                        auto filter = b.text("Filter");
                        step.csctl = {cli(k.group + " get" + (id.empty() ? "" : " " + shell_word(id)) +
                                          (filter.empty() ? "" : " --filter " + shell_word(filter)) + " -o json")};
                        step.run = [k, id, filter](TenantStore& s, Notes&, Json& out) { out = k.get(s, id, filter); };
                    }});
    defs.push_back({"Remove-" + k.noun, {identity}, 1, [k](const Bound& b, PsStep& step) {
                        auto id = b.required("Identity");
                        step.destructive = true;
                        step.csctl = {cli(k.group + " remove " + shell_word(id) + " --yes")};
                        step.run = [k, id](TenantStore& s, Notes&, Json&) { k.remove(s, id); };
                    }});
}

// The number a Test cmdlet takes, cleaned like the csctl commands clean it.
std::string test_number(const Bound& b, const std::string& name, bool allow_extension)
{
    auto text = b.required(name);
    try {
        return clean_number(text, "-" + name, allow_extension);
    } catch (const Error& e) {
        b.fail(name, e.what());
    }
}

// Grant-CsOnlineVoiceRoutingPolicy and Grant-CsTenantDialPlan: the same parameters and targets.
struct PolicyGrant {
    const char* command;  // the csctl command group of --translate
    void (*to_user)(TenantStore&, const std::string& policy, const std::string& upn);
    void (*to_group)(TenantStore&, const std::string& policy, const std::string& group, std::optional<int> rank);
    void (*global)(TenantStore&, const std::string& policy);
};

std::vector<Param> policy_grant_params()
{
    return {param("Identity"), param("PolicyName"), param("Group"), param("Rank"), param("Global", ParamType::toggle)};
}

void bind_policy_grant(const Bound& b, PsStep& step, const PolicyGrant& g)
{
    if (!b.has("PolicyName"))
        b.fail("", "-PolicyName is required ($null removes the assignment)");
    auto policy = b.text("PolicyName");
    int targets = (b.has("Identity") ? 1 : 0) + (b.has("Group") ? 1 : 0) + (b.toggle("Global") ? 1 : 0);
    if (targets != 1)
        b.fail("", "say whom to grant to: -Identity USER, -Group NAME [-Rank N] or -Global (one of them)");
    auto shown = shell_word(policy.empty() ? std::string("$null") : policy);
    if (b.has("Identity")) {
        auto user = b.required("Identity");
        step.csctl = {cli(std::string(g.command) + " grant " + shown + " --user " + shell_word(user))};
        step.run = [g, user, policy](TenantStore& s, Notes&, Json&) {
            g.to_user(s, policy, resolve_user(s, user).user_principal_name);
        };
    } else if (b.has("Group")) {
        auto group = b.required("Group");
        std::optional<int> rank;
        if (b.has("Rank")) {
            try {
                auto r = parse_integer(b.text("Rank"), "-Rank");
                if (r < 1 || r > 1000000)
                    throw usage_error("-Rank " + quote(b.text("Rank")) + " must be 1 or more");
                rank = static_cast<int>(r);
            } catch (const Error& e) {
                b.fail("Rank", e.what());
            }
        }
        step.csctl = {cli(std::string(g.command) + " grant " + shown + " --group " + shell_word(group) +
                          (rank ? " --rank " + std::to_string(*rank) : ""))};
        step.run = [g, group, policy, rank](TenantStore& s, Notes&, Json&) {
            g.to_group(s, policy, group, rank);
        };
    } else {
        step.destructive = true;  // as `grant --global`: asks first
        step.csctl = {cli(std::string(g.command) + " grant " + shown + " --global --yes")};
        step.run = [g, policy](TenantStore& s, Notes&, Json&) { g.global(s, policy); };
    }
}

std::vector<Definition> make_definitions()
{
    std::vector<Definition> defs;

    // Online PSTN gateways.
    add_kind(defs, {"CsOnlinePSTNGateway", "online-pstn-gateway", {"Fqdn"}, gateway_fields, gateway_label,
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes& n) { new_gateway(s, id, e, n); },
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes& n) { set_gateway(s, id, e, n); },
                    [](TenantStore& s, const std::string& id) { remove_gateway(s, id); },
                    [](TenantStore& s, const std::string& id, const std::string& filter) {
                        return id.empty() ? select(json_list(s.gateways()), filter, "identity")
                                          : Json::array({to_json(require_gateway(s, id))});
                    }});

    // PSTN usages: one tenant-wide list.
    defs.push_back({"Set-CsOnlinePstnUsage", {param("Identity"), param("Usage", ParamType::list)}, 1,
                    [](const Bound& b, PsStep& step) {
                        if (b.has("Identity") && !iequals(policy_name_from_identity(b.text("Identity")), "Global"))
                            b.fail("Identity", "the PSTN usages are one list: -Identity is Global");
                        const auto* v = b.get("Usage");
                        if (!v)
                            b.fail("", "-Usage is required (@{Add=\"name\"}, @{Remove=…} or @{Replace=…})");
                        std::vector<std::pair<std::string, std::vector<std::string>>> ops;
                        if (v->kind == PsValue::Kind::modifiers)
                            ops = v->modifiers;
                        else
                            ops.emplace_back("Replace", b.list("Usage"));
                        for (auto& [op, items] : ops) {
                            for (auto& item : items) {
                                item = trim(item);
                                try {
                                    validate_usage_name(item);
                                } catch (const Error& e) {
                                    b.fail("Usage", e.what());
                                }
                            }
                            std::string word = op == "Add" ? "add" : op == "Remove" ? "remove" : "replace";
                            std::string line = word;
                            for (const auto& item : items)
                                line += " " + shell_word(item);
                            step.csctl.push_back(cli("usage " + line + (op == "Add" ? "" : " --yes")));
                            if (op != "Add")
                                step.destructive = true;
                        }
                        step.run = [ops](TenantStore& s, Notes&, Json&) {
                            for (const auto& [op, items] : ops) {
                                if (op == "Add")
                                    add_usages(s, items);
                                else if (op == "Remove")
                                    remove_usages(s, items, false);
                                else
                                    replace_usages(s, items, false);
                            }
                        };
                    }});
    defs.push_back({"Get-CsOnlinePstnUsage", {param("Identity"), param("Filter")}, 1, [](const Bound&, PsStep& step) {
                        step.csctl = {cli("usage get -o json")};
                        step.run = [](TenantStore& s, Notes&, Json& out) {
                            out = Json::array({Json{{"identity", "Global"}, {"usage", s.usages()}}});
                        };
                    }});

    // Voice routes.
    add_kind(defs, {"CsOnlineVoiceRoute", "voice-route", {}, voice_route_fields, route_label,
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes& n) { new_route(s, id, e, n); },
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes& n) { set_route(s, id, e, n); },
                    [](TenantStore& s, const std::string& id) { remove_route(s, id); },
                    [](TenantStore& s, const std::string& id, const std::string& filter) {
                        return id.empty() ? select(json_list(s.routes()), filter, "identity")
                                          : Json::array({to_json(require_route(s, id))});
                    }});

    // Voice routing policies.
    auto policy_owner = [](const std::string& id) { return policy_label(policy_name_from_identity(id)); };
    add_kind(defs, {"CsOnlineVoiceRoutingPolicy", "voice-routing-policy", {}, voice_routing_policy_fields, policy_owner,
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes&) { new_policy(s, id, e); },
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes&) { set_policy(s, id, e); },
                    [](TenantStore& s, const std::string& id) { remove_policy(s, id); },
                    [](TenantStore& s, const std::string& id, const std::string& filter) {
                        return id.empty() ? select(json_list(s.policies()), filter, "identity")
                                          : Json::array({to_json(require_policy(s, id))});
                    }});
    defs.push_back({"Grant-CsOnlineVoiceRoutingPolicy", policy_grant_params(), 2, [](const Bound& b, PsStep& step) {
                        bind_policy_grant(b, step, {"voice-routing-policy", grant_voice_routing_policy_to_user,
                                                    grant_voice_routing_policy_to_group, grant_policy_global});
                    }});
    defs.push_back({"Grant-CsTenantDialPlan", policy_grant_params(), 2, [](const Bound& b, PsStep& step) {
                        bind_policy_grant(b, step, {"dial-plan", grant_dial_plan_to_user, grant_dial_plan_to_group,
                                                    grant_dial_plan_global});
                    }});

    // The voice parameters of Set-CsUser (the legacy form of Set-CsPhoneNumberAssignment).
    defs.push_back({"Set-CsUser",
                    {param("Identity"), param("EnterpriseVoiceEnabled", ParamType::boolean),
                     param("HostedVoiceMail", ParamType::boolean), param("OnPremLineURI", ParamType::text, {"LineURI"})},
                    1, [](const Bound& b, PsStep& step) {
                        auto user = b.required("Identity");
                        EnableRequest request;
                        request.number = b.text("OnPremLineURI");
                        request.enterprise_voice_enabled = b.boolean("EnterpriseVoiceEnabled");
                        request.hosted_voice_mail = b.boolean("HostedVoiceMail");
                        std::string line = "user-enable " + shell_word(user);
                        if (!request.number.empty())
                            line += " --on-prem-line-uri " + shell_word(request.number);
                        if (request.enterprise_voice_enabled)
                            line += std::string(" --enterprise-voice-enabled") + (*request.enterprise_voice_enabled ? "" : "=false");
                        if (request.hosted_voice_mail)
                            line += std::string(" --hosted-voice-mail") + (*request.hosted_voice_mail ? "" : "=false");
                        step.csctl = {cli(line)};
                        step.run = [user, request](TenantStore& s, Notes& n, Json&) {
                            enable_user(s, resolve_user(s, user).user_principal_name, request, n);
                        };
                    }});
    defs.push_back({"Set-CsPhoneNumberAssignment",
                    {param("Identity"), param("PhoneNumber", ParamType::text, {"TelephoneNumber"}), param("PhoneNumberType"),
                     param("EnterpriseVoiceEnabled", ParamType::boolean), param("LocationId")},
                    0, [](const Bound& b, PsStep& step) {
                        auto user = b.required("Identity");
                        EnableRequest request;
                        request.number = b.text("PhoneNumber");
                        request.number_type = b.text("PhoneNumberType");
                        request.enterprise_voice_enabled = b.boolean("EnterpriseVoiceEnabled");
                        if (!request.number.empty() && request.number_type.empty())
                            b.fail("", "-PhoneNumberType is required with -PhoneNumber (DirectRouting, CallingPlan or OperatorConnect)");
                        if (request.number.empty() && !request.enterprise_voice_enabled)
                            b.fail("", "say what to assign: -PhoneNumber N -PhoneNumberType T, or -EnterpriseVoiceEnabled $true");
                        std::string line = "user-enable " + shell_word(user);
                        if (!request.number.empty())
                            line += " --number " + shell_word(request.number) + " --number-type " + shell_word(request.number_type);
                        if (request.enterprise_voice_enabled)
                            line += std::string(" --enterprise-voice-enabled") + (*request.enterprise_voice_enabled ? "" : "=false");
                        step.csctl = {cli(line)};
                        step.run = [user, request](TenantStore& s, Notes& n, Json&) {
                            enable_user(s, resolve_user(s, user).user_principal_name, request, n);
                        };
                    }});
    defs.push_back({"Remove-CsPhoneNumberAssignment",
                    {param("Identity"), param("PhoneNumber", ParamType::text, {"TelephoneNumber"}), param("PhoneNumberType"),
                     param("RemoveAll", ParamType::toggle)},
                    0, [](const Bound& b, PsStep& step) {
                        auto user = b.required("Identity");
                        auto number = b.text("PhoneNumber");
                        if (number.empty() && !b.toggle("RemoveAll"))
                            b.fail("", "say what to remove: -PhoneNumber N -PhoneNumberType T, or -RemoveAll");
                        // As `user-disable`: a number taken off a user (undoable), no object removed.
                        step.csctl = {cli("user-disable " + shell_word(user) + (number.empty() ? "" : " --number " + shell_word(number)))};
                        step.run = [user, number](TenantStore& s, Notes&, Json&) {
                            disable_user(s, resolve_user(s, user).user_principal_name, number);
                        };
                    }});

    // Teams upgrade policies (built in; granted).
    defs.push_back({"Grant-CsTeamsUpgradePolicy",
                    {param("Identity"), param("PolicyName"), param("Global", ParamType::toggle)}, 2,
                    [](const Bound& b, PsStep& step) {
                        if (!b.has("PolicyName"))
                            b.fail("", "-PolicyName is required (UpgradeToTeams, Islands …; $null removes the assignment)");
                        auto policy = b.text("PolicyName");
                        auto name = grant_name(policy);
                        if (!name.empty() && !find_upgrade_policy(name)) {
                            try {
                                require_upgrade_policy(name);
                            } catch (const Error& e) {
                                b.fail("PolicyName", e.what());
                            }
                        }
                        auto shown = shell_word(policy.empty() ? std::string("$null") : policy);
                        if (b.has("Identity") == b.toggle("Global"))
                            b.fail("", "say whom to grant to: -Identity USER or -Global (one of them)");
                        if (b.has("Identity")) {
                            auto user = b.required("Identity");
                            step.csctl = {cli("upgrade-policy grant " + shown + " --user " + shell_word(user))};
                            step.run = [user, policy](TenantStore& s, Notes&, Json&) {
                                grant_upgrade_policy_to_user(s, policy, resolve_user(s, user).user_principal_name);
                            };
                        } else {
                            step.destructive = true;  // as `grant --global`: asks first
                            step.csctl = {cli("upgrade-policy grant " + shown + " --global --yes")};
                            step.run = [policy](TenantStore& s, Notes&, Json&) { grant_upgrade_policy_global(s, policy); };
                        }
                    }});
    defs.push_back({"Get-CsTeamsUpgradePolicy", {param("Identity"), param("Filter")}, 1, [](const Bound& b, PsStep& step) {
                        auto id = b.text("Identity");
                        auto filter = b.text("Filter");
                        step.csctl = {cli("upgrade-policy get" + (id.empty() ? "" : " " + shell_word(id)) + " -o json")};
                        step.run = [id, filter](TenantStore&, Notes&, Json& out) {
                            out = Json::array();
                            if (!id.empty()) {
                                out.push_back(to_json(require_upgrade_policy(id)));
                                return;
                            }
                            for (const auto& p : upgrade_policies())
                                if (filter.empty() || wildcard_match(filter, p.identity))
                                    out.push_back(to_json(p));
                        };
                    }});

    // Tenant dial plans and their normalization rules.
    auto plan_owner = [](const std::string& id) { return dial_plan_label(dial_plan_name_from_identity(id)); };
    add_kind(defs, {"CsTenantDialPlan", "dial-plan", {}, dial_plan_fields, plan_owner,
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes&) { new_dial_plan(s, id, e); },
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes&) { set_dial_plan(s, id, e); },
                    [](TenantStore& s, const std::string& id) { remove_dial_plan(s, id); },
                    [](TenantStore& s, const std::string& id, const std::string& filter) {
                        return id.empty() ? select(json_list(s.dial_plans()), filter, "identity")
                                          : Json::array({to_json(require_dial_plan(s, id))});
                    }});
    auto rule_params = [](bool create) {
        auto params = with_fields({param("Identity"), param("Parent"), param("Name"), param("Priority"),
                                   param("InMemory", ParamType::toggle)},
                                  normalization_rule_fields(), create);
        return params;
    };
    // The rule's plan and name, from -Identity PLAN/NAME or -Parent PLAN -Name NAME.
    auto rule_target = [](const Bound& b, std::string& plan, std::string& name) {
        if (b.toggle("InMemory"))
            b.fail("InMemory", "-InMemory makes a rule for a variable, and variables are not supported: "
                               "create the rule in its dial plan with -Parent PLAN -Name NAME");
        plan = b.text("Parent");
        name = b.has("Identity") ? b.text("Identity") : b.text("Name");
        if (b.has("Identity") && b.has("Name"))
            b.fail("Name", "give either -Identity PLAN/NAME or -Parent PLAN -Name NAME");
        split_rule_identity(plan, name);
        plan = dial_plan_name_from_identity(plan);
        if (plan.empty() || trim(name).empty())
            b.fail("", "name the rule: -Identity PLAN/NAME, or -Parent PLAN -Name NAME");
    };
    auto rule_position = [](const Bound& b) -> std::optional<long long> {
        if (!b.has("Priority"))
            return std::nullopt;
        try {
            return parse_integer(b.text("Priority"), "-Priority");
        } catch (const Error& e) {
            b.fail("Priority", e.what());
        }
    };
    for (bool create : {true, false}) {
        defs.push_back({create ? "New-CsVoiceNormalizationRule" : "Set-CsVoiceNormalizationRule", rule_params(create), 1,
                        [create, rule_target, rule_position](const Bound& b, PsStep& step) {
                            std::string plan, name;
                            rule_target(b, plan, name);
                            auto owner = dial_plan_label(plan) + ": normalization rule " + quote(name);
                            auto edit = field_edit(b, normalization_rule_fields(), create, owner);
                            auto position = rule_position(b);
                            step.csctl = {cli(std::string("normalization-rule ") + (create ? "new " : "set ") + shell_word(name) +
                                              " --dial-plan " + shell_word(plan) +
                                              field_options(b, normalization_rule_fields(), create) +
                                              (position ? " --position " + std::to_string(*position) : ""))};
                            step.run = [create, plan, name, edit, position](TenantStore& s, Notes&, Json&) {
                                if (create)
                                    new_normalization_rule(s, plan, name, edit, position);
                                else
                                    set_normalization_rule(s, plan, name, edit, position);
                            };
                        }});
    }
    defs.push_back({"Remove-CsVoiceNormalizationRule", {param("Identity"), param("Parent"), param("Name")}, 1,
                    [rule_target](const Bound& b, PsStep& step) {
                        std::string plan, name;
                        rule_target(b, plan, name);
                        step.destructive = true;
                        step.csctl = {cli("normalization-rule remove " + shell_word(name) + " --dial-plan " + shell_word(plan) + " --yes")};
                        step.run = [plan, name](TenantStore& s, Notes&, Json&) { remove_normalization_rule(s, plan, name); };
                    }});
    defs.push_back({"Test-CsVoiceNormalizationRule",
                    {param("NormalizationRule", ParamType::text, {"Identity"}), param("DialedNumber")}, 1,
                    [](const Bound& b, PsStep& step) {
                        std::string plan, name = b.required("NormalizationRule");
                        split_rule_identity(plan, name);
                        if (plan.empty())
                            b.fail("NormalizationRule", "name the rule as PLAN/NAME (\"Global/11 digit number rule\")");
                        plan = dial_plan_name_from_identity(plan);
                        auto number = test_number(b, "DialedNumber", false);
                        step.csctl = {cli("normalization-rule test " + shell_word(name) + " --dial-plan " + shell_word(plan) +
                                          " --number " + shell_word(number) + " -o json")};
                        step.run = [plan, name, number](TenantStore& s, Notes&, Json& out) {
                            auto d = require_dial_plan(s, plan);
                            for (const auto& rule : d.normalization_rules) {
                                if (!iequals(rule.name, name))
                                    continue;
                                auto owner = label(d) + ": normalization rule " + quote(rule.name);
                                auto result = Pattern::compile(rule.pattern, owner, "Pattern").translate(number, rule.translation);
                                out = Json{{"dialedNumber", number},
                                           {"normalizationRule", d.identity() + "/" + rule.name},
                                           {"matched", result.has_value()},
                                           {"translatedNumber", result ? *result : number}};
                                return;
                            }
                            throw not_found(label(d) + ": normalization rule " + quote(name) + " does not exist");
                        };
                    }});
    defs.push_back({"Test-CsEffectiveTenantDialPlan",
                    {param("Identity"), param("DialedNumber"), param("TenantScopeOnly", ParamType::toggle)}, 1,
                    [](const Bound& b, PsStep& step) {
                        auto user = b.text("Identity");
                        auto number = test_number(b, "DialedNumber", false);
                        // A user's effective dial plan is what `route test --user` normalises with.
                        step.csctl = {user.empty() ? cli("dial-plan test --number " + shell_word(number) + " -o json")
                                                   : cli("route test --user " + shell_word(user) + " --number " +
                                                         shell_word(number) + " -o json")};
                        step.run = [user, number](TenantStore& s, Notes&, Json& out) {
                            CallerContext caller;
                            if (!user.empty()) {
                                auto u = resolve_user(s, user);
                                caller.dial_plan = PolicyResolver(s).dial_plan(u).name;
                                caller.usage_location = u.usage_location;
                            } else {
                                auto tenant_default = s.tenant().tenant_dial_plan;
                                caller.dial_plan = tenant_default.empty() ? std::string("Global") : tenant_default;
                            }
                            RoutingEngine engine(routing_document(s));
                            out = to_json(engine.normalize(caller, number));
                        };
                    }});

    // Teams translation rules.
    add_kind(defs, {"CsTeamsTranslationRule", "translation-rule", {}, translation_rule_fields, translation_rule_label,
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes&) { new_translation_rule(s, id, e); },
                    [](TenantStore& s, const std::string& id, const Edit& e, Notes&) { set_translation_rule(s, id, e); },
                    [](TenantStore& s, const std::string& id) { remove_translation_rule(s, id); },
                    [](TenantStore& s, const std::string& id, const std::string& filter) {
                        return id.empty() ? select(json_list(s.translation_rules()), filter, "identity")
                                          : Json::array({to_json(require_translation_rule(s, id))});
                    }});
    defs.push_back({"Test-CsTeamsTranslationRule", {param("PhoneNumber", ParamType::text, {"TelephoneNumber"})}, 1,
                    [](const Bound& b, PsStep& step) {
                        auto number = test_number(b, "PhoneNumber", true);
                        step.csctl = {cli("translation-rule test --number " + shell_word(number) + " -o json")};
                        step.run = [number](TenantStore& s, Notes&, Json& out) {
                            auto document = routing_document(s);
                            RoutingEngine engine(document);
                            out = Json::array();
                            for (const auto& t : document.translation_rules) {
                                auto result = engine.translate_with({t.identity}, number);
                                if (!result.rule.empty())
                                    out.push_back(Json{{"identity", t.identity},
                                                       {"pattern", t.pattern},
                                                       {"translation", t.translation},
                                                       {"number", number},
                                                       {"translatedNumber", result.number}});
                            }
                        };
                    }});

    // Inbound blocked and exempt number patterns.
    for (bool exempt : {false, true}) {
        auto fields = exempt ? +[]() -> const std::vector<FieldSpec>& { return number_pattern_fields(true); }
                             : +[]() -> const std::vector<FieldSpec>& { return number_pattern_fields(false); };
        add_kind(defs, {exempt ? "CsInboundExemptNumberPattern" : "CsInboundBlockedNumberPattern",
                        exempt ? "exempt-number" : "blocked-number", {"Name"}, fields,
                        [exempt](const std::string& id) { return number_pattern_label(id, exempt); },
                        [exempt](TenantStore& s, const std::string& id, const Edit& e, Notes&) { new_number_pattern(s, exempt, id, e); },
                        [exempt](TenantStore& s, const std::string& id, const Edit& e, Notes&) { set_number_pattern(s, exempt, id, e); },
                        [exempt](TenantStore& s, const std::string& id) { remove_number_pattern(s, exempt, id); },
                        [exempt](TenantStore& s, const std::string& id, const std::string& filter) {
                            if (!id.empty())
                                return Json::array({to_json(require_number_pattern(s, exempt, id), exempt)});
                            Json all = Json::array();
                            for (const auto& p : s.number_patterns(exempt))
                                all.push_back(to_json(p, exempt));
                            return select(all, filter, "identity");
                        }});
        defs.push_back({exempt ? "Test-CsInboundExemptNumberPattern" : "Test-CsInboundBlockedNumberPattern",
                        {param("PhoneNumber", ParamType::text, {"TelephoneNumber"}), param("TenantId")}, 1,
                        [exempt](const Bound& b, PsStep& step) {
                            auto number = test_number(b, "PhoneNumber", true);
                            step.csctl = {cli(std::string(exempt ? "exempt-number" : "blocked-number") + " test --number " +
                                              shell_word(number) + " -o json")};
                            step.run = [number](TenantStore& s, Notes&, Json& out) {
                                RoutingEngine engine(routing_document(s));
                                auto check = engine.check_blocked(number);
                                out = to_json(check);
                                out["outcome"] = check.blocked ? (check.resource_account.empty() ? "blocked" : "redirected") : "allowed";
                            };
                        }});
    }
    defs.push_back({"Set-CsTenantBlockedCallingNumbers", {param("Identity"), param("Enabled", ParamType::boolean)}, 1,
                    [](const Bound& b, PsStep& step) {
                        auto enabled = b.boolean("Enabled");
                        if (!enabled)
                            b.fail("", "-Enabled is required ($true or $false)");
                        bool on = *enabled;
                        step.csctl = {cli(std::string("blocked-number ") + (on ? "enable" : "disable --yes"))};
                        step.run = [on](TenantStore& s, Notes&, Json&) { set_blocked_calling_numbers(s, on); };
                    }});
    defs.push_back({"Get-CsTenantBlockedCallingNumbers", {param("Identity")}, 1, [](const Bound&, PsStep& step) {
                        step.csctl = {cli("blocked-number get -o json")};
                        step.run = [](TenantStore& s, Notes&, Json& out) {
                            Json patterns = Json::array();
                            for (const auto& p : s.number_patterns(false))
                                patterns.push_back(to_json(p, false));
                            out = Json::array({Json{{"identity", "Global"},
                                                    {"enabled", s.tenant().blocked_calling_numbers_enabled},
                                                    {"inboundBlockedNumberPatterns", patterns}}});
                        };
                    }});
    return defs;
}

const std::vector<Definition>& definitions()
{
    static const std::vector<Definition> defs = make_definitions();
    return defs;
}

}  // namespace

std::string shell_word(const std::string& text)
{
    if (text.empty())
        return "''";
    bool safe = true;
    for (unsigned char c : text)
        if (!(std::isalnum(c) || c == '@' || c == '%' || c == '+' || c == '=' || c == ':' || c == ',' || c == '.' ||
              c == '/' || c == '_' || c == '-'))
            safe = false;
    if (safe)
        return text;
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::vector<std::string> ps_cmdlet_names()
{
    std::vector<std::string> names;
    for (const auto& d : definitions())
        names.push_back(d.name);
    return names;
}

std::vector<PsStep> bind_ps_script(const std::vector<PsCommand>& commands, const std::string& source)
{
    std::vector<PsStep> steps;
    for (const auto& cmd : commands) {
        const Definition* def = nullptr;
        for (const auto& d : definitions())
            if (iequals(d.name, cmd.cmdlet))
                def = &d;
        if (!def)
            throw usage_error(ps_where(source, cmd.at) + ": " + cmd.cmdlet + " is not a cmdlet csctl runs (`csctl ps --list` "
                                                                            "shows those it does)");
        auto bound = bind_parameters(cmd, *def, source);
        PsStep step;
        step.where = ps_where(source, cmd.at, false);
        step.cmdlet = def->name;
        step.reads_only = def->name.starts_with("Get-") || def->name.starts_with("Test-");
        // Copied documentation wraps long lines, also inside quotes, where the line break becomes
        // part of the value (as in PowerShell): say so, since such a pattern never matches.
        for (const auto& [name, value] : bound.values)
            if (value.kind == PsValue::Kind::text && value.text.find('\n') != std::string::npos)
                step.warnings.push_back(ps_where(source, value.at) + ": " + def->name + ": the value of -" + name +
                                        " contains a line break (a line wrapped inside quotes?)");
        def->bind(bound, step);
        steps.push_back(std::move(step));
    }
    return steps;
}

std::vector<PsOutput> run_ps_steps(TenantStore& store, const std::vector<PsStep>& steps, Notes& notes)
{
    std::vector<PsOutput> outputs;
    for (const auto& step : steps) {
        Json output;
        notes.warnings.insert(notes.warnings.end(), step.warnings.begin(), step.warnings.end());
        try {
            step.run(store, notes, output);
        } catch (const Error& e) {
            throw Error(e.code(), step.where + ": " + step.cmdlet + ": " + e.what());
        }
        if (!output.is_null())
            outputs.push_back(PsOutput{step.where, step.cmdlet, std::move(output)});
    }
    return outputs;
}

}  // namespace csctl
