// The modules csctl loads on first use (csctl-phone.so: libphonenumber; csctl-json.so: simdjson),
// so that the commands that do not need them never pay for loading those libraries.
#pragma once

namespace csctl {

// A function of a module (its file name, such as "csctl-phone.so"), or nullptr when the module
// cannot be found or has no such function. The module is looked for beside the executable, in
// ../lib/csctl from it, in the build tree and in the install directory; it stays loaded.
void* module_symbol(const char* module, const char* name);

}  // namespace csctl
