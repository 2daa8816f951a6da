// route: evaluate routing as Teams does (routing.md). `route test` (outbound), `route inbound`,
// and `route check -f CASES` (saved expectations, for CI).
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/caller.hpp"
#include "core/error.hpp"
#include "core/names.hpp"
#include "core/policy_assignment.hpp"
#include "core/routing.hpp"
#include "core/text.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace csctl {

namespace {

// Who calls, as the command line describes them. --policy (with --dial-plan, --usage-location,
// --calling-plan, --calling) stands in for a user; a --user option fills the same CallerContext
// from the directory (effective policy and dial plan with their sources, usage location,
// licences, phone number).
struct CallerArgs {
    std::string user;
    std::string policy;
    std::string dial_plan;
    std::string usage_location;
    bool calling_plan = false;
    std::string calling;
};

struct OutboundArgs {
    CallerArgs caller;
    std::string number;
    std::optional<std::uint64_t> seed;
    std::vector<std::string> unavailable;
    std::vector<std::string> demoted;
    std::string ingress;
};

struct InboundArgs {
    std::string gateway;
    std::string called;
    std::string calling;
};

struct CheckArgs {
    std::string file;
};

std::vector<std::string> expand(const std::vector<std::string>& raw)
{
    std::vector<std::string> out;
    for (const auto& r : raw)
        for (auto& item : split_list(r))
            out.push_back(std::move(item));
    return out;
}

CallerContext caller_context(const CallerArgs& a, TenantStore& store, const std::string& what)
{
    CallerContext c;
    if (!a.user.empty()) {
        if (!a.policy.empty() || !a.dial_plan.empty() || !a.usage_location.empty() || a.calling_plan || !a.calling.empty())
            throw usage_error(what + ": --user takes the policy, dial plan, usage location, licences and number from "
                                     "the directory; leave out --policy, --dial-plan, --usage-location, --calling-plan "
                                     "and --calling");
        auto user = store.find_user(a.user);
        if (!user)
            throw not_found(what + ": " + user_label(a.user) + " does not exist (list them with `csctl user list`)");
        return caller_from_user(*user, PolicyResolver(store));
    }
    if (!a.policy.empty()) {
        auto name = policy_name_from_identity(a.policy);
        auto p = store.find_policy(name);
        if (!p)
            throw not_found(what + ": " + policy_label(name) + " does not exist (list them with `csctl voice-routing-policy get`)");
        c.policy = p->name;
        c.policy_source = "direct";
    }
    if (!a.dial_plan.empty()) {
        auto name = dial_plan_name_from_identity(a.dial_plan);
        auto d = store.find_dial_plan(name);
        if (!d)
            throw not_found(what + ": " + dial_plan_label(name) + " does not exist (list them with `csctl dial-plan get`)");
        c.dial_plan = d->name;
    }
    if (!a.usage_location.empty()) {
        if (!is_country_code(a.usage_location))
            throw usage_error(what + ": usage location " + quote(a.usage_location) +
                              " is not an ISO 3166 country code (two capital letters, e.g. US)");
        c.usage_location = a.usage_location;
    }
    c.calling_plan = a.calling_plan;
    if (!a.calling.empty())
        c.phone_number = clean_number(a.calling, what + ": calling number", true);
    return c;
}

OutboundOptions outbound_options(const OutboundArgs& a, TenantStore& store, const std::string& what)
{
    OutboundOptions o;
    o.seed = a.seed;
    auto gateways = [&](const std::vector<std::string>& names, const char* option) {
        std::vector<std::string> out;
        for (const auto& name : expand(names)) {
            auto g = store.find_gateway(name);
            if (!g)
                throw usage_error(what + ": " + option + " names gateway " + quote(name) + ", which does not exist");
            out.push_back(g->fqdn);
        }
        return out;
    };
    o.unavailable = gateways(a.unavailable, "--unavailable");
    o.demoted = gateways(a.demoted, "--demoted");
    if (!a.ingress.empty())
        o.ingress = gateways({a.ingress}, "--ingress").front();
    return o;
}

void print_outbound(Context& ctx, const OutboundResult& r)
{
    auto format = ctx.format();
    if (format == Format::json || format == Format::yaml) {
        print_document(ctx.out(), format, to_json(r));
        return;
    }
    auto& out = ctx.out();
    const auto& n = r.normalization;
    out << "dialed      " << n.dialed << "\n";
    out << "normalized  " << n.number;
    if (!n.rule.empty())
        out << "  (rule " << quote(n.rule) << " of dial plan " << n.dial_plan << ")";
    else if (!n.country.empty())
        out << "  (country dial plan " << n.country << ")";
    else
        out << "  (no rule matches; as dialed)";
    out << "\n";
    out << "policy      " << r.policy << "  (" << r.policy_source << ")  usages: "
        << (r.policy_usages.empty() ? std::string("(none)") : quoted_list(r.policy_usages)) << "\n";
    out << "usage       " << (r.usage.empty() ? std::string("(none matches)") : quote(r.usage)) << "\n";
    int step = 0;
    for (const auto& attempt : r.routes) {
        out << "route " << ++step << "     " << quote(attempt.identity) << " priority " << attempt.priority << "  "
            << attempt.number_pattern << (attempt.shuffled ? "  (healthy gateways in random order)" : "") << "\n";
        for (const auto& g : attempt.gateways) {
            out << "    " << g.fqdn << "  " << to_string(g.state) << (g.ingress ? " (ingress: tried first)" : "");
            if (g.state != GatewayState::disabled) {
                out << "  To " << g.called_number;
                if (!g.called_rule.empty())
                    out << " (" << g.called_rule << ")";
                if (!g.calling_number.empty()) {
                    out << "  From " << g.calling_number;
                    if (!g.calling_rule.empty())
                        out << " (" << g.calling_rule << ")";
                }
            }
            out << "\n";
        }
        for (const auto& fqdn : attempt.already_tried)
            out << "    " << fqdn << "  already tried in an earlier route\n";
    }
    out << "outcome     " << r.outcome << ": " << r.reason << "\n";
}

void print_inbound(Context& ctx, const InboundResult& r)
{
    auto format = ctx.format();
    if (format == Format::json || format == Format::yaml) {
        print_document(ctx.out(), format, to_json(r));
        return;
    }
    auto& out = ctx.out();
    out << "gateway     " << r.gateway << "\n";
    out << "called      " << r.called_number
        << (r.called_rule.empty() ? std::string("  (no translation)") : "  (rule " + quote(r.called_rule) + ")") << "\n";
    out << "calling     " << r.calling_number
        << (r.calling_rule.empty() ? std::string("  (no translation)") : "  (rule " + quote(r.calling_rule) + ")") << "\n";
    out << "blocked     " << (r.block.blocked ? "yes" : "no");
    if (!r.block.blocked_by.empty())
        out << "  blocked pattern " << quote(r.block.blocked_by);
    if (!r.block.exempted_by.empty())
        out << "  exempt pattern " << quote(r.block.exempted_by);
    if (!r.block.enabled)
        out << "  (blocking is disabled for the tenant)";
    out << "\n";
    out << "outcome     " << r.outcome << ": " << r.reason << "\n";
}

// The reverse number lookup of inbound routing: the user whose PhoneNumber equals the called
// number as a string (";ext=" included), with what decides whether Teams rings them.
UserLookup user_lookup(TenantStore& store)
{
    return [&store](std::string_view number) -> std::optional<InboundUser> {
        auto upn = store.user_with_phone_number(number);
        if (!upn)
            return std::nullopt;
        auto user = store.find_user(*upn);
        if (!user)
            return std::nullopt;
        return inbound_user(*user, PolicyResolver(store));
    };
}

// ---- route check ------------------------------------------------------------------------------

struct CaseFile {
    std::string path;
    std::string where(const YAML::Node& node) const
    {
        auto mark = node.Mark();
        return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }
    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const
    {
        throw usage_error(where(node) + ": " + message);
    }
    std::string scalar(const YAML::Node& node, const std::string& key) const
    {
        if (!node.IsScalar())
            fail(node, quote(key) + " must be a single value");
        return node.Scalar();
    }
    std::vector<std::string> list(const YAML::Node& node, const std::string& key) const
    {
        if (node.IsScalar())
            return split_list(node.Scalar());
        if (!node.IsSequence())
            fail(node, quote(key) + " must be a list");
        std::vector<std::string> out;
        for (const auto& item : node)
            out.push_back(scalar(item, key));
        return out;
    }
    bool boolean(const YAML::Node& node, const std::string& key) const
    {
        auto text = scalar(node, key);
        if (iequals(text, "true") || iequals(text, "yes"))
            return true;
        if (iequals(text, "false") || iequals(text, "no"))
            return false;
        fail(node, quote(key) + " must be true or false, not " + quote(text));
    }
};

struct Case {
    std::string name;
    YAML::Node node;
    bool inbound = false;
    OutboundArgs outbound;
    InboundArgs in;
    std::map<std::string, YAML::Node> expect;
};

Case read_case(const CaseFile& file, const YAML::Node& node, std::size_t index)
{
    Case c;
    c.node = node;
    c.name = "case " + std::to_string(index + 1);
    if (!node.IsMap())
        file.fail(node, c.name + " must be a mapping (number:, policy:, expect: ...)");
    static const std::set<std::string> outbound_keys{"name",    "policy",      "dialPlan", "usageLocation", "callingPlan",
                                                     "calling", "number",      "seed",     "unavailable",   "demoted",
                                                     "ingress", "expect",      "user"};
    static const std::set<std::string> expect_outbound{"outcome", "usage",          "route",       "routes",
                                                       "gateways", "firstGateway",  "normalizedNumber",
                                                       "normalizationRule", "calledNumber", "callingNumber"};
    static const std::set<std::string> expect_inbound{"outcome", "calledNumber", "callingNumber", "blocked",
                                                      "blockedBy", "exemptedBy",  "resourceAccount", "user"};
    if (node["name"])
        c.name = file.scalar(node["name"], "name");
    c.inbound = static_cast<bool>(node["inbound"]);
    for (const auto& entry : node) {
        auto key = entry.first.as<std::string>();
        if (key == "inbound" || outbound_keys.count(key))
            continue;
        file.fail(entry.first, quote(c.name) + ": unknown key " + quote(key) +
                                   " (a case has name, number, policy, dialPlan, usageLocation, callingPlan, calling, "
                                   "seed, unavailable, demoted, ingress, inbound and expect)");
    }
    if (node["user"])
        file.fail(node["user"], quote(c.name) + ": cases by user need the user directory; give the user's policy "
                                                "(policy:, usageLocation:, callingPlan:) instead");
    if (c.inbound) {
        const auto& in = node["inbound"];
        if (!in.IsMap())
            file.fail(in, quote(c.name) + ": inbound must be a mapping (gateway:, called:, calling:)");
        for (const auto& entry : in) {
            auto key = entry.first.as<std::string>();
            if (key == "gateway")
                c.in.gateway = file.scalar(entry.second, key);
            else if (key == "called")
                c.in.called = file.scalar(entry.second, key);
            else if (key == "calling")
                c.in.calling = file.scalar(entry.second, key);
            else
                file.fail(entry.first, quote(c.name) + ": unknown key " + quote(key) + " in inbound (gateway, called, calling)");
        }
        if (c.in.gateway.empty() || c.in.called.empty() || c.in.calling.empty())
            file.fail(in, quote(c.name) + ": inbound needs gateway, called and calling");
    } else {
        auto& o = c.outbound;
        if (!node["number"])
            file.fail(node, quote(c.name) + ": number is missing");
        o.number = file.scalar(node["number"], "number");
        if (node["policy"])
            o.caller.policy = file.scalar(node["policy"], "policy");
        if (node["dialPlan"])
            o.caller.dial_plan = file.scalar(node["dialPlan"], "dialPlan");
        if (node["usageLocation"])
            o.caller.usage_location = file.scalar(node["usageLocation"], "usageLocation");
        if (node["callingPlan"])
            o.caller.calling_plan = file.boolean(node["callingPlan"], "callingPlan");
        if (node["calling"])
            o.caller.calling = file.scalar(node["calling"], "calling");
        if (node["seed"]) {
            auto text = file.scalar(node["seed"], "seed");
            try {
                std::size_t used = 0;
                o.seed = std::stoull(text, &used);
                if (used != text.size())
                    throw std::invalid_argument(text);
            } catch (const std::logic_error&) {
                file.fail(node["seed"], quote(c.name) + ": seed " + quote(text) + " is not a number");
            }
        }
        if (node["unavailable"])
            o.unavailable = file.list(node["unavailable"], "unavailable");
        if (node["demoted"])
            o.demoted = file.list(node["demoted"], "demoted");
        if (node["ingress"])
            o.ingress = file.scalar(node["ingress"], "ingress");
    }
    const auto& expect = node["expect"];
    if (!expect || !expect.IsMap() || expect.size() == 0)
        file.fail(expect ? expect : node, quote(c.name) + ": expect is missing (e.g. expect: {outcome: routed, route: ...})");
    const auto& allowed = c.inbound ? expect_inbound : expect_outbound;
    for (const auto& entry : expect) {
        auto key = entry.first.as<std::string>();
        if (!allowed.count(key)) {
            std::vector<std::string> keys(allowed.begin(), allowed.end());
            file.fail(entry.first, quote(c.name) + ": cannot expect " + quote(key) + " of an " +
                                       (c.inbound ? "inbound" : "outbound") + " call (expect " + join(keys, ", ") + ")");
        }
        c.expect[key] = entry.second;
    }
    return c;
}

std::string text_of(const Json& j)
{
    if (j.is_null())
        return "(none)";
    if (j.is_string())
        return j.get<std::string>();
    if (j.is_array()) {
        std::vector<std::string> items;
        for (const auto& i : j)
            items.push_back(text_of(i));
        return "[" + join(items, ", ") + "]";
    }
    return j.dump();
}

// Compares the expectations of a case with the result; returns one line per mismatch.
std::vector<std::string> compare(const CaseFile& file, const Case& c, const Json& result)
{
    std::vector<std::string> problems;
    auto mismatch = [&](const std::string& key, const std::string& expected, const Json& got) {
        problems.push_back(key + ": expected " + expected + ", got " + text_of(got));
    };
    for (const auto& [key, node] : c.expect) {
        if (key == "gateways" || key == "routes") {
            auto expected = file.list(node, key);
            std::vector<std::string> got;
            if (key == "routes") {
                for (const auto& r : result["routes"])
                    got.push_back(r["identity"].get<std::string>());
                bool same = got.size() == expected.size();
                for (std::size_t i = 0; same && i < got.size(); ++i)
                    same = iequals(got[i], expected[i]);
                if (!same)
                    mismatch(key, "[" + join(expected, ", ") + "]", got);
                continue;
            }
            // The gateways of the first route tried that would place the call, as a set (their order is random).
            for (const auto& r : result["routes"]) {
                bool any = false;
                for (const auto& g : r["gateways"]) {
                    auto state = g["state"].get<std::string>();
                    if (state == "candidate" || state == "demoted") {
                        got.push_back(to_lower(g["fqdn"].get<std::string>()));
                        any = true;
                    }
                }
                if (any)
                    break;
            }
            std::set<std::string> want, have(got.begin(), got.end());
            for (const auto& e : expected)
                want.insert(to_lower(e));
            if (want != have)
                mismatch(key, "{" + join(expected, ", ") + "}", got);
            continue;
        }
        Json got;
        if (key == "route") {
            got = result["firstRoute"];
        } else if ((key == "calledNumber" || key == "callingNumber") && !c.inbound) {
            // As the gateway that places the call sends it.
            got = nullptr;
            for (const auto& r : result["routes"])
                for (const auto& g : r["gateways"])
                    if (got.is_null() && g["fqdn"] == result["firstGateway"])
                        got = g[key];
        } else {
            got = result[key];
        }
        auto expected = file.scalar(node, key);
        bool same = false;
        if (got.is_boolean())
            same = iequals(expected, got.get<bool>() ? "true" : "false");
        else if (got.is_null())
            same = expected.empty() || iequals(expected, "null") || expected == "~";
        else if (got.is_string())
            same = key == "normalizedNumber" || key == "calledNumber" || key == "callingNumber"
                       ? expected == got.get<std::string>()
                       : iequals(expected, got.get<std::string>());
        else
            same = expected == got.dump();
        if (!same)
            mismatch(key, quote(expected), got);
    }
    return problems;
}

void run_check(Context& ctx, const CheckArgs& args)
{
    std::ifstream in(args.file);
    if (!in)
        throw not_found("route check: cannot read " + quote(args.file));
    std::stringstream text;
    text << in.rdbuf();
    CaseFile file{args.file};
    YAML::Node root;
    try {
        root = YAML::Load(text.str());
    } catch (const YAML::ParserException& e) {
        throw usage_error(args.file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                          ": " + e.msg);
    }
    YAML::Node list = root.IsMap() && root["cases"] ? root["cases"] : root;
    if (root.IsMap() && !root["cases"])
        file.fail(root, "expected a list of cases (or a mapping with a \"cases\" list)");
    if (!list.IsSequence())
        file.fail(list, "expected a list of cases");
    std::vector<Case> cases;
    for (std::size_t i = 0; i < list.size(); ++i)
        cases.push_back(read_case(file, list[i], i));

    auto store = ctx.open(SqliteTenant::Mode::read_only);
    RoutingEngine engine(store->document());
    auto lookup = user_lookup(*store);
    Json report = Json::array();
    std::size_t failed = 0;
    for (const auto& c : cases) {
        Json result;
        std::vector<std::string> problems;
        try {
            auto what = file.where(c.node) + ": " + quote(c.name);
            if (c.inbound) {
                result = to_json(engine.inbound(c.in.gateway, clean_number(c.in.called, what + ": called", true),
                                                clean_number(c.in.calling, what + ": calling", true), lookup));
            } else {
                auto caller = caller_context(c.outbound.caller, *store, what);
                auto options = outbound_options(c.outbound, *store, what);
                result = to_json(engine.route(caller, clean_number(c.outbound.number, what + ": number"), options));
            }
            problems = compare(file, c, result);
        } catch (const Error& e) {
            if (e.code() != ExitCode::not_found && e.code() != ExitCode::usage)
                throw;
            problems.push_back(e.what());
        }
        if (!problems.empty())
            ++failed;
        report.push_back(Json{{"name", c.name},
                              {"line", c.node.Mark().line + 1},
                              {"passed", problems.empty()},
                              {"problems", problems},
                              {"outcome", result.is_object() ? result["outcome"] : Json(nullptr)}});
    }
    auto format = ctx.format();
    if (format == Format::json || format == Format::yaml) {
        print_document(ctx.out(), format, Json{{"cases", report}, {"passed", cases.size() - failed}, {"failed", failed}});
    } else {
        for (const auto& r : report) {
            if (r["passed"].get<bool>())
                continue;
            ctx.out() << "FAIL " << args.file << ":" << r["line"].get<int>() << " " << quote(r["name"].get<std::string>()) << "\n";
            for (const auto& p : r["problems"])
                ctx.out() << "    " << p.get<std::string>() << "\n";
        }
        ctx.out() << cases.size() - failed << " passed, " << failed << " failed\n";
    }
    if (failed)
        throw Error(ExitCode::internal, "route check: " + std::to_string(failed) + " of " + std::to_string(cases.size()) +
                                            " cases failed");
}

void add_caller_options(CLI::App* cmd, CallerArgs& a)
{
    cmd->add_option("--user", a.user,
                    "the caller, from the directory: effective policy and dial plan, usage location, licences, number");
    cmd->add_option("--policy", a.policy, "voice routing policy of the caller (default: the tenant default, else Global)");
    cmd->add_option("--dial-plan", a.dial_plan, "tenant dial plan of the caller (default: the tenant default, else Global)");
    cmd->add_option("--usage-location", a.usage_location,
                    "caller's country (ISO code): its country dial plan applies when no rule matches");
    cmd->add_flag("--calling-plan", a.calling_plan, "the caller has a CallingPlan licence (the implicit last route)");
    cmd->add_option("--calling,--from", a.calling, "the caller's own number, for the translated From");
}

}  // namespace

