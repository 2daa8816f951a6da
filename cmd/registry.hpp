// The one table of commands. Each command group registers its commands here with a summary, the
// PowerShell cmdlet it mirrors and what it needs; help, man pages and completion are derived from
// this table (and the CLI11 tree it builds), so they cannot drift from the commands.
#pragma once

#include "cmd/context.hpp"
#include "core/fields.hpp"

#include <CLI/CLI.hpp>

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace csctl {

enum class Needs {
    nothing,       // tenant init, completion, help …
    tenant_read,   // get, log, export: opens the tenant read-only
    tenant_write,  // new, set, remove …: one change through the write path; takes --dry-run
    remote,        // push, pull …
};

struct CommandInfo {
    std::string path;      // "voice-route new"
    std::string summary;
    std::string mirrors;   // "New-CsOnlineVoiceRoute"
    Needs needs = Needs::nothing;
    CLI::App* app = nullptr;
    std::vector<std::string> examples;  // shell lines for the man page, "# comment" lines allowed
};

// Values typed for a kind's fields, gathered into an Edit after parsing.
struct FieldInputs {
    struct Value {
        const FieldSpec* field;
        CLI::Option* option;
        std::string text;
    };
    struct ListChange {
        const FieldSpec* field;
        std::vector<std::string> add;
        std::vector<std::string> remove;
    };
    std::deque<Value> values;
    std::deque<ListChange> lists;

    // Throws a usage error naming owner and field for a value of the wrong shape.
    Edit edit(const std::string& owner) const;
};

class Registry {
public:
    Registry(CLI::App& root, Context& context);

    CLI::App* group(const std::string& name, const std::string& summary, const std::string& mirrors,
                    const std::vector<std::string>& aliases = {});
    CLI::App* command(CLI::App* parent, const std::string& name, const std::string& summary, Needs needs,
                      const std::string& mirrors, std::function<void()> run);
    // The identity: first positional argument, also --identity (and extra names such as --fqdn).
    // It completes the names of the group's kind (see names()), except in a `new` command.
    CLI::Option* add_identity(CLI::App* command, std::string& target, const std::string& what, bool required,
                      const std::vector<std::string>& extra_names = {});
    // One long option per field (and --add-X/--remove-X for lists). create: new (false: set).
    void add_fields(CLI::App* command, const std::vector<FieldSpec>& fields, bool create, FieldInputs& inputs);
    // An option whose values are one of a fixed list (recorded for completion).
    void set_choices(CLI::Option* option, std::vector<std::string> values);
    // Completion of object names: the identities of group's commands name objects of kind (a kind
    // of store/names.cpp, or "tenant"); option's values name objects of kind ("file": a path).
    void names(CLI::App* group, const std::string& kind) { m_group_kinds[group] = kind; }
    CLI::Option* completes(CLI::Option* option, const std::string& kind);
    // Examples for the man page of a command or group.
    void examples(CLI::App* command, std::vector<std::string> lines);
    // The same, by the command's path ("voice-route", "status").
    void examples(const std::string& path, std::vector<std::string> lines);

    Context& context() { return m_context; }
    CLI::App& root() { return m_root; }
    const CLI::App& root() const { return m_root; }
    const std::vector<CommandInfo>& commands() const { return m_commands; }
    const std::map<const CLI::Option*, std::vector<std::string>>& choices() const { return m_choices; }
    const std::map<const CLI::Option*, std::string>& kinds() const { return m_kinds; }
    const CommandInfo* info(const CLI::App* app) const;
    // The command picked by the parsed command line, if any.
    const std::function<void()>* selected() const { return m_selected; }

private:
    CLI::App& m_root;
    Context& m_context;
    std::vector<CommandInfo> m_commands;
    std::map<const CLI::Option*, std::vector<std::string>> m_choices;
    std::map<const CLI::Option*, std::string> m_kinds;
    std::map<const CLI::App*, std::string> m_group_kinds;
    std::map<std::string, std::function<void()>> m_runs;
    const std::function<void()>* m_selected = nullptr;
};

// The global options alone.
void register_globals(Registry& registry);
// Builds the whole command tree: global options and every command group.
void register_all(Registry& registry);
// Adds the command group that answers to word (a name or alias), or every group when none does.
void register_group(Registry& registry, const std::string& word);
// Builds the global options and only the group that the command line names (all groups when it
// names none): a command's start-up cost does not grow with the number of commands.
void register_for(Registry& registry, int argc, char** argv);

}  // namespace csctl
