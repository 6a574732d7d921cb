// What tblog's LibTorch layer costs the training thread, on one core:
//   - ModelSummary of a 25M-parameter model: the statistics series alone, then with histograms
//     (each log() call timed on the caller, the writer's own thread included at flush);
//   - a probe on a step that is not sampled;
//   - a probe on a sampled step (a 64 x 6 x 28 x 28 activation).
// Medians of several repetitions. Usage: torch_layer_bench [REPEATS]   (prints one JSON line
// per measurement)
#include <torch/torch.h>
#include <tblog/torch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename F>
double median_seconds(int repeats, F&& f) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    f();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 7;
  torch::set_num_threads(1);
  torch::manual_seed(1);
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("torch-layer-bench-" + std::to_string(getpid())))
          .string();
  {
    // 25.0M parameters in six layers (12 tensors), the size of a ResNet-50.
    torch::nn::Sequential model(torch::nn::Linear(2048, 4096), torch::nn::Linear(4096, 2048),
                                torch::nn::Linear(2048, 2048), torch::nn::Linear(2048, 1000),
                                torch::nn::Linear(1000, 1000), torch::nn::Linear(1000, 1000));
    std::int64_t parameters = 0;
    for (const auto& p : model->parameters()) parameters += p.numel();
    tblog::SummaryWriter writer(dir);
    tblog::ModelSummaryOptions stats_only;
    stats_only.histograms = false;
    stats_only.gradient_norms = stats_only.update_ratios = stats_only.non_finite_counts = false;
    tblog::ModelSummary statistics(writer, *model, stats_only);
    std::int64_t step = 0;
    const double s = median_seconds(repeats, [&] { statistics.log(++step); });
    std::printf("{\"bench\": \"model_statistics\", \"parameters\": %lld, \"seconds\": %.4f}\n",
                static_cast<long long>(parameters), s);
    tblog::ModelSummaryOptions with_histograms = stats_only;
    with_histograms.histograms = true;
    tblog::ModelSummary histograms(writer, *model, with_histograms);
    const double h = median_seconds(repeats, [&] {
      histograms.log(++step);
      writer.flush();  // the writer thread's part too
    });
    std::printf(
        "{\"bench\": \"model_statistics_and_histograms\", \"parameters\": %lld, "
        "\"seconds\": %.4f}\n",
        static_cast<long long>(parameters), h);
    tblog::ModelSummary full(writer, *model);
    const auto loss = model->forward(torch::randn({8, 2048})).pow(2).mean();
    loss.backward();
    const double f = median_seconds(repeats, [&] {
      full.before_optimizer_step();
      full.log(++step);
      writer.flush();
    });
    std::printf("{\"bench\": \"model_summary_full\", \"parameters\": %lld, \"seconds\": %.4f}\n",
                static_cast<long long>(parameters), f);

    tblog::Probes probes(writer, {/*every=*/100});
    const auto activation = torch::relu(torch::randn({64, 6, 28, 28}));
    constexpr int kCalls = 10'000'000;
    probes.set_step(1);  // not sampled
    const double idle = median_seconds(repeats, [&] {
      for (int i = 0; i < kCalls; ++i) {
        probes("conv1", activation);
        asm volatile("" ::: "memory");  // the flag is read again each call, as in a real forward
      }
    });
    std::printf("{\"bench\": \"probe_not_sampled\", \"nanoseconds\": %.2f}\n", 1e9 * idle / kCalls);
    const double sampled = median_seconds(repeats, [&] {
      probes.set_step(100 * ++step);
      probes("conv1", activation);
    });
    std::printf("{\"bench\": \"probe_sampled\", \"values\": %lld, \"seconds\": %.5f}\n",
                static_cast<long long>(activation.numel()), sampled);
    writer.close();
  }
  std::filesystem::remove_all(dir);
  return 0;
}
