// remote, status, plan, push, pull: the local tenant against its copy on a routing-control API
// server (csctl serve). The remote settings and the last sync (revision and document) live in the
// tenant database; the token is read from CSCTL_TOKEN, the token file or the config file's
// `token` key, never printed; a token or config file other users can read is refused.
#include "cmd/change.hpp"
#include "cmd/config.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/plan.hpp"
#include "core/plan_impact.hpp"
#include "core/tenant.hpp"
#include "core/text.hpp"
#include "store/remote_client.hpp"

#include <sys/stat.h>

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <random>
#include <set>
#include <sstream>

namespace csctl {

namespace {

struct RemoteArgs {
    std::string url;
    std::string token_file;
    std::string cacert;
    std::string remote_tenant;
    bool detailed_exitcode = false;
    bool force = false;
};

std::string absolute(const std::string& path)
{
    if (path.empty())
        return path;
    std::error_code ec;
    auto p = std::filesystem::absolute(path, ec);
    return ec ? path : p.lexically_normal().string();
}

// A file holding a secret must be readable by its owner only.
void require_private(const std::string& path, const std::string& what)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw usage_error(what + " " + quote(path) + " does not exist or cannot be read");
    if (st.st_mode & 077)
        throw usage_error(what + " " + quote(path) + " can be read by other users (mode " +
                          [&] {
                              char buffer[8];
                              std::snprintf(buffer, sizeof buffer, "%04o", st.st_mode & 07777);
                              return std::string(buffer);
                          }() +
                          "); make it private with `chmod 600 " + path + "`");
}

RemoteSettings require_remote(SqliteTenant& store)
{
    auto settings = store.remote();
    if (!settings)
        throw usage_error("tenant " + quote(store.tenant().name) +
                          " has no remote: run `csctl remote set URL --token-file FILE` first");
    return *settings;
}

// The token held by the config file (key `token`), "" when it holds none. A config file that
// holds a token must be readable by its owner only.
std::string config_token()
{
    auto path = Config::config_path();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return "";
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        throw usage_error("config file " + quote(path) + " is not valid YAML: " + e.what());
    }
    if (!root.IsMap() || !root["token"])
        return "";
    if (!root["token"].IsScalar())
        throw usage_error("config file " + quote(path) + ": token must be a single value");
    require_private(path, "config file");
    return trim(root["token"].Scalar());
}

// The bearer token: CSCTL_TOKEN, else the remote's token file, else the config file's `token`.
std::string read_token(const RemoteSettings& settings)
{
    if (const char* env = std::getenv("CSCTL_TOKEN"); env && *env)
        return trim(env);
    if (settings.token_file.empty()) {
        auto token = config_token();
        if (!token.empty())
            return token;
        throw Error(ExitCode::auth, "no token for " + settings.url +
                                        ": set CSCTL_TOKEN, run `csctl remote set URL --token-file FILE`, or put "
                                        "`token: …` in " + Config::config_path() + " (mode 600)");
    }
    require_private(settings.token_file, "token file");
    std::ifstream in(settings.token_file);
    std::stringstream text;
    text << in.rdbuf();
    auto token = trim(text.str());
    if (token.empty())
        throw Error(ExitCode::auth, "token file " + quote(settings.token_file) + " is empty");
    return token;
}

RemoteClient client_for(const RemoteSettings& settings)
{
    return RemoteClient(settings.url, read_token(settings), settings.cacert);
}

std::string tenant_path(const RemoteSettings& settings) { return "/v1/tenants/" + url_segment(settings.remote_tenant); }

struct Fetched {
    long long revision = 0;
    Json document;
};

