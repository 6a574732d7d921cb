// tbtrain sweep | rnn-compare: a grid of runs, one TensorBoard run each, resumable.
#include <fmt/format.h>

#include <cstdlib>
#include <limits>

#include "../experiments/grid.hpp"
#include "../experiments/sweep.hpp"
#include "../loop/config_check.hpp"
#include "../loop/settings.hpp"
#include "command.hpp"
#include "presets.hpp"

namespace trainers::cli {
namespace {

int run_and_report(SweepOptions& options, const DataOptions& data) {
  check_at_least("--parallel", options.parallel, 1);
  check_config(options.base);
  data.check();
  const SweepResult r = run_sweep(options, options.collect_only ? DataSplit{} : data.load());
  fmt::print("\n{}\nbest: {}\n", r.table, r.best.name);
  if (r.pending)
    fmt::print("{} runs not finished yet (other shards, or still to run)\n", r.pending);
  return r.failed == 0 ? 0 : 1;
}

// "K/N" (1 <= K <= N) from --shard, else SLURM's job-array variables, else the whole grid.
void choose_shard(const std::string& shard, SweepOptions& o) {
  // Whole, and within an int (the grid is indexed by int): 4294967297 is refused, not cut to 1.
  auto number = [](const std::string& text, const std::string& what) {
    try {
      std::size_t used = 0;
      const long v = std::stol(text, &used);
      if (used == text.size() && v >= std::numeric_limits<int>::min() &&
          v <= std::numeric_limits<int>::max())
        return v;
    } catch (const std::exception&) {
    }
    throw UsageError(what + " '" + text + "' is not a whole number in " +
                     std::to_string(std::numeric_limits<int>::min()) + ".." +
                     std::to_string(std::numeric_limits<int>::max()));
  };
  long k = 0, n = 1;
  if (!shard.empty()) {
    const auto slash = shard.find('/');
    if (slash == std::string::npos) throw UsageError("--shard must be K/N, e.g. 2/4");
    k = number(shard.substr(0, slash), "--shard") - 1;
    n = number(shard.substr(slash + 1), "--shard");
    if (n < 1 || k < 0 || k >= n)
      throw UsageError("--shard " + shard + ": K must be in 1..N and N >= 1");
  } else if (const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT")) {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
    if (!id) throw UsageError("SLURM_ARRAY_TASK_COUNT is set but SLURM_ARRAY_TASK_ID is not");
    n = number(count, "SLURM_ARRAY_TASK_COUNT");
    k = number(id, "SLURM_ARRAY_TASK_ID") - (min ? number(min, "SLURM_ARRAY_TASK_MIN") : 0);
    if (n < 1 || k < 0 || k >= n)
      throw UsageError("SLURM_ARRAY_TASK_ID/_MIN/_COUNT do not name a task of the array");
  }
  o.shard_index = static_cast<int>(k);
  o.shard_count = static_cast<int>(n);
}

}  // namespace

Command add_rnn_compare_command(CLI::App& app) {
  struct State {
    SweepOptions sweep;
    DataOptions data;
    std::string cells = "rnn,lstm,gru", hidden = "64,128,256";
  };
  auto state = std::make_shared<State>();
  TrainConfig& c = state->sweep.base;
  use_model(c, "recurrent");
  state->sweep.root = "runs/rnn_compare";
  state->sweep.title = "RNN vs LSTM vs GRU";
  auto* compare =
      app.add_subcommand("rnn-compare", "Cell types x hidden sizes, one chart, one table");
  state->data.add_to(compare);
  add_training_options(compare, c, settings_of_model(c.model.name), {"--cell", "--hidden"});
  compare->add_option("--cells", state->cells, "Comma-separated cell types");
  compare->add_option("--hidden", state->hidden, "Comma-separated hidden sizes");
  add_parallel_option(compare, state->sweep.parallel);
  compare->add_option("--logdir", state->sweep.root, "Experiment directory");
  return {compare, [state] {
            state->sweep.axes = parse_grid("cell=" + state->cells + "; hidden=" + state->hidden);
            return run_and_report(state->sweep, state->data);
          }};
}

Command add_sweep_command(CLI::App& app) {
  struct State {
    SweepOptions sweep;
    DataOptions data;
    std::string model = "cnn", grid_spec, grid_file, shard;
  };
  auto state = std::make_shared<State>();
  state->sweep.root = "runs/sweep";
  auto* sweep = app.add_subcommand("sweep", "Run a hyperparameter grid, resumably");
  state->data.add_to(sweep);
  add_training_options(sweep, state->sweep.base, shared_settings());
  // --model takes the registered models' commands; a model that cannot do without one of its
  // settings (the scripted model's --model-file) is chosen by giving that setting instead.
  std::vector<std::string> by_name;
  std::vector<std::pair<const ModelEntry*, CLI::Option*>> by_setting;
  for (const ModelEntry& entry : model_entries()) {
    std::vector<const SettingSpec*> required;
    for (const auto& s : entry.settings) {
      if (s.required) required.push_back(&s);
    }
    if (required.empty()) {
      if (!entry.command.empty()) by_name.push_back(entry.command);
      continue;
    }
    TrainConfig& base = state->sweep.base;
    for (const SettingSpec* s : required) {
      std::visit(
          [&](const auto& field) {
            auto* option = sweep->add_option(
                s->option, field(base),
                s->help + " (sweeps tbtrain " + entry.command + "'s model instead)");
            by_setting.emplace_back(&entry, option);
          },
          s->field);
    }
  }
  std::string names;
  for (const auto& name : by_name) names += (names.empty() ? "" : " | ") + name;
  auto* model = sweep->add_option("--model", state->model, names)->check(CLI::IsMember(by_name));
  for (auto& [entry, option] : by_setting) option->excludes(model);
  sweep->add_option("--grid", state->grid_spec, "e.g. \"lr=1e-2,1e-3; optimizer=sgd,adam\"");
  sweep->add_option("--grid-file", state->grid_file, "File with one axis per line (name = v1, v2)");
  add_parallel_option(sweep, state->sweep.parallel);
  sweep->add_option("--shard", state->shard,
                    "K/N: run only the K-th of N shares of the grid (default: SLURM's "
                    "SLURM_ARRAY_TASK_ID/COUNT when set, else all)");
  sweep->add_flag("--collect", state->sweep.collect_only,
                  "Train nothing: rebuild the sweep's summary from the finished runs");
  sweep->add_option("--logdir", state->sweep.root,
                    "Sweep directory (one run directory per setting)");
  return {sweep, [state, sweep, by_setting] {
            SweepOptions& o = state->sweep;
            if (state->grid_spec.empty() == state->grid_file.empty())
              throw UsageError("give either --grid or --grid-file");
            o.base.model.name = model_of_command(state->model)->name;
            for (const auto& [entry, option] : by_setting) {
              if (option->count() > 0) o.base.model.name = entry->name;
            }
            // The model's own defaults (recurrent runs: batch 128), unless the user gave them.
            apply_unless_given(model_entry(o.base.model.name).defaults, *sweep, o.base);
            o.axes = state->grid_file.empty() ? parse_grid(state->grid_spec)
                                              : load_grid_file(state->grid_file);
            o.title = "sweep " + o.root;
            choose_shard(state->shard, o);
            return run_and_report(o, state->data);
          }};
}

}  // namespace trainers::cli
