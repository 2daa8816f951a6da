// Settings as a table: each has a flag, an environment variable, a config-file key and a default,
// and knows where its value came from. The config file is $XDG_CONFIG_HOME/csctl/config.yaml.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace csctl {

struct SettingSpec {
    std::string name;       // config-file key
    std::string flag;       // --tenant
    std::string env;        // CSCTL_TENANT
    std::string fallback;   // default, "" when none
    std::string help;
};

const std::vector<SettingSpec>& settings();

struct SettingValue {
    std::string value;
    std::string source;     // "--tenant", "CSCTL_TENANT", "config.yaml", "default", "unset"
};

class Config {
public:
    // flags: what the command line gave (setting name → value).
    explicit Config(std::map<std::string, std::string> flags);
    SettingValue get(const std::string& name) const;
    // Writes one key of the config file (creating it, keeping other keys).
    static void write_file_key(const std::string& name, const std::string& value);
    static std::string config_path();
    static std::string data_dir();

private:
    std::map<std::string, std::string> m_flags;
    std::map<std::string, std::string> m_file;
};

}  // namespace csctl
