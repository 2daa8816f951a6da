#include "cmd/complete.hpp"

#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "store/names.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace csctl {

namespace {

bool starts_with_nocase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool hidden(const CLI::App* app) { return app->get_group().empty() || app->get_name().starts_with("__"); }

bool takes_value(const CLI::Option* option) { return option->get_items_expected_max() != 0; }

// The option named name (--x, -x) of app or of an ancestor (global options fall through).
CLI::Option* find_option(CLI::App* app, const std::string& name)
{
    for (auto* a = app; a; a = a->get_parent())
        for (auto* option : a->get_options())
            if (option->nonpositional() && option->check_name(name))
                return option;
    return nullptr;
}

CLI::App* find_subcommand(CLI::App* app, const std::string& name)
{
    for (auto* sub : app->get_subcommands([](CLI::App*) { return true; }))
        if (!hidden(sub) && sub->check_name(name))
            return sub;
    return nullptr;
}

std::vector<std::string> tenant_names(const std::string& prefix)
{
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(Config::data_dir(), ec)) {
        auto name = entry.path().stem().string();
        if (entry.path().extension() == ".db" && starts_with_nocase(name, prefix))
            names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    if (names.size() > static_cast<std::size_t>(k_max_names))
        names.resize(static_cast<std::size_t>(k_max_names));
    return names;
}

class Completer {
public:
    explicit Completer(Registry& registry) : m_registry(registry) {}

    Completion run(const std::vector<std::string>& words)
    {
        CLI::App* app = &m_registry.root();
        CLI::Option* pending = nullptr;  // an option waiting for its value
        std::size_t positionals = 0;
        bool only_positionals = false;
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
            const auto& word = words[i];
            if (pending) {
                remember(pending, word);
                pending = nullptr;
                continue;
            }
            if (!only_positionals && word == "--") {
                only_positionals = true;
                continue;
            }
            if (!only_positionals && word.size() > 1 && word[0] == '-') {
                auto eq = word.find('=');
                auto* option = find_option(app, word.substr(0, eq));
                if (!option)
                    continue;
                m_used.push_back(option);
                if (eq != std::string::npos)
                    remember(option, word.substr(eq + 1));
                else if (word[1] != '-' && word.size() > 2 && takes_value(option))
                    remember(option, word.substr(2));  // -ojson
                else if (takes_value(option))
                    pending = option;
                continue;
            }
            if (auto* sub = only_positionals ? nullptr : find_subcommand(app, word)) {
                app = sub;
                positionals = 0;
                continue;
            }
            ++positionals;
        }
        const std::string cur = words.empty() ? std::string() : words.back();
        Completion out;
        if (pending) {
            values(pending, "", cur, out);
            return out;
        }
        if (!only_positionals && cur.starts_with("-")) {
            if (auto eq = cur.find('='); eq != std::string::npos && cur.starts_with("--")) {
                if (auto* option = find_option(app, cur.substr(0, eq)))
                    values(option, cur.substr(0, eq + 1), cur.substr(eq + 1), out);
                return out;
            }
            options(app, cur, out);
            return out;
        }
        auto subs = app->get_subcommands([](CLI::App* sub) { return !hidden(sub); });
        if (!subs.empty() && !only_positionals) {
            for (auto* sub : subs) {
                if (starts_with_nocase(sub->get_name(), cur))
                    out.candidates.push_back({sub->get_name(), sub->get_description()});
                for (const auto& alias : sub->get_aliases())
                    if (starts_with_nocase(alias, cur) && !cur.empty())
                        out.candidates.push_back({alias, sub->get_description()});
            }
            return out;
        }
        if (auto* positional = nth_positional(app, positionals))
            values(positional, "", cur, out);
        return out;
    }

private:
    void remember(const CLI::Option* option, const std::string& value)
    {
        auto& g = m_registry.context().globals;
        if (option->check_name("--tenant"))
            g.tenant = value;
        else if (option->check_name("--db"))
            g.db = value;
    }

