#include "server/server.hpp"

#include "core/error.hpp"
#include "core/plan.hpp"
#include "core/text.hpp"
#include "server/route_query.hpp"
#include "server/server_store.hpp"
#include "store/sqlite_tenant.hpp"

#include <httplib.h>
#include <openssl/evp.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

namespace csctl::server {

namespace {

using Clock = std::chrono::steady_clock;

// The token an Authorization header carries: "Bearer TOKEN", or HTTP Basic with the token as the
// password (any user name) for clients that can send only Basic, such as the named connections of
// Kamailio's http_client. Empty when there is none.
std::string token_of(const std::string& header)
{
    // The scheme's name is case-insensitive (RFC 9110).
    if (header.size() > 7 && iequals(std::string_view(header).substr(0, 7), "Bearer "))
        return header.substr(7);
    if (header.size() < 6 || !iequals(std::string_view(header).substr(0, 6), "Basic "))
        return {};
    auto encoded = header.substr(6);
    if (encoded.empty() || encoded.size() > 400 || encoded.size() % 4 != 0)
        return {};
    std::string decoded(encoded.size() / 4 * 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                            reinterpret_cast<const unsigned char*>(encoded.data()), static_cast<int>(encoded.size()));
    if (n < 0)
        return {};
    int padding = encoded.ends_with("==") ? 2 : encoded.ends_with("=") ? 1 : 0;
    decoded.resize(static_cast<std::size_t>(n - padding));
    auto colon = decoded.find(':');
    return colon == std::string::npos ? std::string{} : decoded.substr(colon + 1);
}

// An answer other than 200, as the API's error object.
struct HttpError {
    int status;
    std::string code;
    std::string message;
    Json target = nullptr;
};

struct Replayed {
    long long revision;
};

std::string utc_now()
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

const char* status_code_name(int status)
{
    switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 412: return "precondition_failed";
    case 413: return "payload_too_large";
    case 422: return "invalid";
    case 428: return "precondition_required";
    case 429: return "too_many_requests";
    case 431: return "headers_too_large";
    case 501: return "not_implemented";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "error";
    }
}

// JSON text for an answer or a log line: text a client sent may quote bytes that are not UTF-8
// (in an error message, a path), which are replaced rather than failing the answer.
std::string json_text(const Json& body) { return body.dump(-1, ' ', false, Json::error_handler_t::replace); }

void send_error(httplib::Response& res, const HttpError& e)
{
    res.status = e.status;
    Json body{{"error", {{"code", e.code.empty() ? status_code_name(e.status) : e.code}, {"message", e.message},
                         {"target", e.target}}}};
    res.set_content(json_text(body) + "\n", "application/json");
}

void send_json(httplib::Response& res, const Json& body, int status = 200)
{
    res.status = status;
    res.set_content(json_text(body) + "\n", "application/json");
}

std::string etag(long long revision) { return "\"" + std::to_string(revision) + "\""; }

// The object collections of the per-object endpoints: path word, kind, key in the document.
// A kind added to core/plan.cpp gets its endpoints from one more row here.
struct Collection {
    const char* path;
    const char* kind;
    const char* document_key;
    bool names_only;  // a list of names (usages), not of objects
};

const std::vector<Collection>& collections()
{
    static const std::vector<Collection> table{
        {"gateways", kind::gateway, "onlinePstnGateways", false},
        {"usages", kind::usage, "onlinePstnUsages", true},
        {"voice-routes", kind::voice_route, "onlineVoiceRoutes", false},
        {"voice-routing-policies", kind::voice_routing_policy, "onlineVoiceRoutingPolicies", false},
        {"dial-plans", kind::dial_plan, "tenantDialPlans", false},
        {"translation-rules", kind::translation_rule, "teamsTranslationRules", false},
        {"blocked-number-patterns", kind::blocked_number, "inboundBlockedNumberPatterns", false},
        {"exempt-number-patterns", kind::exempt_number, "inboundExemptNumberPatterns", false},
        {"groups", kind::group, "groups", false},
        {"users", kind::user, "users", false},
    };
    return table;
}

// Whether item of collection c is the object named id ("Tag:X" and "X" name the same policy).
bool names_object(const Collection& c, const Json& item, const std::string& id)
{
    auto identity = item.at(identity_key(c.kind)).get<std::string>();
    if (iequals(identity, id))
        return true;
    bool tagged = c.kind == std::string(kind::voice_routing_policy) || c.kind == std::string(kind::dial_plan);
    return tagged && iequals(policy_name_from_identity(identity), policy_name_from_identity(id));
}

const Collection* find_collection(const std::string& path)
{
    for (const auto& c : collections())
        if (path == c.path)
            return &c;
    return nullptr;
}

struct GatewayReport {
    int status_code = 0;
    std::string time;
    Clock::time_point at;
    int active_calls = 0;
};

// What the server holds in memory per tenant: the current document and its revision (rebuilt when
// a change set commits), the compiled route snapshot of a revision, and the OPTIONS reports of
// its gateways. `mutex` guards the document and is held by a change set while it applies; route
// queries never wait for it while a snapshot exists (they answer from the last one).
struct TenantState {
    std::mutex mutex;
    std::atomic<long long> revision = -1;  // -1: not known yet
    bool stale = true;                     // document and body are older than revision
    Json document;
    std::shared_ptr<const TenantDocument> tenant;
    std::string body;

