// The REST client against a real HTTP server on 127.0.0.1: which answers it retries, and how
// failures become exit codes.
#include "core/error.hpp"
#include "store/remote_client.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace csctl;

namespace {

struct LoopbackServer {
    httplib::Server http;
    std::thread thread;
    int port = 0;
    LoopbackServer()
    {
        port = http.bind_to_any_port("127.0.0.1");
        // Bound already: connections wait in the backlog until the loop accepts them.
        thread = std::thread([this] { http.listen_after_bind(); });
        // stop() before the loop runs would be lost: wait (bounded) until it runs.
        for (int i = 0; i < 5000 && !http.is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~LoopbackServer()
    {
        http.stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

const RetryPolicy k_fast{4, 0.01, 0.05};

}  // namespace

TEST_CASE("transient answers are retried, honouring Retry-After, others are returned at once")
{
    LoopbackServer server;
    std::atomic<int> calls{0};
    server.http.Get("/flaky", [&](const httplib::Request& req, httplib::Response& res) {
        int n = ++calls;
        CHECK(req.get_header_value("Authorization") == "Bearer secret");
        if (n == 1) {
            res.status = 429;
            res.set_header("Retry-After", "0");
        } else if (n == 2) {
            res.status = 503;
        } else {
            res.set_content("{}", "application/json");
        }
    });
    server.http.Get("/missing", [&](const httplib::Request&, httplib::Response& res) {
        ++calls;
        res.status = 404;
        res.set_content(R"({"error":{"code":"not_found","message":"no such thing","target":null}})", "application/json");
    });
    server.http.Get("/down", [&](const httplib::Request&, httplib::Response& res) {
        ++calls;
        res.status = 502;
    });
    RemoteClient client(server.url(), "secret", "", k_fast);

    SUBCASE("429 then 503 then 200") {
        auto r = client.request("GET", "/flaky");
        CHECK(r.status == 200);
        CHECK(calls == 3);
    }
    SUBCASE("a 404 is not retried and maps to exit 3 with the server's message") {
        auto r = client.request("GET", "/missing");
        CHECK(r.status == 404);
        CHECK(calls == 1);
        try {
            throw_api_error(r, "remote tenant \"x\"");
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::not_found);
            CHECK(std::string(e.what()) == "remote tenant \"x\": no such thing");
        }
    }
    SUBCASE("a server that keeps failing: the last answer after the attempts") {
        auto r = client.request("GET", "/down");
        CHECK(r.status == 502);
        CHECK(calls == k_fast.attempts);
    }
}

TEST_CASE("a refused connection is retried, then reported as exit 5")
{
    int port = 0;
    {
        LoopbackServer gone;
        port = gone.port;
    }
    RemoteClient client("http://127.0.0.1:" + std::to_string(port), "", "", k_fast);
    try {
        client.request("GET", "/healthz");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::remote);
        CHECK(std::string(e.what()).find("unreachable after 4 attempts") != std::string::npos);
    }
}
