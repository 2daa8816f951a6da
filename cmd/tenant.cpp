// tenant: create, list and select local tenants, and manage their registered SIP domains.
#include "cmd/change.hpp"
#include "cmd/groups.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/tenant.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <filesystem>

namespace csctl {

namespace {

struct TenantArgs {
    std::string name;
    std::string tenant_id;
    std::vector<std::string> domains;
    bool no_use = false;
};

const std::vector<Column> k_columns{{"name", "Name"},
                                    {"tenantId", "TenantId"},
                                    {"domains", "Domains"},
                                    {"current", "Current"},
                                    {"path", "Path"}};

}  // namespace

void add_tenant_commands(Registry& r)
{
    auto& ctx = r.context();
    auto* group = r.group("tenant", "Local tenants: one SQLite database each", "");
    r.examples(group, {"csctl tenant init contoso --domain contoso.com", "csctl tenant list",
                       "csctl tenant use fabrikam", "csctl tenant show -o json", "csctl tenant domain add sales.contoso.com"});

    auto init = std::make_shared<TenantArgs>();
    auto* cmd = r.command(group, "init", "create a tenant and make it the current one", Needs::nothing, "", [&ctx, init] {
        TenantInfo info;
        info.name = init->name;
        info.tenant_id = init->tenant_id;
        for (const auto& d : init->domains)
            for (auto& item : split_list(d))
                info.domains.push_back(std::move(item));
        validate(info);
        auto cfg = ctx.config();
        auto db = cfg.get("db");
        std::string path = db.value.empty() || !ctx.globals.tenant.empty() ? Context::tenant_path(info.name) : db.value;
        if (ctx.globals.dry_run) {
            ctx.note("dry run: would create tenant " + quote(info.name) + " at " + path);
            return;
        }
        try {
            SqliteTenant::create(path, info);
        } catch (const Error& e) {
            if (e.code() == ExitCode::conflict)
                throw conflict("tenant " + quote(info.name) + " already exists (" + path + ")");
            throw;
        }
        ctx.note("created tenant " + quote(info.name) + " in " + path);
        if (db.value.empty() && !init->no_use) {
            Config::write_file_key("tenant", info.name);
            ctx.note("now using tenant " + quote(info.name));
        }
    });
    cmd->add_option("name", init->name, "tenant name (letters, digits, '-', '_', '.')")->required();
    cmd->add_option("--domain", init->domains, "a registered SIP domain of the tenant (repeatable)");
    cmd->add_option("--tenant-id", init->tenant_id, "the Microsoft 365 tenant id (GUID)");
    cmd->add_flag("--no-use", init->no_use, "do not make it the current tenant");
    cmd->add_flag("--dry-run", ctx.globals.dry_run, "show what would be created, then create nothing");

    cmd = r.command(group, "list", "list local tenants", Needs::nothing, "", [&ctx] {
        Json objects = Json::array();
        auto dir = Config::data_dir();
        auto current = ctx.config().get("tenant").value;
        std::vector<std::filesystem::path> files;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
            if (entry.path().extension() == ".db")
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            auto name = file.stem().string();
            Json row{{"name", name}, {"tenantId", nullptr}, {"domains", Json::array()}, {"current", name == current},
                     {"path", file.string()}};
            try {
                auto info = SqliteTenant::open(file.string(), SqliteTenant::Mode::read_only)->tenant();
                row["tenantId"] = info.tenant_id.empty() ? Json(nullptr) : Json(info.tenant_id);
                row["domains"] = info.domains;
            } catch (const Error& e) {
                ctx.warn(file.string() + ": " + e.what());
            }
            objects.push_back(row);
        }
        print_objects(ctx.out(), ctx.format(), objects, k_columns);
    });

    auto use = std::make_shared<TenantArgs>();
    cmd = r.command(group, "use", "make a tenant the current one (in the config file)", Needs::nothing, "", [&ctx, use] {
        validate_tenant_name(use->name);
        std::error_code ec;
        if (!std::filesystem::exists(Context::tenant_path(use->name), ec))
            throw not_found("tenant " + quote(use->name) + " does not exist (create it with `csctl tenant init " +
                            use->name + "`)");
        Config::write_file_key("tenant", use->name);
        ctx.note("now using tenant " + quote(use->name));
    });
    r.completes(cmd->add_option("name", use->name, "tenant name")->required(), "tenant");

    cmd = r.command(group, "show", "show the current tenant and where it was chosen", Needs::tenant_read, "", [&ctx] {
        auto where = ctx.location();
        auto store = ctx.open(SqliteTenant::Mode::read_only);
        auto doc = store->document();
        auto info = to_json(doc.tenant);
        info["path"] = where.path;
        info["selectedBy"] = where.source;
        info["schemaVersion"] = SqliteTenant::schema_version();
        info["gateways"] = doc.gateways.size();
        info["usages"] = doc.usages.size();
        info["voiceRoutes"] = doc.routes.size();
        info["voiceRoutingPolicies"] = doc.policies.size();
        auto format = ctx.format();
        print_objects(ctx.out(), format == Format::table ? Format::list : format, Json::array({info}), {});
    });

    auto* domain = group->add_subcommand("domain", "the tenant's registered SIP domains");
    domain->require_subcommand(1);
    domain->fallthrough();
    auto dom = std::make_shared<TenantArgs>();
    cmd = r.command(domain, "add", "register SIP domains (gateway FQDNs must lie in one)", Needs::tenant_write, "",
                    [&ctx, dom] {
                        run_change(ctx, [&](TenantStore& s, Notes&) {
                            for (const auto& d : dom->domains)
                                for (const auto& item : split_list(d))
                                    add_domain(s, item);
                        });
                    });
    cmd->add_option("domain", dom->domains, "domain names")->required();
    auto undom = std::make_shared<TenantArgs>();
    cmd = r.command(domain, "remove", "unregister SIP domains (refused while a gateway uses one)", Needs::tenant_write,
                    "", [&ctx, undom] {
                        run_change(ctx, [&](TenantStore& s, Notes&) {
                            for (const auto& d : undom->domains)
                                for (const auto& item : split_list(d))
                                    remove_domain(s, item);
                        });
                    });
    r.completes(cmd->add_option("domain", undom->domains, "domain names")->required(), "domain");
}

}  // namespace csctl