    std::mutex snapshot_mutex;
    std::shared_ptr<const RouteSnapshot> snapshot;
    bool building = false;                 // a thread is compiling the snapshot of a newer revision

    std::mutex reports_mutex;
    std::map<std::string, GatewayReport> reports;  // by lower-case FQDN
};

class Metrics {
public:
    static constexpr std::array<double, 9> k_buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0};

    void request(const std::string& method, int status, double seconds)
    {
        std::lock_guard lock(m_mutex);
        ++m_requests[{method, status}];
        for (std::size_t i = 0; i < k_buckets.size(); ++i)
            if (seconds <= k_buckets[i])
                ++m_bucket_counts[i];
        ++m_count;
        m_sum += seconds;
    }
    void change_set(const std::string& result)
    {
        std::lock_guard lock(m_mutex);
        ++m_change_sets[result];
    }
    std::string text(std::size_t tenants) const
    {
        std::lock_guard lock(m_mutex);
        std::ostringstream out;
        out << "# HELP csctl_http_requests_total HTTP requests answered, by method and status.\n"
            << "# TYPE csctl_http_requests_total counter\n";
        for (const auto& [key, n] : m_requests)
            out << "csctl_http_requests_total{method=\"" << key.first << "\",status=\"" << key.second << "\"} " << n
                << "\n";
        out << "# HELP csctl_http_request_duration_seconds Time from request read to response ready.\n"
            << "# TYPE csctl_http_request_duration_seconds histogram\n";
        for (std::size_t i = 0; i < k_buckets.size(); ++i)
            out << "csctl_http_request_duration_seconds_bucket{le=\"" << k_buckets[i] << "\"} " << m_bucket_counts[i]
                << "\n";
        out << "csctl_http_request_duration_seconds_bucket{le=\"+Inf\"} " << m_count << "\n"
            << "csctl_http_request_duration_seconds_sum " << m_sum << "\n"
            << "csctl_http_request_duration_seconds_count " << m_count << "\n";
        out << "# HELP csctl_change_sets_total Change sets received, by result.\n"
            << "# TYPE csctl_change_sets_total counter\n";
        for (const auto& [result, n] : m_change_sets)
            out << "csctl_change_sets_total{result=\"" << result << "\"} " << n << "\n";
        out << "# HELP csctl_tenants Tenants held by this server.\n# TYPE csctl_tenants gauge\n"
            << "csctl_tenants " << tenants << "\n";
        return out.str();
    }

private:
    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, unsigned long long> m_requests;
    std::array<unsigned long long, k_buckets.size()> m_bucket_counts{};
    unsigned long long m_count = 0;
    double m_sum = 0;
    std::map<std::string, unsigned long long> m_change_sets;
};

// Per-request facts for the access log, set by the handlers of this thread.
// t_started is unset (epoch) for a request the HTTP library refused before routing it (a header
// too long …): its duration is not known.
thread_local Clock::time_point t_started;
thread_local std::string t_token_id;

class Api {
public:
    Api(const ServeOptions& options) : m_options(options), m_store(options.data_dir)
    {
        if (options.access_log == "-")
            m_log = &std::cerr;
        else if (!options.access_log.empty()) {
            m_log_file.open(options.access_log, std::ios::app);
            if (!m_log_file)
                throw usage_error("serve: cannot open --access-log " + quote(options.access_log));
            m_log = &m_log_file;
        }
        if (const char* point = std::getenv("CSCTL_SERVE_CRASH_POINT"))
            m_crash_point = point;
    }