Fetched fetch(const RemoteClient& client, const RemoteSettings& settings)
{
    auto response = client.request("GET", tenant_path(settings) + "/config");
    if (response.status != 200)
        throw_api_error(response, "remote tenant " + quote(settings.remote_tenant) + " at " + settings.url);
    Fetched f;
    try {
        f.document = Json::parse(response.body);
        auto tag = response.header("etag");
        if (tag.size() >= 2 && tag.front() == '"')
            tag = tag.substr(1, tag.size() - 2);
        f.revision = std::stoll(tag);
    } catch (const std::exception&) {
        throw Error(ExitCode::remote, "remote " + settings.url + " answered a config without a valid body or ETag");
    }
    document_from_json(f.document);  // a document this csctl cannot read is refused here, not half-applied
    return f;
}

// A tenant with nothing configured yet (a fresh `tenant init` or a new server tenant).
bool blank(const Json& document)
{
    auto empty = [&](const char* key) { return !document.contains(key) || document.at(key).empty(); };
    for (const char* key : {"onlinePstnUsages", "onlinePstnGateways", "onlineVoiceRoutes", "teamsTranslationRules",
                            "inboundBlockedNumberPatterns", "inboundExemptNumberPatterns", "groups", "users"})
        if (!empty(key))
            return false;
    for (const auto& p : document.value("onlineVoiceRoutingPolicies", Json::array()))
        if (p.value("identity", "") != "Global" || !p.value("onlinePstnUsages", Json::array()).empty() ||
            !p.value("description", "").empty())
            return false;
    for (const auto& d : document.value("tenantDialPlans", Json::array()))
        if (d.value("identity", "") != "Global" || !d.value("normalizationRules", Json::array()).empty() ||
            !d.value("description", "").empty())
            return false;
    return true;
}

std::string idempotency_key()
{
    std::random_device rd;
    std::ostringstream out;
    for (int i = 0; i < 4; ++i)
        out << std::hex << std::setw(8) << std::setfill('0') << rd();
    return out.str();
}

std::string where(const RemoteSettings& s) { return "remote tenant " + quote(s.remote_tenant) + " at " + s.url; }

struct QuickPlan {
    std::vector<PlanOp> ops;
};

// The plan of a push when the remote is still at the revision of the last sync (a conditional
// GET answers 304): only the objects the local journal changed since then are compared, so a
// small change to a big tenant costs a few rows, not two whole documents. nullopt: the remote
// moved or there is no sync to start from; the caller compares whole documents.
std::optional<QuickPlan> incremental_plan(SqliteTenant& store, const RemoteClient& client, const RemoteSettings& s)
{
    if (!s.revision || s.journal_id <= 0)
        return std::nullopt;
    auto response = client.request("GET", tenant_path(s) + "/config",
                                   {}, {"If-None-Match: \"" + std::to_string(*s.revision) + "\""});
    if (response.status != 304)
        return std::nullopt;
    auto upto = store.revision();
    Json from = Json::object(), to = Json::object();
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& [journal_kind, identity] : store.changed_since(s.journal_id, upto)) {
        auto k = plan_kind(journal_kind);
        if (!seen.insert({k, to_lower(identity)}).second)
            continue;
        auto section = document_key(k);
        if (!has_identities(k)) {
            from[section] = store.synced_object(section, "");
            if (auto now = store.current(k, identity))
                to[section] = *now;
            continue;
        }
        if (!from.contains(section))
            from[section] = Json::array();
        if (!to.contains(section))
            to[section] = Json::array();
        auto before = store.synced_object(section, identity);
        if (!before.is_null())
            from[section].push_back(before);
        if (auto now = store.current(k, identity))
            to[section].push_back(*now);
    }
    return QuickPlan{make_plan(from, to)};
}

