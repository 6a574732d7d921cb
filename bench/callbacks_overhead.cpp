// What tblog's callbacks cost a training loop with short epochs: pytorch/examples' MNIST CNN
// shape, 100 steps of 64 images per epoch, a 1,000-image validation pass after each, one LibTorch
// thread. Three loops, interleaved: without tblog; with add_standard_plugins at its default
// cadence (what a user gets); and the same plugins each wrapped in a timer, for each one's share.
// Inputs are fixed random tensors: the data's content does not change what the work costs.
// Usage: callbacks_overhead [REPEATS=7] [EPOCHS=3]   (prints one JSON line per measurement)
#include <torch/torch.h>
#include <tblog/torch.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kStepsPerEpoch = 100;
constexpr int kBatch = 64;
constexpr int kValidation = 1000;

struct NetImpl : torch::nn::Module {
  NetImpl() {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(torch::max_pool2d(conv1->forward(x), 2));
    if (probes) (*probes)("conv1", x);
    x = torch::relu(torch::max_pool2d(conv2->forward(x), 2));
    if (probes) (*probes)("conv2", x);
    x = torch::relu(fc1->forward(x.view({-1, 320})));
    return torch::log_softmax(fc2->forward(x), 1);
  }
  torch::nn::Conv2d conv1{torch::nn::Conv2dOptions(1, 10, 5)};
  torch::nn::Conv2d conv2{torch::nn::Conv2dOptions(10, 20, 5)};
  torch::nn::Linear fc1{320, 50}, fc2{50, 10};
  tblog::Probes* probes = nullptr;
};
TORCH_MODULE(Net);

struct Data {
  std::vector<torch::Tensor> images, labels;
  torch::Tensor val_images, val_labels;
};

// A callback's hooks, timed on the training thread: the batch hooks into `per_batch`, the
// others (train, epoch, validation) into `per_epoch`.
class Timed : public tblog::Callback {
 public:
  Timed(std::unique_ptr<tblog::Callback> inner, double& per_batch, double& per_epoch)
      : inner_(std::move(inner)), per_batch_(per_batch), per_epoch_(per_epoch) {}
  void on_train_begin(tblog::TrainState& s) override {
    time(per_epoch_, [&] { inner_->on_train_begin(s); });
  }
  void on_epoch_begin(tblog::TrainState& s) override {
    time(per_epoch_, [&] { inner_->on_epoch_begin(s); });
  }
  void on_batch_begin(tblog::TrainState& s) override {
    time(per_batch_, [&] { inner_->on_batch_begin(s); });
  }
  void on_after_backward(tblog::TrainState& s) override {
    time(per_batch_, [&] { inner_->on_after_backward(s); });
  }
  void on_before_optimizer_step(tblog::TrainState& s) override {
    time(per_batch_, [&] { inner_->on_before_optimizer_step(s); });
  }
  void on_batch_end(tblog::TrainState& s, const tblog::BatchResult& b) override {
    time(per_batch_, [&] { inner_->on_batch_end(s, b); });
  }
  void on_validation_end(tblog::TrainState& s, const tblog::ValidationResult& v) override {
    time(per_epoch_, [&] { inner_->on_validation_end(s, v); });
  }
  void on_epoch_end(tblog::TrainState& s) override {
    time(per_epoch_, [&] { inner_->on_epoch_end(s); });
  }
  void on_train_end(tblog::TrainState& s) override {
    time(per_epoch_, [&] { inner_->on_train_end(s); });
  }
  bool needs_writer() const override { return inner_->needs_writer(); }

 private:
  template <typename F>
  static void time(double& seconds, F&& f) {
    const auto start = Clock::now();
    f();
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
  }
  std::unique_ptr<tblog::Callback> inner_;
  double& per_batch_;
  double& per_epoch_;
};

std::vector<std::string> digit_names() {
  return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}

// add_standard_plugins' list at its defaults, each plugin timed into shares[name].
void add_timed_plugins(tblog::Training& log, tblog::SummaryWriter& writer, Net& model,
                       std::map<std::string, double>& shares) {
  const tblog::StandardPlugins o;
  auto add = [&](const char* name, std::unique_ptr<tblog::Callback> c) {
    const std::string plugin = name;
    log.add(std::make_unique<Timed>(std::move(c), shares[plugin + " batch hooks"],
                                    shares[plugin + " train/epoch/validation hooks"]));
  };
  add("StopOnNonFinite", std::make_unique<tblog::StopOnNonFinite>());
  add("TrainingScalars", std::make_unique<tblog::TrainingScalars>(o.log_every, o.split));
  add("ModelSummaries", std::make_unique<tblog::ModelSummaries>(o.summary_every, o.summary));
  tblog::ProbeOptions probe;
  probe.every = o.probe_every;
  auto probes = std::make_unique<tblog::ActivationProbes>(writer, probe);
  model->probes = &probes->probes();
  add("ActivationProbes", std::move(probes));
  add("FilterGrids", std::make_unique<tblog::FilterGrids>());
  add("ModelGraph", std::make_unique<tblog::ModelGraph>());
  add("ClassifierDiagnostics",
      std::make_unique<tblog::ClassifierDiagnostics>(digit_names(), o.most_wrong, o.split));
  add("Embeddings",
      std::make_unique<tblog::Embeddings>(digit_names(), o.embedding_points, o.split));
  add("HParamsSession", std::make_unique<tblog::HParamsSession>(
                            tblog::HParams{{"lr", 0.01}}, tblog::standard_metric_tags(o.split)));
  add("UploadWatch", std::make_unique<tblog::UploadWatch>(o.upload_warn_after));
}