    void install(httplib::Server& http);

private:
    std::shared_ptr<TenantState> state(const std::string& tenant)
    {
        std::lock_guard lock(m_states_mutex);
        auto& slot = m_states[tenant];
        if (!slot)
            slot = std::make_shared<TenantState>();
        return slot;
    }

    // The token of the request, checked for the tenant and one of the roles.
    TokenInfo authorize(const httplib::Request& req, const std::string& tenant, std::initializer_list<Role> roles)
    {
        auto secret = token_of(req.get_header_value("Authorization"));
        if (secret.empty())
            throw HttpError{401, "", "a bearer token is required (Authorization: Bearer TOKEN)"};
        auto token = m_store.authenticate(secret);
        if (!token)
            throw HttpError{401, "", "the token is not valid (unknown, mistyped or revoked)"};
        t_token_id = token->id;
        if (token->tenant != tenant)
            throw HttpError{403, "", "this token does not grant access to tenant " + quote(tenant)};
        for (auto role : roles)
            if (token->role == role)
                return *token;
        throw HttpError{403, "", "a " + role_name(token->role) + " token cannot do this"};
    }

    // The tenant's document at its current revision, loaded once per revision.
    void load(const std::string& tenant, TenantState& s)
    {
        if (s.revision >= 0 && !s.stale)
            return;
        if (!m_store.tenant_exists(tenant))
            throw HttpError{404, "", "tenant " + quote(tenant) + " does not exist on this server"};
        auto store = SqliteTenant::open(m_store.tenant_path(tenant), SqliteTenant::Mode::read_only);
        s.revision = store->revision();
        auto tenant_document = std::make_shared<TenantDocument>(store->document());
        s.document = to_json(*tenant_document);
        s.tenant = std::move(tenant_document);
        s.body = s.document.dump() + "\n";
        s.stale = false;
    }

    // The compiled routing snapshot of the tenant's current revision. While another thread
    // compiles a newer one, queries are answered from the previous revision rather than waiting.
    std::shared_ptr<const RouteSnapshot> snapshot(const std::string& tenant)
    {
        auto s = state(tenant);
        {
            std::lock_guard lock(s->snapshot_mutex);
            if (s->snapshot && (s->snapshot->revision() == s->revision || s->building))
                return s->snapshot;
            s->building = true;
        }
        try {
            std::shared_ptr<const TenantDocument> document;
            long long revision = 0;
            {
                std::lock_guard lock(s->mutex);
                load(tenant, *s);
                document = s->tenant;
                revision = s->revision;
            }
            std::shared_ptr<const RouteSnapshot> built;
            {
                std::lock_guard lock(s->snapshot_mutex);
                if (s->snapshot && s->snapshot->revision() == revision)
                    built = s->snapshot;
            }
            if (!built)
                built = std::make_shared<const RouteSnapshot>(*document, revision);
            std::lock_guard lock(s->snapshot_mutex);
            s->snapshot = built;
            s->building = false;
            return built;
        } catch (...) {
            std::lock_guard lock(s->snapshot_mutex);
            s->building = false;
            throw;
        }
    }

    // Gateways an SBC reported without a 2xx answer to OPTIONS lately, or at MaxConcurrentSessions:
    // tried after the healthy ones. A gateway never reported counts as healthy.
    std::vector<std::string> demoted_gateways(const std::string& tenant, const RouteSnapshot& snap)
    {
        auto s = state(tenant);
        std::lock_guard lock(s->reports_mutex);
        std::vector<std::string> out;
        if (s->reports.empty())
            return out;
        auto now = Clock::now();
        for (const auto& [key, g] : snap.gateways()) {
            auto it = s->reports.find(key);
            if (it == s->reports.end())
                continue;
            const auto& r = it->second;
            bool fresh = now - r.at < std::chrono::minutes(3);
            if ((g.send_sip_options && (!fresh || r.status_code < 200 || r.status_code >= 300)) ||
                (g.max_concurrent_sessions && r.active_calls >= *g.max_concurrent_sessions))
                out.push_back(g.fqdn);
        }
        return out;
    }

    struct Applied {
        long long revision;
        bool replayed;
        std::vector<std::string> warnings;
    };

