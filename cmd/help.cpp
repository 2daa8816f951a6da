// help and completion: the manual's topics and the shell completion scripts.
#include "cmd/complete.hpp"
#include "cmd/groups.hpp"
#include "cmd/manual.hpp"
#include "cmd/registry.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace csctl {

namespace {
struct HelpArgs {
    std::vector<std::string> words;
    std::string shell;
};

std::string overview(Registry& r)
{
    std::string text = "usage: csctl [global options] COMMAND [options]\n\nCommands:\n";
    for (const auto& info : r.commands())
        if (info.app->get_parent() == &r.root())
            text += "  " + info.path + std::string(info.path.size() < 22 ? 22 - info.path.size() : 1, ' ') + info.summary + "\n";
    text += "\nTopics (csctl help TOPIC):\n";
    for (const auto& t : help_topics())
        text += "  " + t.name + std::string(22 - t.name.size(), ' ') + t.summary + "\n";
    text += "\n`csctl COMMAND --help` lists a command's options; `man csctl` and `man csctl-COMMAND` have the manual.\n";
    return text;
}
}  // namespace

void add_help_commands(Registry& r)
{
    auto& ctx = r.context();
    auto args = std::make_shared<HelpArgs>();
    auto* cmd = r.command(&r.root(), "help", "list the commands and topics, or explain a topic or command", Needs::nothing,
                          "Get-Help", [&r, &ctx, args] {
                              if (args->words.empty()) {
                                  ctx.out() << overview(r);
                                  return;
                              }
                              if (args->words.size() == 1)
                                  for (const auto& t : help_topics())
                                      if (iequals(t.name, args->words.front())) {
                                          ctx.out() << t.text;
                                          return;
                                      }
                              CLI::App* app = &r.root();
                              std::string parents;  // "csctl voice-route" for `help voice-route new`
                              for (const auto& word : args->words) {
                                  CLI::App* next = nullptr;
                                  for (auto* sub : app->get_subcommands([](CLI::App*) { return true; }))
                                      if (sub->check_name(word))
                                          next = sub;
                                  if (!next) {
                                      std::vector<std::string> topics;
                                      for (const auto& t : help_topics())
                                          topics.push_back(t.name);
                                      throw usage_error("help: no topic or command " + quote(join(args->words, " ")) +
                                                        " (topics: " + join(topics, ", ") + "; commands: `csctl help`)");
                                  }
                                  parents += (parents.empty() ? "" : " ") + app->get_name();
                                  app = next;
                              }
                              ctx.out() << app->help(parents);
                          });
    auto* topic = cmd->add_option("topic", args->words, "a topic (environment, exit-codes, output) or a command");
    std::vector<std::string> names;
    for (const auto& t : help_topics())
        names.push_back(t.name);
    r.set_choices(topic, names);
    r.examples(cmd, {"csctl help", "csctl help exit-codes", "csctl help voice-route new"});

    cmd = r.command(&r.root(), "completion", "print the shell completion script for bash, zsh or fish", Needs::nothing, "",
                    [&ctx, args] { ctx.out() << completion_script(args->shell); });
    r.set_choices(cmd->add_option("shell", args->shell, "bash, zsh or fish")->required(), completion_shells());
    r.examples(cmd, {"# for this shell session", "source <(csctl completion bash)",
                     "# where zsh finds it (a directory of $fpath)", "csctl completion zsh > ~/.zfunc/_csctl",
                     "csctl completion fish > ~/.config/fish/completions/csctl.fish"});
}

}  // namespace csctl
