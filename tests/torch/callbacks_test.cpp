// tblog/torch/callbacks.hpp and plugins.hpp: a small loop of the pytorch/examples shape with the
// standard plugins, and what it leaves in the event file; stopping on a NaN loss.
#include "tblog/torch/callbacks.hpp"
#include "tblog/value_views.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "../test_util.hpp"
#include "read_back.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/torch/plugins.hpp"

namespace tblog {
namespace {

struct TinyNetImpl : torch::nn::Module {
  TinyNetImpl() {
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 4, 3)));
    fc = register_module("fc", torch::nn::Linear(4 * 6 * 6, 3));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(conv1->forward(x));
    if (probes) (*probes)("conv1", x);
    return torch::log_softmax(fc->forward(x.flatten(1)), 1);
  }
  torch::nn::Conv2d conv1{nullptr};
  torch::nn::Linear fc{nullptr};
  Probes* probes = nullptr;
};
TORCH_MODULE(TinyNet);

// Three classes of 8x8 images told apart by which third is bright.
std::pair<torch::Tensor, torch::Tensor> make_data(int n) {
  auto labels = torch::arange(n) % 3;
  auto images = torch::rand({n, 1, 8, 8}) * 0.2;
  for (int i = 0; i < n; ++i) {
    const auto c = labels[i].item<std::int64_t>();
    images[i].slice(1, c * 2, c * 2 + 3) += 0.8;
  }
  return {images, labels};
}

// One batch of the pytorch/examples loop, reported to `log` as docs/torch.md shows it.
void train_batch(Training& log, TinyNet& model, torch::optim::Optimizer& optimizer,
                 const torch::Tensor& x, const torch::Tensor& y) {
  log.batch_begin();
  optimizer.zero_grad();
  const auto out = model->forward(x);
  const auto loss = torch::nll_loss(out, y);
  loss.backward();
  log.after_backward();
  log.before_optimizer_step();
  optimizer.step();
  log.batch_end({loss, out, y, x});
}

