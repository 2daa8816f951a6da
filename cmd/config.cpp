#include "cmd/config.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace csctl {

namespace {

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string xdg_dir(const char* variable, const char* fallback_under_home)
{
    auto dir = env(variable);
    if (!dir.empty() && dir.front() == '/')
        return dir;
    auto home = env("HOME");
    if (home.empty())
        throw usage_error(std::string("neither ") + variable + " nor HOME is set; set one, or pass --db PATH");
    return home + "/" + fallback_under_home;
}

}  // namespace

const std::vector<SettingSpec>& settings()
{
    static const std::vector<SettingSpec> table{
        {"tenant", "--tenant", "CSCTL_TENANT", "", "the tenant to work on (its database is DATA_DIR/NAME.db)"},
        {"db", "--db", "CSCTL_DB", "", "path of the tenant database; overrides the tenant's default location"},
        {"output", "--output", "CSCTL_OUTPUT", "table", "output format: table, json, yaml, csv or list"},
    };
    return table;
}

std::string Config::config_path() { return xdg_dir("XDG_CONFIG_HOME", ".config") + "/csctl/config.yaml"; }
std::string Config::data_dir() { return xdg_dir("XDG_DATA_HOME", ".local/share") + "/csctl"; }

Config::Config(std::map<std::string, std::string> flags) : m_flags(std::move(flags))
{
    std::string path;
    try {
        path = config_path();
    } catch (const Error&) {
        return;  // no HOME: only flags and the environment apply
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return;
    try {
        auto root = YAML::LoadFile(path);
        if (!root.IsMap())
            throw usage_error("config file " + quote(path) + " is not a YAML mapping of settings");
        for (const auto& entry : root) {
            auto key = entry.first.as<std::string>();
            // The remote's bearer token (cmd/remote.cpp reads it, only when a command talks to
            // the remote): never a setting, so that nothing lists or prints it.
            bool known = key == "token";
            for (const auto& s : settings())
                known = known || s.name == key;
            if (!known)
                throw usage_error("config file " + quote(path) + ": unknown setting " + quote(key));
            m_file[key] = entry.second.as<std::string>();
        }
    } catch (const YAML::Exception& e) {
        throw usage_error("config file " + quote(path) + ": " + e.what());
    }
}

SettingValue Config::get(const std::string& name) const
{
    for (const auto& s : settings()) {
        if (s.name != name)
            continue;
        if (auto it = m_flags.find(name); it != m_flags.end() && !it->second.empty())
            return {it->second, s.flag};
        if (auto v = env(s.env.c_str()); !v.empty())
            return {v, s.env};
        if (auto it = m_file.find(name); it != m_file.end() && !it->second.empty())
            return {it->second, "config.yaml"};
        if (!s.fallback.empty())
            return {s.fallback, "default"};
        return {"", "unset"};
    }
    throw Error(ExitCode::internal, "internal: unknown setting " + quote(name));
}

void Config::write_file_key(const std::string& name, const std::string& value)
{
    auto path = config_path();
    YAML::Node root;
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        root = YAML::LoadFile(path);
    root[name] = value;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    auto tmp = path + ".tmp";
    {
        // Private from the first byte: the file may hold the remote's token (`token:`).
        std::ofstream(tmp, std::ios::trunc).close();
        std::filesystem::permissions(tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     std::filesystem::perm_options::replace, ec);
        std::ofstream out(tmp, std::ios::trunc);
        out << root << "\n";
        if (!out)
            throw Error(ExitCode::internal, "cannot write config file " + quote(path));
    }
    std::filesystem::rename(tmp, path);
}

}  // namespace csctl
