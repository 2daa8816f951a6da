// The Teams voice cmdlets `csctl ps` runs, each bound to the core operation (and field table)
// its csctl command uses. Binding checks a whole script (cmdlet and parameter names, values)
// before anything runs; running goes through a TenantStore inside the caller's one change.
#pragma once

#include "core/json.hpp"
#include "core/ps_parse.hpp"
#include "core/tenant_store.hpp"

#include <functional>
#include <string>
#include <vector>

namespace csctl {

// One cmdlet of a script, bound and checked, ready to run.
struct PsStep {
    std::string where;                   // "script.ps1:3" — prefixed to its errors
    std::string cmdlet;                  // canonical name: New-CsOnlineVoiceRoute
    std::vector<std::string> csctl;      // the equivalent csctl command lines
    bool destructive = false;            // removes objects (Remove-*, usages removed or replaced)
    // Runs the cmdlet; a Get or Test cmdlet sets output (an array of objects, or one object).
    std::function<void(TenantStore&, Notes&, Json& output)> run;
};

// What a Get or Test cmdlet returned.
struct PsOutput {
    std::string where;
    std::string cmdlet;
    Json value;
};

// Binds every command of a parsed script. Throws a usage error "SOURCE:LINE:COLUMN: Cmdlet: …"
// for an unknown cmdlet or parameter, an ambiguous prefix, a missing or malformed value.
std::vector<PsStep> bind_ps_script(const std::vector<PsCommand>& commands, const std::string& source);

// Runs the steps in order; an error is rethrown with its step's place ("script.ps1:3: …").
std::vector<PsOutput> run_ps_steps(TenantStore& store, const std::vector<PsStep>& steps, Notes& notes);

// The cmdlets supported, in the order of the documentation.
std::vector<std::string> ps_cmdlet_names();

// A word for a POSIX shell command line: as it is when safe, else in single quotes.
std::string shell_word(const std::string& text);

}  // namespace csctl