TEST(Callbacks, StandardPluginsOnAPlainLoopWriteEveryKind) {
  torch::manual_seed(1);
  TinyNet model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
  const auto [train_x, train_y] = make_data(96);
  auto [test_x, test_y] = make_data(30);
  test_y[0] = (test_y[0] + 1) % 3;  // one label wrong: at least one mistake to picture
  test::TempDir dir;
  {
    SummaryWriter writer(dir.path());
    Training log(writer, *model, optimizer);
    StandardPlugins plugins;
    plugins.class_names = {"top", "middle", "bottom"};
    plugins.log_every = 2;
    plugins.summary_every = 3;
    plugins.probe_every = 3;
    plugins.embedding_points = 20;
    plugins.hparams = {{"lr", 0.1}, {"optimizer", std::string("sgd")}};
    model->probes = add_standard_plugins(log, plugins);
    ConvVisualizationOptions conv;
    conv.searched_images = 30;
    log.add<ConvVisualizations>(
        ConvStack{{{"conv1", model->conv1->weight, model->conv1->bias, 0}}, /*relu=*/true},
        [&](const torch::Tensor& x) { return model->forward(x); },
        std::vector<std::string>{"left", "middle", "right"}, conv);
    log.train_begin();
    for (int epoch = 1; epoch <= 2 && !log.stopped(); ++epoch) {
      log.epoch_begin(epoch);
      for (int b = 0; b < 96; b += 16) {
        train_batch(log, model, optimizer, train_x.slice(0, b, b + 16),
                    train_y.slice(0, b, b + 16));
      }
      torch::NoGradGuard no_grad;
      // The images are the inputs here: pixels in [0, 1] that the model sees unchanged.
      log.validation_end({model->forward(test_x), test_y, test_x, {}, test_x});
      log.epoch_end();
    }
    log.train_end();
    EXPECT_GT(log.state().metrics.at("Epoch/test_accuracy"), 0.5);
    EXPECT_EQ(log.state().step, 12);
  }
  std::set<std::string> tags;
  std::map<std::string, std::vector<std::int64_t>> steps;
  for (const auto& run : find_runs(dir.path()))
    for (const auto& file : run.event_files)
      for (const auto& event : read_events(file))
        for (const auto& value : event.values) {
          tags.insert(value.tag);
          steps[value.tag].push_back(event.step);
        }
  for (const char* tag : {"train/loss",
                          "train/accuracy",
                          "train/learning_rate",
                          "perf/examples_per_second",
                          "test/loss",
                          "test/accuracy",
                          "Epoch/train_loss",
                          "Epoch/train_accuracy",
                          "Epoch/test_loss",
                          "Epoch/test_accuracy",
                          "conv1.weight_SUMMARY/std",
                          "histograms/fc.weight",
                          "gradients/global_norm",
                          "deconvnet/evolution_conv1",
                          "deconvnet/evolution_conv1_animation",
                          "deconvnet/conv1_top9",
                          "occlusion/maps",
                          "gradients/norm/conv1.weight",
                          "updates/log10_ratio/fc.weight",
                          "non_finite/gradients",
                          "activations/conv1/mean",
                          "activations/conv1/histogram",
                          "filters/conv1",
                          "test_set/confusion_matrix",
                          "test_set/most_wrong",
                          "pr_curves/middle",
                          "_hparams_/session_start_info",
                          "_hparams_/session_end_info",
                          "_hparams_/experiment",
                          "layers"}) {
    EXPECT_TRUE(tags.count(tag)) << "missing " << tag;
  }
  EXPECT_EQ(steps["train/loss"], (std::vector<std::int64_t>{2, 4, 6, 8, 10, 12}));
  EXPECT_EQ(steps["Epoch/test_accuracy"], (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(steps["activations/conv1/mean"], (std::vector<std::int64_t>{3, 6, 9, 12}));
  EXPECT_EQ(steps["gradients/global_norm"], (std::vector<std::int64_t>{3, 6, 9, 12}));
  EXPECT_EQ(steps["updates/log10_ratio/fc.weight"], (std::vector<std::int64_t>{3, 6, 9, 12}));
  EXPECT_EQ(steps["conv1.weight_SUMMARY/std"], (std::vector<std::int64_t>{0, 3, 6, 9, 12}));
  EXPECT_EQ(steps["filters/conv1"], (std::vector<std::int64_t>{0, 6, 12}));
  EXPECT_EQ(steps["layers"], (std::vector<std::int64_t>{0}));  // ModelGraph's conceptual graph
  std::size_t graphs = 0;
  for (const auto& run : find_runs(dir.path()))
    for (const auto& file : run.event_files)
      for (const auto& event : read_events(file)) graphs += event.has_graph;
  EXPECT_EQ(graphs, 1u);  // ModelGraph
  const auto embeddings = read_embeddings(dir.path());
  ASSERT_EQ(embeddings.size(), 1u);
  EXPECT_EQ(embeddings[0].embedding.rows, 20);
  EXPECT_EQ(embeddings[0].embedding.metadata.at(0).values.at(1), "middle");
}

// TrainingScalars reads host float batches in place and leaves any other tensor to torch ops: the
// same values either way, ties (the first maximum wins) and NaN rows (NaN is the maximum) included.
TEST(Callbacks, TrainingScalarsCountTheSameInPlaceAndThroughTorch) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto outputs = torch::tensor({{0.1F, 0.7F, 0.2F},
                                      {0.5F, 0.5F, 0.0F},  // a tie: class 0
                                      {0.2F, nan, 0.9F},   // NaN: class 1
                                      {nan, 0.1F, nan},    // the first NaN: class 0
                                      {-1.0F, -2.0F, -0.5F}})
                           .reshape({5, 3});
  const auto targets = torch::tensor({1, 1, 1, 0, 2}, torch::kLong);  // 4 of 5 right
  auto logged_with = [&](const torch::Tensor& out, const torch::Tensor& loss) {
    test::TempDir dir;
    SummaryWriter writer(dir.path());
    Training log(writer);
    log.add<TrainingScalars>(/*every=*/2);
    log.train_begin();
    log.epoch_begin(1);
    for (int step = 0; step < 4; ++step) {
      log.batch_begin();
      log.batch_end({loss * (step + 1), out, targets});
    }
    log.epoch_end();
    log.train_end();
    return test::read_back(writer);
  };
  const auto in_place = logged_with(outputs, torch::tensor(0.25F));
  // A transposed copy seen through .t() is not contiguous, a double 0-d loss is read in place too,
  // a half loss is not: torch ops for both.
  const auto strided = outputs.t().contiguous().t();
  ASSERT_FALSE(strided.is_contiguous());
  const auto through_torch = logged_with(strided, torch::tensor(0.25F).to(torch::kHalf));
  for (const char* tag :
       {"train/loss", "train/accuracy", "Epoch/train_loss", "Epoch/train_accuracy"}) {
    SCOPED_TRACE(tag);
    ASSERT_EQ(in_place.at(tag).size(), through_torch.at(tag).size());
    for (std::size_t i = 0; i < in_place.at(tag).size(); ++i)
      EXPECT_DOUBLE_EQ(in_place.at(tag)[i].value.scalar(), through_torch.at(tag)[i].value.scalar());
  }
  EXPECT_NEAR(in_place.at("Epoch/train_accuracy")[0].value.scalar(), 0.8, 1e-6);
  EXPECT_DOUBLE_EQ(in_place.at("Epoch/train_loss")[0].value.scalar(), 0.25 * 10 / 4);
}

// Lightning's hook names, in the order a loop reaches them.
TEST(Callbacks, HooksRunInTheLoopsOrderUnderTheirOnNames) {
  struct Recorder : Callback {
    std::vector<std::string> seen;
    void on_train_begin(TrainState&) override { seen.push_back("train_begin"); }
    void on_epoch_begin(TrainState&) override { seen.push_back("epoch_begin"); }
    void on_batch_begin(TrainState&) override { seen.push_back("batch_begin"); }
    void on_after_backward(TrainState&) override { seen.push_back("after_backward"); }
    void on_before_optimizer_step(TrainState&) override { seen.push_back("before_optimizer_step"); }
    void on_batch_end(TrainState&, const BatchResult&) override { seen.push_back("batch_end"); }
    void on_validation_end(TrainState&, const ValidationResult&) override {
      seen.push_back("validation_end");
    }
    void on_epoch_end(TrainState&) override { seen.push_back("epoch_end"); }
    void on_train_end(TrainState&) override { seen.push_back("train_end"); }
  };
  Training log(nullptr, nullptr);
  Recorder& r = log.add<Recorder>();
  log.train_begin();
  log.epoch_begin(1);
  log.batch_begin();
  log.after_backward();
  log.before_optimizer_step();
  log.batch_end({torch::tensor(1.0F)});
  log.validation_end({});
  log.epoch_end();
  log.train_end();
  EXPECT_EQ(r.seen,
            (std::vector<std::string>{"train_begin", "epoch_begin", "batch_begin", "after_backward",
                                      "before_optimizer_step", "batch_end", "validation_end",
                                      "epoch_end", "train_end"}));
}

// A checkpoint in the middle of a window: the resumed run's next point is the uninterrupted
// run's, because TrainingScalars' windows travel in Training::state_dict with the step.
TEST(Callbacks, TrainingScalarsWindowsSurviveACheckpoint) {
  auto loss_at = [](int step) { return torch::tensor(0.1F * static_cast<float>(step)); };
  auto run = [&](int from, int to, Training& log) {
    for (int step = from; step <= to; ++step) {
      log.batch_begin();
      log.batch_end({loss_at(step)});
    }
  };
  test::TempDir whole_dir, resumed_dir;
  std::map<std::string, std::vector<test::Logged>> whole, resumed;
  {
    SummaryWriter writer(whole_dir.path());
    Training log(writer);
    log.add<TrainingScalars>(/*every=*/4);
    log.train_begin();
    log.epoch_begin(1);
    run(1, 8, log);
    log.epoch_end();
    log.train_end();
    whole = test::read_back(writer);
  }
  CallbackState saved;
  {
    SummaryWriter writer(resumed_dir.path());
    Training log(writer);
    log.add<TrainingScalars>(4);
    log.train_begin();
    log.epoch_begin(1);
    run(1, 6, log);  // the checkpoint: two steps into the second window
    saved = log.state_dict();
  }
  EXPECT_EQ(saved.at("training/step").item<double>(), 6);
  EXPECT_EQ(saved.count("TrainingScalars/window"), 1u);
  {
    SummaryWriter writer(resumed_dir.path(), WriterOptions{});
    Training log(writer);
    log.add<TrainingScalars>(4);
    log.load_state_dict(saved);
    EXPECT_EQ(log.state().step, 6);
    EXPECT_EQ(log.state().epoch, 1);
    log.train_begin();
    run(7, 8, log);
    log.epoch_end();
    log.train_end();
    resumed = test::read_back(writer);
  }
  ASSERT_EQ(resumed.at("train/loss").size(), 1u);
  EXPECT_EQ(resumed.at("train/loss")[0].step, 8);
  EXPECT_DOUBLE_EQ(resumed.at("train/loss")[0].value.scalar(),
                   whole.at("train/loss").back().value.scalar());
  EXPECT_DOUBLE_EQ(resumed.at("Epoch/train_loss")[0].value.scalar(),
                   whole.at("Epoch/train_loss")[0].value.scalar());
}

// ModelSummaries over a model's own names: the untrained weights at step 0, every `every` steps,
// the final weights at the end unless that step was logged; a resumed run does not log its
// first step again, and a run a failure stopped logs no final point.
TEST(Callbacks, ModelSummariesLogStartEveryAndEndUnderTheModelsNames) {
  auto steps_of = [](const std::vector<test::Logged>& logged) {
    std::vector<std::int64_t> steps;
    for (const auto& l : logged) steps.push_back(l.step);
    return steps;
  };
  TinyNet model;
  torch::optim::SGD optimizer(model->parameters(), 0.1);
  auto own_names = [&model] { return NamedTensors{{"W1", model->conv1->weight}}; };
  ModelSummaryOptions options;
  options.gradient_norms = options.update_ratios = options.non_finite_counts = false;
  auto run = [&](std::int64_t from, std::int64_t to, bool fail) {
    test::TempDir dir;
    SummaryWriter writer(dir.path());
    Training log(writer, *model, optimizer);
    log.add<ModelSummaries>(4, options, own_names);
    log.state().step = from;
    log.train_begin();
    for (std::int64_t step = from + 1; step <= to; ++step) {
      log.batch_begin();
      log.batch_end({torch::tensor(1.0F)});
    }
    if (fail) {
      log.state().stop = true;
      log.state().stop_reason = "diverged";
    }
    log.train_end();
    return test::read_back(writer);
  };
  const auto fresh = run(0, 10, false);
  EXPECT_EQ(steps_of(fresh.at("W1_SUMMARY/mean")), (std::vector<std::int64_t>{0, 4, 8, 10}));
  EXPECT_EQ(fresh.count("conv1.weight_SUMMARY/mean"), 0u);  // only the given names
  EXPECT_EQ(steps_of(run(0, 8, false).at("W1_SUMMARY/mean")),
            (std::vector<std::int64_t>{0, 4, 8}));  // step 8 not twice
  EXPECT_EQ(steps_of(run(6, 10, false).at("W1_SUMMARY/mean")),
            (std::vector<std::int64_t>{8, 10}));  // resumed at 6: no point at 6
  EXPECT_EQ(steps_of(run(0, 10, true).at("W1_SUMMARY/mean")),
            (std::vector<std::int64_t>{0, 4, 8}));  // stopped by a failure: no final point
}

// The reduce hook: a data-parallel loop sums the windows over its processes. Here a second
// process is made up: one batch of loss 10 in each window.
TEST(Callbacks, TrainingScalarsSumTheirWindowsOverProcesses) {
  test::TempDir dir;
  SummaryWriter writer(dir.path());
  Training log(writer);
  log.add<TrainingScalars>(/*every=*/2);
  int reductions = 0;
  log.state().reduce_sum = [&](std::vector<double>& sums) {
    ++reductions;
    sums[0] += 10;  // loss
    sums[2] += 1;   // batches
  };
  log.train_begin();
  log.epoch_begin(1);
  for (int step = 0; step < 2; ++step) {
    log.batch_begin();
    log.batch_end({torch::tensor(1.0F)});
  }
  log.epoch_end();
  log.train_end();
  const auto logged = test::read_back(writer);
  EXPECT_EQ(reductions, 2);  // the point at step 2, the epoch
  EXPECT_DOUBLE_EQ(logged.at("train/loss")[0].value.scalar(), (1 + 1 + 10) / 3.0);
  EXPECT_DOUBLE_EQ(logged.at("Epoch/train_loss")[0].value.scalar(), (1 + 1 + 10) / 3.0);
}

TEST(Callbacks, TwoCallbacksOfOneStateKeyKeepTheirStatesApart) {
  struct Counter : Callback {
    double count = 0;
    void on_batch_end(TrainState&, const BatchResult&) override { ++count; }
    std::string state_key() const override { return "Counter"; }
    CallbackState state_dict() const override {
      return {{"count", torch::tensor(count, torch::kDouble)}};
    }
    void load_state_dict(const CallbackState& s) override { count = s.at("count").item<double>(); }
  };
  Training before(nullptr, nullptr);
  before.add<Counter>().count = 3;
  before.add<Counter>().count = 5;
  const CallbackState saved = before.state_dict();
  EXPECT_EQ(saved.at("Counter/count").item<double>(), 3);
  EXPECT_EQ(saved.at("Counter#2/count").item<double>(), 5);
  Training after(nullptr, nullptr);
  Counter& first = after.add<Counter>();
  Counter& second = after.add<Counter>();
  after.load_state_dict(saved);
  EXPECT_EQ(first.count, 3);
  EXPECT_EQ(second.count, 5);
}

// EarlyStopping: the epochs of a metric that stopped improving, then a stop that is no failure;
// its wait survives a checkpoint; a metric nobody computes is named at once.
TEST(Callbacks, EarlyStoppingEndsARunThatStoppedImprovingAsASuccess) {
  auto epochs_until_stopped = [](const std::vector<double>& losses, Training& log) {
    int epoch = log.state().epoch;
    for (const double loss : losses) {
      log.epoch_begin(++epoch);
      log.state().metrics["Epoch/test_loss"] = loss;
      log.epoch_end();
      if (log.stopped()) break;
    }
    return epoch;
  };
  test::TempDir dir;
  {
    SummaryWriter writer(dir.path());
    Training log(writer);
    log.add<EarlyStopping>("Epoch/test_loss", /*patience=*/2, EarlyStopping::Mode::kMin, 0.01);
    log.add<HParamsSession>(HParams{{"lr", 0.1}});
    log.train_begin();
    // 0.5 is no improvement on 0.495 by more than min_delta; two such epochs stop it.
    EXPECT_EQ(epochs_until_stopped({1.0, 0.5, 0.495, 0.6, 0.1}, log), 4);
    EXPECT_FALSE(log.state().stop_is_failure);
    EXPECT_NE(log.state().stop_reason.find("has not improved on 0.5 for 2"), std::string::npos)
        << log.state().stop_reason;
    log.train_end();
    const auto logged = test::read_back(writer);
    ASSERT_EQ(logged.count("stopped"), 1u);
    // HParamsPluginData{session_end_info (4) {status (1): STATUS_SUCCESS (1)}}
    EXPECT_NE(
        logged.at("_hparams_/session_end_info")[0].value.plugin_content.find("\x22\x0b\x08\x01"),
        std::string::npos);
  }
  // A checkpoint after one epoch without improvement: the resumed run stops one epoch later.
  Training before(nullptr, nullptr);
  before.add<EarlyStopping>("Epoch/test_loss", 2);
  epochs_until_stopped({1.0, 2.0}, before);
  const CallbackState saved = before.state_dict();
  Training after(nullptr, nullptr);
  after.add<EarlyStopping>("Epoch/test_loss", 2);
  after.load_state_dict(saved);
  EXPECT_EQ(epochs_until_stopped({3.0, 0.1}, after), 3);

  Training misspelled(nullptr, nullptr);
  misspelled.add<EarlyStopping>("Epoch/tset_loss");
  misspelled.epoch_begin(1);
  misspelled.state().metrics["Epoch/test_loss"] = 1;
  try {
    misspelled.epoch_end();
    FAIL() << "a metric nobody computes was accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("no metric 'Epoch/tset_loss'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("Epoch/test_loss"), std::string::npos) << e.what();
  }
  Training diverged(nullptr, nullptr);
  diverged.add<EarlyStopping>();
  EXPECT_EQ(epochs_until_stopped({1.0, std::nan("")}, diverged), 2);
  EXPECT_TRUE(diverged.state().stop_is_failure);
  EXPECT_THROW(EarlyStopping("m", 0), InvalidArgument);
}

