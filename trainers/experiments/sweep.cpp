#include "sweep.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "../loop/config_check.hpp"
#include "tblog/summary_writer.hpp"

namespace trainers {
namespace {

// The whole of `value` as a number, or nothing: one parser for "is it numeric?" and for reading.
std::optional<double> parse_number(const std::string& value) {
  try {
    std::size_t used = 0;
    const double d = std::stod(value, &used);
    if (used == value.size()) return d;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

double to_double(const std::string& key, const std::string& value) {
  if (const auto d = parse_number(value)) return *d;
  throw std::invalid_argument("grid value '" + value + "' of '" + key + "' is not a number");
}

bool to_bool(const std::string& key, const std::string& value) {
  if (value == "true" || value == "1" || value == "on") return true;
  if (value == "false" || value == "0" || value == "off") return false;
  throw std::invalid_argument("grid value '" + value + "' of '" + key + "' is not true/false");
}

}  // namespace

tblog::HParamsExperiment experiment_of(const SweepOptions& options) {
  tblog::HParamsExperiment exp;
  exp.name = options.title;
  for (const auto& axis : options.axes) {
    tblog::HParamDomain d;
    d.name = axis.name == "clip" ? "clip_grad_norm" : axis.name;
    // An axis whose values all read as numbers is numeric; augment is boolean; others strings.
    const bool numeric =
        std::all_of(axis.values.begin(), axis.values.end(),
                    [](const std::string& v) { return parse_number(v).has_value(); });
    for (const auto& v : axis.values) {
      if (axis.name == "augment")
        d.discrete.emplace_back(to_bool(axis.name, v));
      else if (numeric)
        d.discrete.emplace_back(to_double(axis.name, v));
      else
        d.discrete.emplace_back(v);
    }
    exp.hparams.push_back(d);
  }
  exp.metrics = {{"test/accuracy"}, {"test/loss"}, {"train/accuracy"}, {"train/loss"}};
  return exp;
}

TrainConfig apply_setting(TrainConfig c, const Setting& setting) {
  for (const auto& [key, value] : setting) {
    if (key == "lr")
      c.lr = to_double(key, value);
    else if (key == "optimizer")
      c.optimizer = value;
    else if (key == "schedule")
      c.schedule = value;
    else if (key == "batch_size")
      c.batch_size = static_cast<int>(to_double(key, value));
    else if (key == "fc1")
      c.model.fc1 = static_cast<int>(to_double(key, value));
    else if (key == "activation")
      c.model.activation = value;
    else if (key == "cell")
      c.model.cell = value;
    else if (key == "hidden")
      c.model.hidden = static_cast<int>(to_double(key, value));
    else if (key == "layers")
      c.model.layers = static_cast<int>(to_double(key, value));
    else if (key == "epochs")
      c.epochs = static_cast<int>(to_double(key, value));
    else if (key == "weight_decay")
      c.weight_decay = to_double(key, value);
    else if (key == "momentum")
      c.momentum = to_double(key, value);
    else if (key == "augment")
      c.augment = to_bool(key, value);
    else if (key == "clip")
      c.clip_grad_norm = to_double(key, value);
    else if (key == "seed")
      c.seed = static_cast<std::uint64_t>(to_double(key, value));
    else
      throw std::invalid_argument("unknown grid axis '" + key + "'");
  }
  return c;
}

SweepResult run_sweep(const SweepOptions& options, const DataSplit& data) {
  const auto settings = expand_grid(options.axes);
  std::vector<TrainConfig> configs;
  for (const auto& s : settings) {  // validate all first
    try {
      configs.push_back(apply_setting(options.base, s));
      check_config(configs.back());
    } catch (const std::invalid_argument& e) {
      throw UsageError("grid setting " + run_name(s) + ": " + e.what());
    }
  }
  std::filesystem::create_directories(options.root);

  SweepResult result;
  result.records.resize(settings.size());
  std::atomic<std::size_t> next{0};
  std::mutex print_mutex;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < settings.size();) {
      const std::string name = run_name(settings[i]);
      const std::string dir = options.root + "/" + name;
      if (auto done = prepare_run_dir(dir)) {
        result.records[i] = *done;
        std::lock_guard<std::mutex> lock(print_mutex);
        if (!options.quiet)
          fmt::print("[{}/{}] {}: already finished, skipped\n", i + 1, settings.size(), name);
        continue;
      }
      TrainConfig c = configs[i];
      c.logdir = dir;
      c.progress = c.progress && options.parallel == 1;
      RunRecord record{name, settings[i]};
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

  result.table = results_markdown(result.records);
  result.failed = static_cast<int>(std::count_if(result.records.begin(), result.records.end(),
                                                 [](const RunRecord& r) { return r.failed(); }));
  result.best = *std::max_element(result.records.begin(), result.records.end(),
                                  [](const RunRecord& a, const RunRecord& b) {
                                    if (a.failed() != b.failed())
                                      return a.failed();  // any finished run beats a failed one
                                    return a.test_accuracy < b.test_accuracy;
                                  });
  // The sweep's root: HParams experiment, one chart per metric across runs, the results table.
  tblog::SummaryWriter root(options.root, tblog::WriterOptions{".sweep"});
  if (options.write_experiment) root.add_hparams_experiment(experiment_of(options));
  root.add_custom_scalar_layout(
      {{"Accuracy",
        {{"test accuracy", {"test/accuracy"}, {}}, {"train accuracy", {"train/accuracy"}, {}}},
        false},
       {"Loss", {{"test loss", {"test/loss"}, {}}, {"train loss", {"train/loss"}, {}}}, false}});
  root.add_text(
      "results",
      "### " + options.title + "\n\nBest: **" + result.best.name + "**\n\n" + result.table, 0);
  root.close();
  return result;
}

}  // namespace trainers