void add_route_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("route", "Where does a call go, and why? Routing evaluated as Teams does", "");

    auto out = std::make_shared<OutboundArgs>();
    auto* cmd = r.command(group, "test", "route an outbound call: normalisation, policy, usage, routes, gateways, outcome",
                          Needs::tenant_read, "", [&ctx, out] {
                              auto store = ctx.open(SqliteTenant::Mode::read_only);
                              const std::string what = "route test";
                              auto caller = caller_context(out->caller, *store, what);
                              auto options = outbound_options(*out, *store, what);
                              auto number = clean_number(out->number, what + ": --number");
                              RoutingEngine engine(store->document());
                              print_outbound(ctx, engine.route(caller, number, options));
                          });
    cmd->add_option("--number", out->number, "the number dialed")->required();
    add_caller_options(cmd, out->caller);
    cmd->add_option("--seed", out->seed, "seed of the random gateway order (same seed, same order)");
    cmd->add_option("--unavailable", out->unavailable, "gateways whose attempt fails (comma-separated, repeatable)");
    cmd->add_option("--demoted", out->demoted,
                    "gateways without recent SIP OPTIONS: tried after the healthy ones (comma-separated, repeatable)");
    cmd->add_option("--ingress", out->ingress, "gateway a forwarded or transferred inbound call came in on: tried first");

    auto in = std::make_shared<InboundArgs>();
    cmd = r.command(group, "inbound", "route an inbound call: translation, blocking, the user who receives it",
                    Needs::tenant_read, "", [&ctx, in] {
                        auto store = ctx.open(SqliteTenant::Mode::read_only);
                        auto called = clean_number(in->called, "route inbound: --called", true);
                        auto calling = clean_number(in->calling, "route inbound: --calling", true);
                        RoutingEngine engine(store->document());
                        print_inbound(ctx, engine.inbound(in->gateway, called, calling, user_lookup(*store)));
                    });
    cmd->add_option("--gateway", in->gateway, "the SBC the call arrives from")->required();
    cmd->add_option("--called,--to", in->called, "the called number (Request-URI/To)")->required();
    cmd->add_option("--calling,--from", in->calling, "the calling number (From)")->required();

    auto check = std::make_shared<CheckArgs>();
    cmd = r.command(group, "check", "run a file of expected routing outcomes; prints each failure, exits non-zero on any",
                    Needs::tenant_read, "", [&ctx, check] { run_check(ctx, *check); });
    cmd->add_option("-f,--file", check->file, "YAML file of cases (format below)")->required();
    cmd->footer(R"(A cases file is a list (or a mapping with a "cases" list) of:
  - name: Spencer dials Redmond
    policy: US Only              # dialPlan, usageLocation, callingPlan, calling (caller's number)
    number: "+1 425 555 0100"    # seed, unavailable, demoted, ingress as for route test
    expect:                      # any of:
      outcome: routed            # routed, calling-plan, dropped
      usage: US and Canada
      route: Redmond 1           # the first route that places the call
      routes: [Redmond 1, Redmond 2, Other +1]     # every route, in the order tried
      gateways: [sbc1.contoso.com, sbc2.contoso.com]  # the gateways of that route, any order
      normalizedNumber: "+14255550100"
      calledNumber: "4255550100" # as the gateway that places the call sends it (translated)
  - name: blocked caller
    inbound: {gateway: sbc1.contoso.com, called: "+14255550100", calling: "+13125558884"}
    expect: {outcome: blocked, blockedBy: BlockRange1}
Exit code: 0 when every case passes, 1 when any fails, 2 for a file that is not valid cases.
)");
    r.examples("route", {"csctl route test --user spencer@contoso.com --number +14255550100 -o json", "csctl route test --policy \"US Only\" --number +13245678989 --unavailable sbc5.contoso.com,sbc6.contoso.com --seed 1", "csctl route inbound --gateway sbc1.contoso.com --called +14255388797 --calling +13125558884", "csctl route check -f cases.yaml"});
}

}  // namespace csctl