// Sends ops as one change set guarded by revision, then records the sync through record.
void send(Context& ctx, SqliteTenant&, const RemoteClient& client, const RemoteSettings& s, long long revision,
          const std::vector<PlanOp>& ops, const std::function<void(long long)>& record)
{
    print_plan(ctx, ops);
    if (!ctx.confirm("push " + std::to_string(ops.size()) + " change(s) to " + where(s) + "?")) {
        ctx.note("cancelled: nothing was pushed");
        return;
    }
    auto body = change_set_text(ops);
    auto response = client.request("POST", tenant_path(s) + "/changes", body,
                                   {"If-Match: \"" + std::to_string(revision) + "\"",
                                    "Idempotency-Key: " + idempotency_key()});
    if (response.status == 412)
        throw conflict(where(s) + " changed while pushing: nothing was pushed; review with `csctl status`");
    if (response.status == 413)
        throw Error(ExitCode::remote, "push to " + where(s) + ": the change set (" +
                                          std::to_string((body.size() + (1 << 20) - 1) >> 20) +
                                          " MiB) is larger than the server accepts: nothing was pushed; the "
                                          "server's `csctl serve --max-body-kib` sets the limit");
    if (response.status != 200)
        throw_api_error(response, "push to " + where(s));
    long long now = 0;
    try {
        now = Json::parse(response.body).at("revision").get<long long>();
    } catch (const std::exception&) {
        throw Error(ExitCode::remote, "push to " + where(s) + ": the answer has no revision");
    }
    record(now);
    ctx.note("pushed " + std::to_string(ops.size()) + " change(s): " + where(s) + " is now at revision " +
             std::to_string(now));
}

}  // namespace

