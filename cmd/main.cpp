#include "cmd/run.hpp"

#include <malloc.h>

int main(int argc, char** argv)
{
    // A command lives for milliseconds to seconds: memory it frees is kept for its next
    // allocations instead of being unmapped and faulted in again (a bulk command of 100,000 users
    // otherwise spends a fifth of its time in page faults of buffers that grow and are freed).
    // The server (main_serve.cpp) keeps glibc's defaults.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    return csctl::run(argc, argv);
}
