// Builds a large tenant for benchmarks through the real write path: ROUTES voice routes (one
// change each) and then description edits until the journal holds JOURNAL changes.
//   make_tenant PATH ROUTES JOURNAL
#include "core/gateway.hpp"
#include "core/usage.hpp"
#include "core/voice_route.hpp"
#include "store/sqlite_tenant.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace csctl;

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: make_tenant PATH ROUTES JOURNAL\n");
        return 2;
    }
    const std::string path = argv[1];
    const long routes = std::atol(argv[2]);
    const long journal = std::atol(argv[3]);
    TenantInfo info;
    info.name = "bench";
    info.domains = {"contoso.com"};
    auto store = SqliteTenant::create(path, info);
    ChangeInfo change{"make_tenant", "bench", std::nullopt};
    long changes = 0;
    store->change(change, false, [](TenantStore& s) {
        Notes n;
        for (int i = 1; i <= 8; ++i) {
            Edit e;
            e.set = Json{{"sipSignalingPort", 5061}, {"enabled", true}};
            new_gateway(s, "sbc" + std::to_string(i) + ".contoso.com", e, n);
        }
        add_usages(s, {"US and Canada", "International"});
    });
    ++changes;
    for (long i = 0; i < routes; ++i, ++changes) {
        store->change(change, false, [&](TenantStore& s) {
            Notes n;
            Edit e;
            // Distinct literal prefixes, as real per-area routes have.
            e.set = Json{{"numberPattern", "^\\+1" + std::to_string(2000000 + i) + "(\\d{3})$"},
                         {"onlinePstnUsages", {i % 10 == 0 ? "International" : "US and Canada"}},
                         {"onlinePstnGatewayList", {"sbc" + std::to_string(1 + i % 8) + ".contoso.com",
                                                    "sbc" + std::to_string(1 + (i + 1) % 8) + ".contoso.com"}}};
            new_route(s, "route-" + std::to_string(i), e, n);
        });
    }
    for (long i = 0; changes < journal; ++i, ++changes) {
        store->change(change, false, [&](TenantStore& s) {
            Notes n;
            Edit e;
            e.set = Json{{"description", "edit " + std::to_string(i)}};
            set_route(s, "route-" + std::to_string(i % routes), e, n);
        });
    }
    std::printf("%s: %ld routes, %ld journal entries\n", path.c_str(), routes, changes);
    return 0;
}
