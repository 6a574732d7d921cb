#include "sweep.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "../loop/checkpoint.hpp"
#include "../loop/config_check.hpp"
#include "../loop/settings.hpp"
#include "summary_file.hpp"
#include "tblog/remote.hpp"
#include "tblog/summary_writer.hpp"

namespace fs = std::filesystem;

namespace trainers {
std::vector<Setting> settings_of(const SweepOptions& options) {
  return options.settings.empty() ? expand_grid(options.axes) : options.settings;
}

std::string hparam_name_of_axis(const std::string& axis) {
  const SettingSpec* spec = setting_of_any_axis(axis);
  return spec && spec->shown != ShownAs::kNotShown ? spec->hparam : axis;
}

namespace {

// The tag group of the runs whose `axis` has `value` inside a comparison group.
std::string compare_subgroup(const std::string& group, const std::string& axis,
                             const std::string& value) {
  return group + "/" + axis + "_" + value;
}

}  // namespace

tblog::HParamsExperiment experiment_of(const std::string& title,
                                       const std::vector<TrainConfig>& runs,
                                       const std::vector<std::string>& declared_hparams) {
  tblog::HParamsExperiment exp;
  exp.name = title;
  std::vector<tblog::HParams> sessions;
  for (const auto& run : runs) sessions.push_back(hparams_of(run));
  for (const auto& name : declared_hparams) {
    tblog::HParamDomain d;
    d.name = name;
    for (const auto& session : sessions) {
      const auto it = session.find(name);
      if (it == session.end())
        throw std::invalid_argument("HParams experiment: no session hparam '" + name + "'");
      if (std::find(d.discrete.begin(), d.discrete.end(), it->second) == d.discrete.end())
        d.discrete.push_back(it->second);
    }
    // Numbers in numeric order, also when written as text ("64" before "128").
    std::sort(d.discrete.begin(), d.discrete.end(), [](const auto& a, const auto& b) {
      const auto* sa = std::get_if<std::string>(&a);
      const auto* sb = std::get_if<std::string>(&b);
      if (sa && sb) {
        const auto na = parse_number(*sa), nb = parse_number(*sb);
        if (na && nb) return *na < *nb;
      }
      return a < b;
    });
    exp.hparams.push_back(std::move(d));
  }
  exp.metrics = {{kEpochTestAccuracy, "", "test accuracy", "after the last epoch"},
                 {kEpochTestLoss, "", "test loss", "after the last epoch"},
                 {kEpochTrainAccuracy, "", "train accuracy", "over the last epoch's batches"},
                 {kEpochTrainLoss, "", "train loss", "over the last epoch's batches"}};
  return exp;
}

tblog::LayoutCategory layout_of(const SweepOptions& options) {
  const std::string group = options.compare_group.empty() ? kEpochGroup : options.compare_group;
  tblog::LayoutCategory category{options.title, {}, false};
  if (!options.compare_group.empty() && !options.compare_axis.empty()) {
    std::vector<std::string> values;
    for (const auto& setting : settings_of(options)) {
      for (const auto& [key, value] : setting) {
        if (key == options.compare_axis &&
            std::find(values.begin(), values.end(), value) == values.end())
          values.push_back(value);
      }
    }
    for (const auto& value : values) {
      const std::string sub = compare_subgroup(group, options.compare_axis, value);
      category.charts.push_back({"test accuracy, " + options.compare_axis + " " + value,
                                 {"^" + sub + "/test_accuracy$"}});
    }
  }
  category.charts.push_back({"test accuracy by epoch", {"^" + group + "/(.*/)?test_accuracy$"}});
  return category;
}

TrainConfig apply_setting(TrainConfig c, const Setting& setting) {
  for (const auto& [key, value] : setting) {
    const SettingSpec* spec = setting_of_axis(key, c.model.name);
    if (!spec && !setting_of_any_axis(key))
      throw std::invalid_argument("unknown grid axis '" + key + "' (axes: " + sweep_axes_list() +
                                  ")");
    // An axis of one model's shape on another model would change nothing and say nothing.
    if (!spec)
      throw std::invalid_argument("grid axis '" + key + "' applies to " + models_with_axis(key) +
                                  " models only, not to " + c.model.name);
    set_from_text(*spec, c, value);
  }
  return c;
}

namespace {

// The comparison group of one run: the sweep's group, split by the comparison axis's value.
std::string compare_group_of(const SweepOptions& options, const Setting& setting) {
  if (options.compare_group.empty() || options.compare_axis.empty()) return options.compare_group;
  for (const auto& [key, value] : setting) {
    if (key == options.compare_axis) return compare_subgroup(options.compare_group, key, value);
  }
  return options.compare_group;
}

// A run belongs to the shard its name hashes to (FNV-1a), not to its position in the grid: shards
// given the same grid in another order still split it the same way, so no run is trained twice.
bool is_mine(const SweepOptions& options, const std::string& name) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return static_cast<int>(h % static_cast<std::uint64_t>(options.shard_count)) ==
         options.shard_index;
}

// What a finished run's record carries of the options that shaped its results.
Setting recorded_options(const TrainConfig& c, const DataSplit& data) {
  Setting options = resume_settings_of(c, data);
  if (std::none_of(options.begin(), options.end(),
                   [](const auto& kv) { return kv.first == "--epochs"; }))
    options.emplace_back("--epochs", std::to_string(c.epochs));
  options.emplace_back("--max-steps", std::to_string(c.max_steps));
  return options;
}

RunRecord record_or_pending(const std::string& dir, const std::string& name,
                            const Setting& setting) {
  if (auto done = read_run_record(dir)) return *done;
  RunRecord pending{name, setting};
  pending.pending = true;
  return pending;
}

// The table, the counts and the best finished run, from the records.
void summarize(SweepResult& result) {
  const auto& records = result.records;
  result.table = results_markdown(records);
  result.failed = static_cast<int>(
      std::count_if(records.begin(), records.end(), [](const RunRecord& r) { return r.failed(); }));
  result.pending = static_cast<int>(
      std::count_if(records.begin(), records.end(), [](const RunRecord& r) { return r.pending; }));
  result.best =
      *std::max_element(records.begin(), records.end(), [](const RunRecord& a, const RunRecord& b) {
        if (a.finished() != b.finished()) return b.finished();
        return a.test_accuracy < b.test_accuracy;
      });
}

// Reads the records of runs that were pending; true (and summarized again) if any finished.
bool refresh_pending(const SweepOptions& options, SweepResult& result) {
  bool changed = false;
  for (auto& r : result.records) {
    if (!r.pending) continue;
    try {
      if (auto done = read_run_record(options.root + "/" + r.name)) {
        r = *done;
        changed = true;
      }
    } catch (const InvalidRunRecord&) {  // being replaced, or said already: still pending
    }
  }
  if (changed) summarize(result);
  return changed;
}

}  // namespace