TEST(Callbacks, ConvVisualizationsSayWhatTheyNeed) {
  test::TempDir dir;
  SummaryWriter writer(dir.path());
  TinyNet model;
  Training log(writer);
  ConvVisualizationOptions no_occlusion;
  no_occlusion.occlusion_images = 0;
  EXPECT_THROW(ConvVisualizations(
                   ConvStack{}, [](const torch::Tensor& x) { return x; }, {}, no_occlusion),
               std::invalid_argument);
  log.add<ConvVisualizations>(
      ConvStack{{{"conv1", model->conv1->weight, model->conv1->bias, 0}}, /*relu=*/true},
      [&](const torch::Tensor& x) { return model->forward(x); });
  const auto [x, y] = make_data(6);
  log.train_begin();
  log.epoch_begin(1);
  torch::NoGradGuard no_grad;
  try {
    log.validation_end({model->forward(x), y, x});  // no inputs
    FAIL() << "a validation without inputs accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("inputs"), std::string::npos) << e.what();
  }
}

// What a value holds, as bytes to compare: its blobs (images, video) or its tensor (PR curves).
std::vector<std::string> contents_of(const SummaryValue& value) {
  if (const BlobSequence* blobs = value.blobs()) return blobs->blobs;
  std::vector<std::string> out;
  if (const SummaryTensor* t = value.tensor())
    for (const double x : t->numbers) out.push_back(std::to_string(x));
  return out;
}

