// serve: the routing-control API server, and its bearer tokens.
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "server/server.hpp"
#include "server/server_store.hpp"

namespace csctl {

namespace {

struct ServeArgs {
    std::string listen = "127.0.0.1:8443";
    server::ServeOptions options;
    long long max_body_kib = 16 * 1024;
};

struct TokenArgs {
    std::string data;
    std::string tenant;
    std::string role;
    std::string id;
};

void parse_listen(const std::string& text, server::ServeOptions& options)
{
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw usage_error("serve: --listen " + quote(text) + " must be HOST:PORT (for example 127.0.0.1:8443)");
    options.host = text.substr(0, colon);
    if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']')
        options.host = options.host.substr(1, options.host.size() - 2);
    auto port = parse_integer(text.substr(colon + 1), "serve: --listen port");
    if (port < 0 || port > 65535)
        throw usage_error("serve: --listen port " + std::to_string(port) + " is not between 0 and 65535");
    options.port = static_cast<int>(port);
}

}  // namespace

void add_serve_commands(Registry& r)
{
    auto& ctx = r.context();
    auto args = std::make_shared<ServeArgs>();
    auto tokens = std::make_shared<TokenArgs>();
    // `serve token …` are commands of their own; serve's own run hands over to the one parsed.
    auto token_runs = std::make_shared<std::vector<std::pair<CLI::App*, std::function<void()>>>>();
    static CLI::App* s_token_app = nullptr;
    auto* serve = r.command(&r.root(), "serve", "run the routing-control API server (stop it with SIGTERM or Ctrl-C)",
                            Needs::nothing, "", [args, token_runs] {
                                if (s_token_app && s_token_app->parsed()) {
                                    for (auto& [app, run] : *token_runs)
                                        if (app->parsed())
                                            return run();
                                    throw usage_error("serve token: a command is required (commands: create, list, revoke)");
                                }
                                parse_listen(args->listen, args->options);
                                if (args->max_body_kib < 1)
                                    throw usage_error("serve: --max-body-kib must be 1 or more");
                                args->options.max_body_bytes = static_cast<std::size_t>(args->max_body_kib) * 1024;
                                if (args->options.threads < 2)
                                    throw usage_error("serve: --threads must be 2 or more");
                                int code = server::serve(args->options);
                                if (code != 0)
                                    throw Error(static_cast<ExitCode>(code), "serve: the server stopped on an error");
                            });
    serve->require_subcommand(0, 1);
    serve->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0 picks a free one)")
        ->capture_default_str();
    serve->add_option("--data", args->options.data_dir, "directory of the server's tenants and tokens");
    serve->add_option("--tls-cert", args->options.tls_cert, "PEM certificate chain: serve HTTPS");
    serve->add_option("--tls-key", args->options.tls_key, "PEM private key of --tls-cert");
    serve->add_option("--access-log", args->options.access_log,
                      "file for the access log (one JSON line per request; - for stderr)");
    serve->add_option("--max-body-kib", args->max_body_kib, "largest request body accepted, in KiB")->capture_default_str();
    serve->add_option("--request-timeout", args->options.request_timeout_s, "seconds to read or write one request")
        ->capture_default_str();
    serve->add_option("--threads", args->options.threads, "worker threads (each serves one keep-alive connection)")
        ->capture_default_str();

    s_token_app = serve->add_subcommand("token", "bearer tokens of the server, each bound to one tenant and one role");
    s_token_app->require_subcommand(1);
    s_token_app->fallthrough();
    auto add = [&](const std::string& name, const std::string& summary, std::function<void()> run) {
        auto* app = r.command(s_token_app, name, summary, Needs::nothing, "", run);
        token_runs->push_back({app, run});
        app->add_option("--data", tokens->data, "the server's data directory")->required();
        return app;
    };
    auto* create = add("create", "create a token and print it once (only its hash is kept)", [&ctx, tokens] {
        server::ServerStore store(tokens->data);
        auto secret = store.create_token(tokens->tenant, server::parse_role(tokens->role));
        ctx.out() << secret << "\n";
        ctx.note("token for tenant " + quote(tokens->tenant) + " with role " + tokens->role +
                 " created; it is shown only this once: store it in a file only you can read (chmod 600)");
    });
    create->add_option("--tenant", tokens->tenant, "the tenant the token is for (created on the server when new)")->required();
    auto* role = create->add_option("--role", tokens->role,
                                    "reader (GET), writer (GET and changes), router (route/inbound queries, health reports)")
                     ->required();
    r.set_choices(role, {"reader", "writer", "router"});
    add("list", "list the tokens (ids, tenants, roles; never the secrets)", [&ctx, tokens] {
        server::ServerStore store(tokens->data);
        Json rows = Json::array();
        for (const auto& t : store.tokens())
            rows.push_back(Json{{"id", t.id}, {"tenant", t.tenant}, {"role", server::role_name(t.role)},
                                {"created", t.created}, {"revoked", t.revoked}});
        print_objects(ctx.out(), ctx.format(), rows, {});
    });
    auto* revoke = add("revoke", "revoke a token by its id (see `serve token list`)", [&ctx, tokens] {
        server::ServerStore store(tokens->data);
        store.revoke_token(tokens->id);
        ctx.note("token " + quote(tokens->id) + " revoked");
    });
    revoke->add_option("id", tokens->id, "the token's id")->required();
}

}  // namespace csctl
