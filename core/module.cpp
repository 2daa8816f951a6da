#include "core/module.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace csctl {

namespace {

void* load(const std::string& module)
{
    std::vector<std::filesystem::path> directories;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        directories.push_back(exe.parent_path());
        directories.push_back(exe.parent_path().parent_path() / "lib" / "csctl");
    }
#ifdef CSCTL_MODULE_BUILD_DIR
    directories.emplace_back(CSCTL_MODULE_BUILD_DIR);
#endif
#ifdef CSCTL_MODULE_INSTALL_DIR
    directories.emplace_back(CSCTL_MODULE_INSTALL_DIR);
#endif
    for (const auto& directory : directories) {
        auto path = directory / module;
        if (!std::filesystem::exists(path, ec))
            continue;
        if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL))
            return handle;
    }
    return nullptr;
}

}  // namespace

void* module_symbol(const char* module, const char* name)
{
    static std::mutex mutex;  // the server's worker threads load modules too
    static std::map<std::string, void*> handles;  // module → handle (nullptr: not found)
    void* handle = nullptr;
    {
        std::lock_guard lock(mutex);
        auto it = handles.find(module);
        if (it == handles.end())
            it = handles.emplace(module, load(module)).first;
        handle = it->second;
    }
    return handle ? dlsym(handle, name) : nullptr;
}

}  // namespace csctl