// The diagnostics and conv figures drawn in the background equal those drawn on the caller's
// thread: the evolution frames come from the weights as they were at the validation although the
// loop trains on at once, and the mistakes from the outputs as they were although the caller
// overwrites them.
TEST(Callbacks, InTheBackgroundDiagnosticsAndFiguresEqualThoseDrawnOnTheCallersThread) {
  torch::manual_seed(3);
  TinyNet model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.2));
  const auto [train_x, train_y] = make_data(96);
  auto [test_x, test_y] = make_data(30);
  test_y[0] = (test_y[0] + 1) % 3;  // one label wrong: at least one mistake to picture
  const std::vector<std::string> names{"top", "middle", "bottom"};
  test::TempDir caller_dir, background_dir;
  SummaryWriter caller_writer(caller_dir.path()), background_writer(background_dir.path());
  Training on_caller(caller_writer, *model, optimizer);
  Training in_background(background_writer, *model, optimizer);
  for (Training* log : {&on_caller, &in_background}) {
    const bool background = log == &in_background;
    log->add<ClassifierDiagnostics>(names, 4, "test", background);
    ConvVisualizationOptions conv;
    conv.searched_images = 30;
    conv.evolution_images = 30;
    conv.in_background = background;
    log->add<ConvVisualizations>(
        ConvStack{{{"conv1", model->conv1->weight, model->conv1->bias, 0}}, /*relu=*/true},
        [&](const torch::Tensor& x) { return model->forward(x); }, names, conv);
    log->train_begin();
  }
  for (int epoch = 1; epoch <= 3; ++epoch) {
    on_caller.epoch_begin(epoch);
    in_background.epoch_begin(epoch);
    torch::Tensor outputs;
    {
      torch::NoGradGuard no_grad;
      outputs = model->forward(test_x);
    }
    on_caller.validation_end({outputs, test_y, test_x, {}, test_x});
    in_background.validation_end({outputs, test_y, test_x, {}, test_x});
    outputs.zero_();                    // the caller reuses its tensor
    for (int b = 0; b < 96; b += 16) {  // and trains on while the background draws
      optimizer.zero_grad();
      torch::nll_loss(model->forward(train_x.slice(0, b, b + 16)), train_y.slice(0, b, b + 16))
          .backward();
      optimizer.step();
    }
  }
  on_caller.train_end();
  in_background.train_end();
  const auto expected = test::read_back(caller_writer);
  const auto got = test::read_back(background_writer);
  for (const char* tag : {"test_set/confusion_matrix", "test_set/most_wrong", "pr_curves/middle",
                          "deconvnet/evolution_conv1", "deconvnet/evolution_conv1_animation",
                          "deconvnet/conv1_top9", "occlusion/maps"}) {
    EXPECT_TRUE(expected.count(tag)) << "missing " << tag;
  }
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [tag, values] : expected) {
    ASSERT_TRUE(got.count(tag)) << tag;
    const auto& other = got.at(tag);
    ASSERT_EQ(other.size(), values.size()) << tag;
    for (std::size_t i = 0; i < values.size(); ++i) {
      EXPECT_EQ(other[i].step, values[i].step) << tag;
      EXPECT_FALSE(contents_of(values[i].value).empty()) << tag;
      EXPECT_EQ(contents_of(other[i].value), contents_of(values[i].value)) << tag << " #" << i;
    }
  }
  EXPECT_EQ(expected.at("deconvnet/evolution_conv1").size(), 3u);
}