void add_remote_commands(Registry& r)
{
    auto& ctx = r.context();
    auto args = std::make_shared<RemoteArgs>();
    auto* group = r.group("remote", "The routing-control API server this tenant is pushed to", "");

    auto* set = r.command(group, "set", "set the server URL, token file, CA file and remote tenant name", Needs::remote, "",
                          [&ctx, args] {
                              if (args->url.rfind("http://", 0) != 0 && args->url.rfind("https://", 0) != 0)
                                  throw usage_error("remote set: URL " + quote(args->url) +
                                                    " must start with http:// or https://");
                              RemoteSettings s;
                              s.url = args->url;
                              while (!s.url.empty() && s.url.back() == '/')
                                  s.url.pop_back();
                              s.token_file = absolute(args->token_file);
                              if (!s.token_file.empty())
                                  require_private(s.token_file, "token file");
                              s.cacert = absolute(args->cacert);
                              std::error_code ec;
                              if (!s.cacert.empty() && !std::filesystem::exists(s.cacert, ec))
                                  throw usage_error("remote set: --cacert " + quote(s.cacert) + " does not exist");
                              auto store = ctx.open(SqliteTenant::Mode::read_write);
                              s.remote_tenant = args->remote_tenant.empty() ? store->tenant().name : args->remote_tenant;
                              validate_tenant_name(s.remote_tenant);
                              store->set_remote(s);
                              ctx.note("remote of tenant " + quote(store->tenant().name) + ": " + where(s));
                          });
    set->add_option("url", args->url, "the server, e.g. https://routing.example.com:8443")->required();
    set->add_option("--token-file", args->token_file,
                    "file holding the bearer token (mode 600); CSCTL_TOKEN overrides it; without one, the config "
                    "file's `token` key");
    set->add_option("--cacert", args->cacert, "PEM file of the CA(s) to trust for the server's certificate");
    set->add_option("--remote-tenant", args->remote_tenant, "the tenant's name on the server (default: the local name)");

    r.command(group, "show", "show the remote settings and the last sync (never the token)", Needs::remote, "", [&ctx] {
        auto store = ctx.open(SqliteTenant::Mode::read_only);
        auto s = require_remote(*store);
        Json row{{"url", s.url},
                 {"remoteTenant", s.remote_tenant},
                 {"tokenFile", s.token_file.empty() ? Json(nullptr) : Json(s.token_file)},
                 {"tokenFromEnvironment", std::getenv("CSCTL_TOKEN") != nullptr},
                 {"cacert", s.cacert.empty() ? Json(nullptr) : Json(s.cacert)},
                 {"syncedRevision", s.revision ? Json(*s.revision) : Json(nullptr)},
                 {"syncedAt", s.synced_at.empty() ? Json(nullptr) : Json(s.synced_at)}};
        auto format = ctx.format();
        print_objects(ctx.out(), format == Format::table ? Format::list : format, Json::array({row}), {});
    });

    r.command(&r.root(), "status", "say whether the local tenant and its remote differ", Needs::remote, "", [&ctx] {
        auto store = ctx.open(SqliteTenant::Mode::read_only);
        auto s = require_remote(*store);
        auto fetched = fetch(client_for(s), s);
        auto local = store->document();
        auto pending = make_plan(fetched.document, local, {});
        bool local_changed =
            s.revision ? !make_plan(store->synced_document(), local, {}).empty() : !blank(to_json(local));
        bool remote_changed = s.revision ? fetched.revision != *s.revision : !blank(fetched.document);
        std::string state = pending.empty()                     ? "in sync"
                            : local_changed && remote_changed   ? "diverged"
                            : remote_changed                    ? "remote changed"
                                                                : "local ahead";
        Json row{{"state", state},
                 {"url", s.url},
                 {"remoteTenant", s.remote_tenant},
                 {"remoteRevision", fetched.revision},
                 {"syncedRevision", s.revision ? Json(*s.revision) : Json(nullptr)},
                 {"differences", pending.size()}};
        auto format = ctx.format();
        if (format == Format::json || format == Format::yaml) {
            print_document(ctx.out(), format, row);
            return;
        }
        ctx.out() << state << ": " << where(s) << " is at revision " << fetched.revision;
        if (!pending.empty())
            ctx.out() << "; " << pending.size() << " object(s) differ (" << plan_counts(pending) << ")";
        ctx.out() << "\n";
        if (state == "local ahead")
            ctx.out() << "run `csctl plan` to review and `csctl push` to send them\n";
        else if (state == "remote changed")
            ctx.out() << "run `csctl pull` to adopt the remote tenant\n";
        else if (state == "diverged")
            ctx.out() << "both sides changed since the last sync: `csctl pull --force` adopts the remote (dropping the local changes)\n";
    });

    auto* plan = r.command(&r.root(), "plan", "show what push would change on the remote, object by object", Needs::remote,
                           "", [&ctx, args] {
                               auto store = ctx.open(SqliteTenant::Mode::read_only);
                               auto s = require_remote(*store);
                               auto fetched = fetch(client_for(s), s);
                               auto local = store->document();
                               auto ops = make_plan(fetched.document, local, {});
                               auto affected = users_affected(document_from_json(fetched.document), local, ops);
                               auto format = ctx.format();
                               if (format == Format::json || format == Format::yaml) {
                                   auto changes = plan_json(ops);
                                   for (std::size_t i = 0; i < ops.size(); ++i)
                                       changes[i]["usersAffected"] = affected[i];
                                   print_document(ctx.out(), format,
                                                  Json{{"url", s.url},
                                                       {"remoteTenant", s.remote_tenant},
                                                       {"revision", fetched.revision},
                                                       {"changes", changes}});
                               } else {
                                   print_plan(ctx, ops, affected);
                                   ctx.note(ops.empty() ? "plan: no changes; " + where(s) + " matches the local tenant"
                                                        : "plan: " + plan_counts(ops) + " on " + where(s) + " (revision " +
                                                              std::to_string(fetched.revision) + ")");
                               }
                               if (args->detailed_exitcode && !ops.empty())
                                   throw Error(ExitCode::pending, "");
                           });
    plan->add_flag("--detailed-exitcode", args->detailed_exitcode, "exit 10 when changes are pending (0 when none)");

    r.command(&r.root(), "push", "send the plan to the remote as one change set", Needs::remote, "", [&ctx] {
        auto store = ctx.open(SqliteTenant::Mode::read_write);
        auto s = require_remote(*store);
        auto client = client_for(s);
        if (auto quick = incremental_plan(*store, client, s)) {
            if (quick->ops.empty()) {
                ctx.note("nothing to push: " + where(s) + " (revision " + std::to_string(*s.revision) +
                         ") matches the local tenant");
                return;
            }
            send(ctx, *store, client, s, *s.revision, quick->ops, [&](long long revision) {
                std::vector<SqliteTenant::SyncPatch> patches;
                for (const auto& op : quick->ops)
                    patches.push_back({document_key(op.kind), has_identities(op.kind) ? op.identity : "", op.after});
                store->record_sync_patch(revision, patches);
            });
            return;
        }
        auto fetched = fetch(client, s);
        // Planned on the model: the users created (all of them, on a first push) are written to
        // the change set's text straight from it.
        auto local = store->document();
        PlanScope scope;
        scope.users_as_model = true;
        auto ops = make_plan(fetched.document, local, scope);
        if (ops.empty()) {
            store->record_sync(fetched.revision, local);
            ctx.note("nothing to push: " + where(s) + " (revision " + std::to_string(fetched.revision) +
                     ") matches the local tenant");
            return;
        }
        if (s.revision && fetched.revision != *s.revision)
            throw conflict(where(s) + " changed since the last push or pull (revision " + std::to_string(*s.revision) +
                           ", now " + std::to_string(fetched.revision) +
                           "): nothing was pushed; review with `csctl status` and adopt it with `csctl pull`");
        if (!s.revision && !blank(fetched.document))
            throw conflict(where(s) + " already has a configuration (revision " + std::to_string(fetched.revision) +
                           ") that this tenant never pulled: nothing was pushed; adopt it first with `csctl pull`");
        send(ctx, *store, client, s, fetched.revision, ops,
             [&](long long revision) { store->record_sync(revision, local); });
    });

    auto* pull = r.command(&r.root(), "pull", "replace the local tenant with the remote one (journaled, undoable)",
                           Needs::remote, "", [&ctx, args] {
                               auto store = ctx.open(SqliteTenant::Mode::read_write);
                               auto s = require_remote(*store);
                               auto fetched = fetch(client_for(s), s);
                               auto local = to_json(store->document());
                               auto unpushed = s.revision ? make_plan(store->synced_document(), local) : std::vector<PlanOp>{};
                               bool has_unpushed = s.revision ? !unpushed.empty() : !blank(local);
                               if (has_unpushed && !args->force)
                                   throw conflict("tenant " + quote(store->tenant().name) +
                                                  " has local changes that were never pushed: nothing was pulled; push "
                                                  "them with `csctl push`, or pass --force to discard them");
                               auto ops = make_plan(local, fetched.document);
                               if (ops.empty()) {
                                   store->record_sync(fetched.revision, fetched.document);
                                   ctx.note("up to date: " + where(s) + " (revision " +
                                            std::to_string(fetched.revision) + ") matches the local tenant");
                                   return;
                               }
                               print_plan(ctx, ops);
                               if (!ctx.confirm("apply " + std::to_string(ops.size()) + " change(s) from " + where(s) +
                                                " to the local tenant?")) {
                                   ctx.note("cancelled: nothing was changed");
                                   return;
                               }
                               Notes notes;
                               auto result = store->change(ctx.change_info(), false, [&](TenantStore& ts) {
                                   apply_plan(ts, ops, notes);
                               });
                               store->record_sync(fetched.revision, fetched.document);
                               ctx.note("pulled " + std::to_string(ops.size()) + " change(s) from " + where(s) +
                                        " at revision " + std::to_string(fetched.revision) + " (journal change " +
                                        std::to_string(result.id) + "; `csctl undo` reverts it)");
                           });
    pull->add_flag("--force", args->force, "discard local changes that were never pushed");
    r.examples("remote", {"csctl remote set https://routing.contoso.com:8443 --token-file ~/.config/csctl/contoso.token --cacert ca.pem", "csctl remote show"});
    r.examples("status", {"csctl status"});
    r.examples("plan", {"csctl plan", "csctl plan --detailed-exitcode -o json"});
    r.examples("push", {"csctl push --yes"});
    r.examples("pull", {"csctl pull --yes", "csctl pull --yes --force"});
}

}  // namespace csctl
