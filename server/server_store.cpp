#include "server/server_store.hpp"

#include "core/error.hpp"
#include "core/tenant.hpp"
#include "store/sqlite_tenant.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>

namespace csctl::server {

namespace {

constexpr const char* k_token_prefix = "cst_";

std::string now_utc()
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::string to_hex(const unsigned char* data, std::size_t n)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

}  // namespace

std::string role_name(Role role)
{
    switch (role) {
    case Role::reader: return "reader";
    case Role::writer: return "writer";
    case Role::router: return "router";
    }
    return "reader";
}

Role parse_role(const std::string& text)
{
    if (text == "reader")
        return Role::reader;
    if (text == "writer")
        return Role::writer;
    if (text == "router")
        return Role::router;
    throw usage_error("--role " + quote(text) + " is not one of reader, writer, router");
}

std::string sha256_hex(const std::string& data)
{
    // Fetched once: EVP_sha256() makes OpenSSL 3 look the implementation up on every digest.
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!sha256 || EVP_Digest(data.data(), data.size(), digest, &length, sha256, nullptr) != 1)
        throw Error(ExitCode::internal, "internal: SHA-256 failed");
    return to_hex(digest, length);
}

std::string random_hex(std::size_t bytes)
{
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1)
        throw Error(ExitCode::internal, "internal: no random bytes from OpenSSL");
    return to_hex(buffer.data(), bytes);
}

ServerStore::ServerStore(std::string data_dir) : m_dir(std::move(data_dir))
{
    if (m_dir.empty())
        throw usage_error("serve: --data DIR is required (the directory holding the server's tenants and tokens)");
    std::error_code ec;
    std::filesystem::create_directories(m_dir + "/tenants", ec);
    if (ec)
        throw usage_error("serve: cannot create data directory " + quote(m_dir) + ": " + ec.message());
    ::chmod(m_dir.c_str(), 0700);
    try {
        m_db = std::make_unique<SQLite::Database>(m_dir + "/server.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                  60'000);
        m_db->exec("PRAGMA journal_mode = WAL");
        m_db->exec("CREATE TABLE IF NOT EXISTS tokens ("
                   "id TEXT NOT NULL PRIMARY KEY, tenant TEXT NOT NULL, role TEXT NOT NULL, "
                   "hash TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT)");
    } catch (const SQLite::Exception& e) {
        throw Error(ExitCode::internal, "serve: " + quote(m_dir + "/server.db") + ": " + e.what());
    }
    ::chmod((m_dir + "/server.db").c_str(), 0600);
    m_watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_watch >= 0 && inotify_add_watch(m_watch, m_dir.c_str(),
                                          IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB) < 0) {
        ::close(m_watch);
        m_watch = -1;
    }
}

ServerStore::~ServerStore()
{
    if (m_watch >= 0)
        ::close(m_watch);
}

bool ServerStore::tokens_may_have_changed() const
{
    // Every write of another process to server.db or its WAL queues an event before that
    // process's commit returns. Looking does not consume them (FIONREAD), and it is done before
    // taking the mutex, so no system call runs while the mutex is held on the common path.
    int pending = 0;
    return m_watch < 0 || ::ioctl(m_watch, FIONREAD, &pending) != 0 || pending > 0;
}

void ServerStore::refresh_tokens()
{
    if (m_watch >= 0) {
        // Drained while the mutex is held: a thread that then sees no events waits for this
        // refresh before it looks a token up.
        alignas(inotify_event) char events[4096];
        while (::read(m_watch, events, sizeof events) > 0) {
        }
    }
    if (!m_data_version)
        m_data_version = std::make_unique<SQLite::Statement>(*m_db, "PRAGMA data_version");
    m_data_version->reset();
    m_data_version->executeStep();
    auto version = m_data_version->getColumn(0).getInt64();
    m_data_version->reset();  // ends the read transaction at once
    if (version == m_tokens_version)
        return;
    std::unordered_map<std::string, ActiveToken> tokens;
    SQLite::Statement st(*m_db, "SELECT id, tenant, role, created, hash FROM tokens WHERE revoked IS NULL");
    while (st.executeStep()) {
        TokenInfo info{st.getColumn(0).getString(), st.getColumn(1).getString(), parse_role(st.getColumn(2).getString()),
                       st.getColumn(3).getString(), false};
        auto id = info.id;
        tokens.emplace(std::move(id), ActiveToken{st.getColumn(4).getString(), std::move(info)});
    }
    m_tokens = std::move(tokens);
    m_tokens_version = version;
}

