// The remote store: the REST client of the routing-control API (libcurl). It knows the HTTP side
// — TLS verification with an optional CA file, the bearer token, retries of transient failures
// with backoff honouring Retry-After — and maps failures to csctl's exit codes.
#pragma once

#include "core/json.hpp"

#include <map>
#include <string>
#include <vector>

namespace csctl {

struct HttpResponse {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string header(const std::string& name) const;
};

struct RetryPolicy {
    int attempts = 6;                  // the first try and up to 5 retries
    double first_delay_s = 0.2;        // doubled after each retry
    double max_delay_s = 30;           // also caps Retry-After
};

class RemoteClient {
public:
    // base_url: "https://host:port"; token may be empty; cacert: a PEM file of trusted CAs, or "".
    RemoteClient(std::string base_url, std::string token, std::string cacert, RetryPolicy retry = {});

    // Sends the request; connection failures, 429, 502, 503 and 504 are retried. Any other
    // answer is returned as it is. Throws exit 5 when the server stays unreachable.
    HttpResponse request(const std::string& method, const std::string& path, const std::string& body = {},
                         const std::vector<std::string>& headers = {}) const;

    const std::string& base_url() const { return m_base; }

private:
    std::string m_base;
    std::string m_token;
    std::string m_cacert;
    RetryPolicy m_retry;
};

// An API error answer as a csctl::Error: 401/403 → 6, 404 → 3, 409/412 → 4, 400/413/422 → 2,
// anything else → 5. what names the request ("push to https://…").
[[noreturn]] void throw_api_error(const HttpResponse& response, const std::string& what);

// Percent-encodes one path segment.
std::string url_segment(const std::string& text);

}  // namespace csctl