enum class Variant { kPlain, kStandard, kTimed };

struct Seconds {
  double wall = 0;
  double cpu = 0;  // the process's, the writer thread's included
};

Seconds train(Variant variant, const Data& data, int epochs, const std::string& logdir,
              std::map<std::string, double>& shares) {
  torch::manual_seed(1);
  Net model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.5));
  const auto wall_start = Clock::now();
  const std::clock_t cpu_start = std::clock();
  {
    std::unique_ptr<tblog::SummaryWriter> writer;
    std::unique_ptr<tblog::Training> log;
    if (variant != Variant::kPlain) {
      writer = std::make_unique<tblog::SummaryWriter>(logdir);
      log = std::make_unique<tblog::Training>(*writer, model, optimizer);
      if (variant == Variant::kStandard) {
        tblog::StandardPlugins plugins;
        plugins.class_names = digit_names();
        plugins.hparams = {{"lr", 0.01}};
        model->probes = tblog::add_standard_plugins(*log, plugins);
      } else {
        add_timed_plugins(*log, *writer, model, shares);
      }
      log->train_begin();
    }
    for (int epoch = 1; epoch <= epochs; ++epoch) {
      if (log) log->epoch_begin(epoch);
      model->train();
      for (int step = 0; step < kStepsPerEpoch; ++step) {
        if (log) log->batch_begin();
        optimizer.zero_grad();
        auto output = model->forward(data.images[step]);
        auto loss = torch::nll_loss(output, data.labels[step]);
        loss.backward();
        if (log) log->before_optimizer_step();
        optimizer.step();
        if (log) log->batch_end({loss, output, data.labels[step]});
      }
      torch::NoGradGuard no_grad;
      model->eval();
      const auto outputs = model->forward(data.val_images);
      if (log) log->validation_end({outputs, data.val_labels, data.val_images});
      if (log) log->epoch_end();
    }
    if (log) log->train_end();
    model->probes = nullptr;
  }  // the writer closes: everything written and flushed counts
  return {std::chrono::duration<double>(Clock::now() - wall_start).count(),
          static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 7;
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 3;
  torch::set_num_threads(1);
  torch::manual_seed(0);
  Data data;
  for (int i = 0; i < kStepsPerEpoch; ++i) {
    data.images.push_back(torch::rand({kBatch, 1, 28, 28}));
    data.labels.push_back(torch::randint(10, {kBatch}, torch::kLong));
  }
  data.val_images = torch::rand({kValidation, 1, 28, 28});
  data.val_labels = torch::randint(10, {kValidation}, torch::kLong);
  const auto dir =
      std::filesystem::temp_directory_path() / ("callbacks-overhead-" + std::to_string(::getpid()));
  std::map<Variant, std::vector<double>> wall, cpu;
  std::map<std::string, std::vector<double>> shares;
  std::vector<double> in_loop;  // all plugins' hooks over the run, the timed loop's
  std::map<std::string, double> unused;
  train(Variant::kStandard, data, 1, (dir / "warm-up").string(), unused);  // first-call costs
  for (int r = 0; r < repeats; ++r) {
    for (const Variant v : {Variant::kPlain, Variant::kStandard, Variant::kTimed}) {
      std::map<std::string, double> seconds;
      const Seconds s = train(v, data, epochs, (dir / std::to_string(r)).string(), seconds);
      wall[v].push_back(s.wall);
      cpu[v].push_back(s.cpu);
      double total = 0;
      for (const auto& [name, t] : seconds) {
        shares[name].push_back(t / s.wall);
        total += t;
      }
      if (v == Variant::kTimed) in_loop.push_back(total / s.wall);
      std::filesystem::remove_all(dir / std::to_string(r));
    }
  }
  const double plain = median(wall[Variant::kPlain]);
  std::printf(
      "{\"bench\": \"callbacks_overhead\", \"steps_per_epoch\": %d, \"epochs\": %d, "
      "\"plain_seconds\": %.3f, \"standard_seconds\": %.3f, \"wall_overhead\": %.4f, "
      "\"cpu_overhead\": %.4f, \"in_loop_share\": %.4f}\n",
      kStepsPerEpoch, epochs, plain, median(wall[Variant::kStandard]),
      median(wall[Variant::kStandard]) / plain - 1,
      median(cpu[Variant::kStandard]) / median(cpu[Variant::kPlain]) - 1, median(in_loop));
  for (const auto& [name, fractions] : shares) {
    std::printf("{\"bench\": \"callbacks_overhead_share\", \"plugin\": \"%s\", \"share\": %.5f}\n",
                name.c_str(), median(fractions));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