    Applied apply(const std::string& tenant, const TokenInfo& token, const std::vector<PlanOp>& ops,
                  std::optional<long long> if_match, const std::string& key, const std::string& body_hash)
    {
        auto s = state(tenant);
        std::lock_guard lock(s->mutex);  // one writer per tenant in this process; SQLite guards the rest
        auto store = SqliteTenant::open(m_store.tenant_path(tenant), SqliteTenant::Mode::read_write);
        ChangeInfo info{"POST /v1/tenants/" + tenant + "/changes", "token:" + token.id, std::nullopt, key, body_hash};
        Notes notes;
        ChangeResult result;
        try {
            result = store->change(info, false, [&](TenantStore& ts) {
                if (!key.empty())
                    if (auto done = store->applied_change_set(key)) {
                        if (done->request_hash != body_hash)
                            throw HttpError{422, "idempotency_key_reused",
                                            "Idempotency-Key " + quote(key) + " was used for a different change set"};
                        throw Replayed{done->change_id};
                    }
                auto current = store->revision();
                if (if_match && *if_match != current)
                    throw HttpError{412, "", "the tenant is at revision " + std::to_string(current) + ", not " +
                                                 std::to_string(*if_match) + "; fetch it again and re-plan"};
                apply_plan(ts, ops, notes);
                if (m_crash_point == "before-commit")
                    _exit(99);
            });
        } catch (const Replayed& r) {
            m_metrics.change_set("replayed");
            return {r.revision, true, {}};
        }
        if (m_crash_point == "after-commit")
            _exit(99);
        // The revision is known at once (a conditional GET needs nothing else); the document is
        // read again when someone asks for it.
        s->revision = result.id ? result.id : store->revision();
        s->stale = true;
        m_metrics.change_set("applied");
        return {s->revision, false, notes.warnings};
    }

    void handle(const httplib::Request& req, httplib::Response& res, const std::function<void()>& fn)
    {
        try {
            fn();
        } catch (const HttpError& e) {
            send_error(res, e);
        } catch (const PlanError& e) {
            Json target{{"kind", e.kind()}, {"identity", e.identity()}};
            send_error(res, {e.code() == ExitCode::conflict ? 409 : e.code() == ExitCode::not_found ? 404 : 422, "",
                             e.what(), target});
        } catch (const Error& e) {
            int status = 500;
            switch (e.code()) {
            case ExitCode::usage: status = 422; break;
            case ExitCode::not_found: status = 404; break;
            case ExitCode::conflict: status = 409; break;
            case ExitCode::auth: status = 403; break;
            default: break;
            }
            send_error(res, {status, "", e.what()});
        } catch (const std::exception& e) {
            send_error(res, {500, "", std::string("internal error: ") + e.what()});
        }
        (void)req;
    }

    static std::optional<long long> parse_if_match(const httplib::Request& req, bool required)
    {
        if (!req.has_header("If-Match")) {
            if (required)
                throw HttpError{428, "", "If-Match: \"REVISION\" is required (the revision the change set was planned against)"};
            return std::nullopt;
        }
        auto text = trim(req.get_header_value("If-Match"));
        if (text == "*")
            return std::nullopt;
        if (text.rfind("W/", 0) == 0)
            text = text.substr(2);
        if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
            text = text.substr(1, text.size() - 2);
        try {
            std::size_t used = 0;
            auto value = std::stoll(text, &used);
            if (used == text.size() && value >= 0)
                return value;
        } catch (const std::logic_error&) {
        }
        throw HttpError{400, "", "If-Match " + quote(text) + " is not a revision (\"N\")"};
    }

    // The body as JSON: 400 for anything that is not valid JSON (a number out of range, bytes that
    // are not UTF-8 …) and for a key given twice in one object (which JSON parsers resolve
    // differently: nlohmann keeps the last).
    static Json parse_body(const httplib::Request& req)
    {
        std::vector<std::vector<std::string>> keys;  // the keys of each object being read, innermost last
        auto once = [&](int, Json::parse_event_t event, Json& value) {
            if (event == Json::parse_event_t::object_start) {
                keys.emplace_back();
            } else if (event == Json::parse_event_t::object_end) {
                keys.pop_back();
            } else if (event == Json::parse_event_t::key) {
                auto key = value.get<std::string>();
                auto& seen = keys.back();
                if (std::find(seen.begin(), seen.end(), key) != seen.end())
                    throw HttpError{400, "", "the body gives the key " + quote(key) + " twice in one object"};
                seen.push_back(std::move(key));
            }
            return true;
        };
        try {
            return Json::parse(req.body, once);
        } catch (const Json::exception& e) {
            throw HttpError{400, "", std::string("the body is not valid JSON: ") + e.what()};
        }
    }