std::string ServerStore::tenant_path(const std::string& tenant) const { return m_dir + "/tenants/" + tenant + ".db"; }

bool ServerStore::tenant_exists(const std::string& tenant) const
{
    std::error_code ec;
    return std::filesystem::exists(tenant_path(tenant), ec);
}

std::vector<std::string> ServerStore::tenants() const
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir + "/tenants", ec))
        if (entry.path().extension() == ".db")
            out.push_back(entry.path().stem().string());
    return out;
}

std::string ServerStore::create_token(const std::string& tenant, Role role)
{
    std::lock_guard lock(m_mutex);
    validate_tenant_name(tenant);
    if (!tenant_exists(tenant)) {
        TenantInfo info;
        info.name = tenant;
        SqliteTenant::create(tenant_path(tenant), info);
    }
    auto id = random_hex(6);
    auto secret = k_token_prefix + id + "_" + random_hex(24);
    SQLite::Statement st(*m_db, "INSERT INTO tokens(id, tenant, role, hash, created) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, id);
    st.bind(2, tenant);
    st.bind(3, role_name(role));
    st.bind(4, sha256_hex(secret));
    st.bind(5, now_utc());
    st.exec();
    m_tokens_version = -1;  // data_version does not move on this connection's own commits
    return secret;
}

std::vector<TokenInfo> ServerStore::tokens()
{
    std::lock_guard lock(m_mutex);
    std::vector<TokenInfo> out;
    SQLite::Statement st(*m_db, "SELECT id, tenant, role, created, revoked FROM tokens ORDER BY tenant, created, id");
    while (st.executeStep())
        out.push_back(TokenInfo{st.getColumn(0).getString(), st.getColumn(1).getString(),
                                parse_role(st.getColumn(2).getString()), st.getColumn(3).getString(),
                                !st.getColumn(4).isNull()});
    return out;
}

void ServerStore::revoke_token(const std::string& id)
{
    std::lock_guard lock(m_mutex);
    SQLite::Statement st(*m_db, "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL");
    st.bind(1, now_utc());
    st.bind(2, id);
    if (st.exec() == 0)
        throw not_found("token " + quote(id) + " does not exist or is revoked already (list them with `csctl serve token list`)");
    m_tokens_version = -1;
}

std::optional<TokenInfo> ServerStore::authenticate(const std::string& secret)
{
    // cst_<id>_<secret>: the id finds the row; the hash of the whole token is compared in
    // constant time, so timing says nothing about the secret.
    if (secret.size() > 200 || secret.rfind(k_token_prefix, 0) != 0)
        return std::nullopt;
    auto sep = secret.find('_', 4);
    if (sep == std::string::npos)
        return std::nullopt;
    auto id = secret.substr(4, sep - 4);
    auto presented = sha256_hex(secret);
    bool changed = tokens_may_have_changed();
    std::lock_guard lock(m_mutex);
    try {
        if (changed || m_tokens_version < 0)
            refresh_tokens();
    } catch (const SQLite::Exception& e) {
        throw Error(ExitCode::internal, "serve: reading the tokens of " + quote(m_dir + "/server.db") + ": " + e.what());
    }
    auto it = m_tokens.find(id);
    if (it == m_tokens.end())
        return std::nullopt;
    const auto& stored = it->second.hash;
    if (stored.size() != presented.size() || CRYPTO_memcmp(stored.data(), presented.data(), stored.size()) != 0)
        return std::nullopt;
    return it->second.info;
}

}  // namespace csctl::server