    static CLI::Option* nth_positional(CLI::App* app, std::size_t n)
    {
        for (auto* option : app->get_options([](const CLI::Option* o) { return o->get_positional(); })) {
            auto capacity = static_cast<std::size_t>(std::max(option->get_items_expected_max(), 1));
            if (n < capacity)
                return option;
            n -= capacity;
        }
        return nullptr;
    }

    // The options of app and its ancestors that start with cur, less those already on the line that
    // take one value or none (a list option such as --number may be given again).
    void options(CLI::App* app, const std::string& cur, Completion& out) const
    {
        std::vector<std::string> seen;
        for (auto* a = app; a; a = a->get_parent()) {
            for (auto* option : a->get_options()) {
                if (!option->nonpositional())
                    continue;
                if (option->get_items_expected_max() <= 1 &&
                    std::find(m_used.begin(), m_used.end(), option) != m_used.end())
                    continue;
                auto offer = [&](const std::string& name) {
                    if (!name.starts_with(cur) || std::find(seen.begin(), seen.end(), name) != seen.end())
                        return;
                    seen.push_back(name);
                    out.candidates.push_back({name, option->get_description()});
                };
                for (const auto& name : option->get_lnames())
                    offer("--" + name);
                if (!cur.starts_with("--"))
                    for (const auto& name : option->get_snames())
                        offer("-" + name);
            }
        }
    }

    void values(const CLI::Option* option, const std::string& lead, const std::string& cur, Completion& out)
    {
        const auto& choices = m_registry.choices();
        if (auto c = choices.find(option); c != choices.end()) {
            for (const auto& value : c->second)
                if (starts_with_nocase(value, cur))
                    out.candidates.push_back({lead + value, ""});
            return;
        }
        const auto& kinds = m_registry.kinds();
        auto k = kinds.find(option);
        if (k == kinds.end())
            return;
        const auto& kind = k->second;
        if (kind == "file") {
            out.files = true;
            return;
        }
        // A list value ("a,b,c") completes its last item; an identity is one name, commas and all.
        std::string head = lead;
        std::string prefix = cur;
        if (!option->check_name("identity")) {
            if (auto comma = cur.rfind(','); comma != std::string::npos) {
                head += cur.substr(0, comma + 1);
                prefix = cur.substr(comma + 1);
            }
        } else if (starts_with_nocase(cur, "Tag:")) {
            head += cur.substr(0, 4);  // a policy's identity may be written "Tag:NAME"
            prefix = cur.substr(4);
        }
        std::vector<std::string> names;
        if (kind == "tenant") {
            names = tenant_names(prefix);
        } else {
            auto where = m_registry.context().location();
            names = complete_names(where.path, kind, prefix, k_max_names);
        }
        for (auto& name : names)
            out.candidates.push_back({head + name, ""});
    }

    Registry& m_registry;
    std::vector<const CLI::Option*> m_used;  // options already on the command line
};

}  // namespace

Completion complete_words(Registry& registry, const std::vector<std::string>& words)
{
    return Completer(registry).run(words);
}

int complete_main(Registry& registry, const std::vector<std::string>& args)
{
    try {
        std::vector<std::string> words(args.begin(), args.end());
        if (!words.empty() && words.front() == "--")
            words.erase(words.begin());
        // The first word that is not a global option (or its value) picks the command group.
        register_globals(registry);
        std::string group;
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
            const auto& word = words[i];
            if (word.size() > 1 && word[0] == '-') {
                auto* option = find_option(&registry.root(), word.substr(0, word.find('=')));
                if (option && takes_value(option) && word.find('=') == std::string::npos &&
                    !(word[1] != '-' && word.size() > 2))
                    ++i;
                continue;
            }
            group = word;
            break;
        }
        register_group(registry, group);
        auto completion = complete_words(registry, words);
        std::string text;
        if (completion.files)
            text = ":files\n";
        for (const auto& c : completion.candidates) {
            text += c.value;
            if (!c.description.empty())
                text += "\t" + c.description;
            text += "\n";
        }
        std::cout << text << std::flush;
    } catch (...) {
        // Completion never reports: a missing tenant or a locked database just completes nothing.
    }
    return 0;
}

const std::vector<std::string>& completion_shells()
{
    static const std::vector<std::string> shells{"bash", "zsh", "fish"};
    return shells;
}

