#include "cmd/registry.hpp"

#include "cmd/groups.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace csctl {

Registry::Registry(CLI::App& root, Context& context) : m_root(root), m_context(context) {}

CLI::App* Registry::group(const std::string& name, const std::string& summary, const std::string& mirrors,
                          const std::vector<std::string>& aliases)
{
    auto* app = m_root.add_subcommand(name, summary);
    for (const auto& alias : aliases)
        app->alias(alias);
    app->require_subcommand(1);
    app->fallthrough();
    m_commands.push_back({name, summary, mirrors, Needs::nothing, app});
    return app;
}

CLI::App* Registry::command(CLI::App* parent, const std::string& name, const std::string& summary, Needs needs,
                            const std::string& mirrors, std::function<void()> run)
{
    auto* app = parent->add_subcommand(name, summary);
    app->fallthrough();
    std::string path = name;
    for (auto* p = parent; p && p != &m_root; p = p->get_parent())
        path = p->get_name() + " " + path;
    if (needs == Needs::tenant_write)
        app->add_flag("--dry-run", m_context.globals.dry_run,
                      "validate and show what would change, then change nothing");
    m_commands.push_back({path, summary, mirrors, needs, app});
    auto& stored = m_runs[path] = std::move(run);
    app->callback([this, &stored] { m_selected = &stored; });
    return app;
}

CLI::Option* Registry::add_identity(CLI::App* command, std::string& target, const std::string& what, bool required,
                                    const std::vector<std::string>& extra_names)
{
    std::string names = "identity,--identity";
    for (const auto& extra : extra_names)
        names += ",--" + extra;
    auto* option = command->add_option(names, target, what);
    if (required)
        option->required();
    if (auto kind = m_group_kinds.find(command->get_parent());
        kind != m_group_kinds.end() && command->get_name() != "new")
        completes(option, kind->second);
    return option;
}

void Registry::add_fields(CLI::App* command, const std::vector<FieldSpec>& fields, bool create, FieldInputs& inputs)
{
    for (const auto& field : fields) {
        if (field.create_only && !create)
            continue;
        std::string names = "--" + field.option;
        for (const auto& alias : field.aliases)
            names += ",--" + alias;
        auto& value = inputs.values.emplace_back(FieldInputs::Value{&field, nullptr, {}});
        std::string help = field.help + "  [" + field.property + "]";
        if (field.type == FieldType::flag)
            value.option = command->add_flag(names, value.text, help);
        else
            value.option = command->add_option(names, value.text, help);
        if (field.type == FieldType::flag)
            set_choices(value.option, {"true", "false"});
        if (!field.values.empty())
            set_choices(value.option, field.values);
        if (!field.names.empty())
            completes(value.option, field.names);
        if (field.type == FieldType::text_list && !field.item.empty()) {
            auto& list = inputs.lists.emplace_back(FieldInputs::ListChange{&field, {}, {}});
            auto* add = command->add_option("--add-" + field.item, list.add, "add to " + field.property + " (repeatable)");
            auto* remove =
                command->add_option("--remove-" + field.item, list.remove, "remove from " + field.property + " (repeatable)");
            if (!field.names.empty()) {
                completes(add, field.names);
                completes(remove, field.names);
            }
        }
    }
}

void Registry::set_choices(CLI::Option* option, std::vector<std::string> values) { m_choices[option] = std::move(values); }

CLI::Option* Registry::completes(CLI::Option* option, const std::string& kind)
{
    m_kinds[option] = kind;
    return option;
}

void Registry::examples(const std::string& path, std::vector<std::string> lines)
{
    for (auto& info : m_commands)
        if (info.path == path)
            info.examples = lines;
}

void Registry::examples(CLI::App* command, std::vector<std::string> lines)
{
    for (auto& info : m_commands)
        if (info.app == command)
            info.examples = std::move(lines);
}

const CommandInfo* Registry::info(const CLI::App* app) const
{
    for (const auto& info : m_commands)
        if (info.app == app)
            return &info;
    return nullptr;
}

Edit FieldInputs::edit(const std::string& owner) const
{
    Edit edit;
    for (const auto& v : values)
        if (v.option->count() > 0)
            edit.set[v.field->key] = parse_field(*v.field, v.text, owner);
    for (const auto& list : lists) {
        auto expand = [](const std::vector<std::string>& raw) {
            std::vector<std::string> items;
            for (const auto& r : raw)
                for (auto& item : split_list(r))
                    items.push_back(std::move(item));
            return items;
        };
        bool whole = edit.set.contains(list.field->key);
        if (whole && (!list.add.empty() || !list.remove.empty()))
            throw usage_error(owner + ": give either --" + list.field->option + " (the whole list) or --add-" +
                              list.field->item + "/--remove-" + list.field->item + ", not both");
        if (!list.add.empty())
            edit.add[list.field->key] = expand(list.add);
        if (!list.remove.empty())
            edit.remove[list.field->key] = expand(list.remove);
    }
    return edit;
}

void register_globals(Registry& registry)
{
    auto& root = registry.root();
    auto& g = registry.context().globals;
    registry.completes(root.add_option("--tenant", g.tenant, "tenant to work on [env CSCTL_TENANT, config key tenant]"),
                       "tenant");
    registry.completes(root.add_option("--db", g.db, "tenant database file [env CSCTL_DB, config key db]"), "file");
    auto* output = root.add_option("-o,--output", g.output,
                                   "output format: table, json, yaml, csv, list [env CSCTL_OUTPUT; default table]");
    registry.set_choices(output, format_names());
    root.add_flag("-y,--yes", g.yes, "answer yes to confirmations (required without a terminal)");
    root.add_flag("--no-color", g.no_color, "no colour in messages (also NO_COLOR)");
}

void register_all(Registry& registry)
{
    register_globals(registry);
    for (const auto& group : command_groups())
        group.add(registry);
}

void register_group(Registry& registry, const std::string& word)
{
    for (const auto& group : command_groups())
        for (const auto& w : group.words)
            if (w == word && !group.whole_tree) {
                group.add(registry);
                return;
            }
    for (const auto& group : command_groups())
        group.add(registry);
}

void register_for(Registry& registry, int argc, char** argv)
{
    register_globals(registry);
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--")
            break;
        if (arg == "--tenant" || arg == "--db" || arg == "-o" || arg == "--output") {
            ++i;  // a global option's value is not a command word
            continue;
        }
        if (arg.empty() || arg[0] == '-')
            continue;
        register_group(registry, arg);
        return;
    }
    register_group(registry, "");
}

}  // namespace csctl