    void log_access(const httplib::Request& req, const httplib::Response& res)
    {
        bool timed = t_started != Clock::time_point{};
        double seconds = timed ? std::chrono::duration<double>(Clock::now() - t_started).count() : 0.0;
        t_started = {};
        m_metrics.request(req.method, res.status, seconds);
        if (!m_log)
            return;
        Json line{{"time", utc_now()},    {"remote", req.remote_addr}, {"method", req.method},
                  {"path", req.path},     {"status", res.status},      {"bytes", res.body.size()},
                  {"durationMs", timed ? Json(seconds * 1000.0) : Json(nullptr)},
                  {"token", t_token_id.empty() ? Json(nullptr) : Json(t_token_id)}};
        std::lock_guard lock(m_log_mutex);
        *m_log << json_text(line) << "\n" << std::flush;
        t_token_id.clear();
    }

    Json gateway_health(TenantState& s)
    {
        std::lock_guard lock(s.reports_mutex);
        Json out = Json::array();
        auto now = Clock::now();
        for (const auto& g : s.document.at("onlinePstnGateways")) {
            auto fqdn = g.at("fqdn").get<std::string>();
            auto it = s.reports.find(to_lower(fqdn));
            const GatewayReport* report = it == s.reports.end() ? nullptr : &it->second;
            std::string health = "healthy";
            bool fresh = report && now - report->at < std::chrono::minutes(3);
            auto max = g.at("maxConcurrentSessions");
            if (!g.at("enabled").get<bool>())
                health = "disabled";
            else if (report && g.at("sendSipOptions").get<bool>() &&
                     (!fresh || report->status_code < 200 || report->status_code >= 300))
                health = "demoted";  // as the route query: a gateway never reported counts as healthy
            else if (report && max.is_number_integer() && report->active_calls >= max.get<int>())
                health = "demoted";
            out.push_back(Json{{"fqdn", fqdn},
                               {"health", health},
                               {"lastOptions", report ? Json{{"time", report->time}, {"statusCode", report->status_code}}
                                                      : Json(nullptr)},
                               {"activeCalls", report ? report->active_calls : 0},
                               {"maxConcurrentSessions", max}});
        }
        return out;
    }

    ServeOptions m_options;
    ServerStore m_store;
    Metrics m_metrics;
    std::mutex m_states_mutex;
    std::map<std::string, std::shared_ptr<TenantState>> m_states;
    std::ofstream m_log_file;
    std::ostream* m_log = nullptr;
    std::mutex m_log_mutex;
    std::string m_crash_point;
};

