// Short real training runs: the loss falls, accuracy beats chance, and every promised tag is in
// the event files (read back with tblog's reader).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "../test_util.hpp"
#include "loop/config_check.hpp"
#include "loop/trainer.hpp"
#include "synthetic_data.hpp"
#include "tblog/reader.hpp"
#include "tblog/value_views.hpp"

namespace trainers {
namespace {

std::map<std::string, std::vector<double>> scalars_of(const std::string& dir,
                                                      std::set<std::string>* tags) {
  std::map<std::string, std::vector<double>> out;
  for (const auto& run : tblog::find_runs(dir)) {
    for (const auto& file : run.event_files) {
      for (const auto& e : tblog::read_events(file)) {
        for (const auto& v : e.values) {
          tags->insert(v.tag);
          if (v.kind == tblog::ValueKind::kScalar) out[v.tag].push_back(v.scalar());
        }
      }
    }
  }
  return out;
}

TEST(Training, LeNet5LearnsAndLogsEverything) {
  tblog::test::TempDir dir;
  TrainConfig c;
  c.model.name = "lenet5";
  c.epochs = 3;
  c.batch_size = 32;
  c.log_every = 4;
  c.summary_every = 8;
  c.grad_histograms = true;
  c.augment = false;
  c.progress = false;
  c.logdir = dir / "cnn";
  c.deconv_each_epoch = true;
  c.embedding_points = 50;
  const auto r = train_classifier(c, test::bars_split(3, 32));
  EXPECT_GT(r.test_accuracy, 0.5);  // chance is 0.1
  std::set<std::string> tags;
  const auto s = scalars_of(dir.path(), &tags);
  EXPECT_LT(s.at("train/loss").back(), s.at("train/loss").front());
  for (const char* tag : {"train/loss",
                          "train/accuracy",
                          "test/loss",
                          "test/accuracy",
                          "train/learning_rate",
                          "W1_SUMMARY/max",
                          "W1_SUMMARY/mean",
                          "W1_SUMMARY/min",
                          "W1_SUMMARY/std",
                          "W1_SUMMARY/variance",
                          "histograms/W1",
                          "gradients/histograms/W1",
                          "b5_SUMMARY/mean",
                          "histograms/W5",
                          "filters/conv1",
                          "activations/conv1/mean",
                          "activations/conv2/fraction_saturated",
                          "activations/conv2/histogram",
                          "activations/summary",
                          "config",
                          "model",
                          "results",
                          "_hparams_/session_start_info",
                          "_hparams_/session_end_info",
                          "deconvnet/conv1_top9",
                          "deconvnet/conv2_top9",
                          "deconvnet/evolution_conv2",
                          "deconvnet/evolution_conv2_animation",
                          "occlusion/maps",
                          "test_set/confusion_matrix",
                          "test_set/most_wrong",
                          "pr_curves/0",
                          "pr_curves/9"}) {
    EXPECT_TRUE(tags.count(tag)) << "missing tag " << tag;
  }
  EXPECT_EQ(s.at("test/accuracy").size(), 3u);  // once per epoch
  const auto embeddings = tblog::read_embeddings(dir / "cnn");
  ASSERT_EQ(embeddings.size(), 1u);
  EXPECT_EQ(embeddings[0].embedding.rows, 50);
  EXPECT_EQ(embeddings[0].embedding.dims, 84);             // LeNet5's penultimate layer
  EXPECT_EQ(embeddings[0].embedding.metadata.size(), 3u);  // label, predicted, correct

  // TensorBoard's data server treats a step that does not increase as a restart and drops the
  // points it replaces: every tag's steps must strictly increase.
  std::map<std::string, std::vector<std::int64_t>> steps;
  bool has_graph = false;
  for (const auto& e : tblog::read_events(tblog::find_runs(dir.path())[0].event_files[0])) {
    for (const auto& v : e.values) steps[v.tag].push_back(e.step);
    has_graph = has_graph || e.has_graph;
  }
  EXPECT_TRUE(has_graph);
  EXPECT_EQ(steps.at("deconvnet/conv2_top9"), (std::vector<std::int64_t>{1, 2, 3}));  // per epoch
  for (const auto& [tag, st] : steps) {
    for (std::size_t i = 1; i < st.size(); ++i) EXPECT_LT(st[i - 1], st[i]) << tag;
  }
}

TEST(Training, CosineScheduleAnnealsTheLoggedLearningRate) {
  tblog::test::TempDir dir;
  TrainConfig c;
  c.epochs = 2;
  c.lr = 0.01;
  c.schedule = "cosine";
  c.log_every = 2;
  c.progress = false;
  c.logdir = dir.path();
  train_classifier(c, test::bars_split(1, 28, 256, 64));
  std::set<std::string> tags;
  const auto lr = scalars_of(dir.path(), &tags).at("train/learning_rate");
  EXPECT_NEAR(lr.front(), 0.01, 1e-3);
  EXPECT_LT(lr.back(), 0.002);
  EXPECT_TRUE(std::is_sorted(lr.rbegin(), lr.rend()));
}

TEST(Training, EveryRecurrentCellLearns) {
  for (const std::string cell : {"rnn", "lstm", "gru"}) {
    tblog::test::TempDir dir;
    TrainConfig c;
    c.model.name = "recurrent";
    set_option(c, "--cell", cell);
    set_option(c, "--hidden", "32");
    c.epochs = 4;
    c.batch_size = 32;
    c.lr = 3e-3;
    c.clip_grad_norm = 1.0;
    c.log_every = 4;
    c.progress = false;
    c.logdir = dir / cell;
    const auto r = train_classifier(c, test::bars_split(1, 28));
    EXPECT_GT(r.test_accuracy, 0.3) << cell;
    std::set<std::string> tags;
    const auto s = scalars_of(dir.path(), &tags);
    EXPECT_LT(s.at("train/loss").back(), s.at("train/loss").front()) << cell;
    for (const char* tag : {"weight_ih_l0_SUMMARY/mean", "weight_hh_l0_SUMMARY/variance",
                            "histograms/W_out", "test/accuracy"}) {
      EXPECT_TRUE(tags.count(tag)) << cell << " missing " << tag;
    }
  }
}

TEST(Training, SameSeedSameResultsAndLoggingOff) {
  TrainConfig c;
  c.model.name = "lenet5";
  c.epochs = 1;
  c.progress = false;
  c.logging = false;
  c.optimizer = "momentum";
  const auto data = test::bars_split(1, 28, 256, 128);
  const auto a = train_classifier(c, data);
  const auto b = train_classifier(c, data);
  EXPECT_EQ(a.test_loss, b.test_loss);
  EXPECT_EQ(a.train_loss, b.train_loss);
  // The recurrent cells too (their matrix products go through BLAS): bit for bit, with the
  // augmentation's random shifts and gradient clipping on (docs/results).
  TrainConfig r;
  r.model.name = "recurrent";
  set_option(r, "--cell", "lstm");
  set_option(r, "--hidden", "16");
  r.epochs = 1;
  r.batch_size = 32;
  r.augment = true;
  r.clip_grad_norm = 1.0;
  r.schedule = "cosine";
  r.progress = false;
  r.logging = false;
  const auto x = train_classifier(r, data);
  const auto y = train_classifier(r, data);
  EXPECT_EQ(x.test_loss, y.test_loss);
  EXPECT_EQ(x.train_loss, y.train_loss);
  r.seed = 2;
  EXPECT_NE(train_classifier(r, data).train_loss, x.train_loss);  // the seed matters
}

// With label smoothing e over K classes the training targets have entropy
// H = -(1-e+e/K) ln(1-e+e/K) - (K-1) (e/K) ln(e/K), a floor no model's training loss can pass
// (1.677 for e = 0.5, K = 10); without it, the same run's loss falls well below that.
TEST(Training, LabelSmoothingSetsAFloorUnderTheTrainingLossOnly) {
  TrainConfig c;
  c.model.name = "lenet5";
  c.epochs = 3;
  c.batch_size = 32;
  c.logging = false;
  c.progress = false;
  const auto data = test::bars_split(3, 32);
  const auto plain = train_classifier(c, data);
  c.label_smoothing = 0.5;
  const auto smoothed = train_classifier(c, data);
  const double e = 0.5, k = 10, p = 1 - e + e / k, q = e / k;
  const double floor = -p * std::log(p) - (k - 1) * q * std::log(q);
  EXPECT_LT(plain.train_loss, floor - 0.5);
  EXPECT_GE(smoothed.train_loss, floor - 1e-6);
  EXPECT_GT(smoothed.test_accuracy, 0.5);  // it still learns; the test loss is plain cross-entropy
  EXPECT_LT(smoothed.test_loss, smoothed.train_loss);
}

TEST(Training, BadConfigurationsSayWhatIsWrong) {
  TrainConfig c;
  c.logging = false;
  c.optimizer = "lbfgs2";
  const auto data = test::bars_split(1, 28, 64, 32);
  try {
    train_classifier(c, data);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("lbfgs2"), std::string::npos);
  }
  c.optimizer = "adam";
  c.schedule = "step";
  EXPECT_THROW(train_classifier(c, data), std::invalid_argument);
  c.schedule = "constant";
  c.device = "tpu";
  EXPECT_THROW(train_classifier(c, data), std::invalid_argument);
  c.device = "cpu";
  c.label_smoothing = 1.0;
  try {
    train_classifier(c, data);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--label-smoothing must be in [0, 1)"), std::string::npos);
  }
  for (const char* opt : {"sgd", "momentum", "adam", "adagrad", "rmsprop"}) {
    TrainConfig ok;
    ok.logging = false;
    ok.progress = false;
    ok.epochs = 1;
    ok.optimizer = opt;
    EXPECT_NO_THROW(train_classifier(ok, data)) << opt;
  }
}

TEST(Training, DivergenceStopsTheRunAndClosesItAsFailure) {
  tblog::test::TempDir dir;
  TrainConfig c;
  set_option(c, "--activation", "relu");
  c.optimizer = "sgd";
  c.lr = 1e30;
  c.epochs = 50;
  c.log_every = 1;
  c.progress = false;
  c.logdir = dir / "run";
  EXPECT_THROW(train_classifier(c, test::bars_split(1, 28, 64, 32)), TrainingDiverged);
  std::string results;
  bool failure_status = false;
  std::int64_t last_step = 0;
  for (const auto& e : tblog::read_events(tblog::find_runs(dir.path())[0].event_files[0])) {
    for (const auto& v : e.values) {
      if (v.tag == "results") results = tblog::text_of(v);
      // HParamsPluginData{session_end_info (4) {status (1): STATUS_FAILURE (2), end_time_secs}}
      if (v.tag == "_hparams_/session_end_info")
        failure_status = v.plugin_content.find("\x22\x0b\x08\x02\x11") != std::string::npos;
      if (v.tag == "train/loss") last_step = e.step;
    }
  }
  EXPECT_NE(results.find("diverged"), std::string::npos) << results;
  EXPECT_TRUE(failure_status);
  EXPECT_LT(last_step, 10) << "went on training after the loss stopped being finite";
}

TEST(Training, EmptyDataAndBadValuesAreRefusedBeforeAnyWork) {
  TrainConfig c;
  c.logging = false;
  auto data = test::bars_split(1, 28, 64, 32);
  Dataset empty;
  empty.images = data.train.images.narrow(0, 0, 0);
  empty.labels = data.train.labels.narrow(0, 0, 0);
  DataSplit no_train = data;
  no_train.train = empty;
  EXPECT_THROW(train_classifier(c, no_train), DataError);
  for (auto bad :
       {+[](TrainConfig& t) { t.log_every = 0; }, +[](TrainConfig& t) { t.summary_every = 0; },
        +[](TrainConfig& t) { t.lr = std::nan(""); }, +[](TrainConfig& t) { t.momentum = 1.5; },
        +[](TrainConfig& t) { set_option(t, "--fc1", "0"); },
        +[](TrainConfig& t) { t.activation_images = -1; }}) {
    TrainConfig t = c;
    bad(t);
    EXPECT_THROW(train_classifier(t, data), UsageError);
  }
}

}  // namespace
}  // namespace trainers