// Without conv layers (an RNN reading an image's rows) the plugin draws the occlusion maps only;
// top_each_validation draws the deconvnet top figures at each validation instead of at the end.
TEST(Callbacks, ConvVisualizationsWithoutConvLayersOrWithTopFiguresEachEpoch) {
  torch::manual_seed(4);
  TinyNet model;
  const auto [test_x, test_y] = make_data(12);
  const auto classify = [&](const torch::Tensor& x) { return model->forward(x); };
  const auto run = [&](ConvStack stack, ConvVisualizationOptions options) {
    test::TempDir dir;
    SummaryWriter writer(dir.path());
    Training log(writer, model.ptr().get());
    options.searched_images = 12;
    log.add<ConvVisualizations>(std::move(stack), classify,
                                std::vector<std::string>{"top", "middle", "bottom"}, options);
    log.train_begin();
    for (int epoch = 1; epoch <= 2; ++epoch) {
      log.epoch_begin(epoch);
      torch::NoGradGuard no_grad;
      log.validation_end({model->forward(test_x), test_y, test_x, {}, test_x});
      log.epoch_end();
    }
    log.state().step = 40;
    log.train_end();
    std::map<std::string, std::vector<std::int64_t>> steps;
    for (const auto& [tag, values] : test::read_back(writer))
      for (const auto& v : values) steps[tag].push_back(v.step);
    return steps;
  };
  const auto occlusion_only = run(ConvStack{}, {});
  EXPECT_EQ(occlusion_only,
            (std::map<std::string, std::vector<std::int64_t>>{{"occlusion/maps", {40}}}));
  ConvVisualizationOptions each_epoch;
  each_epoch.top_each_validation = true;
  each_epoch.in_background = true;
  const auto steps =
      run(ConvStack{{{"conv1", model->conv1->weight, model->conv1->bias, 0}}, /*relu=*/true},
          each_epoch);
  EXPECT_EQ(steps.at("deconvnet/conv1_top9"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(steps.at("deconvnet/evolution_conv1"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(steps.at("deconvnet/evolution_conv1_animation"), (std::vector<std::int64_t>{40}));
  EXPECT_EQ(steps.at("occlusion/maps"), (std::vector<std::int64_t>{40}));
}

// The validation tensors kept for the end are views, not copies: a loop that writes into them
// afterwards is told at the next validation, and at the end the figures drawn from them are left
// out with a text that says why.
TEST(Callbacks, KeptValidationTensorsWrittenIntoAreToldNotDrawnFrom) {
  torch::manual_seed(6);
  TinyNet model;
  auto [test_x, test_y] = make_data(12);
  test::TempDir dir;
  SummaryWriter writer(dir.path());
  Training log(writer, model.ptr().get());
  const std::vector<std::string> names{"top", "middle", "bottom"};
  ConvVisualizationOptions options;
  options.searched_images = 12;
  log.add<ConvVisualizations>(
      ConvStack{{{"conv1", model->conv1->weight, model->conv1->bias, 0}}, /*relu=*/true},
      [&](const torch::Tensor& x) { return model->forward(x); }, names, options);
  log.add<Embeddings>(names, 6);
  log.train_begin();
  log.epoch_begin(1);
  torch::NoGradGuard no_grad;
  auto outputs = model->forward(test_x);
  log.validation_end({outputs, test_y, test_x, {}, test_x});
  test_x.mul_(0.5);  // the loop reuses its buffer
  outputs.zero_();
  try {
    log.validation_end({outputs, test_y, test_x, {}, test_x});
    FAIL() << "a validation written into was drawn from";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("written into after validation_end"), std::string::npos)
        << e.what();
  }
  log.train_end();
  const auto logged = test::read_back(writer);
  EXPECT_EQ(logged.count("deconvnet/conv1_top9"), 0u);
  EXPECT_EQ(logged.count("occlusion/maps"), 0u);
  EXPECT_EQ(logged.count("deconvnet/not_drawn"), 1u);
  EXPECT_EQ(logged.count("test_features/not_drawn"), 1u);
  EXPECT_TRUE(read_embeddings(dir.path()).empty());
}

// Embeddings with a features function: the features of the last validation's first points,
// computed at the end in eval mode, with label, predicted and correct columns; nothing when the
// model has no features to offer. ModelGraph draws what it is given, once per run.
TEST(Callbacks, EmbeddingsOfAFeaturesFunctionAndModelGraphOfItsOwnGraph) {
  torch::manual_seed(5);
  TinyNet model;
  const auto [test_x, test_y] = make_data(9);
  const std::vector<std::string> names{"top", "middle", "bottom"};
  bool was_training = true;
  const auto penultimate = [&](const torch::Tensor& x) {
    was_training = model->is_training();
    return torch::relu(model->conv1->forward(x)).flatten(1);
  };
  test::TempDir dir;
  torch::Tensor outputs;
  {
    SummaryWriter writer(dir.path());
    Training log(writer, model.ptr().get());
    log.add<Embeddings>(names, 5, "test", penultimate);
    Graph graph;
    graph.nodes.push_back({"input", "Placeholder", {}, {}, {}});
    log.add<ModelGraph>([graph] { return graph; },
                        [] {
                          ModelLayer layers{"mine", "Sequential", {{"only", "Dense"}}};
                          return layers;
                        });
    log.train_begin();
    log.epoch_begin(1);
    {
      torch::NoGradGuard no_grad;
      outputs = model->forward(test_x);
    }
    log.validation_end({outputs, test_y, test_x, {}, test_x});
    log.train_end();
    EXPECT_TRUE(model->is_training());
  }
  EXPECT_FALSE(was_training);
  const auto embeddings = read_embeddings(dir.path());
  ASSERT_EQ(embeddings.size(), 1u);
  const Embedding& e = embeddings[0].embedding;
  EXPECT_EQ(e.rows, 5);
  EXPECT_EQ(e.dims, 4 * 6 * 6);
  ASSERT_EQ(e.metadata.size(), 3u);
  EXPECT_EQ(e.metadata[0].name, "label");
  EXPECT_EQ(e.metadata[1].name, "predicted");
  const auto guesses = outputs.slice(0, 0, 5).argmax(1);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(e.metadata[1].values[i], names[guesses[i].item<std::int64_t>()]);
    EXPECT_EQ(e.metadata[2].values[i],
              guesses[i].item<std::int64_t>() == test_y[i].item<std::int64_t>() ? "yes" : "no");
  }
  std::size_t graphs = 0;
  std::vector<std::string> layer_tags;
  for (const auto& run : find_runs(dir.path()))
    for (const auto& file : run.event_files)
      for (const auto& event : read_events(file)) {
        if (event.has_graph) {
          ++graphs;
          ASSERT_EQ(event.graph.nodes.size(), 1u);
          EXPECT_EQ(event.graph.nodes[0].name, "input");
        }
        for (const auto& value : event.values) layer_tags.push_back(value.tag);
      }
  EXPECT_EQ(graphs, 1u);
  EXPECT_EQ(layer_tags, std::vector<std::string>{"layers"});

  // Resumed at a later step: the graphs were logged before; no features: no embedding.
  test::TempDir resumed;
  {
    SummaryWriter writer(resumed.path());
    Training log(writer, model.ptr().get());
    log.add<ModelGraph>();
    log.add<Embeddings>(names, 5, "test", [](const torch::Tensor&) { return torch::Tensor(); });
    log.state().step = 30;
    log.train_begin();
    log.epoch_begin(2);
    torch::NoGradGuard no_grad;
    log.validation_end({model->forward(test_x), test_y, test_x, {}, test_x});
    log.train_end();
    writer.close();
  }
  EXPECT_TRUE(read_embeddings(resumed.path()).empty());
  for (const auto& run : find_runs(resumed.path()))
    for (const auto& file : run.event_files)
      for (const auto& event : read_events(file)) {
        EXPECT_FALSE(event.has_graph);
        EXPECT_TRUE(event.values.empty());
      }
}

TEST(Callbacks, StopOnNonFiniteEndsTrainingAndTheSessionFails) {
  test::TempDir dir;
  SummaryWriter writer(dir.path());
  Training log(writer);
  log.add<StopOnNonFinite>();
  log.add<HParamsSession>(HParams{{"lr", 1.0}});
  log.train_begin();
  log.epoch_begin(1);
  log.batch_end({torch::tensor(0.5)});
  EXPECT_FALSE(log.stopped());
  log.batch_end({torch::tensor(std::nan(""))});
  EXPECT_TRUE(log.stopped());
  EXPECT_NE(log.state().stop_reason.find("NaN at step 2"), std::string::npos);
  log.train_end();
  log.train_end();  // once only
  const auto logged = test::read_back(writer);
  EXPECT_EQ(logged.at("stopped")[0].step, 2);
  EXPECT_EQ(logged.at("_hparams_/session_end_info").size(), 1u);
}

// The status of a session_end_info value: HParamsPluginData{session_end_info (field 4) =
// SessionEndInfo{status (field 1)}}.
int session_status(const std::string& content) {
  const auto at = content.find('\x22');  // field 4, length-delimited
  if (at == std::string::npos || at + 3 >= content.size() || content[at + 2] != '\x08') return -1;
  return content[at + 3];
}

// The loop of docs/torch.md exactly (stopped() looked at between epochs only), a model that
// diverges mid-epoch: training ends once, normally, with one "stopped" naming the first
// non-finite step, the HParams session closed as FAILURE, and no exception out of any hook.
TEST(Callbacks, ADivergingModelInTheDocsLoopStopsOnceAndClosesItsSession) {
  torch::manual_seed(2);
  TinyNet model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  const auto [train_x, train_y] = make_data(96);
  const auto [test_x, test_y] = make_data(30);
  test::TempDir dir;
  SummaryWriter writer(dir.path());
  Training log(writer, model, optimizer);  // a TORCH_MODULE holder as it is
  StandardPlugins plugins;
  plugins.class_names = {"top", "middle", "bottom"};
  plugins.split = "val";
  plugins.hparams = {{"lr", 0.1}, {"batch_size", 16}, {"optimizer", "sgd"}, {"augment", false}};
  plugins.embedding_points = 20;
  model->probes = add_standard_plugins(log, plugins);
  std::int64_t poisoned_at = 0;
  const auto train = [&] {
    log.train_begin();
    for (int epoch = 1; epoch <= 3 && !log.stopped(); ++epoch) {
      log.epoch_begin(epoch);
      for (int b = 0; b < 96; b += 16) {
        if (epoch == 1 && b == 48) {  // the model diverges: every output NaN from here on
          torch::NoGradGuard no_grad;
          model->fc->weight.fill_(std::nan(""));
          poisoned_at = log.state().step + 1;
        }
        train_batch(log, model, optimizer, train_x.slice(0, b, b + 16),
                    train_y.slice(0, b, b + 16));
      }
      torch::NoGradGuard no_grad;
      log.validation_end({model->forward(test_x), test_y, test_x});
      log.epoch_end();
    }
    log.train_end();
  };
  ASSERT_NO_THROW(train());
  EXPECT_TRUE(log.stopped());
  EXPECT_EQ(log.state().epoch, 1);
  const auto logged = test::read_back(writer);
  ASSERT_EQ(logged.at("stopped").size(), 1u);
  EXPECT_EQ(logged.at("stopped")[0].step, poisoned_at);
  EXPECT_NE(
      text_of(logged.at("stopped")[0].value).find("NaN at step " + std::to_string(poisoned_at)),
      std::string::npos);
  ASSERT_EQ(logged.at("_hparams_/session_end_info").size(), 1u);
  EXPECT_EQ(session_status(logged.at("_hparams_/session_end_info")[0].value.plugin_content),
            static_cast<int>(SessionStatus::kFailure));
  // Validation with NaN outputs: said, not thrown; the split names every tag and column.
  EXPECT_NE(text_of(logged.at("val_set/non_finite_outputs")[0].value).find("30 of 30"),
            std::string::npos);
  EXPECT_TRUE(logged.count("Epoch/val_accuracy"));
  EXPECT_FALSE(logged.count("Epoch/test_accuracy"));
  const std::string& experiment = logged.at("_hparams_/experiment")[0].value.plugin_content;
  EXPECT_NE(experiment.find("Epoch/val_accuracy"), std::string::npos);
  EXPECT_NE(experiment.find("Epoch/val_loss"), std::string::npos);
  EXPECT_EQ(experiment.find("Epoch/test_"), std::string::npos);
  // HParams as a C++ programmer writes them: an int is a number, a string literal a string.
  const std::string& start = logged.at("_hparams_/session_start_info")[0].value.plugin_content;
  EXPECT_NE(start.find("sgd"), std::string::npos);
  const double sixteen = 16;
  std::string number_16 = "\x11";  // google.protobuf.Value.number_value, a double
  number_16.append(reinterpret_cast<const char*>(&sixteen), sizeof sixteen);
  EXPECT_NE(start.find(number_16), std::string::npos);
}

// An exception out of the loop: the run still ends, its session closed as FAILURE, saying why;
// through exception(e) in a handler, or the Training's destructor while the exception unwinds.
TEST(Callbacks, AnExceptionOutOfTheLoopStillClosesTheRun) {
  for (const bool handled : {true, false}) {
    test::TempDir dir;
    SummaryWriter writer(dir.path());
    struct Seen : Callback {
      int* exceptions;
      explicit Seen(int* count) : exceptions(count) {}
      void on_exception(TrainState&, const std::exception&) override { ++*exceptions; }
    };
    int exceptions = 0;
    try {
      Training log(writer);
      log.add<HParamsSession>(HParams{{"lr", 1.0}});
      log.add<Seen>(&exceptions);
      log.train_begin();
      log.epoch_begin(1);
      log.batch_end({torch::tensor(0.5)});
      try {
        throw std::runtime_error("out of memory in the data loader");
      } catch (const std::exception& e) {
        if (!handled) throw;
        log.exception(e);
        throw;
      }
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(exceptions, handled ? 1 : 0);
    const auto logged = test::read_back(writer);
    ASSERT_EQ(logged.at("_hparams_/session_end_info").size(), 1u) << handled;
    EXPECT_EQ(session_status(logged.at("_hparams_/session_end_info")[0].value.plugin_content),
              static_cast<int>(SessionStatus::kFailure));
    const std::string& why = text_of(logged.at("stopped").at(0).value);
    EXPECT_NE(why.find("an exception ended training at step 1"), std::string::npos) << why;
    if (handled) {
      EXPECT_NE(why.find("out of memory in the data loader"), std::string::npos);
    }
  }
}

// A Training made by a factory and moved out: the run is ended once, by the one that holds it.
TEST(Callbacks, AMovedTrainingEndsTheRunOnce) {
  test::TempDir dir;
  SummaryWriter writer(dir.path());
  const auto make = [&] {
    Training made(writer);
    made.add<HParamsSession>(HParams{{"lr", 0.1}});
    return made;
  };
  {
    Training log = make();
    log.train_begin();
  }  // destroyed without train_end(): the run is ended here, as finished
  const auto logged = test::read_back(writer);
  ASSERT_EQ(logged.at("_hparams_/session_end_info").size(), 1u);
  EXPECT_EQ(session_status(logged.at("_hparams_/session_end_info")[0].value.plugin_content),
            static_cast<int>(SessionStatus::kSuccess));
}

TEST(Callbacks, AWriterlessTrainingRefusesAPluginThatLogs) {
  TinyNet model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  Training log(*model, optimizer);
  EXPECT_THROW(log.add<TrainingScalars>(), std::invalid_argument);
  EXPECT_THROW(log.add<HParamsSession>(HParams{{"lr", 0.1}}), std::invalid_argument);
  log.add<StopOnNonFinite>();  // logs only when it can: fine without a writer
  log.train_begin();
  log.epoch_begin(1);
  log.batch_end({torch::tensor(std::nan(""))});
  EXPECT_TRUE(log.stopped());
  log.train_end();
}

// UploadWatch's warnings are proven against a real S3 server whose PUTs fail
// (tests/remote/check_s3_logdirs.py); a local logdir has no uploads and must never be warned about.
TEST(Callbacks, UploadWatchIsSilentForALocalLogdir) {
  test::TempDir dir;
  SummaryWriter writer(dir.path());
  std::ostringstream console;
  Training log(writer);
  log.add<UploadWatch>(std::chrono::milliseconds(0), console);
  log.train_begin();
  log.epoch_begin(1);
  log.batch_end({torch::tensor(0.5)});
  log.epoch_end();
  writer.close();
  log.train_end();
  EXPECT_EQ(console.str(), "");
}

}  // namespace
}  // namespace tblog