void Api::install(httplib::Server& http)
{
    constexpr Role R = Role::reader, W = Role::writer, X = Role::router;
    const std::string tenant = "/v1/tenants/([^/]+)";

    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        t_started = Clock::now();
        t_token_id.clear();
        if (req.headers.size() > m_options.max_headers) {
            send_error(res, {431, "", "more than " + std::to_string(m_options.max_headers) + " request headers"});
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) { log_access(req, res); });
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty())
            return;
        std::string message = res.status == 404   ? "no such endpoint: " + req.method + " " + req.path
                              : res.status == 413 ? "the request body is larger than the server accepts"
                                                  : "the request was refused";
        send_error(res, {res.status, "", message});
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        send_error(res, {500, "", "internal error: " + what});
    });

    http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { send_json(res, Json{{"status", "ok"}}); });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(m_metrics.text(m_store.tenants().size()), "text/plain; version=0.0.4");
    });

    http.Get(tenant + "/config", [=, this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, [&] {
            auto name = req.matches[1].str();
            authorize(req, name, {R, W});
            auto s = state(name);
            std::lock_guard lock(s->mutex);
            if (s->revision < 0)
                load(name, *s);
            res.set_header("ETag", etag(s->revision));
            if (req.get_header_value("If-None-Match") == etag(s->revision)) {
                res.status = 304;
                return;
            }
            load(name, *s);
            res.set_content(s->body, "application/json");
        });
    });

    http.Post(tenant + "/changes", [=, this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, [&] {
            auto name = req.matches[1].str();
            auto token = authorize(req, name, {W});
            auto if_match = parse_if_match(req, true);
            auto key = req.get_header_value("Idempotency-Key");
            if (key.size() > 200)
                throw HttpError{400, "", "Idempotency-Key is longer than 200 characters"};
            // The usual change set is read straight from the text (a first push is tens of MiB);
            // anything else goes through the tree, which names what is wrong with it.
            auto fast = change_set_from_text(req.body);
            std::vector<PlanOp> ops;
            if (fast) {
                ops = std::move(*fast);
            } else {
                auto body = parse_body(req);
                if (!body.is_object() || !body.contains("operations"))
                    throw HttpError{400, "", "the body must be an object {\"operations\": [...]}"};
                try {
                    ops = plan_from_json(std::move(body.at("operations")));
                } catch (const Error& e) {
                    throw HttpError{400, "", e.what()};
                }
            }
            try {
                auto applied = apply(name, token, ops, if_match, key, sha256_hex(req.body));
                res.set_header("ETag", etag(applied.revision));
                send_json(res, Json{{"revision", applied.revision},
                                    {"operations", ops.size()},
                                    {"replayed", applied.replayed},
                                    {"warnings", applied.warnings}});
            } catch (const HttpError& e) {
                m_metrics.change_set(e.status == 412 ? "stale" : "refused");
                throw;
            } catch (const Error&) {
                m_metrics.change_set("refused");
                throw;
            }
        });
    });

    http.Get(tenant + "/route", [=, this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, [&] {
            auto name = req.matches[1].str();
            authorize(req, name, {X});
            auto format = req.get_param_value("format");
            if (!format.empty() && format != "json" && format != "rtjson")
                throw HttpError{400, "", "format " + quote(format) + " is not one of json, rtjson"};
            if (!req.has_param("to"))
                throw HttpError{400, "", "the route query needs to=<the number dialed> (and from=<user or number>)"};
            auto snap = snapshot(name);
            OutboundOptions options;
            CallerContext caller;
            std::string number;
            try {
                number = clean_number(req.get_param_value("to"), "to");
                if (req.has_param("from") && !req.get_param_value("from").empty())
                    caller = snap->caller(req.get_param_value("from"));
                auto gateways = [&](const char* param) {
                    std::vector<std::string> out;
                    for (const auto& item : split_list(req.get_param_value(param))) {
                        auto fqdn = snap->gateway_fqdn(item);
                        if (!fqdn)
                            throw usage_error(std::string(param) + ": " + gateway_label(item) + " does not exist");
                        out.push_back(*fqdn);
                    }
                    return out;
                };
                options.unavailable = gateways("unavailable");
                options.demoted = gateways("demoted");
                if (req.has_param("ingress")) {
                    auto ingress = gateways("ingress");
                    if (ingress.size() != 1)
                        throw usage_error("ingress: name one gateway");
                    options.ingress = ingress.front();
                }
                if (req.has_param("seed")) {
                    auto text = req.get_param_value("seed");
                    std::size_t used = 0;
                    unsigned long long seed = 0;
                    try {
                        seed = std::stoull(text, &used);
                    } catch (const std::logic_error&) {
                        used = 0;
                    }
                    if (text.empty() || used != text.size() || text[0] == '-' || text[0] == '+')
                        throw usage_error("seed: " + quote(text) + " is not a number of 0 or more");
                    options.seed = seed;
                }
            } catch (const Error& e) {
                throw HttpError{e.code() == ExitCode::not_found ? 404 : 400, "", e.what()};
            }
            if (!req.has_param("demoted"))
                options.demoted = demoted_gateways(name, *snap);
            if (!options.seed) {
                // The gateways' random order, seeded from a generator of this thread: a
                // std::random_device per query would cost more than the whole evaluation.
                thread_local std::mt19937_64 seeds{std::random_device{}()};
                options.seed = seeds();
            }
            auto result = snap->route(caller, number, options);
            res.set_header("ETag", etag(snap->revision()));
            res.set_content(format == "rtjson" ? snap->rtjson(result) : decision_json(result), "application/json");
        });
    });
    http.Get(tenant + "/inbound", [=, this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, [&] {
            auto name = req.matches[1].str();
            authorize(req, name, {X});
            for (const char* param : {"gateway", "called", "calling"})
                if (!req.has_param(param))
                    throw HttpError{400, "", "the inbound query needs gateway=, called= and calling="};
            auto snap = snapshot(name);
            std::string called, calling;
            try {
                called = clean_number(req.get_param_value("called"), "called", true);
                calling = clean_number(req.get_param_value("calling"), "calling", true);
            } catch (const Error& e) {
                throw HttpError{400, "", e.what()};
            }
            auto result = snap->inbound(req.get_param_value("gateway"), called, calling);
            res.set_header("ETag", etag(snap->revision()));
            send_json(res, to_json(result));
        });
    });

    http.Get(tenant + "/gateways/health", [=, this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, [&] {
            auto name = req.matches[1].str();
            authorize(req, name, {R, W, X});
            auto s = state(name);
            std::lock_guard lock(s->mutex);
            load(name, *s);
            send_json(res, gateway_health(*s));
        });
    });
    http.Post(tenant + "/gateways/([^/]+)/options", [=, this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, [&] {
            auto name = req.matches[1].str();
            auto fqdn = req.matches[2].str();
            authorize(req, name, {X});
            auto body = parse_body(req);
            auto count = [&](const char* key, long long low, long long high) {
                auto it = body.find(key);
                return it != body.end() && it->is_number_integer() && it->get<long long>() >= low &&
                       it->get<long long>() <= high;
            };
            if (!body.is_object() || !count("statusCode", 0, 699) ||
                (body.contains("activeCalls") && !count("activeCalls", 0, INT32_MAX)))
                throw HttpError{400, "", "the body must be {\"statusCode\": N (a SIP status, or 0 when none came)[, "
                                         "\"activeCalls\": N (0 or more)]}"};
            auto s = state(name);
            std::lock_guard lock(s->mutex);
            load(name, *s);
            bool known = false;
            for (const auto& g : s->document.at("onlinePstnGateways"))
                known = known || iequals(g.at("fqdn").get<std::string>(), fqdn);
            if (!known)
                throw HttpError{404, "", gateway_label(fqdn) + " does not exist in tenant " + quote(name)};
            std::lock_guard reports_lock(s->reports_mutex);
            auto& report = s->reports[to_lower(fqdn)];
            report.status_code = body.at("statusCode").get<int>();
            report.active_calls = body.value("activeCalls", 0);
            report.time = utc_now();
            report.at = Clock::now();
            res.status = 204;
        });
    });

    http.Get(tenant + "/([a-z-]+)", [=, this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, [&] {
            auto name = req.matches[1].str();
            const auto* c = find_collection(req.matches[2].str());
            if (!c)
                throw HttpError{404, "", "no such endpoint: GET " + req.path};
            authorize(req, name, {R, W});
            auto s = state(name);
            std::lock_guard lock(s->mutex);
            load(name, *s);
            res.set_header("ETag", etag(s->revision));
            send_json(res, s->document.at(c->document_key));
        });
    });
    auto object_path = tenant + "/([a-z-]+)/([^/]+)";
    http.Get(object_path, [=, this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, [&] {
            auto name = req.matches[1].str();
            const auto* c = find_collection(req.matches[2].str());
            auto id = req.matches[3].str();
            if (!c)
                throw HttpError{404, "", "no such endpoint: GET " + req.path};
            authorize(req, name, {R, W});
            auto s = state(name);
            std::lock_guard lock(s->mutex);
            load(name, *s);
            res.set_header("ETag", etag(s->revision));
            for (const auto& item : s->document.at(c->document_key)) {
                if (c->names_only ? iequals(item.get<std::string>(), id) : names_object(*c, item, id)) {
                    send_json(res, item);
                    return;
                }
            }
            throw HttpError{404, "", kind_words(c->kind) + " " + quote(id) + " does not exist", Json{{"kind", c->kind}, {"identity", id}}};
        });
    });
    // PUT and DELETE of one object: a change set of one operation.
    auto write_one = [=, this](bool remove) {
        return [=, this](const httplib::Request& req, httplib::Response& res) {
            handle(req, res, [&] {
                auto name = req.matches[1].str();
                const auto* c = find_collection(req.matches[2].str());
                auto id = req.matches[3].str();
                if (!c)
                    throw HttpError{404, "", "no such endpoint: " + req.method + " " + req.path};
                auto token = authorize(req, name, {W});
                auto if_match = parse_if_match(req, false);
                Json document;
                {
                    auto s = state(name);
                    std::lock_guard lock(s->mutex);
                    load(name, *s);
                    document = s->document;
                }
                std::vector<PlanOp> ops;
                Json target = document;
                auto& list = target[c->document_key];
                if (c->names_only) {
                    auto names = list.get<std::vector<std::string>>();
                    auto at = find_identity(names, id);
                    if (remove && at < 0)
                        throw HttpError{404, "", "pstn usage " + quote(id) + " does not exist"};
                    if (remove)
                        names.erase(names.begin() + at);
                    else if (at < 0)
                        names.push_back(id);
                    list = names;
                } else {
                    Json kept = Json::array();
                    bool found = false;
                    for (auto& item : list) {
                        if (names_object(*c, item, id)) {
                            found = true;
                            continue;
                        }
                        kept.push_back(item);
                    }
                    if (remove && !found)
                        throw HttpError{404, "", kind_words(c->kind) + " " + quote(id) + " does not exist",
                                        Json{{"kind", c->kind}, {"identity", id}}};
                    if (!remove) {
                        auto body = parse_body(req);
                        if (!body.is_object())
                            throw HttpError{400, "", "the body must be the object as JSON"};
                        body[identity_key(c->kind)] = id;
                        kept.push_back(body);
                    }
                    list = kept;
                }
                ops = make_plan(document, target);
                auto applied = apply(name, token, ops, if_match, req.get_header_value("Idempotency-Key"),
                                     sha256_hex(req.method + req.path + req.body));
                res.set_header("ETag", etag(applied.revision));
                send_json(res, Json{{"revision", applied.revision}, {"operations", ops.size()},
                                    {"replayed", applied.replayed}, {"warnings", applied.warnings}});
            });
        };
    };
    http.Put(object_path, write_one(false));
    http.Delete(object_path, write_one(true));
}

