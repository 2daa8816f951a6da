// csctl-serve: csctl with the server built in (`csctl serve …` runs it). A separate executable so
// that the HTTP/TLS libraries cost nothing to the other commands.
#include "cmd/run.hpp"

int main(int argc, char** argv) { return csctl::run(argc, argv); }
