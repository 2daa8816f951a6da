#include "cmd/run.hpp"

int main(int argc, char** argv) { return csctl::run(argc, argv); }
