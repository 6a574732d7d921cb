#include <gtest/gtest.h>

#include "../test_util.hpp"
#include "experiments/grid.hpp"
#include "experiments/run_record.hpp"
#include "experiments/sweep.hpp"
#include "loop/config_check.hpp"
#include "synthetic_data.hpp"
#include "tblog/reader.hpp"

namespace trainers {
namespace {

TEST(Grid, ParsesExpandsAndNames) {
  const auto axes = parse_grid("lr=1e-2, 1e-3; optimizer=sgd,adam,rmsprop\nbatch_size=32");
  ASSERT_EQ(axes.size(), 3u);
  const auto settings = expand_grid(axes);
  ASSERT_EQ(settings.size(), 6u);
  EXPECT_EQ(run_name(settings[0]), "lr=1e-2,optimizer=sgd,batch_size=32");
  EXPECT_EQ(run_name(settings[5]), "lr=1e-3,optimizer=rmsprop,batch_size=32");
  EXPECT_EQ(run_name({{"path", "a/b c"}}), "path=a_b_c");  // never nests or breaks a run dir
}

TEST(Grid, BadSpecsAreExplained) {
  for (const char* bad : {"", "lr", "lr=", "=1", "lr=1;lr=2", "lr=1,,2"}) {
    EXPECT_THROW(parse_grid(bad), std::invalid_argument) << bad;
  }
  tblog::test::TempDir dir;
  tblog::test::write_file(dir / "grid.txt", "# a comment\nlr = 0.1, 0.01  # inline\ncell = lstm\n");
  EXPECT_EQ(expand_grid(load_grid_file(dir / "grid.txt")).size(), 2u);
  EXPECT_THROW(load_grid_file(dir / "missing.txt"), std::invalid_argument);
  EXPECT_THROW(apply_setting(TrainConfig{}, {{"colour", "red"}}), std::invalid_argument);
  EXPECT_THROW(apply_setting(TrainConfig{}, {{"lr", "fast"}}), std::invalid_argument);
}

TEST(RunRecords, RoundTripAndResultsTableSortedByTestAccuracy) {
  tblog::test::TempDir dir;
  RunRecord r{"lr=0.1", {{"lr", "0.1"}}, 0.9, 0.3, 0.85, 0.4, 12.5};
  write_run_record(dir.path(), r);
  const auto back = read_run_record(dir.path());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->name, "lr=0.1");
  EXPECT_EQ(back->setting, r.setting);
  EXPECT_EQ(back->test_accuracy, 0.85);
  const std::string md =
      results_markdown({{"low", {}, 0, 0, 0.2, 0, 0}, {"high", {}, 0, 0, 0.7, 0, 0}});
  EXPECT_LT(md.find("| 1 | high"), md.find("| 2 | low"));
}

TEST(RunRecords, HalfFinishedRunsStartOverAndFinishedOnesAreKept) {
  tblog::test::TempDir dir;
  std::filesystem::create_directories(dir / "half");
  tblog::test::write_file(dir / "half/events.out.tfevents.1.x", "partial");
  EXPECT_FALSE(prepare_run_dir(dir / "half"));
  EXPECT_FALSE(std::filesystem::exists(dir / "half"));
  std::filesystem::create_directories(dir / "done");
  write_run_record(dir / "done", {"done", {}, 1, 0, 1, 0, 1});
  EXPECT_TRUE(prepare_run_dir(dir / "done"));
  EXPECT_TRUE(std::filesystem::exists(dir / "done"));
}

// A tiny real sweep end to end, interrupted and resumed.
TEST(Sweep, TinyRealSweepResumesAndWritesHParamsAndResults) {
  tblog::test::TempDir dir;
  SweepOptions o;
  o.root = dir / "sweep";
  o.base.model.name = "lenet5";
  o.base.epochs = 1;
  o.base.progress = false;
  o.axes = parse_grid("lr=1e-2,1e-3; optimizer=adam,sgd");
  o.parallel = 2;
  o.quiet = true;
  const auto data = test::bars_split(1, 28, 128, 64);
  const auto first = run_sweep(o, data);
  ASSERT_EQ(first.records.size(), 4u);
  EXPECT_NE(first.table.find(first.best.name), std::string::npos);

  // Simulate an interruption: one run lost its record (half-finished), one is intact.
  std::filesystem::remove(dir / "sweep/lr=1e-3,optimizer=sgd/" + kRunRecordFile);
  const auto kept_before = tblog::find_runs(dir / "sweep/lr=1e-2,optimizer=adam")[0].event_files;
  const auto second = run_sweep(o, data);
  EXPECT_EQ(tblog::find_runs(dir / "sweep/lr=1e-2,optimizer=adam")[0].event_files, kept_before);
  EXPECT_EQ(tblog::find_runs(dir / "sweep/lr=1e-3,optimizer=sgd")[0].event_files.size(), 1u);
  EXPECT_EQ(second.records[0].test_accuracy, first.records[0].test_accuracy);

  // No run of its own for the sweep: its experiment, layout and results are in the first run.
  const auto runs = tblog::find_runs(o.root);
  ASSERT_EQ(runs.size(), 4u);
  std::set<std::string> first_run_tags;
  tblog::HParams session;
  for (const auto& file : runs[0].event_files) {
    for (const auto& e : tblog::read_events(file))
      for (const auto& v : e.values) first_run_tags.insert(v.tag);
  }
  EXPECT_EQ(runs[0].name, "lr=1e-2,optimizer=adam");
  EXPECT_TRUE(first_run_tags.count("_hparams_/experiment"));
  EXPECT_TRUE(first_run_tags.count("custom_scalars__config__"));
  EXPECT_TRUE(first_run_tags.count("results"));
  EXPECT_TRUE(first_run_tags.count("_hparams_/session_start_info"));

  // Rerunning the finished sweep adds no file: the sweep's summary file is replaced in place.
  auto files = [&] {
    std::vector<std::string> all;
    for (const auto& run : tblog::find_runs(o.root))
      all.insert(all.end(), run.event_files.begin(), run.event_files.end());
    return all;
  };
  const auto before = files();
  run_sweep(o, data);
  EXPECT_EQ(files(), before);
}

// The experiment is derived from the sessions themselves: its domains hold exactly the values
// the runs carry, whole numbers as text, in numeric order, for every model alike.
TEST(Sweep, ExperimentDomainsAreTheSessionsOwnValues) {
  TrainConfig cnn;
  cnn.model.name = "lenet5";
  TrainConfig rnn;
  rnn.model.name = "recurrent";
  set_option(rnn, "--cell", "gru");
  set_option(rnn, "--hidden", "64");
  rnn.batch_size = 128;
  const auto exp = experiment_of("t", {cnn, rnn}, {"model", "batch_size", "hidden_units", "lr"});
  ASSERT_EQ(exp.hparams.size(), 4u);
  EXPECT_EQ(exp.hparams[0].discrete,
            (std::vector<tblog::HParamValue>{std::string("gru"), std::string("lenet5")}));
  EXPECT_EQ(exp.hparams[1].discrete,
            (std::vector<tblog::HParamValue>{std::string("64"), std::string("128")}));
  EXPECT_EQ(exp.hparams[2].discrete,
            (std::vector<tblog::HParamValue>{std::string("64"), std::string("120")}));
  EXPECT_EQ(exp.hparams[3].discrete, (std::vector<tblog::HParamValue>{1e-3}));
  // Every model's session carries the same keys.
  std::set<std::string> cnn_keys, rnn_keys;
  for (const auto& [k, v] : hparams_of(cnn)) cnn_keys.insert(k);
  for (const auto& [k, v] : hparams_of(rnn)) rnn_keys.insert(k);
  EXPECT_EQ(cnn_keys, rnn_keys);
  EXPECT_TRUE(cnn_keys.count("momentum"));
  EXPECT_THROW(experiment_of("t", {cnn}, {"no_such_hparam"}), std::invalid_argument);
}

TEST(Sweep, AFailingRunInAParallelSweepIsRecordedAndTheOthersFinish) {
  tblog::test::TempDir dir;
  SweepOptions o;
  o.root = dir / "sweep";
  o.base.model.name = "lenet5";
  set_option(o.base, "--activation", "relu");
  o.base.optimizer = "sgd";
  o.base.epochs = 2;
  o.base.progress = false;
  o.axes = parse_grid("lr=1e30,1e-2,1e-3");
  o.parallel = 2;
  o.quiet = true;
  const auto result = run_sweep(o, test::bars_split(1, 28, 128, 64));
  EXPECT_EQ(result.failed, 1);
  EXPECT_TRUE(result.records[0].failed());
  EXPECT_NE(result.records[0].error.find("diverged"), std::string::npos);
  EXPECT_FALSE(result.best.failed());
  EXPECT_NE(result.table.find("FAILED: training diverged"), std::string::npos) << result.table;
  // No record on disk for the failed run: rerunning the sweep tries it again.
  EXPECT_FALSE(read_run_record(dir / "sweep/lr=1e30"));
  EXPECT_TRUE(read_run_record(dir / "sweep/lr=1e-2"));
}

TEST(Sweep, BadGridValuesAreRefusedBeforeAnyRunNamingTheSetting) {
  tblog::test::TempDir dir;
  SweepOptions o;
  o.root = dir / "sweep";
  o.axes = parse_grid("lr=1e-3,nan");
  try {
    run_sweep(o, test::bars_split(1, 28, 64, 32));
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("lr=nan"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "sweep/lr=1e-3"));
  EXPECT_THROW(parse_grid("lr=1e-3,1e-3"), std::invalid_argument);
}

}  // namespace
}  // namespace trainers
