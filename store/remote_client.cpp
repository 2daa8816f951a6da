#include "store/remote_client.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

namespace csctl {

namespace {

// libcurl is loaded when a command first talks to a remote: the commands that never do (nearly
// all of them) do not pay for loading it and its thirty dependencies at every start.
struct CurlApi {
    CURLcode (*global_init)(long);
    CURL* (*easy_init)();
    void (*easy_cleanup)(CURL*);
    void (*easy_reset)(CURL*);
    CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
    CURLcode (*easy_perform)(CURL*);
    CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
    const char* (*easy_strerror)(CURLcode);
    curl_slist* (*slist_append)(curl_slist*, const char*);
    void (*slist_free_all)(curl_slist*);
};

template <typename F>
void bind(void* library, const char* name, F& out)
{
    void* symbol = dlsym(library, name);
    if (!symbol)
        throw Error(ExitCode::internal, std::string("libcurl has no ") + name + "; install libcurl4 7.68 or newer");
    out = reinterpret_cast<F>(symbol);
}

const CurlApi& curl()
{
    static const CurlApi api = [] {
        void* library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (!library)
            throw Error(ExitCode::internal, std::string("cannot load libcurl (Debian package libcurl4): ") + dlerror());
        CurlApi a{};
        bind(library, "curl_global_init", a.global_init);
        bind(library, "curl_easy_init", a.easy_init);
        bind(library, "curl_easy_cleanup", a.easy_cleanup);
        bind(library, "curl_easy_reset", a.easy_reset);
        bind(library, "curl_easy_setopt", a.easy_setopt);
        bind(library, "curl_easy_perform", a.easy_perform);
        bind(library, "curl_easy_getinfo", a.easy_getinfo);
        bind(library, "curl_easy_strerror", a.easy_strerror);
        bind(library, "curl_slist_append", a.slist_append);
        bind(library, "curl_slist_free_all", a.slist_free_all);
        a.global_init(CURL_GLOBAL_DEFAULT);
        return a;
    }();
    return api;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user)
{
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user)
{
    std::string line(data, size * count);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
        headers[to_lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    return size * count;
}

bool transient_status(long status) { return status == 429 || status == 502 || status == 503 || status == 504; }

bool transient_curl(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_RESOLVE_HOST:
        return true;
    default:
        return false;
    }
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const
{
    auto it = headers.find(to_lower(name));
    return it == headers.end() ? std::string() : it->second;
}

std::string url_segment(const std::string& text)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

RemoteClient::RemoteClient(std::string base_url, std::string token, std::string cacert, RetryPolicy retry)
    : m_base(std::move(base_url)), m_token(std::move(token)), m_cacert(std::move(cacert)), m_retry(retry)
{
    while (!m_base.empty() && m_base.back() == '/')
        m_base.pop_back();
}

HttpResponse RemoteClient::request(const std::string& method, const std::string& path, const std::string& body,
                                   const std::vector<std::string>& headers) const
{
    const auto& api = curl();
    std::unique_ptr<CURL, void (*)(CURL*)> handle(api.easy_init(), api.easy_cleanup);
    if (!handle)
        throw Error(ExitCode::internal, "internal: cannot start libcurl");
    auto url = m_base + path;
    double delay = m_retry.first_delay_s;
    std::string last_problem;
    for (int attempt = 1;; ++attempt) {
        HttpResponse response;
        char error[CURL_ERROR_SIZE] = "";
        CURL* c = handle.get();
        api.easy_reset(c);
        api.easy_setopt(c, CURLOPT_URL, url.c_str());
        api.easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
        api.easy_setopt(c, CURLOPT_ERRORBUFFER, error);
        api.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        api.easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
        api.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        api.easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);
        api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
        api.easy_setopt(c, CURLOPT_TIMEOUT, 120L);
        api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        api.easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
        api.easy_setopt(c, CURLOPT_USERAGENT, "csctl");
        api.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        api.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!m_cacert.empty())
            api.easy_setopt(c, CURLOPT_CAINFO, m_cacert.c_str());
        if (method == "POST" || method == "PUT") {
            api.easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
            api.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        } else if (method == "HEAD") {
            api.easy_setopt(c, CURLOPT_NOBODY, 1L);
        }
        curl_slist* list = nullptr;
        std::string auth = "Authorization: Bearer " + m_token;
        if (!m_token.empty())
            list = api.slist_append(list, auth.c_str());
        list = api.slist_append(list, "Accept: application/json");
        if (!body.empty())
            list = api.slist_append(list, "Content-Type: application/json");
        list = api.slist_append(list, "Expect:");
        for (const auto& h : headers)
            list = api.slist_append(list, h.c_str());
        api.easy_setopt(c, CURLOPT_HTTPHEADER, list);
        CURLcode code = api.easy_perform(c);
        api.slist_free_all(list);
        // The token is in the handle's header list only; wipe our copy of the header line.
        std::fill(auth.begin(), auth.end(), '\0');

        double wait = delay;
        if (code == CURLE_OK) {
            api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
            if (!transient_status(response.status))
                return response;
            last_problem = "HTTP " + std::to_string(response.status);
            auto retry_after = response.header("retry-after");
            if (!retry_after.empty() && std::all_of(retry_after.begin(), retry_after.end(), ::isdigit))
                wait = std::min(m_retry.max_delay_s, std::stod(retry_after));
            if (attempt >= m_retry.attempts)
                return response;
        } else {
            std::string detail = *error ? error : api.easy_strerror(code);
            if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
                code == CURLE_SSL_CONNECT_ERROR || code == CURLE_SSL_CERTPROBLEM)
                throw Error(ExitCode::remote, "remote " + m_base + ": TLS failed: " + detail +
                                                  " (is the server's certificate signed by a CA you trust? pass "
                                                  "`--cacert FILE` to `csctl remote set`)");
            if (!transient_curl(code))
                throw Error(ExitCode::remote, "remote " + m_base + ": " + detail);
            last_problem = detail;
            if (attempt >= m_retry.attempts)
                throw Error(ExitCode::remote, "remote " + m_base + " is unreachable after " + std::to_string(attempt) +
                                                  " attempts: " + last_problem);
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
        delay = std::min(m_retry.max_delay_s, delay * 2);
    }
}

void throw_api_error(const HttpResponse& response, const std::string& what)
{
    std::string message;
    try {
        auto body = Json::parse(response.body);
        message = body.at("error").at("message").get<std::string>();
    } catch (const std::exception&) {
        message = "HTTP " + std::to_string(response.status);
    }
    auto text = what + ": " + message;
    switch (response.status) {
    case 401:
    case 403: throw Error(ExitCode::auth, text);
    case 404: throw Error(ExitCode::not_found, text);
    case 409:
    case 412: throw Error(ExitCode::conflict, text);
    case 400:
    case 413:
    case 422: throw Error(ExitCode::usage, text);
    default: throw Error(ExitCode::remote, text + " (HTTP " + std::to_string(response.status) + ")");
    }
}

}  // namespace csctl
