// The whole program behind main(): parse, run the selected command, map errors to exit codes.
#pragma once

namespace csctl {
int run(int argc, char** argv);
}