// Holds the data directory for one server process: the in-memory state is only valid while no
// other process writes the same tenants.
int lock_data_dir(const std::string& dir)
{
    auto path = dir + "/serve.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
        throw Error(ExitCode::conflict, "serve: another `csctl serve` is using " + quote(dir));
    return fd;
}

}  // namespace

int serve(const ServeOptions& options)
{
    // The signals are taken by one thread that stops the server: the handler threads never see them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    Api api(options);
    int lock_fd = lock_data_dir(options.data_dir);
    std::unique_ptr<httplib::Server> http;
    bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
    if (tls) {
        if (options.tls_cert.empty() || options.tls_key.empty())
            throw usage_error("serve: --tls-cert and --tls-key go together");
        auto ssl = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
        if (!ssl->is_valid())
            throw usage_error("serve: cannot load the certificate " + quote(options.tls_cert) + " and key " +
                              quote(options.tls_key) + " (PEM files, the key matching the certificate)");
        http = std::move(ssl);
    } else {
        http = std::make_unique<httplib::Server>();
    }
    http->set_tcp_nodelay(true);
    http->set_keep_alive_max_count(100000);
    http->set_keep_alive_timeout(options.keep_alive_s);
    http->set_read_timeout(options.request_timeout_s, 0);
    http->set_write_timeout(options.request_timeout_s, 0);
    http->set_payload_max_length(options.max_body_bytes);
    auto threads = static_cast<std::size_t>(options.threads);
    http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    api.install(*http);

    int port = options.port;
    if (port == 0)
        port = http->bind_to_any_port(options.host);
    else if (!http->bind_to_port(options.host, port))
        port = -1;
    if (port < 0)
        throw Error(ExitCode::remote, "serve: cannot listen on " + options.host + ":" + std::to_string(options.port) +
                                          " (in use, or not an address of this machine)");

    std::thread stopper([&] {
        int received = 0;
        sigwait(&signals, &received);
        http->stop();
    });
    std::cerr << "csctl serve: listening on " << (tls ? "https" : "http") << "://" << options.host << ":" << port
              << " (data " << options.data_dir << ")" << std::endl;
    bool ok = http->listen_after_bind();
    if (stopper.joinable()) {
        pthread_kill(stopper.native_handle(), SIGTERM);  // wakes the waiter when listen ended by itself
        stopper.join();
    }
    ::close(lock_fd);
    std::cerr << "csctl serve: stopped" << std::endl;
    return ok ? 0 : static_cast<int>(ExitCode::remote);
}

}  // namespace csctl::server