void refuse_remote_root(const std::string& root) {
  if (tblog::is_remote_path(root)) {
    throw UsageError("--logdir " + root +
                     ": sweeps keep a record beside each run and read them back to resume and "
                     "compare; give a local directory (single runs take s3:// logdirs)");
  }
}

SweepResult run_sweep(const SweepOptions& options, const DataSplit& data) {
  refuse_remote_root(options.root);
  const auto settings = settings_of(options);
  SweepResult result;
  std::vector<TrainConfig>& configs = result.configs;
  for (const auto& s : settings) {  // validate all first
    try {
      configs.push_back(apply_setting(options.base, s));
      check_config(configs.back());
    } catch (const std::invalid_argument& e) {
      throw UsageError("grid setting " + run_name(s) + ": " + e.what());
    }
    if (!options.compare_group.empty()) configs.back().compare_group = compare_group_of(options, s);
  }
  std::filesystem::create_directories(options.root);

  result.records.resize(settings.size());
  std::atomic<std::size_t> next{0};
  std::mutex print_mutex;
  // One run, start to end; what it throws is its own failure, never the sweep's (an exception
  // escaping a worker thread would terminate the process).
  auto one_run = [&](std::size_t i) {
    const std::string name = run_name(settings[i]);
    const std::string dir = options.root + "/" + name;
    if (options.collect_only || !is_mine(options, name)) {  // another shard's run: only read it
      try {
        result.records[i] = record_or_pending(dir, name, settings[i]);
      } catch (const InvalidRunRecord& e) {
        result.records[i] = {name, settings[i]};
        result.records[i].pending = true;  // its shard trains it again
        std::lock_guard<std::mutex> lock(print_mutex);
        fmt::print(stderr, "tbtrain: {}\n", e.what());
      }
      return;
    }
    const std::string checkpoint = fs::path(checkpoint_path(dir)).filename().string();
    const Setting run_options = recorded_options(configs[i], data);
    if (auto done = prepare_run_dir(dir, checkpoint, run_options)) {
      result.records[i] = *done;
      std::lock_guard<std::mutex> lock(print_mutex);
      if (!options.quiet)
        fmt::print("[{}/{}] {}: already finished, skipped\n", i + 1, settings.size(), name);
      return;
    }
    TrainConfig c = configs[i];
    c.logdir = dir;
    c.resume = true;  // from the run's checkpoint, if an interrupted sweep left one
    c.progress = c.progress && options.parallel == 1;
    RunRecord record{name, settings[i]};
    record.options = run_options;
    try {
      const TrainResult r = train_classifier(c, data);
      record.train_accuracy = r.train_accuracy;
      record.train_loss = r.train_loss;
      record.test_accuracy = r.test_accuracy;
      record.test_loss = r.test_loss;
      record.seconds = r.seconds;
      write_run_record(dir, record);
    } catch (const std::exception& e) {
      // A failed run has no record on disk, so a rerun of the sweep tries it again.
      record.error = e.what();
    }
    result.records[i] = record;
    std::lock_guard<std::mutex> lock(print_mutex);
    if (record.failed()) {
      fmt::print(stderr, "[{}/{}] {}: FAILED: {}\n", i + 1, settings.size(), name, record.error);
    } else if (!options.quiet) {
      fmt::print("[{}/{}] {}: test accuracy {:.4f}, train accuracy {:.4f} ({:.1f} s)\n", i + 1,
                 settings.size(), name, record.test_accuracy, record.train_accuracy,
                 record.seconds);
    }
  };
  std::exception_ptr usage_error;  // a finished run made with other options: the sweep stops
  auto worker = [&] {
    for (std::size_t i; (i = next++) < settings.size();) {
      try {
        one_run(i);
      } catch (const UsageError&) {
        std::lock_guard<std::mutex> lock(print_mutex);
        if (!usage_error) usage_error = std::current_exception();
        next = settings.size();  // start nothing more
      } catch (const std::exception& e) {
        result.records[i] = {run_name(settings[i]), settings[i]};
        result.records[i].error = e.what();
        std::lock_guard<std::mutex> lock(print_mutex);
        fmt::print(stderr, "[{}/{}] {}: FAILED: {}\n", i + 1, settings.size(),
                   result.records[i].name, e.what());
      }
    }
  };
  const int threads =
      std::max(1, std::min<int>(options.parallel, static_cast<int>(settings.size())));
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
  }
  if (usage_error) std::rethrow_exception(usage_error);

  summarize(result);
  if (!options.write_summary) return result;
  // The sweep as a whole, in its first run's directory: no run of its own in TensorBoard.
  std::vector<std::string> declared;
  for (const auto& axis : options.axes) declared.push_back(hparam_name_of_axis(axis.name));
  if (options.axes.empty() && !settings.empty()) {
    for (const auto& [key, value] : settings.front()) declared.push_back(hparam_name_of_axis(key));
  }
  // Shards finishing together: each writes its view, then looks again; whoever sees a record
  // appear after its view writes again, so the last writer's summary is complete.
  do {
    write_summary_file(
        options.root + "/" + run_name(settings.front()), "sweep", [&](tblog::SummaryWriter& w) {
          if (options.write_experiment)
            w.add_hparams_experiment(experiment_of(options.title, configs, declared));
          w.add_custom_scalar_layout({layout_of(options)});
          w.add_text(
              "results",
              "### " + options.title + "\n\nBest: **" + result.best.name + "**\n\n" + result.table,
              0);
        });
  } while (refresh_pending(options, result));
  return result;
}

}  // namespace trainers