std::string completion_script(const std::string& shell)
{
    if (shell == "bash")
        return R"bash(# bash completion for csctl                                -*- shell-script -*-
# Generated by `csctl completion bash`. The candidates come from `csctl __complete`, which reads the
# command table and, for object names, the tenant database (read-only).

_csctl_dequote()
{
    local word=$1 out="" quote="" c i
    for ((i = 0; i < ${#word}; i++)); do
        c=${word:i:1}
        if [[ -n $quote ]]; then
            if [[ $c == "$quote" ]]; then quote=""; elif [[ $quote == '"' && $c == '\' ]]; then ((i++)); out+=${word:i:1}; else out+=$c; fi
        elif [[ $c == "'" || $c == '"' ]]; then quote=$c
        elif [[ $c == '\' ]]; then ((i++)); out+=${word:i:1}
        else out+=$c; fi
    done
    printf '%s' "$out"
}

_csctl()
{
    local cur prev words cword split
    _init_completion -s -n : || return

    local -a args=()
    local i
    for ((i = 1; i < cword; i++)); do
        args+=("$(_csctl_dequote "${words[i]}")")
    done
    local quote="" current=$cur lead=""
    if [[ $split == true ]]; then
        lead="$prev="
        unset 'args[${#args[@]}-1]'
    fi
    if [[ $current == \'* || $current == \"* ]]; then
        quote=${current:0:1}
    fi
    current=$lead$(_csctl_dequote "$current")

    local line
    local -a lines=()
    while IFS= read -r line; do
        lines+=("$line")
    done < <("${words[0]}" __complete -- "${args[@]}" "$current" 2>/dev/null)
    if [[ ${lines[0]-} == :files ]]; then
        _filedir
        return
    fi
    COMPREPLY=()
    for line in "${lines[@]}"; do
        line=${line%%$'\t'*}
        line=${line#"$lead"}
        if [[ -z $quote ]]; then
            printf -v line '%q' "$line"
        fi
        COMPREPLY+=("$line")
    done
    __ltrim_colon_completions "$cur"
} &&
    complete -F _csctl csctl
)bash";
    if (shell == "zsh")
        return R"zsh(#compdef csctl
# zsh completion for csctl. Generated by `csctl completion zsh`. The candidates come from
# `csctl __complete`, which reads the command table and, for object names, the tenant database
# (read-only).

_csctl() {
  local -a args lines described plain
  local line
  args=("${(@Q)words[2,CURRENT-1]}")
  lines=("${(@f)$(csctl __complete -- "${args[@]}" "${(Q)PREFIX}" 2>/dev/null)}")
  if [[ ${lines[1]-} == :files ]]; then
    _files
    return
  fi
  for line in $lines; do
    [[ -z $line ]] && continue
    if [[ $line == *$'\t'* ]]; then
      described+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
    else
      plain+=("$line")
    fi
  done
  # Identities are case-insensitive: so is the match of what csctl offers against what was typed.
  local -a nocase=(-M 'm:{[:lower:][:upper:]}={[:upper:][:lower:]}')
  local ret=1
  (( $#described )) && _describe -t csctl 'csctl' described "${nocase[@]}" && ret=0
  (( $#plain )) && compadd "${nocase[@]}" -a plain && ret=0
  return ret
}

if [[ ${funcstack[1]-} == _csctl ]]; then
  _csctl "$@"
else
  compdef _csctl csctl
fi
)zsh";
    if (shell == "fish")
        return R"fish(# fish completion for csctl. Generated by `csctl completion fish`. The candidates come from
# `csctl __complete`, which reads the command table and, for object names, the tenant database
# (read-only).

function __csctl_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l current (commandline -ct | string unescape 2>/dev/null; or commandline -ct | string trim -c '\'"')
    set -l lines (csctl __complete -- $tokens "$current" 2>/dev/null)
    if test "$lines[1]" = ":files"
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $lines
end

complete -c csctl -f -a '(__csctl_complete)'
)fish";
    throw usage_error("completion: unknown shell " + quote(shell) + " (use bash, zsh or fish)");
}

}  // namespace csctl
