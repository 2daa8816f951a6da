// The per-call queries of the API (outbound route, inbound) answer from the routing engine's
// compiled snapshot of a tenant. Until the engine is part of the build, the handlers in
// server.cpp answer 501; wiring them is: build the snapshot in load() next to the document, and
// make the /route and /inbound handlers return
//   route_decision(snapshot, from, to, ingress)          (the JSON of `csctl route test -o json`)
//   route_decision_rtjson(snapshot, from, to, ingress)   (with &format=rtjson)
//   inbound_decision(snapshot, gateway, called, calling)
#pragma once
