// What `csctl serve` keeps under its data directory: server.db (the bearer tokens, stored as
// SHA-256 hashes only) and tenants/NAME.db (one tenant store each, whose journal is the tenant's
// revision history).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}

namespace csctl::server {

enum class Role { reader, writer, router };
std::string role_name(Role role);
Role parse_role(const std::string& text);

struct TokenInfo {
    std::string id;          // public part of the token, shown by `token list`
    std::string tenant;
    Role role = Role::reader;
    std::string created;
    bool revoked = false;
};

class ServerStore {
public:
    explicit ServerStore(std::string data_dir);
    ~ServerStore();
    ServerStore(const ServerStore&) = delete;
    ServerStore& operator=(const ServerStore&) = delete;

    // Creates the token (and the tenant when it is new) and returns the secret, shown only once.
    std::string create_token(const std::string& tenant, Role role);
    std::vector<TokenInfo> tokens();
    // Revokes a token by id; a not-found error when there is none.
    void revoke_token(const std::string& id);
    // The token a presented secret belongs to, compared in constant time; nullopt when none.
    // Answers from an in-memory copy of the tokens that are not revoked, read again whenever
    // server.db changed (a `serve token create/revoke` of another process included), so a
    // revocation takes effect with the next request. Whether it changed costs one read of an
    // inotify descriptor per request; SQLite's data_version is asked only after an event.
    std::optional<TokenInfo> authenticate(const std::string& secret);

    std::string tenant_path(const std::string& tenant) const;
    bool tenant_exists(const std::string& tenant) const;
    std::vector<std::string> tenants() const;
    const std::string& data_dir() const { return m_dir; }

private:
    struct ActiveToken {
        std::string hash;  // SHA-256 of the whole secret, lower-case hex
        TokenInfo info;
    };
    bool tokens_may_have_changed() const;
    void refresh_tokens();

    std::string m_dir;
    std::unique_ptr<SQLite::Database> m_db;
    std::mutex m_mutex;  // one connection, shared by the server's threads; guards the members below
    std::unique_ptr<SQLite::Statement> m_data_version;  // PRAGMA data_version: moves on commits of others
    long long m_tokens_version = -1;                    // its value when m_tokens was read; -1: read again
    int m_watch = -1;  // inotify on the data directory (server.db and its WAL); -1: ask SQLite every time
    std::unordered_map<std::string, ActiveToken> m_tokens;  // by id
};

// SHA-256 of data as lower-case hex.
std::string sha256_hex(const std::string& data);
// n random bytes as lower-case hex (OpenSSL's generator).
std::string random_hex(std::size_t bytes);

}  // namespace csctl::server
