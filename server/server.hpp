// The routing-control API server (`csctl serve`): the REST contract of api/openapi.yaml over a
// ServerStore, with bearer tokens, limits, an access log, Prometheus metrics and a clean stop on
// SIGTERM or SIGINT.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace csctl::server {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8443;                       // 0: any free port (printed when listening)
    std::string data_dir;
    std::string tls_cert;
    std::string tls_key;
    std::size_t max_body_bytes = 16u << 20;
    std::size_t max_headers = 64;
    int request_timeout_s = 10;            // reading or writing one request
    int keep_alive_s = 60;
    int threads = 64;                      // one per open keep-alive connection
    std::string access_log;                // file, "-" for stderr, "" for none
};

// Serves until SIGTERM or SIGINT; returns the process exit code. Says where it listens on stderr:
// "csctl serve: listening on http://127.0.0.1:PORT".
int serve(const ServeOptions& options);

}  // namespace csctl::server
